"""Platforms: the trading giant, a social platform and social e-commerce platforms (docs/ODD.md
7.16-7.19)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from socialabm.agents.alliance import Alliance

    from socialabm.model import SocialCommerceModel

KINDS = ("trading", "social", "social_ecommerce")
"""Platform kinds: the trading giant, the social platform, social e-commerce platforms."""


class Platform(mesa.Agent):
    """A platform that hosts merchants, charges commissions and adapts its strategy.

    Attributes:
        index: Position among the model's platforms.
        name: Display name (``giant``, ``social``, ``se_1``...).
        kind: One of ``trading``, ``social``, ``social_ecommerce``.
        integrated: Offers in-scene (in-app) ordering; social e-commerce platforms always do.
        cooperative: Willing to join an alliance (social e-commerce platforms only).
        alliance: The alliance it belongs to, or ``None``.
        payoff_today: Its payoff of the latest day (its ledger balance change), CU.
        round_payoff: Payoff accumulated since the last adaptation round, CU.
        last_round_payoff: Payoff of the last completed round, CU.
        remembered: Last round payoff seen under each choice of its adaptive flag, CU.
        alliance_income: Its alliance income this round (pooling fees, commission kept on
            alliance sales, referral fees, minus its coordination share), CU.
        losing_rounds: Consecutive rounds in which it expected no gain from its alliance.
    """

    def __init__(self, model: SocialCommerceModel, index: int, name: str, kind: str) -> None:
        super().__init__(model)
        self.index = index
        self.name = name
        self.kind = kind
        self.integrated = kind == "social_ecommerce"
        self.cooperative = False
        self.alliance: Alliance | None = None
        self.payoff_today = 0.0
        self.round_payoff = 0.0
        self.last_round_payoff = 0.0
        self.remembered: dict[bool, float] = {}
        self.alliance_income = 0.0
        self.losing_rounds = 0

    @property
    def cash(self) -> float:
        """Ledger balance of its account, CU (so ``DataCollector(agent_reporters={"cash":
        "cash"})`` works on every agent type; consumers have cash too)."""
        return float(self.model.ledger.balances[self.account])

    @property
    def account(self) -> str:
        """Ledger account name."""
        return f"platform:{self.name}"

    def adapts(self) -> bool:
        """Whether it revises its strategy in this adaptation round: every platform but the
        giant, except an alliance member, whose stay is decided by its own expected alliance
        income (docs/ODD.md 7.19), not by imitating peers."""
        return self.kind != "trading" and self.alliance is None

    @property
    def choice(self) -> bool:
        """The strategy flag it adapts: integration (social) or cooperation (social e-commerce)."""
        return self.integrated if self.kind == "social" else self.cooperative

    def set_choice(self, value: bool) -> None:
        """Set the adaptive strategy flag (see :attr:`choice`)."""
        if self.kind == "social":
            self.integrated = value
        elif self.kind == "social_ecommerce":
            self.cooperative = value

    def adapt(self, peers: list[Platform], payoff_scale: float) -> None:
        """Payoff-driven imitation with exploration (docs/ODD.md 7.18).

        A social e-commerce platform compares itself with a random peer of its kind, a lone
        platform with its own memory of the other choice; it adopts the better-paid choice with
        probability ``gap / payoff_scale`` (clipped to [0, 1]). Then, with probability
        ``epsilon``, it flips its choice (exploration). The giant does not adapt.

        Args:
            peers: The other platforms of its kind (empty for the lone social platform).
            payoff_scale: Payoff gap (CU per round, > 0) at which the better choice is adopted
                for sure; the model passes the largest round payoff of all platforms.
        """
        if not self.adapts():
            return
        rng = self.model.rng
        self.remembered[self.choice] = self.last_round_payoff
        if peers:
            peer = peers[int(rng.integers(len(peers)))]
            other_choice, other_payoff = peer.choice, peer.last_round_payoff
        else:
            other_choice = not self.choice
            other_payoff = self.remembered.get(other_choice, self.last_round_payoff)
        gap = (other_payoff - self.last_round_payoff) / max(payoff_scale, 1e-12)
        if rng.random() < min(1.0, max(0.0, gap)):
            self.set_choice(other_choice)
        if rng.random() < self.model.p["epsilon"]:
            self.set_choice(not self.choice)

    def decides_to_ally(self, share: float, standalone: float) -> bool:
        """Whether to join a proposed alliance (or merge its own into it): when cooperative and
        its own expected alliance income there, ``share``, beats what it expects where it is now,
        ``standalone`` (0 alone; both CU per round, docs/ODD.md 7.19)."""
        return self.cooperative and share > standalone
