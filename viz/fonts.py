"""The page's fonts, shipped with the app so it looks the same on every machine, offline.

Text is set in Roboto, which Solara's front end bundle (``solara-assets``) serves with the page.
That bundle holds Roboto's Latin glyphs only; the page's symbols (legend marks such as ● ━ ▲,
the rating star, arrows) would otherwise come from whatever fonts the machine has: another width
where it has other fonts, a box where it has none. So the page also carries those symbols in a
font of its own, "socialabm symbols": the glyphs of :data:`SYMBOLS` cut from the DejaVu Sans
that matplotlib installs (free licence), a few kilobytes embedded in the page's style sheet.
"""

from __future__ import annotations

import base64
import functools
import io
from pathlib import Path

SYMBOLS = "●━┄■◆▲★→↧✓"
"""Characters the page shows that the front end's Roboto (Latin) lacks."""

FAMILY = "socialabm symbols"
FONT_STACK = f'Roboto, "{FAMILY}", sans-serif'
"""What the page's text is set in: Roboto, then the shipped symbols."""


def dejavu_sans() -> Path:
    """matplotlib's copy of DejaVu Sans."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


@functools.cache
def symbols_woff() -> bytes:
    """The glyphs of :data:`SYMBOLS` from DejaVu Sans, as a WOFF font (about 3 KB)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = ["*"]  # keep the licence and the names
    options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge's timestamps
    font = TTFont(dejavu_sans())
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=SYMBOLS)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


@functools.cache
def font_css() -> str:
    """Style sheet: the symbols' ``@font-face`` and the page's font stack."""
    data = base64.b64encode(symbols_woff()).decode("ascii")
    ranges = ",".join(f"U+{ord(c):04X}" for c in SYMBOLS)
    return (
        f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: 400; '
        f'src: url(data:font/woff;base64,{data}) format("woff"); unicode-range: {ranges}; }}\n'
        f".viz-page, .viz-page * {{ font-family: {FONT_STACK}; }}\n"
    )
