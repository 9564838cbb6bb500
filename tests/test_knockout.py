"""Knock-outs: a function replaced by a neutral one, in one thread, for one block or run only,
and the same on every backend (socialabm.experiments.knockout)."""

import threading

import numpy as np
import pytest

import socialabm.rules.consumer as consumer_rules
from socialabm.experiments.knockout import counting_calls, knocked_out, parse_neutral, zero_like
from socialabm.experiments.runner import run_model

HERE = "tests.test_knockout"


def scaled(x, factor=2.0):
    return x * factor


def calls_scaled(x):
    return scaled(x)  # looked up in this module when called: a knock-out reaches it


def text(x):
    return f"{x}"


def plus_ten(x, factor=2.0):
    return x + 10


class Thing:
    def method(self, x):
        return x + 1

    @classmethod
    def klass(cls, x):
        return x + 2

    @staticmethod
    def static(x):
        return x + 3


class Child(Thing):
    pass


X = np.array([1.0, 2.0])


@pytest.mark.parametrize(
    ("neutral", "expected"),
    [
        ("noop", None),
        ("zero", np.zeros(2)),
        ("zero(factor)", np.zeros(2)),
        ("zero(x)", np.zeros(2)),
        ("identity", X),
        ("identity(factor)", 2.0),
        (f"{HERE}:plus_ten", X + 10),
    ],
)
def test_each_neutral_replaces_the_function_in_the_block_only(neutral, expected):
    with knocked_out({f"{HERE}:scaled": neutral}) as calls:
        result = calls_scaled(X)
    if expected is None:
        assert result is None
    else:
        np.testing.assert_array_equal(result, expected)
    assert calls == {f"{HERE}:scaled": 1}
    np.testing.assert_array_equal(calls_scaled(X), 2 * X)  # put back
    assert scaled.__name__ == "scaled" and "scaled" in globals()


def test_zero_keeps_the_shape_and_type_of_the_result():
    with knocked_out({f"{HERE}:scaled": "zero"}):
        assert calls_scaled(3) == 0 and isinstance(calls_scaled(3), float)
    out = zero_like(np.ones((2, 3), dtype=np.int8))
    assert out.shape == (2, 3) and out.dtype == np.int8 and not out.any()
    assert zero_like(True) is False and zero_like(np.True_) == np.False_
    assert zero_like([1]) == [] and zero_like({"a": 1}) == {} and zero_like(None) is None


def test_methods_class_and_static_methods_are_knocked_out_and_restored():
    knockout = {
        f"{HERE}:Thing.method": "identity",
        f"{HERE}:Thing.klass": "zero",
        f"{HERE}:Thing.static": "noop",
    }
    thing = Thing()
    with knocked_out(knockout) as calls:
        assert thing.method(5) == 5  # identity skips self
        assert Child().method(7) == 7  # subclasses inherit the knock-out
        assert Thing.klass(5) == 0 and isinstance(thing.klass(5), int)
        assert Thing.static(5) is None
    assert calls == dict.fromkeys(knockout, 2) | {f"{HERE}:Thing.static": 1}
    assert (thing.method(5), Thing.klass(5), Thing.static(5)) == (6, 7, 8)
    assert isinstance(vars(Thing)["klass"], classmethod)
    assert isinstance(vars(Thing)["static"], staticmethod)


def test_an_inherited_method_named_on_a_subclass_is_removed_again():
    with knocked_out({f"{HERE}:Child.method": "zero"}):
        assert Child().method(5) == 0 and Thing().method(5) == 6
    assert "method" not in vars(Child)
    assert Child().method(5) == 6


def test_the_knock_out_holds_in_its_own_thread_only():
    entered, checked = threading.Event(), threading.Event()
    seen = {}

    def knocked():
        with knocked_out({f"{HERE}:scaled": "zero"}):
            entered.set()
            checked.wait(10)
            seen["inside"] = calls_scaled(X)

    worker = threading.Thread(target=knocked)
    worker.start()
    entered.wait(10)
    seen["other thread"] = calls_scaled(X)  # while the knock-out is active elsewhere
    checked.set()
    worker.join(10)
    np.testing.assert_array_equal(seen["inside"], np.zeros(2))
    np.testing.assert_array_equal(seen["other thread"], 2 * X)
    np.testing.assert_array_equal(calls_scaled(X), 2 * X)


def test_counting_calls_counts_without_changing_anything():
    with counting_calls([f"{HERE}:scaled", f"{HERE}:text"]) as calls:
        np.testing.assert_array_equal(calls_scaled(X), 2 * X)
        calls_scaled(X)
    assert calls == {f"{HERE}:scaled": 2, f"{HERE}:text": 0}


def test_a_function_imported_by_name_is_not_reached_through_its_home_module(small_model):
    # campaigns imports current_power by name: knocking it out in rules.bargaining misses it
    with counting_calls(
        ["socialabm.rules.bargaining:current_power", "socialabm.market.campaigns:current_power"]
    ) as calls:
        for _ in range(30):
            small_model.step()
    assert calls["socialabm.rules.bargaining:current_power"] == 0
    assert calls["socialabm.market.campaigns:current_power"] > 0


@pytest.mark.parametrize(
    ("knockout", "message"),
    [
        ({"socialabm.rules.consumer:nope": "zero"}, "has no 'nope'"),
        ({"socialabm.rules.nope:f": "zero"}, "cannot be imported"),
        ({"socialabm.rules.consumer:STAR_QUALITY": "zero"}, "not a function or method"),
        ({"socialabm.rules.consumer:share_probability": "zero(dignty)"}, "no argument 'dignty'"),
        ({"socialabm.rules.consumer:share_probability": "zeros"}, "allowed: noop, zero"),
        ({"socialabm.rules.consumer:share_probability": "identity(a, b)"}, "exactly one"),
        ({"socialabm.rules.consumer:share_probability": "tests.nope:f"}, "cannot be imported"),
        ({}, "names no function"),
    ],
)
def test_bad_knock_outs_are_refused_before_anything_is_replaced(knockout, message):
    original = consumer_rules.share_probability
    with pytest.raises(ValueError) as err, knocked_out(knockout):
        pass
    assert message in str(err.value)
    assert consumer_rules.share_probability is original


def test_a_result_with_no_zero_is_a_clear_error():
    with knocked_out({f"{HERE}:text": "zero"}), pytest.raises(TypeError, match="no zero for a str"):
        text(1)


def test_neutral_spellings():
    assert parse_neutral(" zero( a ,b ) ").args == ("a", "b")
    assert parse_neutral("identity").kind == "identity"
    assert parse_neutral("pkg.mod:fn").kind == "custom"


def test_run_model_applies_a_knock_out_to_its_run_only():
    params = {"n_consumers": 200, "campaign_days": 30, "n_campaigns": 1}
    knockout = {"socialabm.rules.consumer:share_probability": "zero"}
    before = run_model(params, seed=3, collect_daily=False)
    knocked = run_model(params, seed=3, collect_daily=False, knockout=knockout)
    after = run_model(params, seed=3, collect_daily=False)
    assert before.summary["shares"] > 0 and knocked.summary["shares"] == 0
    assert knocked.knockout_calls["socialabm.rules.consumer:share_probability"] > 0
    assert after.summary == before.summary and after.knockout_calls is None
