"""The tutorial notebooks as pages: Markdown with their stored outputs."""

from __future__ import annotations

import base64
import json
from pathlib import Path

TUTORIAL_PAGES = ["first_run", "researcher_study", "modeler_extension", "seed_paper", "calibration"]
"""The tutorial notebooks (``docs/tutorials/<name>.ipynb``), in reading order."""


def notebook_markdown(path: Path, image_prefix: str) -> tuple[str, dict[str, bytes]]:
    """A notebook as Markdown with its stored outputs, and the images it shows (name -> PNG).

    Markdown cells are kept; code cells become ``python`` blocks; text outputs ``text`` blocks;
    HTML outputs (tables) stay HTML; PNG images become files named ``image_prefix<n>.png``. A
    stored error output raises ``ValueError``: the notebook must be executed cleanly first.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts: list[str] = []
    images: dict[str, bytes] = {}
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            parts.append(source)
            if len(parts) == 1:  # after the title: where to get the notebook
                parts.append(
                    f'!!! note "Run it yourself"\n    This page is the notebook '
                    f"[`docs/tutorials/{path.name}`]({path.name}) with its stored outputs. "
                    f"`uv run python -m tools.notebooks {path.stem}` runs it again and stores "
                    "the new outputs; `uv run --with jupyterlab jupyter lab docs/tutorials` "
                    "opens it in JupyterLab."
                )
            continue
        if cell["cell_type"] != "code" or not source.strip():
            continue
        parts.append(f"```python\n{source}\n```")
        for output in cell.get("outputs", []):
            kind = output["output_type"]
            if kind == "error":
                raise ValueError(f"{path.name}: a cell stored an error ({output['ename']})")
            if kind == "stream":
                text = "".join(output["text"]).rstrip("\n")
                parts.append(f"```text\n{text}\n```")
                continue
            data = output.get("data", {})
            if "image/png" in data:
                name = f"{image_prefix}{len(images) + 1}.png"
                images[name] = base64.b64decode(data["image/png"])
                parts.append(f"![output {len(images)}]({name})")
            elif "text/html" in data:
                parts.append('<div class="nb-output" markdown="0">\n')
                parts[-1] += "".join(data["text/html"]).strip() + "\n</div>"
            elif "text/plain" in data:
                parts.append(f"```text\n{''.join(data['text/plain']).rstrip()}\n```")
    return "\n\n".join(parts) + "\n", images
