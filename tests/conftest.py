"""Shared fixtures: small models for fast tests."""

import pytest

from socialabm import SocialCommerceModel

SMALL = {"n_consumers": 300, "campaign_days": 30, "n_campaigns": 2}


@pytest.fixture
def small_model():
    """A 300-consumer model, two 30-day campaigns, seed 1."""
    return SocialCommerceModel(**SMALL, rng=1)
