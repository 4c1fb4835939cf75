"""Every simulator's chart: all its text inside the picture, every legend entry with its colour, nothing too small."""
from __future__ import annotations

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba

from artisan_course.widgets.plotting import MIN_TEXT_PT, STYLE, legend, new_figure


def tools():
    from artisan_course.widgets.anchoring import AnchoringSimulator
    from artisan_course.widgets.contingency import ContingencySimulator
    from artisan_course.widgets.fairness import FairnessSimulator
    from artisan_course.widgets.milestones import MilestonePlanner
    from artisan_course.widgets.negotiation import NegotiationSimulator
    return {"anchoring": AnchoringSimulator, "anchoring, the artisans first": lambda: AnchoringSimulator(
                first_mover="artisans", counter_anchor=True, research=0.3),
            "contingency": ContingencySimulator, "fairness": FairnessSimulator,
            "fairness, a blend": lambda: FairnessSimulator(weights={"equality": 0.5, "needs": 0.5}),
            "milestones": MilestonePlanner, "negotiation": NegotiationSimulator}


def drawn(figure):
    """The figure drawn as the course draws it, and its renderer."""
    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    with matplotlib.rc_context(STYLE):
        canvas.draw()
    return canvas.get_renderer()


def texts_shown(figure):
    """Every text a person sees on the chart: legends, titles, axis labels, and the tick labels inside the axes."""
    texts = [t for lg in figure.legends for t in lg.get_texts()]
    for ax in figure.axes:
        texts += [ax.title, ax.xaxis.label, ax.yaxis.label]
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    texts += [tick.label1, tick.label2]
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def inside(extent, box) -> bool:
    return extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1 and extent.y0 >= box.y0 - 1 and extent.y1 <= box.y1 + 1


@pytest.mark.parametrize("name", list(tools()))
def test_every_chart_text_is_inside_the_picture_and_large_enough(name):
    view = tools()[name]()
    figure = view.figure
    renderer = drawn(figure)
    shown = texts_shown(figure)
    assert shown
    cut = [t.get_text() for t in shown if not inside(t.get_window_extent(renderer), figure.bbox)]
    assert cut == [], f"{name}: cut at the picture's edge: {cut}"
    small = [(t.get_text(), t.get_fontsize()) for t in shown if t.get_fontsize() < MIN_TEXT_PT]
    assert small == [], f"{name}: text under {MIN_TEXT_PT} pt: {small}"


@pytest.mark.parametrize("name", list(tools()))
def test_every_legend_entry_shows_its_colour_inside_the_picture(name):
    figure = tools()[name]().figure
    renderer = drawn(figure)
    for lg in figure.legends:
        assert len(lg.legend_handles) == len(lg.get_texts())
        for handle, text in zip(lg.legend_handles, lg.get_texts()):
            assert inside(handle.get_window_extent(renderer), figure.bbox), (name, text.get_text())
            colours = []
            if hasattr(handle, "get_facecolor"):
                face = handle.get_facecolor()
                colours += list(face) if getattr(face, "ndim", 1) == 2 else [face]
            if hasattr(handle, "get_color") and handle.get_linestyle() not in ("None", "none", ""):
                colours.append(handle.get_color())
            if hasattr(handle, "get_markerfacecolor") and handle.get_marker() not in (None, "None", "", " "):
                colours.append(handle.get_markerfacecolor())
            seen = [to_rgba(c) for c in colours if not (isinstance(c, str) and c.lower() == "none")]
            assert any(rgba[3] > 0.1 and rgba[:3] != (1.0, 1.0, 1.0) for rgba in seen), (name, text.get_text(), colours)


def test_a_legend_too_wide_for_two_columns_takes_one_instead_of_being_cut():
    figure = new_figure(4.0, 3.5)
    ax = figure.axes[0]
    lines = [ax.plot([0, 1], [i, i], label=label)[0] for i, label in
             enumerate(["zone of possible agreement", "expected price if a deal"])]
    made = legend(figure, lines, [line.get_label() for line in lines])
    renderer = drawn(figure)
    assert made.get_window_extent(renderer).width <= figure.bbox.width
    assert all(inside(t.get_window_extent(renderer), figure.bbox) for t in made.get_texts())
    assert len(figure.legends) == 1


def test_a_figure_too_wide_for_readable_text_on_a_projector_is_refused():
    with pytest.raises(ValueError):
        new_figure(8, 4)


# -- the fairness simulator's words ----------------------------------------------------------------------------
def test_the_fairness_rule_list_follows_the_sliders_and_the_blend():
    from artisan_course.widgets.fairness import FairnessSimulator
    view = FairnessSimulator()
    assert view.preset.value == "equality"
    view.sliders["needs"].value = 0.4  # a second rule: the sliders now make a blend, and the list says so
    assert view.preset.value == "blend"
    assert view.sliders["equality"].value == 1.0 and view.sliders["needs"].value == 0.4  # nothing else moved
    view.sliders["equality"].value = 0.0  # only needs is left: that is the needs rule, whatever its weight
    assert view.preset.value == "needs" and view.sliders["needs"].value == 0.4
    view.preset.value = "equity_hours"  # choosing a rule still sets the sliders
    assert [k for k, s in view.sliders.items() if s.value] == ["equity_hours"]


def test_the_fairness_simulator_says_how_unequal_in_plain_words():
    from artisan_course.widgets.fairness import FairnessSimulator
    text = FairnessSimulator().summary.value
    assert "Gini" not in text and "How unequal the shares are" in text
