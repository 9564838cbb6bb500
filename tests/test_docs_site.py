"""The documentation site builds offline with ``mkdocs build --strict``, without a warning.

One build (into a temporary folder) serves every test here. A broken link or anchor, a
cross-reference to nothing, a docstring that disagrees with its signature, a public object
without a docstring (``tools/docsite/``) or any other warning fails it. Any HTTP(S) request is
sent to a closed local port, so a build that needs the network fails too.
"""

import html
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

import socialabm
from socialabm import scenarios
from socialabm.claims import load_registry
from socialabm.parameters import PARAMETERS
from tools.docsite import api, pages, parameters, tutorials

# its module fixture is built once: the module's tests share one test process (xdist)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("test_docs_site")]

ROOT = Path(__file__).resolve().parents[1]
OFFLINE = {k: "http://127.0.0.1:9" for k in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy")}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, **OFFLINE, "https_proxy": OFFLINE["HTTPS_PROXY"], "NO_PROXY": ""}
    env["NO_MKDOCS_2_WARNING"] = "1"
    start = time.perf_counter()
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.perf_counter() - start
    print(f"mkdocs build --strict: {seconds:.1f} s")
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-5000:]
    return out, build.stderr


def page(site, path: str) -> str:
    return (site[0] / path / "index.html").read_text(encoding="utf-8")


def test_the_build_logs_no_warning(site):
    assert not re.findall(r"^(WARNING|ERROR)\b.*", site[1], re.MULTILINE)


def test_the_api_reference_has_a_page_per_module(site):
    for module in api.api_modules():
        assert (site[0] / "api" / module / "index.html").exists(), module
    model = page(site, "api/socialabm.model")
    assert 'id="socialabm.model.SocialCommerceModel"' in model
    assert 'id="socialabm.model.SocialCommerceModel.daily_frame"' in model
    # a docstring role became a link to the page that renders its target
    assert 'href="../socialabm.parameters/#socialabm.parameters.PARAMETERS"' in model


def test_the_parameter_tables_are_generated_from_the_declaration(site):
    tables, odd = page(site, "parameters"), page(site, "ODD")
    for name, p in PARAMETERS.items():
        assert f"<code>{name}</code>" in tables
        assert f"<code>{name}</code></td>" in odd, name
        assert html.escape(p.meaning, quote=False) in tables, name
    assert parameters.PARAMETER_MARKER not in odd


def test_the_claims_page_has_every_claim_of_the_last_run(site):
    claims = page(site, "claims")
    for claim in load_registry().claims:
        assert f"<code>{claim.id}</code>" in claims


def test_worksheets_and_tutorials_are_pages(site):
    for name in scenarios.builtin_names():
        assert (site[0] / "worksheets" / name / "index.html").exists(), name
    for name in tutorials.TUTORIAL_PAGES:
        html = page(site, f"tutorials/{name}")
        assert html.count('class="highlight"') > 5, name  # code cells and their outputs
        assert (site[0] / "tutorials" / f"{name}.ipynb").exists()  # the notebook, to download
    first_run = page(site, "tutorials/first_run")
    for k in (1, 2, 3):  # the three plots
        assert f'src="../first_run_files/output_{k}.png"' in first_run
        assert (site[0] / "tutorials" / "first_run_files" / f"output_{k}.png").exists()


def test_the_site_loads_nothing_from_the_internet(site):
    external = re.compile(r"""<(?:link|script|img)[^>]+(?:href|src)=["'](?:https?:)?//""")
    for path in site[0].rglob("*.html"):
        found = external.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path}: {found[:3]}"


def test_the_cite_page_and_the_readme_cite_the_current_version(site):
    version = pages.citation()["version"]
    assert f"Version {version}." in page(site, "cite")
    assert "@software{socialabm" in pages.cite_page()
    assert f"version = {{{version}}}" in pages.cite_page()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Version {version}. Software, MIT licence." in readme
    assert (site[0] / "changelog" / "index.html").exists()


def test_citation_cff_matches_the_package():
    cff = pages.citation()
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors", "type", "license"} <= set(cff)
    with (ROOT / "pyproject.toml").open("rb") as f:
        project = tomllib.load(f)["project"]
    assert cff["version"] == project["version"] == socialabm.__version__
    assert cff["license"] == project["license"]["text"]
