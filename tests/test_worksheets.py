"""The classroom worksheets: one per built-in scenario, read offline from the package, and what
each says a class should see is what the current model does.

Every observation of ``scenarios/worksheets/<name>.md`` is checked here at the app's defaults (500
consumers, seed 42) and, where the worksheet says it holds at other seeds too, at those seeds.
When a change of the model breaks one, fix the worksheet's text (and its test) to what the model
now does.
"""

from functools import cache

import pytest
from socialabm.scenarios import ScenarioError, builtin_names, load_scenario, worksheet

from socialabm import SocialCommerceModel

N = 500  # the app's default population
PARTS = ("## What to set", "## What to watch", "## Questions", "## Side by side")


@cache
def run(name: str, seed: int = 42, **overrides) -> SocialCommerceModel:
    model = SocialCommerceModel(
        **load_scenario(name).model_params(n_consumers=N, **overrides), rng=seed
    )
    for _ in range(model.horizon):
        model.step()
    return model


def summary(name: str, seed: int = 42, **overrides) -> dict[str, float]:
    return run(name, seed, **overrides).summary()


def daily(name: str, seed: int = 42, **overrides):
    return run(name, seed, **overrides).daily_frame()


def half_aware_day(name: str, seed: int) -> int:
    d = daily(name, seed)
    reached = d.loc[d["aware"] >= N / 2, "day"]
    return int(reached.min()) if len(reached) else 10**6


@pytest.mark.parametrize("name", builtin_names())
def test_each_scenario_has_a_worksheet_with_its_four_parts(name):
    text = worksheet(name)
    assert text.startswith("# Worksheet: ")
    assert f"`{name}`" in text.split("\n\n")[1]  # the header names the scenario
    positions = [text.index(part) for part in PARTS]
    assert positions == sorted(positions)
    questions = text.split("## Questions")[1].split("## Side by side")[0]
    assert [line[:3] for line in questions.splitlines() if line[:1].isdigit()] == [
        "1. ",
        "2. ",
        "3. ",
    ]
    assert questions.count("*What the class should see:*") == 3
    assert f"?scenario={name}&seed=42" in text
    compare = load_scenario(name).compare_with
    if compare is not None:
        assert f"**Compare: {load_scenario(compare).title.split(':')[0]}**" in text  # the button


@pytest.mark.parametrize("name", builtin_names())
def test_the_questions_render_as_one_list_numbered_1_2_3(name):
    """Each question's answer is part of its list item (indented by four spaces, as Markdown
    needs): with three, every question rendered as a list of its own, all numbered "1."."""
    import markdown

    html = markdown.markdown(worksheet(name))
    questions = html.split("<h2>Questions</h2>")[1].split("<h2>")[0]
    assert questions.count("<ol>") == 1 and questions.count("<li>") == 3
    assert questions.count("<em>What the class should see:</em>") == 3
    items = questions.split("<li>")[1:]
    assert all("What the class should see" in item for item in items)  # inside its question


def test_an_unknown_worksheet_is_one_clear_error():
    with pytest.raises(ScenarioError, match=r"no worksheet for 'presal'; did you mean 'presale'"):
        worksheet("presal")


def test_social_commerce():
    s, t = summary("social_commerce"), summary("traditional")
    d = daily("social_commerce")
    assert 0.15 < d["aware"].iloc[0] / N < 0.25
    assert 55 <= half_aware_day("social_commerce", 42) <= 65
    assert all(40 <= half_aware_day("social_commerce", seed) <= 65 for seed in (1, 2, 3, 4))
    assert 0.85 < s["aware_share"] < 0.88
    stars = run("social_commerce").star_counts()
    assert stars.argmax() == 4 and stars[0] > max(stars[1:4]) and stars.argmin() == 2
    assert 3.9 < s["mean_stars"] < 4.1
    restraint = d["mean_self_restraint"]
    assert restraint.iloc[0] > 0.58 and restraint.iloc[-1] < 0.5
    assert 0.50 < t["aware_share"] < 0.54
    assert 1.85 < s["sales"] / t["sales"] < 2.05 and 0.22 < s["in_scene_share"] < 0.28
    assert s["debt_per_consumer"] > t["debt_per_consumer"]


def test_traditional():
    t, d = summary("traditional"), daily("traditional")
    assert 0.17 < d["aware"].iloc[0] / N < 0.21 and 0.50 < t["aware_share"] < 0.54
    assert all(half_aware_day("traditional", seed) > 150 for seed in (42, 1, 2, 3, 4))
    assert d[["sales_jump", "sales_in_scene"]].to_numpy().sum() == 0
    for seed in (42, 1, 2):
        stars = run("traditional", seed).star_counts()
        assert stars.argmax() == 4 and stars[0] > max(stars[1:4])
    assert d["mean_self_restraint"].between(0.58, 0.62).all()
    assert t["debt_per_consumer"] < summary("social_commerce")["debt_per_consumer"]
    assert 330 < t["sales"] < 365


def test_presale():
    d, p, s = daily("presale"), summary("presale"), summary("social_commerce")
    first = d[d["day"] <= 60]
    orders = first.loc[first["presale_orders"] > 0, "day"]
    assert orders.min() == 1 and orders.max() <= 14
    assert first["presale_orders"].idxmax() == 0  # most on the first day
    assert first.loc[first["day"] < 15, "stock"].eq(0).all() and first["stock"].iloc[14] > 0
    assert first.loc[first["sales"] > 0, "day"].min() == 22
    assert daily("social_commerce").loc[lambda x: x["sales"] > 0, "day"].min() == 8
    day_one = [int(d["presale_orders"].iloc[60 * k]) for k in range(3)]
    assert day_one[0] < day_one[1] < day_one[2] and 15 <= day_one[0] <= 21
    selling = first[first["day"] >= 22]
    assert selling.loc[selling["stock"] == 0, "day"].min() == 35
    assert p["leftover_share"] < s["leftover_share"]
    assert 180 < p["unfilled"] < 200 and 165 < s["unfilled"] < 185
    assert 815 < p["sales"] < 850 and p["aware_share"] > s["aware_share"]
    for seed in (1, 2, 3, 4):
        assert (
            summary("presale", seed)["forecast_error"]
            < summary("social_commerce", seed)["forecast_error"]
        )


def test_starvation_marketing():
    st, p = summary("starvation_marketing"), summary("presale")
    assert 325 < st["unfilled"] < 360 and st["unfilled"] > 1.6 * p["unfilled"]
    assert abs(st["aware_share"] - 0.94) < 0.01 and st["aware_share"] >= p["aware_share"]
    assert 815 < st["sales"] < 850 and abs(st["sales"] - p["sales"]) < 15  # about as many
    fewer = [
        summary("starvation_marketing", k)["sales"] < summary("presale", k)["sales"]
        for k in (1, 2, 3, 4)
    ]
    assert sum(fewer) == 3  # at most other seeds fewer, not at every seed
    for seed in (42, 1, 2):
        a, b = summary("starvation_marketing", seed), summary("presale", seed)
        assert a["shares_per_buyer"] > b["shares_per_buyer"] and a["fan_loss"] > b["fan_loss"]
    wider = summary("starvation_marketing", release_cap=10)
    assert abs(wider["unfilled"] - p["unfilled"]) < 20


def test_experience_presale():
    d, e, p = daily("experience_presale"), summary("experience_presale"), summary("presale")
    plain = daily("presale")
    assert 0.16 < d["aware"].iloc[0] / N < 0.2 and 0.25 < d["aware"].iloc[4] / N < 0.31
    assert abs(d["aware"].iloc[0] - plain["aware"].iloc[0]) / N < 0.02  # as in the plain presale
    assert 25 <= d["presale_orders"].iloc[7] <= 31 and d["presale_orders"].iloc[:7].sum() == 0
    assert 15 <= plain["presale_orders"].iloc[0] <= 21  # its presale opens on day 1
    assert 1.1 < e["presale_orders"] / p["presale_orders"] < 1.25  # about a sixth more
    assert 520 < e["presale_orders"] < 560 and 450 < p["presale_orders"] < 475
    assert 50 <= e["presale_orders_recipients"] <= 60 and e["experience_units"] == 60
    assert e["presale_orders_others"] > p["presale_orders"]  # the buzz reaches beyond recipients
    assert 110 < e["unfilled"] < 135 and e["unfilled"] < p["unfilled"]
    assert 1.1 < e["debt_per_consumer"] / p["debt_per_consumer"] < 1.2
    assert 0.9 < e["aware_share"] < 0.93 and 900 < e["sales"] < 940
    for seed in (1, 2):
        a, b = summary("experience_presale", seed), summary("presale", seed)
        assert a["presale_orders"] > 1.1 * b["presale_orders"]


def test_bargaining_power():
    channels = ("self_run", "trading_3p", "social_3p", "self_built_social")
    for seed in (42, 1, 2):
        w = {c: summary("bargaining_power", seed)[f"wholesale_{c}"] for c in channels}
        assert min(w, key=w.get) == "self_built_social"
        assert min(w["trading_3p"], w["social_3p"]) > w["self_run"]
        # strong brand below weak brand at seeds 1 and 2; at seed 42 the other way round
        assert (w["trading_3p"] < w["social_3p"]) == (seed != 42)
        if seed == 42:
            assert (
                43
                < min(w["trading_3p"], w["social_3p"])
                < max(w["trading_3p"], w["social_3p"])
                < 50
            )
        plain = summary("social_commerce", seed)
        assert plain["wholesale_self_built_social"] - w["self_built_social"] > 8
        assert (
            summary("bargaining_power", seed)["profit_self_built_social"]
            > 2 * plain["profit_self_built_social"]
        )
    b = summary("bargaining_power")
    assert abs(b["wholesale_self_built_social"] - 35) < 1
    assert abs(summary("social_commerce")["wholesale_self_built_social"] - 44) < 1
    assert summary("bargaining_power", power_certainty=0.0)["wholesale_self_built_social"] > 39


def test_integrated_scenes():
    i, s = summary("integrated_scenes"), summary("social_commerce")
    assert 0.45 < i["in_scene_share"] < 0.55 and 0.22 < s["in_scene_share"] < 0.28
    for seed in (42, 1, 2):
        assert daily("integrated_scenes", seed)["sales_jump"].sum() < 25
        assert 125 < daily("social_commerce", seed)["sales_jump"].sum() < 160
    assert 675 < i["sales"] < 700 and 660 < s["sales"] < 690
    more = [
        summary("integrated_scenes", k)["sales"] > summary("social_commerce", k)["sales"]
        for k in (1, 2, 3)
    ]
    assert sum(more) == 2  # usually more, not at every seed
    gap = i["sales"] - s["sales"]
    no_friction = (
        summary("integrated_scenes", jump_friction=0.0)["sales"]
        - summary("social_commerce", jump_friction=0.0)["sales"]
    )
    assert 5 < gap < 25 and 5 < no_friction < 30  # small at this seed, with or without friction


def test_low_profit():
    low, ally = summary("low_profit"), summary("platform_alliance")
    assert -450 < low["profit_social_3p"] < -300 and 6900 < low["profit_self_run"] < 7400
    for seed in (1, 2):
        other = summary("low_profit", seed)
        assert other["profit_social_3p"] < 0.25 * other["profit_self_run"]
    assert abs(low["wholesale_social_3p"] - 48) < 1 and abs(low["wholesale_self_run"] - 36) < 1
    assert 0.74 < low["giant_share"] < 0.78
    assert abs(ally["wholesale_social_3p"] - 40) < 1 and -700 < ally["profit_social_3p"] < -580
    for seed in (1, 2):
        assert (
            summary("platform_alliance", seed)["wholesale_social_3p"]
            < summary("low_profit", seed)["wholesale_social_3p"]
        )
    assert max(summary("platform_alliance", k)["profit_social_3p"] for k in (1, 2)) < 0
    assert abs(low["giant_share"] - 0.76) < 0.01 and abs(ally["giant_share"] - 0.47) < 0.01
    # most of that gap is adaptation, on in platform_alliance: without alliances there, 53%
    alone = summary("platform_alliance", alliances=False)["giant_share"]
    assert abs(alone - 0.53) < 0.01 and alone - ally["giant_share"] < low["giant_share"] - alone


def test_platform_alliance():
    for seed in (42, 1, 2):
        model = run("platform_alliance", seed)
        first = next(text for day, text in model.events if "formed" in text)
        assert "se_1" in first and "se_2" in first and "2 platforms" in first
        formed = model.daily_frame().loc[lambda d: d["alliance_count"] > 0, "day"].min()
        assert formed <= 10
        assert (
            summary("platform_alliance", seed)["wholesale_social_3p"]
            < summary("platform_alliance", seed, alliances=False)["wholesale_social_3p"]
        )
    assert [day for day, text in run("platform_alliance").events if "formed" in text] == [9]
    a, s = summary("platform_alliance"), summary("social_commerce")
    alone = summary("platform_alliance", alliances=False)
    no_traffic = summary("platform_alliance", alliance_traffic=False)
    assert abs(a["giant_share"] - 0.47) < 0.01 and abs(a["giant_share_last_campaign"] - 0.53) < 0.01
    assert abs(a["alliance_sales_share"] - 0.13) < 0.01
    assert abs(alone["giant_share"] - 0.53) < 0.01
    assert abs(alone["giant_share_last_campaign"] - 0.51) < 0.01
    for seed in (1, 2):  # by the last campaign the alliance no longer takes the giant's sales
        assert (
            summary("platform_alliance", seed)["giant_share_last_campaign"]
            > summary("platform_alliance", seed, alliances=False)["giant_share_last_campaign"]
        )
    assert abs(no_traffic["giant_share"] - 0.57) < 0.01 and no_traffic["alliances_formed"] == 1
    assert no_traffic["giant_share"] > alone["giant_share"]
    assert abs(a["wholesale_social_3p"] - 40) < 1 and abs(a["wholesale_self_built_social"] - 36) < 1
    assert abs(alone["wholesale_social_3p"] - 47) < 1
    assert abs(alone["wholesale_self_built_social"] - 45) < 1
    assert abs(s["giant_share"] - 0.67) < 0.01


def test_the_platform_alliance_card_states_what_the_model_does_at_seed_42():
    card = " ".join(load_scenario("platform_alliance").explanation.split())
    a = summary("platform_alliance")
    alone = summary("platform_alliance", alliances=False)
    formed = [day for day, text in run("platform_alliance").events if "formed" in text]
    assert f"form on day {formed[0]}" in card
    assert f"giant sells {a['giant_share']:.0%} of all units here" in card
    assert f"({a['giant_share_last_campaign']:.0%} in the last campaign)" in card
    assert f"against {alone['giant_share']:.0%} ({alone['giant_share_last_campaign']:.0%}" in card
    assert f"about {a['alliance_sales_share']:.0%} of all units are sold across" in card


def test_supplier_disruption():
    d, p = summary("supplier_disruption"), summary("presale")
    assert 300 < d["unfilled"] < 340 and 180 < p["unfilled"] < 200
    more = {
        k: summary("supplier_disruption", k)["unfilled"] > summary("presale", k)["unfilled"]
        for k in (1, 2, 3, 4)
    }
    assert more == {1: True, 2: True, 3: True, 4: False}
    assert 815 < d["sales"] < 850 and abs(d["sales"] - p["sales"]) < 15  # market total: no loss
    fewer = {
        k: summary("supplier_disruption", k)["sales"] < summary("presale", k)["sales"]
        for k in (1, 2, 3, 4)
    }
    assert fewer == {1: True, 2: False, 3: False, 4: True}
    multi = summary("supplier_disruption", multi_sourcing=True)
    assert abs(multi["unfilled"] - p["unfilled"]) < 15 and 840 < multi["sales"] < 860
    better = {
        k: summary("supplier_disruption", k, multi_sourcing=True)["unfilled"]
        < summary("supplier_disruption", k)["unfilled"]
        for k in (1, 2, 3, 4)
    }
    assert better == {1: True, 2: True, 3: True, 4: True}


def test_group_purchase():
    g, s = summary("group_purchase"), summary("social_commerce")
    assert (
        half_aware_day("group_purchase", 42) == 51 and half_aware_day("social_commerce", 42) == 62
    )
    assert all(
        half_aware_day("group_purchase", seed) < half_aware_day("social_commerce", seed)
        for seed in (1, 2, 3, 4)
    )
    assert abs(g["aware_share"] - 0.94) < 0.005 and abs(s["aware_share"] - 0.866) < 0.005
    assert (g["groups_started"], g["groups_succeeded"], g["groups_failed"]) == (70, 36, 34)
    assert g["group_sales"] == 108 and 2800 < g["group_refunded"] < 3000
    assert 22.5 < s["unit_margin_self_built_social"] < 24.5
    assert 18.5 < g["unit_margin_self_built_social"] < 20.5
    assert 1000 < s["profit_self_built_social"] < 1200 < 2750 < g["profit_self_built_social"] < 2950
    for seed in (1, 2, 3, 4):  # a thinner margin and a higher profit at other seeds too
        a, b = summary("group_purchase", seed), summary("social_commerce", seed)
        assert a["unit_margin_self_built_social"] < b["unit_margin_self_built_social"]
        assert a["profit_self_built_social"] > b["profit_self_built_social"]
    assert 780 < g["sales"] < 810 and 660 < s["sales"] < 690
    assert abs(g["in_scene_share"] - 0.39) < 0.01 and abs(s["in_scene_share"] - 0.24) < 0.01
    assert 250 < g["shares"] < 270 and 210 < s["shares"] < 230


def test_worksheet_reads_the_package_file():
    from importlib import resources

    path = resources.files("socialabm.scenarios") / "worksheets" / "presale.md"
    assert worksheet("presale") == path.read_text(encoding="utf-8")
