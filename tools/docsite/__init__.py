"""The documentation site's build: the pages generated at build time, and the API check.

``mkdocs.yml`` names :mod:`tools.docsite.hooks` under ``hooks:``. At each build it adds

* the **API reference** (:mod:`tools.docsite.api`): one page per public module, rendered by
  mkdocstrings from the docstrings and type hints, an overview page, and a warning for every
  public object without a docstring or type hints, so that ``mkdocs build --strict`` fails on it;
* the **parameter table** (``parameters.md``) and ODD §9 (:mod:`tools.docsite.parameters`), from
  the single declaration ``socialabm.parameters.PARAMETERS`` (no copy is kept on disk);
* the **claims table** (``claims.md``, from the registry's last run ``docs/claims.csv``), the
  **citation** page and the **classroom worksheets** (``scenarios/worksheets/*.md``, package
  data of ``socialabm.scenarios``) (:mod:`tools.docsite.pages`);
* the **tutorials** (``docs/tutorials/*.ipynb`` as Markdown with their stored outputs; the
  notebooks themselves are copied next to them for download) (:mod:`tools.docsite.tutorials`);
* ``benchmarks/README.md`` as the benchmarks page and ``CHANGELOG.md``.

The same functions serve the tests (``tests/test_api_docs.py``, ``tests/test_docs_site.py``).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TUTORIALS = DOCS / "tutorials"
