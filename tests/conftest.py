"""Shared fixtures: small models for fast tests."""

import gc

import pytest

from socialabm import SocialCommerceModel

SMALL = {"n_consumers": 300, "campaign_days": 30, "n_campaigns": 2}


@pytest.fixture
def small_model():
    """A 300-consumer model, two 30-day campaigns, seed 1."""
    return SocialCommerceModel(**SMALL, rng=1)


@pytest.fixture
def collected_days(monkeypatch) -> list[int]:
    """The days whose daily outputs are computed from now on (a list that grows; a model's
    constructor computes day 0's once, for the names of the columns)."""
    from socialabm import outputs

    days: list[int] = []
    compute = outputs.daily_outputs

    def counted(model):
        days.append(model.day)
        return compute(model)

    monkeypatch.setattr(outputs, "daily_outputs", counted)
    return days


def pytest_addoption(parser):
    parser.addoption(
        "--full-claims",
        action="store_true",
        help="also rerun every claim of the registry at all its seeds, knock-outs included, and "
        "check the published docs/claims.csv and docs/claims_runs.csv (a few minutes)",
    )


def start_rank(item: pytest.Item) -> int:
    """When a test starts: 0 browser tests, 1 other slow ones, 2 the rest."""
    if "browser" in item.keywords:
        return 0
    return 1 if "slow" in item.keywords else 2


def pytest_collection_modifyitems(config, items):
    # The long tests first (browser, then slow), so that pytest-xdist hands out the short ones
    # last and its workers finish together instead of one waiting for another's long tail
    # (pyproject's addopts keep this order: --no-loadscope-reorder).
    items.sort(key=start_rank)
    if config.getoption("--full-claims"):
        return
    skip = pytest.mark.skip(reason="reruns every claim at all its seeds: pass --full-claims")
    for item in items:
        if "full_claims" in item.keywords:
            item.add_marker(skip)


def pytest_collection_finish(session):
    """Take what collection made (every imported module, the test items) out of the garbage
    collector's sight: each full collection walked all of it again, about 8% of a test
    process's CPU. Objects made by the tests are collected as before."""
    gc.collect()
    gc.freeze()
