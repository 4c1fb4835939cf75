"""The room view: live polls, room quizzes and free-text cards on the facilitator's slide.

In workshop mode every poll and quiz question gets a room part (``attach``, called by ``quiz.py``):

- On the facilitator's slide (the server saw the facilitator's key when it started the kernel) a panel under the
  question shows how many have answered, and, once revealed, the distribution (and, for a quiz, the right answer).
  Buttons open and close the question, reveal and hide the results, show names (off by default: anonymous) and clear
  a practice run. The panel re-reads the store about once a second, only the rows added since the last read
  (``recorder.room_since``: an index range), so the projector follows the room with no reload.
- On a trainee's page the room part waits for the facilitator: a poll's results appear when they are revealed (never
  with names), and a closed question cannot be sent. The trainee's page reads only the small table of the
  facilitator's choices, once every second and a half, in one query for all of its questions.
- The kernel enforces what the page shows: a send, a "Show answer" or a reflection's text that reaches a closed or
  unrevealed question (a crafted message, or one sent just as the facilitator closed it) is checked against the
  store's state at that moment and refused, so nothing is recorded. "Show answer" in a room waits for the
  facilitator to reveal the question, and a shown answer never counts as a right first try on the projector
  (``Tally``) or the dashboard.

``room_reflection`` shows a reflection marked for the room: trainees get the usual reflection box; the facilitator's
slide shows the answers as cards revealed one by one, or as a word cloud.

Every learner's text is escaped where it is shown. Clearing a practice run never deletes an answer: the room simply
stops counting rows saved before it, and every journal keeps them.
"""
from __future__ import annotations

import asyncio
import html
import logging
import weakref
from typing import Callable

import ipywidgets as widgets
from IPython.display import display

from ..content.words import cloud_counts
from ..i18n import N_, _, ngettext
from ..models.grading import correct_response, counts_as_right
from ..state import recorder
from ..state.learner import PAGE_REQUEST, facilitator_kernel, in_workshop
from ..state.recorder import Kind
from ..state.store import PollState
from ..text import escape as _e


def _words(text: str) -> str:
    """The interface's own words in the kernel's language, safe as an element's text ("the room's" keeps its
    apostrophe, as the English always showed it)."""
    return html.escape(text, quote=False)

log = logging.getLogger(__name__)

FACILITATOR_SECONDS = 1.0   # how often the projector re-reads the room
TRAINEE_SECONDS = 1.5       # how often a trainee's page re-reads the facilitator's choices
CHOICE_TYPES = ("single", "scenario", "poll", "truefalse", "multi")
MAX_CLOUD_WORDS = 40
CLOSED = N_("The facilitator has closed this question.")

ROOM_CSS = """<style>
/* The room view (live polls): its own small block, next to the theme and never instead of it. */
.course-room { border: 2px solid #23336b; border-radius: 8px; padding: .4em .6em; margin-top: .5em; background: #f7f4ee; }
.course-room-status { font-size: .8em; line-height: 1.3; color: #4a5060; }
.course-room-answered { font-weight: 700; line-height: 1.2; margin: .1em 0 .3em; }
.course-room-count { font-size: 1.5em; font-weight: 700; color: #23336b; }
.course-room-buttons { flex-wrap: wrap; gap: .3em; }
.course-room-buttons .widget-button { width: auto; min-width: 7em; font-size: .8em; }
.course-room-table { border-collapse: collapse; width: 100%; font-size: .8em; line-height: 1.15; }
.course-room-table td { padding: .1em .4em; vertical-align: middle; text-align: left; }
.course-room-table td:first-child { width: 62%; }
.course-room-bar { background: #23336b; height: 1em; display: inline-block; vertical-align: middle; min-width: 2px; }
.course-room-right td:first-child { font-weight: 700; color: #2e6b3a; }
.course-room-names { font-size: .8em; color: #4a4a4a; }
.course-room-cards { display: flex; flex-wrap: wrap; gap: .5em; }
.course-room-card { background: #fff; border: 1px solid #b9ae98; border-radius: 6px; padding: .4em .6em; max-width: 22em;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.course-room-cloud { display: flex; flex-wrap: wrap; gap: .2em .6em; align-items: baseline; line-height: 1.1; }
.course-room-cloud span { color: #23336b; }
/* The facilitator's slide: the question (or, once revealed, its results) on the left, the room panel on the right.
   The panel is pinned at the top of the slide while the question scrolls (course-theme.css lets it stick). So the
   count, Reveal and Close are always in view with the question they belong to. */
.course-room-row { width: 100%; align-items: flex-start; column-gap: 1em; flex-wrap: nowrap; }
.course-room-row > .course-room-question { flex: 1 1 auto; min-width: 0; }
.course-room-row > .course-room-facilitator { flex: 0 0 17em; max-width: 40%; position: sticky; top: 0; z-index: 4;
  margin-top: 0; box-sizing: border-box; }
.course-room-facilitator .course-room-buttons { display: grid; grid-template-columns: 1fr 1fr; gap: .3em; }
.course-room-facilitator .course-room-buttons .widget-button { min-width: 0; width: 100%; padding: 4px 8px; }
.course-room-facilitator .course-room-quiet { margin-top: .4em; flex-wrap: wrap; gap: .3em; align-items: center; }
.course-room-quiet .widget-button.course-room-clear { background: transparent; color: #4a5060; border: 0;
  box-shadow: none; font-size: .7em; min-width: 0; min-height: 36px; padding: 0 4px; text-decoration: underline; }
.course-room-quiet .widget-button { font-size: .7em; min-width: 0; }
.course-room-confirm { font-size: .75em; line-height: 1.3; }
.course-room-results, .course-room-results > .widget-html-content { width: 100%; }
@media (max-width: 600px) { .course-room-buttons .widget-button { min-width: 45%; }
  .course-room-row { flex-wrap: wrap; } .course-room-row > .course-room-facilitator { flex: 1 1 100%; max-width: none; position: static; } }
</style>"""  # noqa: E501 (CSS; a line break would change the string)



# -- the clock: one task per kernel re-reads the room for every view on the page -----------------------------------
class _Clock:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.views: "weakref.WeakSet" = weakref.WeakSet()
        self.task: asyncio.Future | None = None

    def add(self, view) -> None:
        self.views.add(view)
        if self.task is None or self.task.done():
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no running loop (a plain script or a test): the view is read when it is made
                return
            self.task = loop.create_task(self._run())

    async def _run(self) -> None:
        while self.views:
            await asyncio.sleep(self.seconds)
            self.tick()

    def tick(self) -> None:
        views = list(self.views)
        if not views:
            return
        states = recorder.poll_states({v.item for v in views})
        for view in views:
            try:
                view.update(states.get(view.item) or PollState(view.item))
            except Exception:  # one view's trouble must never stop the room's clock
                log.exception("room view %s could not update", view.item)


_clocks: dict[float, _Clock] = {}


def _clock(seconds: float) -> _Clock:
    if seconds not in _clocks:
        _clocks[seconds] = _Clock(seconds)
    return _clocks[seconds]


def room_state(item: str) -> PollState:
    """The facilitator's choices for one item as the store holds them now (the defaults if never touched)."""
    return recorder.poll_states([item]).get(item) or PollState(item)


# -- counting ------------------------------------------------------------------------------------------------
class Tally:
    """One item's answers, read incrementally: only rows with an id above the last one read.

    ``latest`` holds each learner's latest answer (a poll may be changed), ``first`` each learner's first (a quiz's
    first try is what counts). A row saved by "Show answer" is not an answer: it is neither a first try nor counted
    as answered.
    """

    def __init__(self, item: str, kind: Kind = Kind.QUIZ):
        self.item, self.kind = item, kind
        self.cleared_after = 0
        self.after = 0
        self.first: dict[int, object] = {}
        self.latest: dict[int, object] = {}

    def refresh(self, cleared_after: int = 0) -> bool:
        """Read what is new; True if anything changed."""
        changed = False
        if cleared_after != self.cleared_after:
            self.cleared_after = self.after = cleared_after
            self.first.clear()
            self.latest.clear()
            changed = True
        rows = recorder.room_since(self.item, self.kind, self.after)
        for row in rows:
            self.after = row.id
            if isinstance(row.value, dict) and row.value.get("revealed"):
                continue
            self.first.setdefault(row.learner_id, row)
            self.latest[row.learner_id] = row
        return changed or bool(rows)

    @property
    def answered(self) -> int:
        return len(self.latest)


def _keys(response) -> list:
    if isinstance(response, list):
        return response
    return [response]


def choice_counts(question_view, rows) -> dict:
    """How many chose each option (a multiple-choice answer counts once for each box ticked)."""
    counts = {key: 0 for key in _choice_keys(question_view)}
    for row in rows:
        for key in _keys((row.value or {}).get("response")):
            if key in counts:
                counts[key] += 1
    return counts


def _choice_keys(question_view) -> list:
    if question_view.q.type == "truefalse":
        return [True, False]
    return list(question_view.order)


def _label(question_view, key) -> str:
    if question_view.q.type == "truefalse":
        return _("True") if key else _("False")
    return question_view.label[key]


def _right_keys(question_view) -> list:
    right = correct_response(question_view.q)
    return [] if right is None else _keys(right)


def results_html(question_view, rows, names: dict[int, str] | None = None, right_answer: bool = True) -> str:
    """The distribution of ``rows`` as bars (escaped labels; names under an option only when given)."""
    q = question_view.q
    if q.type in CHOICE_TYPES:
        counts = choice_counts(question_view, rows)
        right = _right_keys(question_view) if right_answer and q.type != "poll" else []
        top = max(counts.values(), default=0) or 1
        lines = []
        for key, n in counts.items():
            who = ""
            if names:
                chose = [names.get(r.learner_id, "") for r in rows if key in _keys((r.value or {}).get("response"))]
                who = f"<div class='course-room-names'>{_e(', '.join(sorted(filter(None, chose))))}</div>"
            mark = " ✓" if key in right else ""
            lines.append(f"<tr class='{'course-room-right' if key in right else ''}'>"
                         f"<td>{_e(_label(question_view, key))}{mark}"
                         f"{who}</td><td><span class='course-room-bar' "
                         f"style='width:{round(85 * n / top)}%'></span> <strong>{n}</strong></td></tr>")
        table = f"<table class='course-room-table'>{''.join(lines)}</table>"
    else:  # ordering, categorise, numeric: right or not on the first try
        good = sum(1 for r in rows if counts_as_right(r.value))
        right_word, not_yet = _("Right"), _("Not yet right")
        table = (f"<table class='course-room-table'><tr "
                 f"class='course-room-right'><td>{_words(right_word)}</td><td><strong>{good}</strong>"
                 f"</td></tr><tr><td>{_words(not_yet)}</td><td><strong>{len(rows) - good}</strong></td></tr></table>")
    if right_answer and q.type != "poll":
        said = _("Right answer:")
        table += f"<p><strong>{_words(said)}</strong> {_e(right_answer_text(question_view))}</p>"
    return table


def right_answer_text(question_view) -> str:
    q = question_view.q
    right = correct_response(q)
    if q.type in ("single", "scenario", "multi", "truefalse"):
        return "; ".join(_label(question_view, k) for k in _keys(right))
    if q.type == "ordering":
        return " → ".join(question_view.options[k]["text"] for k in right)
    if q.type == "categorise":
        shown = q.get("category_labels") or {}
        return "; ".join(f"{question_view.options[k]['text']}: {shown.get(c, c)}" for k, c in right.items())
    return f"{right} {q.get('units', '')}".strip()


def _button(description: str, on_click: Callable, style: str = "") -> widgets.Button:
    button = widgets.Button(description=description, button_style=style)
    button.on_click(lambda _: on_click())
    return button


class _FacilitatorPanel:
    """What every facilitator panel shares: the state, the buttons that change it, the clock.

    ``panel`` is the box beside the question (status, buttons); ``body`` (the results) goes where the question's
    answers are, and ``widget`` is what the page shows: the two side by side (``_beside``).
    """

    noun = "question"

    def __init__(self, item: str):
        self.item = item
        self.state = PollState(item)
        self.status = widgets.HTML()
        self.body = widgets.HTML()
        self.body.add_class("course-room-results")
        self.reveal = _button(_("Reveal results"), self._toggle_reveal, "primary")
        self.openness = _button(self._close_word(), self._toggle_open)
        self.names = _button(_("Show names"), self._toggle_names)
        self.reveal.add_class("course-room-reveal")
        self.openness.add_class("course-room-open")
        # The least wanted button mid-session: quiet, at the bottom, and it asks first (``_ask_clear``).
        self.clear = _button(_("Clear practice run…"), self._ask_clear)
        self.clear.add_class("course-room-clear")
        self.confirm = widgets.HTML()
        self.confirm.add_class("course-room-confirm")
        self.yes_clear = _button(_("Yes, clear the count"), self._clear, "danger")
        self.keep = _button(_("Keep counting"), self._keep)
        for button in (self.yes_clear, self.keep):
            button.layout.display = "none"
        self.buttons = widgets.HBox(self._buttons())
        self.buttons.add_class("course-room-buttons")
        self.quiet = widgets.HBox([self.clear, self.confirm, self.yes_clear, self.keep])
        self.quiet.add_class("course-room-quiet")
        self.panel = widgets.VBox([widgets.HTML(ROOM_CSS), self.status, self.buttons, self.quiet])
        self.panel.add_class("course-room")
        self.panel.add_class("course-room-facilitator")
        self.widget = self.panel
        # The deck's script tells the server which questions the room's slide shows (the dashboard's "has not
        # answered this question yet"); the panel stays on the question's slide wherever it is placed.
        self.panel.add_class(f"course-room-item--{item}")

    def _buttons(self) -> list:
        return [self.reveal, self.openness, self.names]

    @staticmethod
    def _beside(question: widgets.Widget, panel: widgets.Widget) -> widgets.Widget:
        question.add_class("course-room-question")
        row = widgets.HBox([question, panel])
        row.add_class("course-room-row")
        return row

    def accepting(self) -> bool:
        return True

    def answer_shown(self) -> bool:
        return True

    def after_send(self) -> str:
        return ""

    def start(self) -> None:
        states = recorder.poll_states([self.item])
        self.update(states.get(self.item) or PollState(self.item), force=True)
        _clock(FACILITATOR_SECONDS).add(self)

    def _set(self, clear: bool = False, **changes) -> None:
        state = recorder.set_poll(self.item, clear=clear, **changes)
        if state is not None:
            self.update(state, force=True)

    def _toggle_reveal(self) -> None:
        self._set(revealed=not self.state.revealed)

    def _toggle_open(self) -> None:
        self._set(open=not self.state.open)

    def _toggle_names(self) -> None:
        self._set(names=not self.state.names)

    def _ask_clear(self) -> None:
        """The first press only asks: a practice run is cleared by the second, "Yes, clear the count"."""
        self.clear.layout.display = "none"
        self.yes_clear.layout.display = self.keep.layout.display = ""
        ask = _("Start the count again from 0? The answers so far stop counting here; every trainee's journal keeps "
                "them.")
        self.confirm.value = "<span>" + _words(ask) + "</span>"

    def _keep(self) -> None:
        self.clear.layout.display = ""
        self.yes_clear.layout.display = self.keep.layout.display = "none"
        self.confirm.value = ""

    def _clear(self) -> None:
        self._keep()
        self._set(clear=True)  # refused (and nothing cleared) outside the facilitator's kernel: recorder.set_poll

    def _label_buttons(self) -> None:
        self.reveal.description = _("Hide results") if self.state.revealed else _("Reveal results")
        self.openness.description = self._close_word() if self.state.open else self._reopen_word()
        self.names.description = _("Hide names") if self.state.names else _("Show names")

    def _close_word(self) -> str:
        return _("Close poll") if self.noun == "poll" else _("Close question")

    def _reopen_word(self) -> str:
        return _("Reopen poll") if self.noun == "poll" else _("Reopen question")

    def update(self, state: PollState, force: bool = False) -> None:
        raise NotImplementedError


class QuestionPanel(_FacilitatorPanel):
    """Beside a poll or quiz question on the facilitator's slide; its results take the place of its options."""

    def __init__(self, question_view):
        self.view = question_view
        self.noun = "poll" if question_view.q.type == "poll" else "question"
        self.tally = Tally(question_view.q.id, Kind.QUIZ)
        super().__init__(question_view.q.id)
        # The projector shows the question, not the facilitator's own answer buttons.
        question_view.check.layout.display = "none"
        # The question and this panel side by side; the results go under the prompt, where the options were.
        question = question_view.widget
        parts = list(question.children)
        at = parts.index(question_view.control) + 1 if question_view.control in parts else len(parts)
        column = widgets.VBox(parts[:at] + [self.body] + parts[at:])
        # After Reveal (or Close) the question and its results stay in view, its prompt never above the screen.
        column.add_class("course-into-view")
        column.add_class("course-into-view-top")
        question.children = (self._beside(column, self.panel),)
        self.widget = widgets.VBox([])  # the room part's own place under the question stays empty
        self.start()

    def update(self, state: PollState, force: bool = False) -> None:
        changed = self.tally.refresh(state.cleared_after)
        if not (changed or force or state != self.state):
            return
        self.state = state
        self._label_buttons()
        answered = self.tally.answered
        people = ngettext("person has answered.", "people have answered.", answered)
        where = _("open") if state.open else _("closed")
        shown = _("results shown") if state.revealed else _("results hidden")
        room_line = (_("Room poll: {where}, {shown}.") if self.noun == "poll"
                     else _("Room question: {where}, {shown}.")).format(where=where, shown=shown)
        self.status.value = (f"<div class='course-room-status'>{_words(room_line)}</div>"
                             f"<div class='course-room-answered'><span class='course-room-count' "
                             f"data-answered='{answered}'>{answered}</span> {_words(people)}</div>")
        # Revealed, the results take the place of the options, so the projector shows them without scrolling.
        self.view.control.layout.display = "none" if state.revealed else ""
        if not state.revealed:
            self.body.value = ""
            return
        poll = self.view.q.type == "poll"
        rows = list((self.tally.latest if poll else self.tally.first).values())
        names = recorder.room_names(r.learner_id for r in rows) if state.names else None
        heading = "" if poll else "<p>" + _words(_("First answers:")) + "</p>"
        self.body.value = heading + results_html(self.view, rows, names)


class TraineeRoom:
    """On a trainee's page: the room's results once revealed; a closed question cannot be sent."""

    def __init__(self, question_view):
        self.view = question_view
        self.item = question_view.q.id
        self.state = PollState(self.item)
        self.sent = False
        self.seen: tuple | None = None
        self.results = ""
        self.widget = widgets.HTML()
        self.widget.add_class("course-room-trainee")
        self.widget.add_class("course-into-view")  # the room's bars come into view (course-deck.js)
        states = recorder.poll_states([self.item])
        self.update(states.get(self.item) or PollState(self.item))
        _clock(TRAINEE_SECONDS).add(self)

    def accepting(self) -> bool:
        """Open now, as the store says (never the page, never the last tick): a closed question records nothing."""
        return room_state(self.item).open

    def answer_shown(self) -> bool:
        """The facilitator has revealed this question to the room now (the store says so)."""
        return room_state(self.item).revealed

    def after_send(self) -> str:
        """Called when the trainee's answer is shown: the room part says what comes next."""
        self.sent = True
        self._render()
        return ""

    def _render(self) -> None:
        state = self.state
        closed = "" if state.open else "<p class='course-room-closed'>" + _words(_(CLOSED)) + "</p>"
        if state.revealed:
            value = self.results
        elif self.sent and self.view.q.type == "poll":
            value = closed + ("<p class='course-room-wait'>"
                              + _words(_("The room's results appear here when the facilitator shows them.")) + "</p>")
        else:
            value = closed
        if self.widget.value != value:
            self.widget.value = value

    def update(self, state: PollState) -> None:
        was = self.state
        self.state = state
        if state.open != was.open or not state.open:
            self.view.check.disabled = not state.open
        if state.revealed != was.revealed:
            self.view.offer_answer(state.revealed)
        if not state.revealed:
            self.seen = None
            self._render()
            return
        mark = recorder.room_changed(self.item, Kind.QUIZ, state.cleared_after)
        if mark is not None and (mark, state) == self.seen:
            return
        self.seen = (mark, state)
        if self.view.q.type == "poll":
            rows = recorder.room_latest(self.item, Kind.QUIZ, state.cleared_after)
        else:  # a quiz shows each person's first try
            tally = Tally(self.item)
            tally.refresh(state.cleared_after)
            rows = list(tally.first.values())
        closed = "" if state.open else " " + _words(_(CLOSED))
        answers = _words(_("The room's answers ({count}), without names:").format(count=len(rows)))
        self.results = (ROOM_CSS + f"<div class='course-room course-room-shown'><p><strong>{answers}"
                        f"</strong>{closed}</p>" + results_html(self.view, rows)
                        + "</div>")
        self._render()


class _WhenPageArrives:
    """A room part built once the page request has arrived.

    A preheated kernel runs the deck before any page asks for it, so it cannot yet know whether the page will be
    the facilitator's (the server says so with the request). Until then this shows an empty box and accepts answers.
    """

    def __init__(self, item: str, build: Callable[[], object]):
        self.item = item
        self.widget = widgets.VBox([])
        self.part = None

        def arrived() -> None:
            self.part = build()
            self.widget.children = (self.part.widget,)

        PAGE_REQUEST.when_arrived(arrived)

    def accepting(self) -> bool:
        return self.part.accepting() if self.part is not None else room_state(self.item).open

    def answer_shown(self) -> bool:
        return self.part.answer_shown() if self.part is not None else room_state(self.item).revealed

    def after_send(self) -> str:
        return self.part.after_send() if self.part is not None else ""


def attach(question_view):
    """The room part for a question in a workshop (None elsewhere: self-study and `slides` are as before)."""
    if not in_workshop():
        return None

    def build():
        return QuestionPanel(question_view) if facilitator_kernel() else TraineeRoom(question_view)

    return _WhenPageArrives(question_view.q.id, build) if PAGE_REQUEST.pending() else build()


# -- free text: cards and a word cloud ------------------------------------------------------------------------
def cloud_html(texts) -> str:
    """The room's words, bigger the more often they were written: whole words in English and in Lao (split with a
    Lao word dictionary, since Lao has no spaces), leaving out the stop words of data/stop_words.txt."""
    counts = cloud_counts(texts).most_common(MAX_CLOUD_WORDS)
    if not counts:
        return "<p>" + _words(_("No words yet.")) + "</p>"
    top = counts[0][1]
    spans = [f"<span style='font-size:{1 + 1.8 * (n - 1) / max(top - 1, 1):.2f}em' title='{n}'>{_e(word)}</span>"
             for word, n in sorted(counts)]
    return f"<div class='course-room-cloud'>{''.join(spans)}</div>"


class TextPanel(_FacilitatorPanel):
    """A reflection's answers on the facilitator's slide: cards one by one, or a word cloud."""

    noun = "question"

    def __init__(self, item: str, prompt: str):
        self.prompt = prompt
        self.mark: tuple | None = None
        self.rows: list = []
        self.cloud = False
        self.next_card = _button(_("Next card"), self._next)
        self.as_cloud = _button(_("Word cloud"), self._toggle_cloud)
        super().__init__(item)
        self.reveal.description = _("Show all")
        head = widgets.HTML(f"<p class='course-q-prompt'><strong>{_e(prompt)}</strong></p>")
        self.widget = self._beside(widgets.VBox([head, self.body]), self.panel)
        self.start()

    def _buttons(self) -> list:
        return [self.next_card, self.as_cloud, self.reveal, self.openness, self.names]

    def _next(self) -> None:
        self._set(cards=min(self.state.cards + 1, len(self.rows)))

    def _toggle_cloud(self) -> None:
        self.cloud = not self.cloud
        self.update(self.state, force=True)

    def _label_buttons(self) -> None:
        super()._label_buttons()
        self.reveal.description = _("Hide all") if self.state.revealed else _("Show all")
        self.as_cloud.description = _("Cards") if self.cloud else _("Word cloud")

    def update(self, state: PollState, force: bool = False) -> None:
        mark = recorder.room_changed(self.item, Kind.REFLECTION, state.cleared_after)
        if not (force or state != self.state or mark != self.mark):
            return
        self.mark = mark
        self.rows = [r for r in recorder.room_latest(self.item, Kind.REFLECTION, state.cleared_after)
                     if str(r.value or "").strip()]
        self.state = state
        self._label_buttons()
        count = len(self.rows)
        shown = count if state.revealed else min(state.cards, count)
        where = _("open") if state.open else _("closed")
        room_line = _("Room question: {where}.").format(where=where)
        answers = ngettext("answer, {shown} shown.", "answers, {shown} shown.", count).format(shown=shown)
        self.status.value = (f"<div class='course-room-status'>{_words(room_line)}</div>"
                             f"<div class='course-room-answered'><span class='course-room-count' "
                             f"data-answered='{count}'>{count}</span> {_words(answers)}</div>")
        visible = self.rows[:shown]
        if self.cloud:
            none_yet = "<p>" + _words(_("No words shown yet.")) + "</p>"
            self.body.value = cloud_html(r.value for r in visible) if visible else none_yet
            return
        names = recorder.room_names(r.learner_id for r in visible) if state.names else {}
        cards = "".join(
            f"<div class='course-room-card'>{_e(r.value)}"
            + (f"<div class='course-room-names'>{_e(names.get(r.learner_id, ''))}</div>" if names else "") + "</div>"
            for r in visible)
        self.body.value = f"<div class='course-room-cards'>{cards}</div>"


class _ReflectionRoom:
    """A trainee's reflection box that the facilitator can close: the box is disabled on the page, and the kernel
    refuses any text that reaches it while the store says the question is closed."""

    def __init__(self, reflection, item: str):
        self.reflection, self.item = reflection, item
        self.state = PollState(item)
        reflection.accepting = self.accepting
        self.update(room_state(item))
        _clock(TRAINEE_SECONDS).add(self)

    def accepting(self) -> bool:
        return room_state(self.item).open

    def update(self, state: PollState) -> None:
        if state.open != self.state.open:
            from .reflection import CLOSED_NOT_SAVED
            if not state.open or self.reflection.draft_key:  # a box opens only once it knows its learner
                self.reflection.disabled = not state.open
            self.reflection.message = "" if state.open else _(CLOSED)
            if state.open and self.reflection.problem == _(CLOSED_NOT_SAVED):
                self.reflection.problem = ""
        self.state = state


_keep: list = []  # trainee room parts live as long as the page's kernel


def room_reflection(item: str, prompt: str, hints: list[str] | None = None, module: str | None = None) -> None:
    """A reflection marked for the room: the box for trainees, cards or a word cloud on the facilitator's slide."""
    if in_workshop() and PAGE_REQUEST.pending():  # a preheated kernel: whose page this is comes with the request
        holder = widgets.VBox([])
        holder.add_class("course-room-holder")
        PAGE_REQUEST.when_arrived(lambda: setattr(holder, "children",
                                                  (_room_reflection_part(item, prompt, hints, module),)))
        display(holder)
        return
    display(_room_reflection_part(item, prompt, hints, module))


def _room_reflection_part(item: str, prompt: str, hints: list[str] | None, module: str | None):
    if in_workshop() and facilitator_kernel():
        return TextPanel(item, prompt).widget
    from .reflection import PRIVACY_NOTE, Reflection
    box = Reflection(item, prompt, hints, module=module)
    if in_workshop():
        box.privacy = _(PRIVACY_NOTE) + " " + _("The facilitator may show your answer on the projector; names stay "
                                                 "hidden unless the facilitator turns them on.")
        _keep.append(_ReflectionRoom(box, item))
    return box
