"""A platform that never joins an alliance (extension example, docs/extending.md).

Use ``SocialCommerceModel(platform_class=NeverAllyPlatform, alliances=True, adaptation=True)``
or, from the repository root, ``platform_class="examples.never_ally_platform:NeverAllyPlatform"``;
with every platform of this class no alliance ever forms, a baseline for the
``platform_alliance`` scenario.
"""

from __future__ import annotations

from socialabm import Platform


class NeverAllyPlatform(Platform):
    """A platform that refuses every alliance, however profitable."""

    def decides_to_ally(self, share: float, standalone: float) -> bool:
        """Never join (or stay in) an alliance."""
        return False
