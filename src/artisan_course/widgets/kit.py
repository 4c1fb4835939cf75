"""The small kit every view is built from: fields and columns, number parsing, messages, save notes, page actions."""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import anywidget
import ipywidgets as widgets
from IPython.display import display

from ..content.reader import ContentError
from ..documents.downloads import Download, link_html
from ..state import recorder
from ..i18n import N_, _
from ..state.recorder import Kind, Saved
from ..text import CourseInputError, clock, escape, parse_number as read_number


class InputProblem(CourseInputError):
    pass


esc = escape  # the views' short name for the one escaping rule


def parse_number(text: str, label: str) -> float:
    return read_number(text, label, InputProblem)


def message_box() -> widgets.HTML:
    box = widgets.HTML()
    box.add_class("course-sim-message")
    return box


def show_problem(box: widgets.HTML, problem: Exception | None) -> None:
    still = _("The simulator still shows the last valid result.")
    box.value = "" if problem is None else f"<p class='course-warning'>{esc(problem)} {esc(still)}</p>"


def _keep_copy(value) -> str:
    """A download of what the learner wrote, offered when the store fails, so their words are not lost."""
    if isinstance(value, str):
        item = Download("my-answer.txt", "text/plain", value, _("Download what you wrote"))
    else:
        text = value.get("summary") if isinstance(value, dict) and value.get("summary") else None
        body = (text + "\n\n" if text else "") + json.dumps(value, ensure_ascii=False, indent=2, default=str)
        item = Download("my-answer.txt", "text/plain", body, _("Download what you wrote"))
    return link_html(item)


def save_note(saved: Saved, value=None, done: str = N_("Saved at {time}.")) -> str:
    """The line under a tool after a save: saved (with the time), no name yet, or the store failed (with a download).
    ``done`` is English marked with N_(); it is shown in the kernel's language, as is the store's message."""
    if saved.ok:
        return f"<span class='course-status--saved'>{esc(_(done).format(time=clock(saved.at)))}</span>"
    if saved.no_learner or value is None:
        return f"<span class='course-warning'>{esc(_(saved.message))}</span>"
    return f"<span class='course-warning'>{esc(_(saved.message))}</span> {_keep_copy(value)}"


def save_button(item: str, module: str, snapshot) -> widgets.Widget:
    """"Save this scenario": stores the settings and results for the learner."""
    button = widgets.Button(description=_("Save this scenario"), icon="save")
    note = widgets.HTML()

    def save(_=None):
        value = snapshot()
        note.value = save_note(recorder.record(module, item, Kind.SCENARIO, value), value,
                               done=N_("Saved to your journal."))

    button.on_click(save)
    return widgets.HBox([button, note])


def show_tool(build, what: str | None = None) -> None:
    """Build a tool and display it; a broken data file or a bad preset shows one sentence, never a traceback.
    ``what`` names the tool in the reader's language (the caller's ``_()``); without it, "This activity"."""
    try:
        view = build()
    except (ContentError, CourseInputError) as problem:
        said = (_("This activity cannot start: {problem}").format(problem=problem) if what is None else
                _("{what} cannot start: {problem}").format(what=what, problem=problem))
        display(widgets.HTML(f"<p class='course-warning'>{esc(said)}</p>"))
        return
    display(view.widget)


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


def kip_note(usd: float) -> str:
    """" <span>(about 387,000 kip)</span>" after a USD price, at the rate in data/currency.yaml ('' when kip is off)."""
    from ..content.currency import load_currency
    local = load_currency()
    if local is None or usd != usd:  # NaN: no price to convert
        return ""
    return f" <span class='course-kip'>(about {escape(local.amount(usd))})</span>"


class PageActions(anywidget.AnyWidget):
    """Never shown: its browser half (``frontend/page_actions.js``) makes every tool's taps act on what the screen
    shows (values typed just before are sent first) and refuses a tap while the page is offline, in Voilà and in
    JupyterLab alike. Why, and the ipywidgets internals it relies on, are written there."""

    _esm = Path(__file__).parent / "frontend" / "page_actions.js"


_page_actions: PageActions | None = None


def keep_page_actions_in_order() -> None:
    """Open this kernel's one :class:`PageActions` (the widgets package does, when the first screen is imported)."""
    global _page_actions
    from IPython import get_ipython
    shell = get_ipython()
    if _page_actions is None and shell is not None and getattr(shell, "kernel", None) is not None:
        _page_actions = PageActions()
