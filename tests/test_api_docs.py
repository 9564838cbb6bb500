"""The API reference covers the public API, and every public object has a docstring and type hints.

The reference is built by mkdocstrings from the code (``uv run mkdocs build``); its pages and the
checks below come from one place, ``tools/docsite/api.py``. The strict build fails on the same
problems (``tests/test_docs_site.py``); these tests name them faster.
"""

import importlib
import inspect
import logging

import griffe
import pytest

from tools.docsite import ROOT, api, hooks
from tools.griffe_socialabm import SocialabmExtension, convert_roles

# its module fixture is built once: the module's tests share one test process (xdist)
pytestmark = pytest.mark.xdist_group("test_api_docs")


def test_every_public_module_has_an_api_page_or_a_reason():
    assert api.undocumented_modules() == [], "add them to API_SECTIONS in tools/docsite/api.py"
    modules = api.api_modules()
    assert len(modules) == len(set(modules))
    assert set(modules) <= set(api.package_modules())


def test_every_public_object_has_a_docstring_and_type_hints():
    missing = api.missing_docs()
    assert not missing, "\n".join(missing)


def test_the_check_finds_a_missing_docstring_and_missing_hints(monkeypatch):
    import socialabm.experiments.runner as runner

    def every_kth_row(frame, k):
        return frame

    every_kth_row.__module__ = "socialabm.experiments.runner"
    monkeypatch.setattr(runner, "every_kth_row", every_kth_row)

    class RunResult(runner.RunResult):
        def extra(self) -> int:
            return 1

    RunResult.__module__ = "socialabm.experiments.runner"
    monkeypatch.setattr(runner, "RunResult", RunResult)
    missing = api.missing_docs(["socialabm.experiments.runner"])
    assert "socialabm.experiments.runner.every_kth_row: docstring" in missing
    assert "socialabm.experiments.runner.every_kth_row: type hint of parameter 'frame'" in missing
    assert "socialabm.experiments.runner.every_kth_row: return type hint" in missing
    assert "socialabm.experiments.runner.RunResult.extra: docstring" in missing


def test_an_override_inherits_its_base_docstring():
    from socialabm.sweeps.backends import SerialBackend

    assert SerialBackend.submit.__doc__ is None  # documented on Backend only
    assert "socialabm.sweeps.backends.SerialBackend.submit: docstring" not in (
        api.missing_docs(["socialabm.sweeps.backends"])
    )


@pytest.mark.parametrize("package", ["socialabm", "socialabm.agents", "socialabm.sweeps"])
def test_exported_names_link_to_where_they_are_rendered(package):
    module = importlib.import_module(package)
    rendered = api.rendered_paths()
    exported = api.exported_names(package)
    for name in module.__all__:
        path = exported.get(name, f"{package}.{name}")
        assert path in rendered, f"{package}.{name} -> {path} is not in the API reference"
    if package == "socialabm":
        assert exported["SocialCommerceModel"] == "socialabm.model.SocialCommerceModel"
        assert exported["PARAMETERS"] == "socialabm.parameters.PARAMETERS"


def test_a_page_renders_only_what_its_module_defines():
    page = api.api_page("socialabm.sweeps")
    assert '"analyze_sweep", "read_runs"' in page  # defined in socialabm/sweeps/__init__.py
    assert "[`socialabm.sweeps.execute.run_sweep`][socialabm.sweeps.execute.run_sweep]" in page


def test_lazy_analyze_sweep_has_the_signature_of_the_real_one():
    from socialabm import sweeps
    from socialabm.sweeps import analyze

    assert inspect.signature(sweeps.analyze_sweep) == inspect.signature(analyze.analyze_sweep)


@pytest.fixture(scope="module")
def griffe_package():
    loader = griffe.GriffeLoader(
        extensions=griffe.load_extensions(SocialabmExtension), search_paths=[ROOT]
    )
    package = loader.load("socialabm")
    return package, loader.modules_collection


def test_griffe_sees_the_mapped_subpackages(griffe_package):
    package, _ = griffe_package
    assert package["agents.consumer.Consumer"].is_class
    assert package["scenarios.load_scenario"].is_function


def test_roles_become_cross_references_to_where_objects_are_rendered(griffe_package):
    package, collection = griffe_package
    scope = package["model.SocialCommerceModel"]
    assert convert_roles(":class:`~socialabm.Retailer`", scope, collection) == (
        "[`Retailer`][socialabm.agents.retailer.Retailer]"
    )
    assert convert_roles(":meth:`daily_frame`", scope, collection) == (
        "[`daily_frame`][socialabm.model.SocialCommerceModel.daily_frame]"
    )
    assert convert_roles(":data:`socialabm.PARAMETERS`", scope, collection) == (
        "[`socialabm.PARAMETERS`][socialabm.parameters.PARAMETERS]"
    )
    assert convert_roles("Python API::", scope, collection) == "Python API:"


def test_a_role_naming_nothing_is_a_warning(griffe_package, caplog):
    package, collection = griffe_package
    with caplog.at_level(logging.WARNING):
        text = convert_roles(":func:`no_such_function`", package["experiments.runner"], collection)
    assert text == "`no_such_function`"
    assert "no_such_function" in caplog.text


def test_a_role_naming_an_unrendered_object_stays_code(griffe_package, caplog):
    package, collection = griffe_package
    with caplog.at_level(logging.WARNING):
        text = convert_roles(":func:`add_set_option`", package["cli.commands"], collection)
    assert text == "`add_set_option`"  # socialabm.cli.options: the CLI has no API page
    assert caplog.text == ""


def test_the_build_hook_turns_each_problem_into_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(
        hooks, "missing_docs", lambda: ["socialabm.experiments.runner.x: docstring"]
    )
    monkeypatch.setattr(hooks, "undocumented_modules", lambda: ["socialabm.new_module"])
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.socialabm"):
        hooks.on_pre_build(config=None)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "API reference: missing socialabm.experiments.runner.x: docstring",
        "API reference: no page for module socialabm.new_module (add it to API_SECTIONS)",
    ]


def test_the_garbage_collector_is_off_during_a_build_and_back_on_after_it(monkeypatch):
    import gc

    for end in (lambda: hooks.on_post_build(config=None), lambda: hooks.on_build_error(None)):
        monkeypatch.setattr(hooks, "_GC_WAS_ENABLED", [])
        try:
            hooks.on_config({"nav": []})
            assert not gc.isenabled() and hooks._GC_WAS_ENABLED == [True]
            end()
            assert gc.isenabled() and hooks._GC_WAS_ENABLED == []
        finally:
            gc.enable()
