"""The claims registry: the loader rejects confounded or malformed claims, and verdicts follow
the rule of socialabm.claims.evaluate."""

import textwrap

import numpy as np
import pandas as pd
import pytest

from socialabm.claims import Claim, ClaimError, load_registry
from socialabm.claims.evaluate import (
    evaluate,
    knockout_result,
    minimum_detectable_effect,
    verdict,
)
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
    arms = {arm: params for arm, (params, knockout) in claim.arms().items()}
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


def test_overrides_apply_only_to_the_claims_run(tmp_path):
    """Calibrated values set in every arm of the claims run must not trip a claim that is not
    run and whose mechanism they name (calibration-publish runs the claims in groups)."""
    other = (
        GOOD[GOOD.index("[[claims]]") :]
        .replace('"dignity"', '"weak"')
        .replace(
            '["kappa_dignity"]\na = { kappa_dignity = 0.0 }',
            '["weak_ties"]\na = { weak_ties = 2.0 }',
        )
    )
    text = GOOD + other
    with pytest.raises(ClaimError, match="claim 'weak'"):
        load(tmp_path, text, overrides={"weak_ties": 3.0})
    reg = load(tmp_path, text, overrides={"weak_ties": 3.0}, only=["dignity"])
    dignity, weak = reg.claims
    assert dignity.params_b["weak_ties"] == 3.0 and weak.params_a["weak_ties"] == 2.0
    assert weak.params_b["weak_ties"] == PARAMETERS["weak_ties"].default


def test_duplicate_ids_and_unknown_selection_are_rejected(tmp_path):
    twice = GOOD + GOOD[GOOD.index("[[claims]]") :]
    with pytest.raises(ClaimError, match="appears twice"):
        load(tmp_path, twice)
    with pytest.raises(ClaimError, match="did you mean 'dignity'"):
        load(tmp_path, GOOD).select(["dignty"])


def test_builtin_registry_loads_with_consistent_arms_and_a_knock_out_each():
    reg = load_registry()
    assert reg.seeds == 20 and len(reg.claims) >= 3
    for claim in reg.claims:
        differ = {k for k in claim.params_a if claim.params_a[k] != claim.params_b[k]}
        assert differ == set(claim.mechanism), claim.id
        assert claim.knockout and claim.knockout_note, claim.id


KNOCKOUT = 'knockout = { "socialabm.rules.consumer:share_probability" = "zero(dignity)" }\n'


def test_a_claim_sets_its_own_seeds_size_and_knock_out(tmp_path):
    text = GOOD.replace("expect =", f"seeds = 7\nsmallest_effect = 0.05\n{KNOCKOUT}expect =")
    (claim,) = load(tmp_path, text).claims
    assert (claim.seeds, claim.smallest_effect) == (7, 0.05)
    arms = claim.arms(knockout=True)
    assert arms["b_knockout"] == (claim.params_b, claim.knockout)
    assert arms["a_ablated"][1] == {} and set(claim.arms()) == {"a", "b", "a_ablated", "b_ablated"}
    (plain,) = load(tmp_path, GOOD).claims
    assert plain.seeds == 5 and plain.smallest_effect == 0.1 and plain.knockout == {}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("seeds = 1", "seeds = 1; allowed: a whole number >= 2"),
        ("smallest_effect = 0", "smallest_effect = 0; allowed: a number > 0"),
        ('knockout = { "socialabm.rules.consumer:nope" = "zero" }', "has no 'nope'"),
        (KNOCKOUT.replace("dignity)", "dignty)"), "takes no argument 'dignty'"),
        (KNOCKOUT.replace("zero(dignity)", "zap"), "allowed: noop, zero"),
        ('knockout = "zero"', "'knockout' must be a table"),
    ],
)
def test_loader_rejects_bad_seeds_sizes_and_knock_outs(tmp_path, line, message):
    with pytest.raises(ClaimError, match="claim 'dignity'") as err:
        load(tmp_path, GOOD.replace("expect =", f"{line}\nexpect ="))
    assert message in str(err.value)


def interval(low, high, n=20, mean=None):
    return Interval((low + high) / 2 if mean is None else mean, low, high, n, 0.5)


@pytest.mark.parametrize(
    ("expect", "effect", "ablated", "reduction", "result"),
    [
        ("up", (1, 3), (-1, 1), (0.5, 3.5), "holds"),  # ablation removes it
        ("up", (1, 3), (0.5, 1.5), (0.2, 1.8), "holds"),  # exactly half remains
        ("up", (1, 3), (1, 2), (0.1, 0.9), "partial"),  # significantly reduced, > half remains
        ("up", (1, 3), (0.5, 3), (-1, 2), "unexplained"),  # ablation leaves it
        # the ablated interval contains 0 but the reduction is not significant: not "holds"
        ("up", (1, 3), (-0.5, 2.5), (-0.5, 2.5), "unexplained"),
        ("up", (1, 3), (-1, 1), (0, 4), "unexplained"),  # a reduction touching 0 is not one
        ("up", (-3, -1), (-1, 1), (-2, 0), "fails"),  # opposite direction
        ("up", (-1, 3), (-1, 1), (-2, 4), "null"),
        ("down", (-3, -1), (-1, 1), (-3.5, -0.5), "holds"),
        ("down", (-3, -1), (-2, -1), (-0.9, -0.1), "partial"),
        ("down", (-3, -1), (-3, -0.5), (-1, 1), "unexplained"),
        ("down", (1, 3), (-1, 1), (0, 2), "fails"),
        ("none", (1, 2), (-1, 1), (-1, 1), "fails"),
    ],
)
def test_verdict_rule(expect, effect, ablated, reduction, result):
    assert verdict(expect, interval(*effect), interval(*ablated), interval(*reduction))[0] == result


def test_a_null_says_whether_it_is_underpowered_and_none_needs_power_to_hold():
    zero = interval(-1, 1)
    found, why = verdict("up", zero, zero, zero, mde=2.0, relevant=1.0)
    assert found == "null" and "underpowered (MDE 2 > 1)" in why
    found, why = verdict("up", zero, zero, zero, mde=0.5, relevant=1.0)
    assert found == "null" and "; powered (MDE 0.5 <= 1)" in why
    assert verdict("none", zero, zero, zero, mde=0.5, relevant=1.0)[0] == "holds"
    assert verdict("none", zero, zero, zero, mde=2.0, relevant=1.0)[0] == "null"


def test_minimum_detectable_effect_is_the_t_formula():
    # (t(0.975, 3) + t(0.80, 3)) * sd / sqrt(4) for the differences 1, 2, 3, 4
    expected = (3.182446305 + 0.978472312) * 1.2909944487 / 2
    assert minimum_detectable_effect([1.0, 2.0, 3.0, 4.0, np.nan]) == pytest.approx(expected)
    assert np.isnan(minimum_detectable_effect([1.0]))


@pytest.mark.parametrize(
    ("effect", "knocked", "reduction", "result"),
    [
        ((1, 3), (-1, 1), (0.5, 3.5), "removes"),
        ((1, 3), (1, 2), (0.1, 0.9), "partial"),
        ((1, 3), (1, 3), (-1, 1), "survives"),
        ((-1, 3), (-1, 1), (-1, 1), "n/a"),
    ],
)
def test_knockout_result(effect, knocked, reduction, result):
    args = (interval(*effect), interval(*knocked), interval(*reduction))
    assert knockout_result("up", *args) == result


def fake_claim(**kw):
    fields = {
        "id": "c", "claim": "X raises y.", "section": "", "mechanism": ("x",),
        "params_a": {"n_consumers": 10}, "params_b": {"n_consumers": 10}, "ablation": {},
        "ablation_note": "", "expect": {"y": "up"},
    }  # fmt: skip
    return Claim(**(fields | kw))


def arm_runs(**arms):
    return {"c": {arm: pd.DataFrame({"y": values}) for arm, values in arms.items()}}


def test_a_holding_row_whose_effect_survives_its_knock_out_is_flagged():
    rng = np.random.default_rng(0)
    a = rng.normal(10, 1, 20)
    b = a + 5 + rng.normal(0, 0.5, 20)
    runs = arm_runs(a=a, b=b, a_ablated=a, b_ablated=a + rng.normal(0, 0.1, 20))
    row = evaluate([fake_claim()], runs).iloc[0]
    assert row["verdict"] == "holds" and row["knockout_result"] == "" and not row["flagged"]
    noise = rng.normal(0, 0.5, 20)
    survives = runs["c"] | arm_runs(a_knockout=a, b_knockout=b + noise)["c"]
    row = evaluate([fake_claim()], {"c": survives}).iloc[0]
    assert row["knockout_result"] == "survives" and row["flagged"]
    assert row["knockout"] == pytest.approx(row["effect"] + noise.mean())
    removed = runs["c"] | arm_runs(a_knockout=a, b_knockout=a + 0.01 * noise)["c"]
    row = evaluate([fake_claim()], {"c": removed}).iloc[0]
    assert row["knockout_result"] == "removes" and not row["flagged"]
    assert row["relevant"] == pytest.approx(0.1 * abs(a.mean()))


def test_knock_out_arms_with_missing_values_leave_the_verdict_alone():
    a = np.arange(20.0)
    runs = arm_runs(a=a, b=a + 1 + 0.1 * np.sin(a), a_ablated=a, b_ablated=a)
    plain = evaluate([fake_claim()], runs).iloc[0]
    nan = np.full(20, np.nan)
    knocked = evaluate(
        [fake_claim()], {"c": runs["c"] | arm_runs(a_knockout=nan, b_knockout=nan)["c"]}
    )
    assert knocked.iloc[0]["verdict"] == plain["verdict"] == "holds"
    assert knocked.iloc[0]["seeds"] == 20 and np.isnan(knocked.iloc[0]["knockout"])


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


def test_a_claim_that_holds_by_construction_is_marked_in_every_report(tmp_path):
    from socialabm.claims.evaluate import COLUMNS
    from socialabm.claims.report import IDENTITY, describe, format_table, render_section

    reason = "the output is the formula's own term."
    (marked,) = load(tmp_path, GOOD + f'identity = "{reason}"\n').claims
    (plain,) = load(tmp_path, GOOD).claims
    assert marked.identity == reason and plain.identity == ""
    row = dict.fromkeys(COLUMNS, 0.0) | {
        "claim": "dignity", "section": "", "output": "shares", "expect": "up",
        "verdict": "holds", "why": "w", "knockout_result": "", "flagged": False, "seeds": 5,
    }  # fmt: skip
    table = pd.DataFrame([row], columns=list(COLUMNS))
    for text in (describe(marked), format_table(table, [marked]), render_section(table, [marked])):
        assert IDENTITY in " ".join(text.split())
    for text in (describe(plain), format_table(table, [plain]), render_section(table, [plain])):
        assert IDENTITY not in text


INTERACTION = "interaction = { eta = [0.1, 0.6] }\n"


def test_an_interaction_claim_runs_every_arm_at_both_levels(tmp_path):
    (claim,) = load(tmp_path, GOOD + KNOCKOUT + INTERACTION).claims
    assert claim.interaction == ("eta", 0.1, 0.6)
    arms = claim.arms(knockout=True)
    plain = ("a", "b", "a_ablated", "b_ablated", "a_knockout", "b_knockout")
    assert set(arms) == {*plain, *(arm + "_low" for arm in plain)}
    for arm in plain:
        high, low = arms[arm][0], arms[arm + "_low"][0]
        assert high["eta"] == 0.6 and low["eta"] == 0.1
        assert {k for k in high if high[k] != low[k]} == {"eta"}
    assert arms["b_knockout_low"][1] == claim.knockout
    assert arms["a_ablated_low"][0]["dignity_mean"] == 0.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("interaction = { kappa_dignity = [0.1, 0.6] }\n", "the claim's mechanism or in its"),
        ("interaction = { dignity_mean = [0.1, 0.6] }\n", "the claim's mechanism or in its"),
        ("interaction = { eta = [0.3, 0.3] }\n", "same value at both levels"),
        ("interaction = { eta = [0.3] }\n", "allowed: [low, high]"),
        ("interaction = { eta = [0.3, 0.5], rho_use = [0.1, 0.2] }\n", "one parameter"),
        ("interaction = { eta = [0.3, 7.0] }\n", "interaction: parameter 'eta'"),
    ],
)
def test_loader_rejects_bad_interactions(tmp_path, line, message):
    with pytest.raises(ClaimError, match="claim 'dignity'") as err:
        load(tmp_path, GOOD + line)
    assert message in str(err.value)


def test_an_interaction_is_judged_on_the_difference_in_differences():
    rng = np.random.default_rng(1)
    a = rng.normal(10, 1, 20)
    low, high = 1 + rng.normal(0, 0.2, 20), 4 + rng.normal(0, 0.2, 20)  # effect of A -> B
    claim = fake_claim(interaction=("m", 0.0, 1.0))
    runs = arm_runs(
        a=a, b=a + high, a_low=a, b_low=a + low,  # the effect grows by about 3
        a_ablated=a, b_ablated=a + 1, a_ablated_low=a, b_ablated_low=a + 1,  # not with m
        a_knockout=a, b_knockout=a + high, a_knockout_low=a, b_knockout_low=a + low,
    )  # fmt: skip
    row = evaluate([claim], runs).iloc[0]
    assert row["effect"] == pytest.approx((high - low).mean())
    assert row["mean_a"] == pytest.approx(low.mean()) and row["mean_b"] == pytest.approx(
        high.mean()
    )
    assert row["ablated"] == pytest.approx(0.0, abs=1e-12)
    assert row["verdict"] == "holds"
    assert row["knockout"] == pytest.approx(row["effect"]) and row["flagged"]
    same = runs["c"] | arm_runs(b=a + low)["c"]  # the same effect at both levels: no interaction
    assert evaluate([claim], {"c": same}).iloc[0]["verdict"] == "null"
