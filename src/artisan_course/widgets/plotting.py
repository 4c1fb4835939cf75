"""Charts in the course's colours, drawn to PNG for an ipywidgets Image.

A PNG in an Image widget works the same in Voilà slides and in JupyterLab,
offline, with no extra front-end code. Views update a figure's artists and
redraw it, rather than building a new figure on every change.
"""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

INDIGO, SAFFRON, LEAF, ROSE, MUTED, PAPER = "#23336b", "#b86e00", "#2e6b3a", "#a3243b", "#4a5060", "#fbf8f2"
SERIES = [INDIGO, SAFFRON, LEAF, "#6a4c93", "#1b7f8c", ROSE]
STYLE = {
    "font.family": ["Noto Sans", "DejaVu Sans", "sans-serif"],
    # Sized for the smallest screen a chart is shown on: full width on a 360 px phone, where a
    # 6.4-inch figure's 16 pt text is about 12 px. On a projector the same chart is about twice that.
    "font.size": 16, "axes.titlesize": 17, "axes.labelsize": 15, "legend.fontsize": 14,
    "xtick.labelsize": 15, "ytick.labelsize": 15,
    "axes.edgecolor": MUTED, "axes.labelcolor": "#1b1f2a", "xtick.color": "#1b1f2a", "ytick.color": "#1b1f2a",
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.color": "#e3ddd0",
    "figure.facecolor": "white", "axes.facecolor": "white",
}


def new_figure(width: float = 7.5, height: float = 4.2) -> Figure:
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(width, height), dpi=110, layout="constrained")
        figure.add_subplot()
    return figure


# No text on a chart smaller than this: a legend or title a view sets smaller is raised to it.
MIN_TEXT_PT = 14


def png(figure: Figure) -> bytes:
    for text in figure.findobj(Text):
        if text.get_fontsize() < MIN_TEXT_PT:
            text.set_fontsize(MIN_TEXT_PT)
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="png")
    return buffer.getvalue()
