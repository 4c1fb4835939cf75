"""What every simulator view shares: number parsing, messages, saving a scenario."""
from __future__ import annotations

import html
import math

import ipywidgets as widgets

from ..session import SESSION


class InputProblem(ValueError):
    pass


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def parse_number(text: str, label: str) -> float:
    cleaned = str(text).strip().replace(",", "").replace("$", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise InputProblem(f"{label}: '{text}' is not a number. Type digits only, for example 12.5.") from None
    if not math.isfinite(value):
        raise InputProblem(f"{label}: please type an ordinary number.")
    return value


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
        learner = SESSION.learner
        if learner is None:
            note.value = "<span class='course-warning'>Type your name at the top first.</span>"
            return
        SESSION.get_store().record(learner.id, module, item, "scenario", snapshot())
        note.value = "<span class='course-status--saved'>Saved to your journal.</span>"

    button.on_click(save)
    return widgets.HBox([button, note])
