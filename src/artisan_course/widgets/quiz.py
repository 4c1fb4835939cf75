"""Quiz widgets: ``quiz("anchoring")`` in a notebook shows that module's questions.

Every control is a standard ipywidget, so everything works from the keyboard.
Each Check is saved in the learner store (kind "quiz"); reopening the
notebook, even after a kernel restart, shows the last answers and the score.
"""
from __future__ import annotations

import weakref
from typing import Any

import ipywidgets as widgets
from IPython.display import display

from ..i18n import N_, _
from ..state.learner import in_voila, name_key
from ..state import recorder
from ..text import escape
from ..state.recorder import Kind
from ..state.session import SESSION
from .kit import save_note
from . import room
from .choices import Choices
from ..content.quiz_bank import Question, image_data_uri, load_bank
from ..content.quiz_markup import markup_css, code_block, has_maths, to_html, to_plain
from ..content.knowledge_check import held_feedback, load_knowledge_check
from ..content.words import words as split_words
from ..models.grading import (ROOM_SEED, ResponseError, answer_may_be_shown, correct_response, display_order, grade,
                               question_score)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Each place of an ordering question, marked for the catalog and translated where it is shown.
ORDINALS = [N_("1st"), N_("2nd"), N_("3rd"), N_("4th"), N_("5th"), N_("6th"), N_("7th"), N_("8th"), N_("9th"),
            N_("10th"), N_("11th"), N_("12th"), N_("13th"), N_("14th"), N_("15th"), N_("16th"), N_("17th"),
            N_("18th"), N_("19th"), N_("20th"), N_("21st"), N_("22nd"), N_("23rd"), N_("24th"), N_("25th"),
            N_("26th")]
CHOOSE_STEP = N_("choose a step")  # in the slides everyone sees the same order, so "B" means the same to all

QUIZ_CSS = ("""<style>
.course-quiz .widget-radio-box label, .course-quiz .widget-checkbox label { white-space: normal; line-height: 1.3;
  height: auto !important; min-height: var(--jp-widgets-inline-height, 28px); display: flex; flex-direction: row-reverse; justify-content: flex-end; align-items: center; gap: .4em; }
.course-quiz .widget-radio-box { width: 100%; }
/* A tick box before its words, as a radio button's circle (ipywidgets draws the box first: no reversing). */
.course-quiz .widget-checkbox label { flex-direction: row; justify-content: flex-start; cursor: pointer; }
.course-quiz .widget-checkbox { margin: 3px 0; }
.course-quiz .widget-radio-box label { cursor: pointer; }
.course-quiz .course-order-steps { list-style: none; margin: .1em 0 .4em .2em; padding: 0; }
.course-quiz .course-order-title { margin: .3em 0 .1em; }
.course-quiz .course-question { border-top: 2px solid #d9d2c3; padding-top: .4em; margin-top: .4em; }
/* JupyterLab's theme colours, so verdicts stay readable in the light and the dark theme */
.course-quiz .course-feedback-right { color: var(--jp-success-color1, #2e6b3a); font-weight: 700; }
.course-quiz .course-feedback-wrong { color: var(--jp-error-color1, #a3243b); font-weight: 700; }
.course-quiz .course-feedback-partial { color: var(--jp-warn-color1, #8a5400); font-weight: 700; }
/* options with maths (widgets/choices.py): checkboxes in radio-button rows, as large as the course's other boxes */
.reveal .course-quiz .course-choices input[type=checkbox] { width: 26px; height: 26px; flex: none; margin: 0; }
html.course-phone .reveal .course-quiz .course-choices input[type=checkbox] { width: 24px; height: 24px; }
""" + markup_css(".course-quiz") + """.course-quiz .course-q-image { margin: .3em 0; }
.course-quiz .course-q-image img { max-width: 100%; max-height: 35vh; height: auto; display: block; }
.course-quiz .course-answer-box input { min-width: 0; font-size: max(16px, 1em); }
.course-quiz .course-units { white-space: nowrap; }
.course-quiz .course-poll-bar { background: var(--jp-brand-color1, #23336b); height: .9em; display: inline-block; vertical-align: middle; }
</style>""")  # noqa: E501 (CSS; a line break would change the string)


_e = escape


class QuestionView:
    def __init__(self, question: Question, seed: str, on_change=None):
        self.q = question
        self.attempts: list[dict] = []
        self.on_change = on_change
        self.order = display_order(question, seed)
        self.options = {o["key"]: o for o in question.get("options") or question.get("items") or []}
        self.label = {key: f"{LETTERS[i]}. {to_plain(self.options[key]['text'])}" for i, key in enumerate(self.order)}
        self.control = self._build_control()
        # The first knowledge check (module 00) keeps its feedback for the end of the course: a first answer only.
        self.held = held_feedback(question.id)
        # A poll has no right answer, so its button does not say "Check".
        self.check = widgets.Button(description=_("Send") if question.type == "poll" or self.held else _("Check"),
                                    button_style="primary")
        self.reveal = widgets.Button(description=_("Show answer"), layout=widgets.Layout(display="none"))
        self.feedback = widgets.HTML()
        self.check.on_click(lambda _: self.submit())
        self.reveal.on_click(lambda _: self.show_answer())
        head = f"<p class='course-q-prompt'><strong>{to_html(question['prompt'])}</strong></p>"
        if question.get("situation"):
            head = f"<blockquote class='course-situation'>{to_html(question['situation'])}</blockquote>" + head
        if question.get("image"):
            head += self._image()
        if question.get("code"):
            head += code_block(question["code"])
        self.widget = widgets.VBox([widgets.HTML(head), self.control, widgets.HBox([self.check, self.reveal]),
                                    self.feedback])
        self.widget.add_class("course-question")
        # After Send or Check the page brings the answer's confirmation (and the room's bars) into view
        # (course-deck.js: course-into-view).
        self.widget.add_class("course-into-view-scope")
        self.feedback.add_class("course-into-view")
        self.feedback.add_class("course-feedback-box")
        self.room = room.attach(self)  # in a workshop: the live room view (facilitator) or the room's results (trainee)
        if self.room is not None:
            self.widget.children += (self.room.widget,)

    def _image(self) -> str:
        """The picture inlined in the page, so it shows offline in the slides and JupyterLab alike."""
        return (f"<figure class='course-q-image'><img src='{image_data_uri(self.q.data)}' "
                f"alt='{_e(self.q['image']['alt'])}'></figure>")

    # -- controls ----------------------------------------------------------------
    def _build_control(self) -> widgets.Widget:
        kind = self.q.type
        wide = widgets.Layout(width="100%")
        self.drawn = kind in ("single", "scenario", "poll", "multi") and any(
            has_maths(o["text"]) for o in self.options.values())
        if self.drawn:  # ipywidgets' labels are plain text: options with maths need their maths drawn
            return Choices(options=[{"key": k, "html": f"{LETTERS[i]}. {to_html(self.options[k]['text'])}"}
                                    for i, k in enumerate(self.order)],
                           multiple=kind == "multi", label=to_plain(self.q["prompt"]), layout=wide)
        if kind in ("single", "scenario", "poll"):
            return widgets.RadioButtons(options=[(self.label[k], k) for k in self.order], value=None, layout=wide)
        if kind == "truefalse":
            return widgets.RadioButtons(options=[(_("True"), True), (_("False"), False)], value=None)
        if kind == "multi":
            self.boxes = {k: widgets.Checkbox(description=self.label[k], indent=False, layout=wide) for k in self.order}
            return widgets.VBox(list(self.boxes.values()))
        if kind == "ordering":
            # The steps are listed first, so a learner reads them all before placing them; each place then says
            # "choose a step" (an empty list looked like nothing to do).
            mixed = _("The steps, in a mixed order:")
            steps = widgets.HTML(f"<p class='course-order-title'>{_e(mixed)}</p>"
                                 "<ul class='course-order-steps'>"
                                 + "".join(f"<li>{LETTERS[i]}. {to_html(self.options[k]['text'])}</li>"
                                           for i, k in enumerate(self.order)) + "</ul>")
            choices = [(_(CHOOSE_STEP), None)] + [(self.label[k], k) for k in self.order]
            self.slots = [widgets.Dropdown(options=choices, index=0, description=_(ORDINALS[i]),
                                           layout=widgets.Layout(width="100%", margin="2px 0"))
                          for i in range(len(self.order))]
            for slot in self.slots:
                slot.add_class("course-order-slot")
            places = widgets.HTML("<p class='course-order-title'>" + _e(_("Put them in order:")) + "</p>")
            return widgets.VBox([steps, places, *self.slots])
        if kind == "categorise":
            shown = self.q.get("category_labels") or {}  # a translated deck's labels; the answer keeps the English
            choices = [(_("choose"), None)] + [(shown.get(c, c), c) for c in self.q["categories"]]
            self.pickers = {k: widgets.Dropdown(options=choices, value=None) for k in self.order}
            rows = [widgets.HBox([widgets.HTML(f"{LETTERS[i]}. {to_html(self.options[k]['text'])}",
                                               layout=widgets.Layout(width="60%")), self.pickers[k]])
                    for i, k in enumerate(self.order)]
            return widgets.VBox(rows)
        if kind == "numeric":
            said = _("Type a number, or a fraction such as 3/4") if self.q.get("answers") else _("Type a number")
            self.number = widgets.Text(placeholder=said,
                                       layout=widgets.Layout(flex="1 1 12em", width="auto", max_width="20em"))
            self.number.add_class("course-answer-box")
            units = widgets.HTML(f"&nbsp;<span class='course-units'>{to_html(self.q['units'])}</span>"
                                 if self.q.get("units") else "")
            return widgets.HBox([self.number, units], layout=widgets.Layout(align_items="center", flex_flow="row wrap"))
        if kind == "text":
            self.number = widgets.Text(placeholder=_("Type your answer"), layout=widgets.Layout(width="100%"))
            self.number.add_class("course-answer-box")
            return self.number
        raise ValueError(kind)

    def response(self) -> Any:
        kind = self.q.type
        if self.drawn:
            return sorted(self.control.values) if kind == "multi" else self.control.value
        if kind in ("single", "scenario", "poll", "truefalse"):
            return self.control.value
        if kind == "multi":
            return sorted(k for k, box in self.boxes.items() if box.value)
        if kind == "ordering":
            return [slot.value for slot in self.slots]
        if kind == "categorise":
            return {k: picker.value for k, picker in self.pickers.items()}
        return self.number.value

    def set_response(self, response: Any) -> None:
        kind = self.q.type
        if self.drawn and kind == "multi":
            self.control.values = [k for k in self.order if k in (response or [])]
        elif kind in ("single", "scenario", "poll", "truefalse"):
            self.control.value = response
        elif kind == "multi":
            for k, box in self.boxes.items():
                box.value = k in (response or [])
        elif kind == "ordering":
            for slot, key in zip(self.slots, response or []):
                if key is None:
                    slot.index = 0  # "choose a step", not an empty list
                else:
                    slot.value = key
        elif kind == "categorise":
            for k, picker in self.pickers.items():
                picker.value = (response or {}).get(k)
        else:
            self.number.value = "" if response is None else str(response)

    # -- behaviour -----------------------------------------------------------------
    def submit(self) -> None:
        learner = SESSION.learner
        if learner is None:
            self.feedback.value = ("<p class='course-warning'>"
                                   + _e(_("Type your name at the top first, so your answers are kept.")) + "</p>")
            return
        # The kernel decides, from the store, not from the page: a click sent to a disabled button arrives here too.
        if self.room is not None and not self.room.accepting():
            self.feedback.value = ("<p class='course-warning'>" + _e(_("The facilitator has closed this question."))
                                   + "</p>")
            return
        if self.held and self.attempts:
            return  # only the first answer of the knowledge check counts; its feedback waits for module 08
        try:
            result = grade(self.q, self.response(), split_words)
        except ResponseError as exc:
            self.feedback.value = f"<p class='course-warning'>{_e(exc.shown(_))}</p>"
            return
        attempt = {"response": self.response(), "attempt": len(self.attempts) + 1, "correct": result.correct,
                   "revealed": False, "score": result.score}
        saved = recorder.record(self.q.module, self.q.id, Kind.QUIZ, attempt, score=result.score, learner=learner)
        self.attempts.append(attempt)
        self._show(result)
        if not saved.ok:
            self.feedback.value += f"<p>{save_note(saved)}</p>"

    def may_show_answer(self, revealed_to_room: bool | None = None) -> bool:
        """Whether "Show answer" is offered and honoured: earned by this learner's own tries (kept in the kernel, not
        the page) and, in a room, once the facilitator has revealed the question to the room (read from the store
        unless ``revealed_to_room`` is given)."""
        if not answer_may_be_shown(self.q, self.attempts):
            return False
        if self.room is None:
            return True
        return self.room.answer_shown() if revealed_to_room is None else revealed_to_room

    def show_answer(self) -> None:
        learner = SESSION.learner
        if learner is None:
            return
        if not self.may_show_answer():
            # A crafted click, or the facilitator hid the results meanwhile: nothing is recorded.
            self.reveal.layout.display = "none"
            waiting = ("<p class='course-warning'>" + _e(_("The facilitator shows the answer to the room."))
                       + "</p>")
            earned = self.room is not None and answer_may_be_shown(self.q, self.attempts)
            if earned and waiting not in self.feedback.value:
                self.feedback.value += waiting
            return
        right = correct_response(self.q)
        self.set_response(right)
        result = grade(self.q, right, split_words)
        attempt = {"response": right, "attempt": len(self.attempts) + 1, "correct": True, "revealed": True,
                   "score": 0.0}
        recorder.record(self.q.module, self.q.id, Kind.QUIZ, attempt, score=0.0, learner=learner)
        self.attempts.append(attempt)
        self._show(result, revealed=True)

    def _show(self, result, revealed: bool = False) -> None:
        if self.held:
            self.feedback.value = ("<p class='course-feedback-right'>"
                                   + _e(_("Saved. You will see the answers at the end of the course, in module 08."))
                                   + "</p>")
            self.check.disabled = bool(self.attempts)
            if self.on_change:
                self.on_change()
            return
        if self.q.type == "poll":
            verdict = ("<p class='course-feedback-right'>" + _e(_("Thank you for answering.")) + "</p>"
                       + self._poll_results())
        elif revealed:
            verdict = ("<p class='course-feedback-partial'>"
                       + _e(_("Here is the answer. This question scores 0, but you can learn from it.")) + "</p>")
        elif result.correct:
            verdict = "<p class='course-feedback-right'>" + _e(_("✓ Right.")) + "</p>"
        elif result.score:
            verdict = ("<p class='course-feedback-partial'>"
                       + _e(_("Partly right ({score}). Try again.").format(score=f"{result.score:.0%}")) + "</p>")
        else:
            verdict = "<p class='course-feedback-wrong'>" + _e(_("✗ Not quite. Try again.")) + "</p>"
        notes = "" if self.q.type == "poll" else "".join(f"<li>{to_html(f)}</li>" for f in result.feedback)
        source = ("<p class='course-small'>" + _e(_("Source: {source}").format(source=self.q["source"])) + "</p>"
                  if self.q.get("source") else "")
        self.feedback.value = (verdict + (f"<ul>{notes}</ul>" if notes else "")
                               + f"<p>{to_html(result.explanation)}</p>" + source)
        self.offer_answer()
        if self.on_change:
            self.on_change()

    def offer_answer(self, revealed_to_room: bool | None = None) -> None:
        """Show the "Show answer" button exactly when ``show_answer`` would honour it."""
        self.reveal.layout.display = "" if self.may_show_answer(revealed_to_room) else "none"

    def _poll_results(self) -> str:
        if self.room is not None:
            return self.room.after_send()
        answers = recorder.room_answers(self.q.id, Kind.QUIZ)
        counts = {k: 0 for k in self.order}
        for answer in answers:
            key = (answer.value or {}).get("response")
            if key in counts:
                counts[key] += 1
        total = sum(counts.values()) or 1
        rows = "".join(
            f"<tr><td>{_e(self.label[k])}</td><td><span class='course-poll-bar' "
            f"style='width:{round(200 * n / total)}px'></span>"
            f" {n}</td></tr>" for k, n in counts.items())
        said = _("Answers so far from everyone on this computer or server ({count}), without names:")
        return f"<p>{_e(said.format(count=sum(counts.values())))}</p><table class='course-poll'>{rows}</table>"

    def load(self, learner) -> None:
        self.attempts = [a.value | {"score": a.score} for a in recorder.history(self.q.id, Kind.QUIZ, learner)]
        if self.attempts:
            last = self.attempts[-1]
            self.set_response(last["response"])
            self._show(grade(self.q, last["response"], split_words), revealed=last.get("revealed", False))

    def score(self) -> float | None:
        return question_score(self.attempts)


# The quizzes shown in this kernel, by module: an answer on one slide updates the
# "Module quiz: x of n answered" line on every slide of the module.
_SHOWN: dict[str, weakref.WeakSet] = {}


class QuizView:
    def __init__(self, module_id: str, ids: list[str] | None = None):
        self.module_id = module_id
        questions = load_bank(module_id)
        if ids:
            known = {q.id: q for q in questions}
            missing = [i for i in ids if i not in known]
            if missing:
                raise KeyError(f"No question '{missing[0]}' in the {module_id} quiz bank.")
            questions = [known[i] for i in ids]
        seed = ROOM_SEED if in_voila() else name_key(SESSION.learner.name) if SESSION.learner else ROOM_SEED
        self.views = [QuestionView(q, seed, on_change=self.update_score) for q in questions]
        self.summary = widgets.HTML()
        self.widget = widgets.VBox([widgets.HTML(QUIZ_CSS)] + [v.widget for v in self.views] + [self.summary])
        self.widget.add_class("course-quiz")
        _SHOWN.setdefault(module_id, weakref.WeakSet()).add(self)
        SESSION.on_learner(self._load)
        self.update_score()

    def _load(self, learner) -> None:
        for view in self.views:
            view.load(learner)
        self.update_score()

    def update_score(self) -> None:
        """The score of the whole module's quiz, on this slide and on every other slide of the module that shows one.

        The module's progress is read once for all of them (a deck with seven quiz slides read it 49 times when a
        learner arrived: a quarter of a second of a trainee's kernel)."""
        views = list(_SHOWN.get(self.module_id, ()))
        learner = SESSION.learner
        progress = None
        if learner is not None and any(v.q.type != "poll" for view in views for v in view.views):
            from ..content.course_map import load_course_map
            from ..state.progress import module_progress
            try:
                progress = module_progress(SESSION.get_store(), learner, load_course_map().module(self.module_id))
            except recorder.STORE_ERRORS:  # the score line waits for the store; the answer's own note says why
                progress = None
        for view in views:
            view._show_score(progress)

    def _show_score(self, progress) -> None:
        scored = [v for v in self.views if v.q.type != "poll"]
        if not scored or progress is None:
            self.summary.value = ""
            return
        # How many are right would tell the first knowledge check's answers before module 08 does: there, say only
        # how many are answered.
        check = load_knowledge_check()
        held = check is not None and check.before == self.module_id
        if progress.scored_answered and not held:
            line = _("Module quiz: {answered} of {total} answered, {right} right the first time").format(
                answered=progress.quiz_answered, total=progress.quiz_total, right=progress.quiz_right)
        else:
            line = _("Module quiz: {answered} of {total} answered").format(answered=progress.quiz_answered,
                                                                           total=progress.quiz_total)
        only = _("Only your first answer counts.")
        self.summary.value = f"<p class='course-score'><strong>{_e(line)}</strong>. {_e(only)}</p>"


def quiz(module_id: str, ids: list[str] | None = None) -> None:
    """Show a module's quiz, or just the questions named in ``ids``."""
    display(QuizView(module_id, ids).widget)
