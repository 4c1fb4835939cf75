"""Interactive activities for the negotiation modules, built on the learner store.

- ``persuader_self_assessment()``: the learner's preferred persuader style (module 01);
- ``review_scorecard()``: the deck's ten post-negotiation review questions, saved to the journal (module 02);
- ``orange_story()``: the three sisters and one orange, as a short scene (module 04).

Their content lives in data/*.yaml and is validated on load; answers are saved
for the learner and shown again when the notebook is reopened.
"""
from __future__ import annotations


import ipywidgets as widgets
from IPython.display import display

from ..i18n import _
from ..content.activities import ActivityDataError, load_activity  # noqa: F401 (ActivityDataError re-exported)
from ..models.activities import style_scores
from ..state import recorder
from ..state.recorder import Kind
from ..state.session import SESSION
from .kit import esc as _e, save_note


def _save(module: str, item: str, kind: Kind, value) -> recorder.Saved:
    return recorder.record(module, item, kind, value)


# -- persuader styles ------------------------------------------------------------------


class PersuaderSelfAssessment:
    ITEM = "persuader-style"

    def __init__(self, module: str = "people-persuaders"):
        self.data = load_activity("persuader_styles.yaml")
        self.module = module
        scale = self.data["scale"]
        self.ratings = [widgets.ToggleButtons(options=[(str(i + 1), i + 1) for i in range(len(scale))], value=None,
                                              tooltips=scale) for _ in self.data["statements"]]
        rows = [widgets.VBox([widgets.HTML(f"<p class='course-q-prompt'>{i + 1}. {_e(s['text'])}</p>"),
                              self.ratings[i]])
                for i, s in enumerate(self.data["statements"])]
        self.button = widgets.Button(description=_("See my style"), button_style="primary",
                                     layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.result = widgets.HTML()
        self.button.on_click(lambda _: self.show())
        legend = widgets.HTML("<p class='course-small'>1 = " + _e(scale[0]) + " … " + f"{len(scale)} = " + _e(scale[-1])
                              + "</p>")
        self.widget = widgets.VBox([legend, *rows, self.button, self.result])
        self.widget.add_class("course-activity")
        SESSION.on_learner(self._restore)

    def _restore(self, learner) -> None:
        saved = recorder.latest_answer(self.ITEM, Kind.SELF_ASSESSMENT, learner)
        if saved and len(saved.value.get("ratings", [])) == len(self.ratings):
            for widget, value in zip(self.ratings, saved.value["ratings"]):
                widget.value = value
            self.show(save=False)

    def show(self, save: bool = True) -> None:
        ratings = [w.value for w in self.ratings]
        if any(r is None for r in ratings):
            missing = ratings.index(None) + 1
            said = _("Please rate every statement first (statement {n} is empty).").format(n=missing)
            self.result.value = "<p class='course-warning'>" + _e(said) + "</p>"
            return
        scores = style_scores(self.data, ratings)
        order = sorted(scores, key=scores.get, reverse=True)
        top = self.data["styles"][order[0]]
        bars = "".join(
            f"<tr><td>{_e(self.data['styles'][s]['name'])} <span "
            f"class='course-small'>({self.data['styles'][s]['cost']})</span></td>"
            f"<td><span class='course-poll-bar' "
            f"style='display:inline-block;background:#23336b;height:.9em;width:{round(scores[s] * 50)}px'></span>"
            f" {scores[s]:.1f}</td></tr>" for s in order)
        self.result.value = (
            "<p class='course-feedback-right'>" + _e(_("Your strongest persuader: {name}.").format(name=top["name"]))
            + f"</p><table class='course-styles'>{bars}</table><p>{_e(top['summary'])} {_e(top['use'])}</p>"
            + "<p><strong>" + _("Use your team's strengths.") + f"</strong> {_e(self.data['team'])}</p>")
        if save:
            _save(self.module, self.ITEM, Kind.SELF_ASSESSMENT, {"ratings": ratings, "scores": scores, "top": order[0]})


def persuader_self_assessment() -> None:
    """Rate twelve statements and see your preferred persuader style."""
    display(PersuaderSelfAssessment().widget)


# -- review scorecard ---------------------------------------------------------------------
class ReviewScorecard:
    ITEM = "process-review"

    def __init__(self, module: str = "process"):
        self.data = load_activity("review_questions.yaml")
        self.module = module
        scale = self.data["scale"]
        self.negotiation = widgets.Text(placeholder=_("Which negotiation? For example: scarf order, May"),
                                        layout=widgets.Layout(width="100%"))
        self.scores = {q["id"]: widgets.ToggleButtons(options=[(label, i + 1) for i, label in enumerate(scale)],
                                                      value=None)
                       for q in self.data["questions"]}
        self.notes = {q["id"]: widgets.Text(placeholder=_("A note (optional)"), layout=widgets.Layout(width="100%"))
                      for q in self.data["questions"]}
        rows = [widgets.VBox([widgets.HTML(f"<p class='course-q-prompt'>{i + 1}. {_e(q['text'])}</p>"),
                              self.scores[q["id"]], self.notes[q["id"]]]) for i, q in enumerate(self.data["questions"])]
        self.button = widgets.Button(description=_("Save to my journal"), button_style="primary",
                                     layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.result = widgets.HTML()
        self.button.on_click(lambda _: self.save())
        heading = "<p class='course-q-prompt'>" + _e(_("The negotiation you are reviewing")) + "</p>"
        self.widget = widgets.VBox([widgets.HTML(heading),
                                    self.negotiation, *rows, self.button, self.result])
        self.widget.add_class("course-activity")
        SESSION.on_learner(self._restore)

    def _restore(self, learner) -> None:
        saved = recorder.latest_answer(self.ITEM, Kind.SCORECARD, learner)
        if saved:
            self.negotiation.value = saved.value.get("negotiation", "")
            for qid, value in saved.value.get("scores", {}).items():
                if qid in self.scores:
                    self.scores[qid].value = value
                    self.notes[qid].value = saved.value.get("notes", {}).get(qid, "")
            self.result.value = self._summary(saved.value["scores"])

    def _summary(self, scores: dict[str, int]) -> str:
        total, top = sum(scores.values()), len(scores) * len(self.data["scale"])
        weakest = sorted(self.data["questions"], key=lambda q: scores[q["id"]])[:3]
        tips = "".join(f"<li>{_e(q['text'])} <em>{_e(q['tip'])}</em></li>" for q in weakest if scores[q["id"]] <= 3)
        return ("<p class='course-feedback-right'>"
                + _e(_("Saved. Your review: {total} of {top}.").format(total=total, top=top)) + "</p>"
                + ("<p>" + _e(_("Work on these next time:")) + f"</p><ul>{tips}</ul>" if tips
                   else "<p>" + _e(_("Strong on every point. Well done.")) + "</p>"))

    def save(self) -> None:
        missing = [i + 1 for i, q in enumerate(self.data["questions"]) if self.scores[q["id"]].value is None]
        if missing:
            said = _("Please rate every question first (question {n} is empty).").format(n=missing[0])
            self.result.value = "<p class='course-warning'>" + _e(said) + "</p>"
            return
        value = {"negotiation": self.negotiation.value, "scores": {k: w.value for k, w in self.scores.items()},
                 "notes": {k: w.value for k, w in self.notes.items() if w.value.strip()}}
        saved = _save(self.module, self.ITEM, Kind.SCORECARD, value)
        if not saved.ok:
            self.result.value = f"<p>{save_note(saved, value)}</p>"
            return
        self.result.value = self._summary(value["scores"])


def review_scorecard() -> None:
    """The ten review questions as a scorecard, saved to the journal."""
    display(ReviewScorecard().widget)


# -- the orange story ---------------------------------------------------------------------
class OrangeStory:
    ITEM = "orange-story"

    def __init__(self, module: str = "contingency-why"):
        self.data = d = load_activity("orange_story.yaml")
        self.module = module
        self.first = widgets.RadioButtons(options=[(c["text"], c["key"]) for c in d["first_choices"]], value=None,
                                          layout=widgets.Layout(width="100%"))
        self.first_button = widgets.Button(description=_("Decide"), button_style="primary",
                                           layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.first_result = widgets.HTML()
        self.second = widgets.RadioButtons(options=[(c["text"], c["key"]) for c in d["second_choices"]], value=None,
                                           layout=widgets.Layout(width="100%"))
        self.second_button = widgets.Button(description=_("Decide"), button_style="primary",
                                            layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.second_box = widgets.VBox([], layout=widgets.Layout(display="none"))
        self.second_result = widgets.HTML()
        self.first_button.on_click(lambda _: self.decide_first())
        self.second_button.on_click(lambda _: self.decide_second())
        ask = _e(_("What do you do?"))
        self.widget = widgets.VBox([widgets.HTML(f"<p class='course-q-prompt'>{_e(d['intro'])} {ask}</p>"),
                                    self.first, self.first_button, self.first_result, self.second_box])
        self.widget.add_class("course-activity")

    def decide_first(self) -> None:
        choice = next((c for c in self.data["first_choices"] if c["key"] == self.first.value), None)
        if choice is None:
            first = _e(_("Please choose what you would do first."))
            self.first_result.value = f"<p class='course-warning'>{first}</p>"
            return
        # Follett's three words, in the reader's language (the data file keeps the English word as its key).
        term = {"domination": _("domination"), "compromise": _("compromise"), "integration": _("integration")}.get(
            choice["follett"], choice["follett"])
        calls = _e(_("Follett (1925) calls this {term}.")).replace("{term}", f"<em>{_e(term)}</em>")
        text = f"<p><strong>{_e(choice['result'])}</strong> {calls}</p>"
        if choice["follett"] == "integration":
            wants = _("{sister} wants {wants}.")
            reasons = "".join("<li>" + _e(wants.format(sister=r["sister"], wants=r["wants"])) + "</li>"
                              for r in self.data["reasons"])
            text += "<p>" + _e(_("You ask, and learn:")) + f"</p><ul>{reasons}</ul>"
            now = _e(_("Now what do you do?"))
            self.second_box.children = [widgets.HTML(f"<p class='course-q-prompt'>{now}</p>"),
                                        self.second, self.second_button, self.second_result]
            self.second_box.layout.display = ""
        else:
            text += "<p>" + _e(_("Try again: is there something you could ask before you decide?")) + "</p>"
            self.second_box.layout.display = "none"
        self.first_result.value = text
        _save(self.module, self.ITEM, Kind.SCENE, {"step": 1, "choice": choice["key"]})

    def decide_second(self) -> None:
        choice = next((c for c in self.data["second_choices"] if c["key"] == self.second.value), None)
        if choice is None:
            self.second_result.value = "<p class='course-warning'>" + _e(_("Please choose one.")) + "</p>"
            return
        mark = "course-feedback-right" if choice["right"] else "course-feedback-wrong"
        self.second_result.value = (f"<p class='{mark}'>{_e(choice['feedback'])}</p><p>{_e(self.data['lesson'])}</p>"
                                    "<p class='course-small'>"
                                    + _e(_("Source: {source}").format(source=self.data["source"])) + "</p>")
        _save(self.module, self.ITEM, Kind.SCENE, {"step": 2, "choice": choice["key"], "right": choice["right"]})


def orange_story() -> None:
    """The three sisters and one orange: ask why before you split."""
    display(OrangeStory().widget)
