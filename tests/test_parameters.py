import re

import pytest

from socialabm import SocialCommerceModel
from socialabm.parameters import PARAMETERS, ParameterError, defaults, validate


def test_every_default_is_valid_and_typed():
    values = validate({})
    assert values == defaults()
    for name, p in PARAMETERS.items():
        assert isinstance(values[name], p.type), name
        assert p.meaning, f"{name} has no meaning"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        (
            {"jump_friction": 1.5},
            "'jump_friction': value 1.5 is out of range; allowed: a number in [0, 1]",
        ),
        ({"n_consumers": 2.5}, "'n_consumers': value 2.5 is not an integer"),
        ({"presale_mode": "maybe"}, "allowed: one of 'none', 'presale', 'experience'"),
        ({"alliances": "perhaps"}, "'alliances': value 'perhaps' is not true or false"),
        ({"jump_fricton": 0.3}, "did you mean 'jump_friction'"),
        ({"deposit": float("nan")}, "'deposit'"),
    ],
)
def test_bad_values_name_parameter_value_and_allowed(params, fragment):
    with pytest.raises(ParameterError) as err:
        validate(params)
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"starvation": True, "release_cap": 0}, "'release_cap' = 0"),
        ({"presale_mode": "presale", "presale_days": 55, "campaign_days": 60}, "no selling window"),
        (
            {"presale_mode": "experience", "experience_units": 500, "n_consumers": 100},
            "'experience_units' = 500 exceeds",
        ),
        ({"alliances": True, "n_social_ecommerce": 1}, "at least 2 social e-commerce"),
        ({"share_well_informed": 0.7, "share_semi_informed": 0.5}, "at most 1"),
        ({"salvage": 40.0, "unit_cost": 30.0}, "'salvage' = 40"),
    ],
)
def test_inconsistent_settings_fail_at_construction(params, fragment):
    with pytest.raises(ParameterError, match=re.escape(fragment)):
        SocialCommerceModel(**params, rng=0)


def test_strings_are_converted_like_command_line_input():
    values = validate({"n_consumers": "500", "alliances": "true", "deposit": "0.25"})
    assert values["n_consumers"] == 500
    assert values["alliances"] is True
    assert values["deposit"] == 0.25


def test_model_signature_lists_every_parameter_for_batch_run():
    import inspect

    signature = inspect.signature(SocialCommerceModel.__init__)
    assert set(PARAMETERS) <= set(signature.parameters)
    assert "rng" in signature.parameters
