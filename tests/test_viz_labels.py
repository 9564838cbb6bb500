"""Readable labels of the classroom page: every declared parameter and consumer column has one,
and the inspector reads values as they mean (``viz/labels.py``)."""

from __future__ import annotations

import re

import pytest
from socialabm.agents import Consumer
from socialabm.viz import controls, labels
from socialabm.viz.app import consumer_html
from socialabm.viz.snapshot import consumer_view

from socialabm import CONSUMER_STATES, PARAMETERS, SocialCommerceModel

DECLARED_COLUMNS = {*Consumer.columns, *Consumer.matrix_columns}
RAW_NAME = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")  # snake_case: an identifier, not a label


def test_every_declared_parameter_has_a_label_and_no_label_is_stale():
    assert set(labels.PARAMETER_LABELS) == set(PARAMETERS)


def test_every_declared_consumer_column_has_a_label_and_no_label_is_stale():
    assert set(labels.COLUMNS) == DECLARED_COLUMNS


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_a_slider_shows_a_readable_label_and_keeps_the_name_in_its_tooltip(name):
    control = controls.control_for(PARAMETERS[name])
    assert not RAW_NAME.match(control.label) and control.label[0].isupper()
    assert "_" not in control.label
    assert control.help.startswith(f"{name}: ")


def test_units_follow_the_label_unless_the_label_counts_them():
    assert labels.parameter_label("weak_ties", "ties") == "Acquaintances per consumer"
    assert labels.parameter_label("loyalty_bonus", "CU") == "Loyalty bonus (CU)"
    assert labels.parameter_label("my_new_knob", "1") == "my_new_knob"  # undeclared: as it is


@pytest.mark.parametrize(
    ("column", "value", "text"),
    [
        ("fan_of", -1, "nobody"),
        ("fan_of", 2, "social_3p"),
        ("review_day", -1, "none due"),
        ("review_day", 31, "day 31"),
        ("aware_from", -1, "–"),
        ("aware_from", 17, "#17"),
        ("self_restraint", 0.615, "62%"),
        ("debt", 12.345, "12.3 CU"),
        ("informed", 2, "well informed"),
        ("bought", False, "no"),
        ("belief", 0.71234, "0.712"),
        ("my_column", 3, "3"),  # a column of one's own consumer class, read generically
    ],
)
def test_the_inspector_reads_a_value_as_it_means(column, value, text):
    retailers = ("self_run", "trading_3p", "social_3p", "self_built_social")
    assert labels.column_text(column, value, retailers) == text


def test_the_inspected_consumer_shows_every_column_under_its_label_and_no_placeholder():
    model = SocialCommerceModel(n_consumers=200, rng=3)
    for _ in range(20):
        model.step()
    retailers = tuple((r.name, r.platform.name) for r in model.retailers)
    for index in range(0, 200, 7):
        view = consumer_view(model, index, model.consumer_states())
        text = consumer_html(view, retailers, drawn=True)
        cells = re.findall(r"<t[dh]>(.*?)</t[dh]>", text)
        assert "-1" not in cells
        for column in DECLARED_COLUMNS:
            assert labels.column_label(column) in text
        assert not any(RAW_NAME.match(c) for c in cells if c not in dict(retailers)), cells
        assert view.state.replace("_", " ") in text and view.state in CONSUMER_STATES


def test_post_audience_codes_read_as_words_in_the_order_of_the_rule():
    from socialabm.viz.labels import AUDIENCES, column_text

    from socialabm.rules.consumer import POST_AUDIENCES

    assert len(AUDIENCES) == len(POST_AUDIENCES)
    assert [column_text("post_ties", code) for code in range(len(POST_AUDIENCES))] == [
        "every tie",
        "strong ties only",
        "weak ties only",
    ]
