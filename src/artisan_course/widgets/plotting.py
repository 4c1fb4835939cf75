"""Charts in the course's colours, drawn to PNG for an ipywidgets Image.

A PNG in an Image widget works the same in Voilà slides and in JupyterLab,
offline, with no extra front-end code. Views update a figure's artists and
redraw it, rather than building a new figure on every change.

Sizes are for the projector: a chart fills about 570 px of a 1280 x 720 slide, so with the figures' widths
(at most 6.4 inches) 15 pt is at least 18 px on the screen, and tick labels (17 pt) about 21 px. A legend sits
above the axes in as many columns as fit the figure's width (``legend``): never cut at the edge.
"""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.legend import Legend  # noqa: E402
from matplotlib.text import Text  # noqa: E402

INDIGO, SAFFRON, LEAF, ROSE, MUTED, PAPER = "#23336b", "#b86e00", "#2e6b3a", "#a3243b", "#4a5060", "#fbf8f2"
SERIES = [INDIGO, SAFFRON, LEAF, "#6a4c93", "#1b7f8c", ROSE]
STYLE = {
    # Noto Sans Lao draws Lao labels: matplotlib (3.6+) falls back glyph by glyph through this list
    "font.family": ["Noto Sans", "Noto Sans Lao", "DejaVu Sans", "sans-serif"],
    "font.size": 17, "axes.titlesize": 16, "axes.labelsize": 16, "legend.fontsize": 15,
    "xtick.labelsize": 17, "ytick.labelsize": 17,
    "legend.handlelength": 1.6, "legend.handletextpad": 0.5, "legend.columnspacing": 1.2,
    "axes.edgecolor": MUTED, "axes.labelcolor": "#1b1f2a", "xtick.color": "#1b1f2a", "ytick.color": "#1b1f2a",
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.color": "#e3ddd0",
    "figure.facecolor": "white", "axes.facecolor": "white",
}
WIDEST_INCHES = 6.4  # the sizes above hold for figures up to this width


def new_figure(width: float = 6.0, height: float = 4.2) -> Figure:
    if width > WIDEST_INCHES:
        raise ValueError(f"A chart wider than {WIDEST_INCHES} inches would show its text under 18 px on a projector.")
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(width, height), dpi=110, layout="constrained")
        figure.add_subplot()
    return figure


# No text on a chart smaller than this: a legend or title a view sets smaller is raised to it.
MIN_TEXT_PT = 15


def legend(figure: Figure, handles, labels, columns: int = 2) -> Legend:
    """The figure's legend above its axes, in ``columns`` columns or as many fewer as fit its width.

    Every entry keeps its marker in its colour (``handles``). A label too long for two columns (a longer
    translation, a longer product name) moves the legend to one column instead of being cut at the edge.
    """
    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    with matplotlib.rc_context(STYLE):
        for count in range(max(1, columns), 0, -1):
            for old in list(figure.legends):
                old.remove()
            made = figure.legend(handles, labels, loc="outside upper center", ncols=count, frameon=False,
                                 fontsize=max(MIN_TEXT_PT, STYLE["legend.fontsize"]))
            if made.get_window_extent(canvas.get_renderer()).width <= figure.bbox.width - 2:
                break
    return made


def raise_small_text(figure: Figure) -> None:
    for text in figure.findobj(Text):
        if text.get_fontsize() < MIN_TEXT_PT:
            text.set_fontsize(MIN_TEXT_PT)


def png(figure: Figure) -> bytes:
    raise_small_text(figure)
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="png")
    return buffer.getvalue()
