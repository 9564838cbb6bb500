"""MkDocs hooks of the documentation site (``mkdocs.yml`` names this file under ``hooks:``).

At each build they expand the generated nav sections (API reference, worksheets), warn about
public objects without docstrings or type hints and about modules without an API page (so that
``mkdocs build --strict`` fails on them), add the generated pages (:func:`generated_pages`) and
fill ODD §9's parameter marker with the parameter tables. Python's cyclic garbage collector is
off while the site builds.
"""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # mkdocs loads this file by path, not as tools.docsite.hooks
    sys.path.insert(0, str(ROOT))

from tools.docsite import TUTORIALS  # noqa: E402
from tools.docsite.api import (  # noqa: E402
    API_SECTIONS,
    api_index,
    api_modules,
    api_page,
    missing_docs,
    undocumented_modules,
)
from tools.docsite.pages import cite_page, claims_page, worksheets_index  # noqa: E402
from tools.docsite.parameters import PARAMETER_MARKER, parameter_tables, parameters_page  # noqa: E402
from tools.docsite.tutorials import TUTORIAL_PAGES, notebook_markdown  # noqa: E402

logger = logging.getLogger("mkdocs.plugins.socialabm")


_GC_WAS_ENABLED: list[bool] = []
"""Whether the collector was on when the build started (empty outside a build)."""


def on_config(config: Any) -> Any:
    """Expand the nav entries ``api/index.md`` and ``worksheets/index.md`` into sections.

    Also turns Python's cyclic garbage collector off until the build ends (:func:`on_post_build`,
    :func:`on_build_error`): the build keeps every page and griffe object alive, so each full
    collection walked a large heap that is garbage only at the end (~1 s of the build's CPU;
    the build's peak memory grows by ~45 MB, 357 -> 402 MB).
    """
    if not _GC_WAS_ENABLED:
        _GC_WAS_ENABLED.append(gc.isenabled())
        gc.disable()
    from socialabm.scenarios import builtin_names

    def expand(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: expand(v) for k, v in item.items()}
        if isinstance(item, list):
            return [expand(v) for v in item]
        if item == "api/index.md":
            return [{"Overview": item}] + [
                {title: [{m: f"api/{m}.md"} for m in modules]} for title, modules in API_SECTIONS
            ]
        if item == "worksheets/index.md":
            return [{"Overview": item}] + [{n: f"worksheets/{n}.md"} for n in builtin_names()]
        return item

    config["nav"] = expand(config["nav"])
    return config


def _restore_gc() -> None:
    if _GC_WAS_ENABLED and _GC_WAS_ENABLED.pop():
        gc.enable()


def on_post_build(config: Any) -> None:
    """The garbage collector as it was before the build (``mkdocs serve`` builds again)."""
    _restore_gc()


def on_build_error(error: Exception) -> None:
    """The garbage collector as it was before the build, also after a failed one."""
    _restore_gc()


def on_pre_build(config: Any) -> None:
    """Warn about public objects without docstrings or type hints, and unlisted modules."""
    for problem in missing_docs():
        logger.warning("API reference: missing %s", problem)
    for module in undocumented_modules():
        logger.warning("API reference: no page for module %s (add it to API_SECTIONS)", module)


def generated_pages() -> dict[str, str | bytes]:
    """Every page and image the hooks add to the site: path in the site -> content."""
    from socialabm.scenarios import builtin_names, worksheet

    pages: dict[str, str | bytes] = {"api/index.md": api_index()}
    pages.update({f"api/{m}.md": api_page(m) for m in api_modules()})
    pages["parameters.md"] = parameters_page()
    pages["claims.md"] = claims_page()
    pages["worksheets/index.md"] = worksheets_index()
    pages.update({f"worksheets/{n}.md": worksheet(n) for n in builtin_names()})
    for name in TUTORIAL_PAGES:
        text, images = notebook_markdown(TUTORIALS / f"{name}.ipynb", f"{name}_files/output_")
        pages[f"tutorials/{name}.md"] = text
        pages.update({f"tutorials/{k}": v for k, v in images.items()})
    pages["benchmarks.md"] = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    pages["changelog.md"] = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    pages["cite.md"] = cite_page()
    return pages


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages to the site's files."""
    from mkdocs.structure.files import File

    for path, content in generated_pages().items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Fill ODD §9's parameter marker with the parameter tables."""
    if page.file.src_uri == "ODD.md":
        if PARAMETER_MARKER not in markdown:
            logger.warning("docs/ODD.md has lost its parameter-table marker line")
        return markdown.replace(PARAMETER_MARKER, parameter_tables())
    return markdown
