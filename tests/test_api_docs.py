"""docs/api.md matches the code; the public API has docstrings and type hints.

Regenerate the page with ``uv run python -m socialabm.apidoc`` after changing a public
signature, docstring or parameter.
"""

import difflib
import importlib
import inspect
import subprocess
import sys

import pytest

import socialabm
from socialabm import apidoc
from socialabm.parameters import PARAMETERS
from socialabm.runner import RunResult

REGENERATE = f"docs/api.md is stale; regenerate it with `{apidoc.COMMAND}`"


def test_docs_api_md_matches_the_code():
    generated = apidoc.render()
    on_disk = apidoc.DOC_PATH.read_text(encoding="utf-8")
    if on_disk != generated:
        diff = difflib.unified_diff(
            on_disk.splitlines(), generated.splitlines(), "docs/api.md", "generated", lineterm=""
        )
        pytest.fail(REGENERATE + "\n" + "\n".join(list(diff)[:60]))


def test_render_is_deterministic_and_lists_every_parameter():
    text = apidoc.render()
    assert text == apidoc.render()
    assert " at 0x" not in text
    assert apidoc.COMMAND in text.split("## ")[0]  # the header says how to regenerate
    for name in PARAMETERS:
        assert f"| `{name}` |" in text


def test_exported_names_are_documented():
    documented = [
        getattr(importlib.import_module(ref.partition(":")[0]), ref.partition(":")[2])
        for _, _, refs in apidoc.API
        for ref in refs
    ]
    missing = [
        f"{module}.{name}"
        for module in ("socialabm", "socialabm.sweeps", "socialabm.scenarios")
        for name in importlib.import_module(module).__all__
        if not any(getattr(importlib.import_module(module), name) is obj for obj in documented)
    ]
    assert not missing, f"exported but not in socialabm.apidoc.API: {missing}"


def test_every_documented_object_has_a_docstring():
    missing = [e.name for e in apidoc.entries() if not e.doc.strip()]
    assert not missing, f"public objects without a docstring: {missing}"


def _missing_hints(entry: apidoc.Entry) -> list[str]:
    sig = apidoc.code_signature(entry.func)
    params = list(sig.parameters.values())
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    out = [f"{entry.name}: parameter {p.name}" for p in params if p.annotation is p.empty]
    if sig.return_annotation is sig.empty:
        out.append(f"{entry.name}: return")
    return out


def test_public_functions_and_methods_have_type_hints():
    missing = sorted(m for e in apidoc.entries() if e.func is not None for m in _missing_hints(e))
    assert not missing, f"add type hints (parameters and return): {missing}"


def test_lazy_analyze_sweep_has_the_signature_of_the_real_one():
    from socialabm import sweeps
    from socialabm.sweeps import analyze

    assert inspect.signature(sweeps.analyze_sweep) == inspect.signature(analyze.analyze_sweep)


def test_check_fails_when_a_public_signature_changes(monkeypatch, tmp_path, capsys):
    page = tmp_path / "api.md"
    assert apidoc.main(["--output", str(page)]) == 0
    assert apidoc.main(["--check", "--output", str(page)]) == 0

    def run_model(
        params: dict | None = None, seed: int | None = None, new_option: int = 0
    ) -> RunResult:
        """Build a model, run it and collect its outputs (a parameter was added)."""
        raise NotImplementedError

    monkeypatch.setattr(socialabm, "run_model", run_model)
    capsys.readouterr()
    assert apidoc.main(["--check", "--output", str(page)]) == 1
    out, err = capsys.readouterr()
    assert "+    new_option: int = 0," in out
    assert apidoc.COMMAND in err


def test_markdown_turns_google_sections_into_lists():
    doc = inspect.cleandoc(
        """Summary with :class:`~socialabm.Retailer`.

        Args:
            n: Number of consumers (>= 1),
                on two lines.

        Returns:
            The network,
            on two lines.
        """
    )
    assert apidoc.markdown(doc).splitlines() == [
        "Summary with `socialabm.Retailer`.",
        "",
        "**Args:**",
        "",
        "- `n`: Number of consumers (>= 1),",
        "  on two lines.",
        "",
        "**Returns:**",
        "",
        "The network,",
        "on two lines.",
    ]


def test_docs_api_md_is_stable_under_ruff_format():
    pytest.importorskip("ruff")
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--diff", str(apidoc.DOC_PATH)],
        cwd=apidoc.DOC_PATH.parents[1],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
