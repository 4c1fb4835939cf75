"""The end-of-day evaluation (module 08): four ratings, the pace, two comments; saved like every other answer."""
from __future__ import annotations

import ipywidgets as widgets
from IPython.display import display

from ..content.activities import load_activity
from ..models.evaluation import ITEM, EvaluationIncomplete, check_answers
from ..state import recorder
from ..state.recorder import Kind
from ..state.session import SESSION
from ..i18n import N_, _
from .kit import esc as _e, save_note


# The answers are saved in English (the facilitator's export counts them by their words); each button shows its
# answer in the kernel's language. Marked here so that the interface catalog holds them.
CHOICES = (N_("Not at all"), N_("A little"), N_("Mostly"), N_("Fully"), N_("Too slow"), N_("About right"),
           N_("Too fast"))


def _choices(options: list[str]) -> list[tuple[str, str]]:
    """(label shown, value saved) for each answer: the label in the kernel's language, the value as written."""
    return [(_(option), option) for option in options]


class Evaluation:
    def __init__(self, module: str = "wrap-up"):
        self.form = load_activity("evaluation.yaml")
        self.module = module
        self.ratings = {r["id"]: widgets.ToggleButtons(options=_choices(self.form["scale"]), value=None)
                        for r in self.form["ratings"]}
        self.pace = widgets.ToggleButtons(options=_choices(self.form["pace"]["options"]), value=None)
        self.comments = {c["id"]: widgets.Textarea(placeholder=self.form["privacy"], continuous_update=False,
                                                   layout=widgets.Layout(width="100%", height="4em"))
                         for c in self.form["comments"]}
        rows = [widgets.VBox([widgets.HTML(f"<p class='course-q-prompt'>{i}. {_e(r['text'])}</p>"),
                              self.ratings[r["id"]]])
                for i, r in enumerate(self.form["ratings"], start=1)]
        n = len(rows) + 1
        rows.append(widgets.VBox([widgets.HTML(f"<p class='course-q-prompt'>{n}. {_e(self.form['pace']['text'])}</p>"),
                                  self.pace]))
        rows += [widgets.VBox([widgets.HTML(f"<p class='course-q-prompt'>{n + i}. {_e(c['text'])}</p>"),
                               self.comments[c["id"]]]) for i, c in enumerate(self.form["comments"], start=1)]
        self.button = widgets.Button(description=_("Send my evaluation"), button_style="primary",
                                     layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.result = widgets.HTML()
        self.button.on_click(lambda _: self.save())
        intro = widgets.HTML(f"<p>{_e(self.form['intro'])}</p><p class='course-small'>{_e(self.form['privacy'])}</p>")
        self.widget = widgets.VBox([intro, *rows, self.button, self.result])
        self.widget.add_class("course-activity")
        self.widget.add_class("course-evaluation")
        SESSION.on_learner(self._restore)

    def value(self) -> dict:
        return {"ratings": {k: w.value for k, w in self.ratings.items() if w.value is not None},
                "pace": self.pace.value,
                "comments": {k: w.value for k, w in self.comments.items() if w.value.strip()}}

    def _restore(self, learner) -> None:
        saved = recorder.latest(ITEM, Kind.EVALUATION, learner)
        if not saved:
            return
        for key, widget in self.ratings.items():
            widget.value = saved.get("ratings", {}).get(key)
        self.pace.value = saved.get("pace")
        for key, widget in self.comments.items():
            widget.value = saved.get("comments", {}).get(key, "")
        thanks = _("Thank you. Your evaluation was sent; you can change it and send it again.")
        self.result.value = f"<p class='course-feedback-right'>{_e(thanks)}</p>"

    def save(self) -> None:
        value = self.value()
        try:
            check_answers(self.form, value["ratings"], value["pace"])
        except EvaluationIncomplete as problem:
            self.result.value = f"<p class='course-warning'>{_e(problem)}</p>"
            return
        saved = recorder.record(self.module, ITEM, Kind.EVALUATION, value)
        note = save_note(saved, value, N_("Thank you. Your evaluation was sent at {time}."))
        self.result.value = f"<p>{note}</p>"


def evaluation() -> None:
    """The end-of-day evaluation form."""
    display(Evaluation().widget)
