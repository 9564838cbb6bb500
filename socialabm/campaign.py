"""Campaign windows: experience -> presale -> production lead -> selling (docs/ODD.md §2)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CampaignCalendar:
    """Where each day of a campaign falls.

    Attributes:
        campaign_days: Days per campaign.
        experience_days: Length of the experience window (0 when not used).
        presale_days: Length of the presale window (0 when not used).
        lead_days: Production lead time (days).
    """

    campaign_days: int
    experience_days: int
    presale_days: int
    lead_days: int

    @classmethod
    def from_params(cls, p: dict) -> CampaignCalendar:
        """Calendar for a validated parameter dict (windows off when the strategy lacks them)."""
        mode = p["presale_mode"]
        return cls(
            campaign_days=p["campaign_days"],
            experience_days=p["experience_days"] if mode == "experience" else 0,
            presale_days=p["presale_days"] if mode in ("presale", "experience") else 0,
            lead_days=p["lead_days"],
        )

    @property
    def presale_start(self) -> int:
        """Day-in-campaign the presale window opens."""
        return self.experience_days

    @property
    def lead_start(self) -> int:
        """Day-in-campaign production is ordered (the presale window has closed)."""
        return self.experience_days + self.presale_days

    @property
    def selling_start(self) -> int:
        """Day-in-campaign the selling window opens and presale orders are delivered."""
        return self.lead_start + self.lead_days

    def window(self, day_in_campaign: int) -> str:
        """Name of the window ``day_in_campaign`` (0-based) falls in."""
        if day_in_campaign < self.presale_start:
            return "experience"
        if day_in_campaign < self.lead_start:
            return "presale"
        if day_in_campaign < self.selling_start:
            return "lead"
        return "selling"
