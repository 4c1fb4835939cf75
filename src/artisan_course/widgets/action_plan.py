"""Module 08, wrap-up: the learner's action plan on screen, ``action_plan()``.

Three commitments, each with an action, a date and a "because"; the rules are in ``models/action_plan.py``.
Nothing typed is lost: every change is saved at once, partial commitments too (module "wrap-up", item
"action-plan", kind "action-plan"; one store row per sitting and per learner, updated in place).
The download is a printable page and a calendar file (.ics) with one all-day event per dated commitment.
"""
from __future__ import annotations

from datetime import date

import ipywidgets as widgets
from IPython.display import display

from ..documents.action_plan import plan_html, plan_ics
from ..models.action_plan import (COUNT, ITEM, MODULE, Commitment, from_value, is_ready, plan_value,  # noqa: F401
                                  problems, shown_status, status_line)  # (the rules, re-exported here for callers)
from ..state.recorder import AutoSave, Kind
from ..state.session import SESSION
from ..i18n import _
from .kit import esc, labelled, save_note


# -- the view ---------------------------------------------------------------------------------------------
class ActionPlan:
    def __init__(self, today: date | None = None):
        self.today_fixed = today
        self.autosave = AutoSave(MODULE, ITEM, Kind.ACTION_PLAN)
        self.loading = False
        self.fields = []
        cards = []
        for i in range(COUNT):
            action = widgets.Text(placeholder=_("What will you do? For example: visit Mrs. Keo's group to agree "
                                                "the May order"),
                                  layout=widgets.Layout(width="100%"))
            day = widgets.DatePicker(layout=widgets.Layout(width="auto"))
            because = widgets.Text(placeholder=_("Because … (the real reason)"), layout=widgets.Layout(width="100%"))
            note = widgets.HTML()
            for control in (action, day, because):
                control.observe(lambda _: self.changed(), "value")
            self.fields.append({"action": action, "date": day, "because": because, "note": note})
            title = _("Commitment {number}").format(number=i + 1)
            card = widgets.VBox([
                widgets.HTML(f"<p class='course-commitment-title'><strong>{esc(title)}</strong></p>"),
                self._field(_("I will"), action),
                widgets.HBox([self._field(_("By (date)"), day, "auto"), self._field(_("Because"), because, "auto")],
                             layout=widgets.Layout(width="100%", flex_flow="row wrap", align_items="flex-end")),
                note], layout=widgets.Layout(width="100%"))
            card.children[2].children[1].layout.flex = "1 1 420px"
            card.add_class("course-commitment")
            cards.append(card)
        self.status = widgets.HTML()
        self.status.add_class("course-plan-status")
        self.saved = widgets.HTML()
        self.download = widgets.Button(description=_("Download my plan"), icon="download",
                                       layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.download.on_click(lambda _: self.offer())
        self.links = widgets.HTML()
        self.widget = widgets.VBox([self.status, *cards, self.saved, self.download, self.links],
                                   layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-activity")
        self.widget.add_class("course-action-plan")
        self.show_state()
        SESSION.on_learner(self._restore)

    @staticmethod
    def _field(label: str, control, width: str = "100%"):
        return labelled(label, control, width)

    def today(self) -> date:
        return self.today_fixed or date.today()

    def commitments(self) -> list[Commitment]:
        return [Commitment(f["action"].value, f["date"].value.isoformat() if f["date"].value else "",
                           f["because"].value)
                for f in self.fields]

    def show_state(self) -> list[Commitment]:
        commitments = self.commitments()
        today = self.today()
        ready = _("Ready.")
        for f, c in zip(self.fields, commitments):
            found = problems(c, today)
            f["note"].value = ("<p class='course-warning'>" + " ".join(esc(p) for p in found) + "</p>" if found else
                               f"<p class='course-feedback-right'>✓ {esc(ready)}</p>" if is_ready(c, today) else "")
        self.status.value = f"<p><strong>{esc(shown_status(commitments, today))}</strong></p>"
        return commitments

    def changed(self) -> None:
        if self.loading:
            return
        commitments = self.show_state()
        self.links.value = ""  # an old download no longer matches the plan
        value = plan_value(commitments, self.today())
        self.saved.value = save_note(self.autosave.save(value), value)

    def _restore(self, learner) -> None:
        saved = self.autosave.latest(learner)
        # A learner with no saved plan sees empty commitments, never the previous learner's plan.
        self.loading = True
        try:
            for f, c in zip(self.fields, from_value(saved)):
                f["action"].value, f["because"].value, f["date"].value = c.action, c.because, c.day()
        finally:
            self.loading = False
        self.show_state()
        self.links.value = ""
        shown = _("Your saved plan is shown.")
        self.saved.value = f"<span class='course-status--saved'>{esc(shown)}</span>" if saved is not None else ""

    def offer(self) -> None:
        from ..documents.downloads import Download, offer_html
        from ..state.learner import safe_file_stem
        commitments = self.commitments()
        learner = SESSION.learner
        name = learner.name if learner else None
        stem = "action-plan" + (f"-{safe_file_stem(name)}" if name else "")
        items = [Download(f"{stem}.html", "text/html", plan_html(commitments, name, self.today()),
                          _("My plan (web page, printable)"))]
        if any(c.day() and c.action.strip() for c in commitments):
            items.append(Download(f"{stem}.ics", "text/calendar", plan_ics(commitments, name),
                                  _("Dates for my calendar (.ics)")))
        self.links.value = offer_html(items, name)


def action_plan() -> None:
    """Three commitments, each with an action, a date and a "because"; saved as you type."""
    display(ActionPlan().widget)
