"""Reviews (docs/ODD.md 7.8): honest ratings are unimodal, the posted ones J-shaped and inflated,
and the review gap splits exactly into its parts. Which mechanism causes which part is claimed,
with ablations, in the claims registry (review_underreporting, review_inflation_social)."""

import numpy as np
import pytest
from socialabm.scenarios import load_scenario

from socialabm import SocialCommerceModel

# its module fixture is built once: the module's tests share one test process (xdist)
pytestmark = pytest.mark.xdist_group("test_reviews")


def run(**extra):
    params = {**load_scenario("social_commerce").parameters, "n_consumers": 400, **extra}
    model = SocialCommerceModel(**params, rng=3)
    for _ in range(model.horizon):
        model.step()
    return model


def single_peak(counts):
    """Whether the histogram rises to one maximum and falls after it (ties allowed)."""
    peak = int(np.argmax(counts))
    return bool(np.all(np.diff(counts[: peak + 1]) >= 0) and np.all(np.diff(counts[peak:]) <= 0))


@pytest.fixture(scope="module")
def model():
    return run()


def test_posted_stars_are_j_shaped_while_honest_ratings_are_unimodal(model):
    posted, honest = model.star_counts(), model.honest_star_counts()
    assert posted.sum() > 80 and honest.sum() > posted.sum()
    assert posted[4] == posted.max()  # mostly 5s
    assert posted[0] > posted[1] and posted[0] > posted[2]  # some 1s, few middling: the J
    assert not single_peak(posted)
    assert single_peak(honest)


def test_posted_mean_sits_above_experienced_quality_and_the_gap_splits_exactly(model):
    s = model.summary()
    assert s["review_inflation_gap"] > 0.2
    parts = s["review_gap_disconfirmation"] + s["review_gap_selection"] + s["review_gap_inflation"]
    assert s["review_inflation_gap"] == pytest.approx(parts)
    assert s["review_gap_inflation"] > 0


def test_everyone_rating_honestly_posts_the_unimodal_histogram():
    honest_everyone = run(review_base=1.0, inflation_base=0.0, inflation_social=0.0)
    posted = honest_everyone.star_counts()
    np.testing.assert_array_equal(posted, honest_everyone.honest_star_counts())
    assert single_peak(posted)
    s = honest_everyone.summary()
    assert s["review_gap_selection"] == pytest.approx(0.0)
    assert s["review_gap_inflation"] == pytest.approx(0.0)
