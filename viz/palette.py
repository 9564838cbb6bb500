"""The app's colours: one colour per meaning, safe for colour-blind viewers.

Built from the Okabe-Ito palette (Okabe & Ito 2008) with Paul Tol's indigo and wine for the two
meanings it lacks. On any one screen (the network beside one chart) a colour means one thing,
and a meaning keeps its colour everywhere: "aware" is the same sky blue on the network and in
the sales chart, "alliance" the same wine for allied platforms, alliance sales and the
alliances' share. ``tests/test_viz_palette.py`` checks both, and that every two colours of a
screen stay apart under simulated protanopia, deuteranopia and tritanopia.

Structure (ties, platforms, retailers, the inspected consumer's ties) is drawn in greys and black
and told apart by shape and line style, not colour.
"""

from __future__ import annotations

#: Consumer display states (``socialabm.CONSUMER_STATES`` order).
STATE_COLOURS: dict[str, str] = {
    "unaware": "#DDDDDD",
    "aware": "#56B4E9",
    "ordered": "#E69F00",
    "owner": "#009E73",
    "sharer": "#CC79A7",
    "churned_fan": "#332288",
}

ALLIANCE = "#882255"
"""Anything about alliances: allied platforms, alliance sales, the alliances' share."""

#: Trading scenarios, in their classroom order (stacked sales, rolling share).
SALES_COLOURS: dict[str, str] = {
    "trading_only": "#0072B2",
    "jump": "#F0E442",
    "in_scene": "#D55E00",
    "alliance": ALLIANCE,
}

#: Retailer channels (wholesale price and profit).
CHANNEL_COLOURS: dict[str, str] = {
    "self_run": "#0072B2",
    "trading_3p": "#000000",
    "social_3p": "#D55E00",
    "self_built_social": "#F0E442",
}

#: Presale chart: orders are the "ordered" consumers' units.
PRESALE_COLOURS: dict[str, str] = {
    "presale orders": STATE_COLOURS["ordered"],
    "stock": "#0072B2",
    "unfilled": "#D55E00",
}

RESTRAINT = "#0072B2"
DEBT = "#D55E00"
GIANT = "#0072B2"
"""The trading giant's share of sales (the trading platform, as ``trading_only`` sales)."""
SALES_TOTAL = "#000000"
"""All units sold (the comparison's cumulative sales)."""
STARS = "#777777"
"""Star-rating bars: the J-shape is in their heights, so one neutral colour."""

STRONG_TIE = "#777777"
WEAK_TIE = "#AAAAAA"
FIRM = "#777777"
DOT_EDGE = "#555555"
"""Outline of every consumer's dot (so the light grey of the unaware stands out from the ties)."""
"""Platforms and retailers (told apart by marker shape)."""
HIGHLIGHT = "#000000"
"""The inspected consumer and their ties."""
