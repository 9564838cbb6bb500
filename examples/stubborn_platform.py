"""A platform that never revises its strategy (extension example, docs/extending.md).

In adaptation rounds the default platform imitates better-paid peers and sometimes explores.
:class:`StubbornPlatform` keeps the strategy it starts with (the social platform its in-app
ordering, a social e-commerce platform its willingness to ally): a baseline that shows what
imitation adds.

Use ``SocialCommerceModel(platform_class=StubbornPlatform, adaptation=True)`` or
``platform_class="examples.stubborn_platform:StubbornPlatform"``.
"""

from __future__ import annotations

from socialabm import Platform


class StubbornPlatform(Platform):
    """Never changes its adaptive choice."""

    def adapt(self, peers: list[Platform], payoff_scale: float) -> None:
        """Keep the current choice: no imitation, no exploration."""
