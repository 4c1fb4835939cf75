"""What every simulator view shares: number parsing, messages, saving a scenario."""
from __future__ import annotations

import html
from contextlib import contextmanager

import ipywidgets as widgets

from ..text import parse_number as read_number
from ..state.session import SESSION


class InputProblem(ValueError):
    pass


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def parse_number(text: str, label: str) -> float:
    return read_number(text, label, InputProblem)


def message_box() -> widgets.HTML:
    box = widgets.HTML()
    box.add_class("course-sim-message")
    return box


def show_problem(box: widgets.HTML, problem: Exception | None) -> None:
    box.value = ("" if problem is None else
                 f"<p class='course-warning'>{esc(problem)} The simulator still shows the last valid result.</p>")


def save_button(item: str, module: str, snapshot) -> widgets.Widget:
    """"Save this scenario": stores the settings and results for the learner."""
    button = widgets.Button(description="Save this scenario", icon="save")
    note = widgets.HTML()

    def save(_=None):
        learner = SESSION.learner or SESSION.start()
        if learner is None:
            note.value = "<span class='course-warning'>Type your name at the top first.</span>"
            return
        SESSION.get_store().record(learner.id, module, item, "scenario", snapshot())
        note.value = "<span class='course-status--saved'>Saved to your journal.</span>"

    button.on_click(save)
    return widgets.HBox([button, note])


def labelled(text: str, control: widgets.Widget, width: str = "100%") -> widgets.Widget:
    """A control with its label above it: long labels stay readable on a projector."""
    control.layout.width = "100%"
    control.layout.margin = "2px 0"  # no side margins, so a full-width control keeps its right border
    if hasattr(control, "description"):
        control.description = ""
    box = widgets.VBox([widgets.HTML(f"<label class='course-sim-label'>{esc(text)}</label>"), control],
                       layout=widgets.Layout(width=width))
    box.add_class("course-sim-field")
    return box


def columns(*children: widgets.Widget) -> widgets.Widget:
    """Side by side when there is room, one under the other when there is not."""
    for child in children:
        child.layout.flex = "1 1 520px"
        child.layout.min_width = "min(520px, 100%)"
    row = widgets.HBox(list(children), layout=widgets.Layout(width="100%", flex_flow="row wrap"))
    row.add_class("course-columns")  # the gap between columns is set in CSS: ipywidgets 8.1 has no gap layout trait
    return row


@contextmanager
def one_update(view):
    """Change several controls of a simulator view, then redraw once.

    Each control's observer calls ``view.update()``; while this is open those
    calls return at once, and the view updates a single time at the end.
    """
    view.paused = True
    try:
        yield
    finally:
        view.paused = False
    view.update()
