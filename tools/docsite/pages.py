"""Pages generated from the project's own files: the claims table (``docs/claims.csv``), how to
cite (``CITATION.cff``) and the classroom worksheets' overview."""

from __future__ import annotations

from typing import Any

from tools.docsite import DOCS, ROOT


def claims_page() -> str:
    """The claims page: the registry's last run (``docs/claims.csv``), rendered as in ODD §11."""
    from socialabm.claims import load_registry
    from socialabm.claims.report import read_table, render_section, summary_line

    registry = load_registry()
    table = read_table(DOCS / "claims.csv")
    return f"""# Claims, their ablations and knock-outs

Each claim of the model is a paired experiment of the claims registry
(`scenarios/claims.toml`): two arms that differ only in the mechanism claimed, an ablation that
cuts the mechanism's causal pathway by parameters in both arms, and a knock-out that replaces
the code the pathway runs through by a neutral one. How a verdict is reached, what the minimum
detectable effect says and what a knock-out flags is in
[ODD §11](ODD.md#11-claims-as-measured-with-their-ablations-and-knock-outs); what each row means
for the seed paper's argument is the subject of the tutorial
[Reproducing the seed paper](tutorials/seed_paper.md).

This page is generated at build time from the registry's last published run,
`docs/claims.csv` ({summary_line(table)}). Rerun it with `uv run socialabm claims --knockout`
(a few minutes on two cores); `uv run socialabm claims --update-docs` publishes a new run.

{render_section(table, registry.claims)}
"""


def citation() -> dict[str, Any]:
    """The project's ``CITATION.cff`` as a dict."""
    import yaml

    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def _names(authors: list[dict[str, str]]) -> str:
    """``Goldenberg, J., Libai, B., & Muller, E.`` from CFF authors."""
    names = [f"{a['family-names']}, {a['given-names'][0]}." for a in authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]


def cite_page() -> str:
    """The "How to cite" page, from ``CITATION.cff``: a reference, BibTeX and the mechanisms."""
    cff = citation()
    authors = " and ".join(a.get("name") or f"{a['family-names']}, {a['given-names']}"
                           for a in cff["authors"])  # fmt: skip
    year = str(cff.get("date-released", ""))[:4]
    when = f" ({year})" if year else ""
    sources = "\n".join(
        f"* {_names(r['authors'])} ({r['year']}). {r['title']}. "
        f"*{r['journal']}*, {r['volume']}({r['issue']}), {r['start']}–{r['end']}."
        for r in cff.get("references", [])
    )
    return f"""# How to cite

Cite the software (this page is generated from `CITATION.cff` at the root of the repository,
which GitHub's "Cite this repository" also reads):

> {authors}{when}. *{cff["title"]}*. Version {cff["version"]}. Software, {cff["license"]} licence.

```bibtex
@software{{socialabm,
  author  = {{{{{authors}}}}},
  title   = {{{{{cff["title"]}}}}},
  version = {{{cff["version"]}}},
  license = {{{cff["license"]}}},{f"{chr(10)}  year    = {{{year}}}," if year else ""}
}}
```

Then cite the sources of the mechanisms your work relies on. The model is described in the ODD
protocol ([the ODD](ODD.md): purpose, entities, schedule, design concepts, submodels with their
equations), whose references section lists every source; the main ones are

{sources}

and, for a claim of the model, its row in the [claims table](claims.md) with the run it comes
from (`docs/claims.csv`: seeds, population and the ablation).
"""


def worksheets_index() -> str:
    """The worksheets overview: one line per built-in scenario."""
    from socialabm.scenarios import builtin_names, load_scenario

    out = [
        "# Classroom worksheets",
        "",
        "One worksheet per built-in scenario, for a class working with the app",
        "(`uv run socialabm viz`, [the app guide](../app.md)). Each says what to set, what to",
        "watch on the page, three questions with the observations a class should reach (checked",
        "against the current model), and a comparison to run side by side with the same seed.",
        "",
        "The worksheets are package data (`socialabm/scenarios/worksheets/<name>.md`), so the",
        "app can show them offline: `socialabm.scenarios.worksheet(name)` returns one.",
        "",
        "| scenario | title |",
        "|---|---|",
    ]
    for name in builtin_names():
        out.append(f"| [`{name}`]({name}.md) | {load_scenario(name).title} |")
    return "\n".join(out) + "\n"
