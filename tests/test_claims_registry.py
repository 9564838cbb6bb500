"""The claims registry: the loader rejects confounded or malformed claims, and verdicts follow
the rule of socialabm.claims.evaluate."""

import textwrap

import pytest

from socialabm.claims import ClaimError, load_registry
from socialabm.claims.evaluate import verdict
from socialabm.claims.report import BEGIN, END, section_of, update_document
from socialabm.experiments.stats import Interval, mean_interval
from socialabm.parameters import PARAMETERS

OUTPUTS = {"shares", "aware_share", "fan_loss"}

GOOD = """
[defaults]
seeds = 5
n_consumers = 200

[[claims]]
id = "dignity"
claim = "Dignity drives sharing."
scenario = "social_commerce"
mechanism = ["kappa_dignity"]
a = { kappa_dignity = 0.0 }
b = {}
ablation = { dignity_mean = 0.0 }
expect = { shares = "up" }
"""


def write(tmp_path, text):
    path = tmp_path / "claims.toml"
    path.write_text(textwrap.dedent(text))
    return path


def load(tmp_path, text, **kw):
    return load_registry(write(tmp_path, text), outputs=OUTPUTS, **kw)


def test_good_claim_builds_four_arms(tmp_path):
    reg = load(tmp_path, GOOD)
    (claim,) = reg.claims
    arms = claim.arms()
    assert reg.seeds == 5
    default = PARAMETERS["kappa_dignity"].default
    assert arms["a"]["kappa_dignity"] == 0.0 and arms["b"]["kappa_dignity"] == default > 0
    assert arms["a"]["n_consumers"] == 200
    assert arms["a_ablated"]["dignity_mean"] == arms["b_ablated"]["dignity_mean"] == 0.0
    assert arms["a_ablated"]["kappa_dignity"] == 0.0  # the ablation keeps the mechanism apart


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("b = {}", "b = { weak_ties = 3.0 }"), "differ in ['kappa_dignity', 'weak_ties']"),
        (
            ("ablation = { dignity_mean = 0.0 }", "ablation = { kappa_dignity = 0.1 }"),
            "mechanism's own",
        ),
        (
            ("ablation = { dignity_mean = 0.0 }", "ablation = { dignity_mean = 0.5 }"),
            "changes nothing",
        ),
        (("ablation = { dignity_mean = 0.0 }", "ablation = {}"), "ablation is empty"),
        (('shares = "up"', 'sharez = "up"'), "unknown output 'sharez'; did you mean 'shares'"),
        (('shares = "up"', 'shares = "higher"'), "allowed: one of ('up', 'down', 'none')"),
        (
            ("a = { kappa_dignity = 0.0 }", "a = { kappa_dignity = 9.0 }"),
            "arm A: parameter 'kappa_dignity'",
        ),
        (
            ('scenario = "social_commerce"', 'scenario = "social_comerce"'),
            "did you mean 'social_commerce'",
        ),
        (("mechanism = [", "mechanizm = ["), "unknown key(s) ['mechanizm']"),
    ],
)
def test_loader_rejects_malformed_or_confounded_claims(tmp_path, change, message):
    with pytest.raises(ClaimError, match="claim 'dignity'") as err:
        load(tmp_path, GOOD.replace(*change))
    assert message in str(err.value)


def test_a_class_set_in_one_arm_only_is_the_declared_difference(tmp_path):
    text = GOOD.replace('mechanism = ["kappa_dignity"]', 'mechanism = ["consumer_class"]')
    text = text.replace("a = { kappa_dignity = 0.0 }", "a = {}")
    text = text.replace("b = {}", 'b = { consumer_class = "socialabm:Consumer" }')
    (claim,) = load(tmp_path, text).claims
    assert claim.mechanism == ("consumer_class",)
    assert "consumer_class" not in claim.params_a and "consumer_class" in claim.params_b
    with pytest.raises(ClaimError, match=r"differ in \['consumer_class'\]"):
        load(tmp_path, text.replace('mechanism = ["consumer_class"]', 'mechanism = ["eta"]'))


def test_overrides_may_not_touch_mechanism_or_ablation(tmp_path):
    assert load(tmp_path, GOOD, overrides={"weak_ties": 3.0}).claims[0].params_b["weak_ties"] == 3
    with pytest.raises(ClaimError, match="would change the claim's mechanism or ablation"):
        load(tmp_path, GOOD, overrides={"dignity_mean": 0.2})


def test_duplicate_ids_and_unknown_selection_are_rejected(tmp_path):
    twice = GOOD + GOOD[GOOD.index("[[claims]]") :]
    with pytest.raises(ClaimError, match="appears twice"):
        load(tmp_path, twice)
    with pytest.raises(ClaimError, match="did you mean 'dignity'"):
        load(tmp_path, GOOD).select(["dignty"])


def test_builtin_registry_loads_with_consistent_arms():
    reg = load_registry()
    assert reg.seeds == 20 and len(reg.claims) >= 3
    for claim in reg.claims:
        differ = {k for k in claim.params_a if claim.params_a[k] != claim.params_b[k]}
        assert differ == set(claim.mechanism), claim.id


def interval(low, high, n=20):
    return Interval((low + high) / 2, low, high, n, 0.5)


@pytest.mark.parametrize(
    ("expect", "effect", "ablated", "reduction", "result"),
    [
        ("up", (1, 3), (-1, 1), (0, 4), "holds"),  # ablation removes it
        ("up", (1, 3), (0.5, 1), (0.2, 2), "holds"),  # significantly smaller
        ("up", (1, 3), (0.5, 3), (-1, 2), "fails"),  # ablation leaves it
        ("up", (-3, -1), (-1, 1), (-2, 0), "fails"),  # opposite direction
        ("up", (-1, 3), (-1, 1), (-2, 4), "null"),
        ("down", (-3, -1), (-1, 1), (-4, 0), "holds"),
        ("down", (-3, -1), (-3, -0.5), (-1, 1), "fails"),
        ("down", (1, 3), (-1, 1), (0, 2), "fails"),
        ("none", (-1, 1), (-1, 1), (-1, 1), "holds"),
        ("none", (1, 2), (-1, 1), (-1, 1), "fails"),
    ],
)
def test_verdict_rule(expect, effect, ablated, reduction, result):
    assert verdict(expect, interval(*effect), interval(*ablated), interval(*reduction))[0] == result


def test_mean_interval_matches_the_t_formula():
    iv = mean_interval([1.0, 2.0, 3.0, 4.0, float("nan")])
    assert iv.n == 4 and iv.mean == 2.5
    half = 3.182446305 * (1.2909944487 / 2)  # t(0.975, 3) * sd / sqrt(4)
    assert iv.low == pytest.approx(2.5 - half) and iv.high == pytest.approx(2.5 + half)
    assert mean_interval([0.0, 0.0]).p_value == 1.0


def test_document_section_is_replaced_between_markers(tmp_path):
    doc = tmp_path / "ODD.md"
    doc.write_text(f"# ODD\n\n{BEGIN}\nold table\n{END}\n\nafter\n")
    assert update_document(doc, "new table")
    assert section_of(doc.read_text()) == "new table"
    assert doc.read_text().endswith(f"{END}\n\nafter\n")
    assert not update_document(doc, "new table")
