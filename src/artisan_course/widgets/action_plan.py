"""Module 08, wrap-up: the learner's action plan, ``action_plan()``.

Three commitments, each with an action, a date and a "because". The deck's advice: always give a reason
(for research on reasons, see Langer, Blank & Chanowitz 1978, taught in module 05).

Rules, written for the course:
- A commitment is ready when it has an action, a reason and a date that is today or later.
- Nothing typed is lost: every change is saved at once, partial commitments too (module "wrap-up",
  item "action-plan", kind "action-plan"; one store row per sitting, updated in place).
- The download is a printable page and a calendar file (.ics) with one all-day event per dated commitment.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import ipywidgets as widgets
from IPython.display import display

from ..state.session import SESSION

MODULE = "wrap-up"
ITEM = "action-plan"
KIND = "action-plan"
COUNT = 3


@dataclass(frozen=True)
class Commitment:
    action: str = ""
    date: str = ""  # ISO date, "" when not chosen
    because: str = ""

    @classmethod
    def from_value(cls, value) -> "Commitment":
        if not isinstance(value, dict):
            return cls()
        return cls(str(value.get("action") or ""), str(value.get("date") or ""), str(value.get("because") or ""))

    def as_dict(self) -> dict:
        return {"action": self.action, "date": self.date, "because": self.because}

    @property
    def empty(self) -> bool:
        return not (self.action.strip() or self.date or self.because.strip())

    def day(self) -> date | None:
        try:
            return date.fromisoformat(self.date) if self.date else None
        except ValueError:
            return None


def problems(c: Commitment, today: date) -> list[str]:
    """What keeps a commitment from being ready, in plain sentences. An empty commitment has none."""
    if c.empty:
        return []
    found = []
    if not c.action.strip():
        found.append("Write the action: what will you do?")
    if not c.because.strip():
        found.append("Add a reason: why will you do it? Always give a \"because\".")
    day = c.day()
    if day is None:
        found.append("Choose a date.")
    elif day < today:
        found.append(f"The date {day:%d %B %Y} is in the past. Choose today or a later date.")
    return found


def is_ready(c: Commitment, today: date) -> bool:
    return not c.empty and not problems(c, today)


def status_line(commitments: list[Commitment], today: date) -> str:
    ready = sum(is_ready(c, today) for c in commitments)
    return f"{ready} of {len(commitments)} commitments ready"


def plan_summary(commitments: list[Commitment], today: date) -> str:
    parts = []
    for i, c in enumerate(commitments, start=1):
        if c.empty:
            continue
        when = f" by {c.date}" if c.date else ""
        why = f", because {c.because.strip()}" if c.because.strip() else ""
        parts.append(f"{i}. {c.action.strip() or '(no action yet)'}{when}{why}.")
    return f"{status_line(commitments, today)}." + (" " + " ".join(parts) if parts else "")


def plan_value(commitments: list[Commitment], today: date) -> dict:
    """What is saved: every commitment, partial ones too, and a readable summary."""
    return {"commitments": [c.as_dict() for c in commitments], "summary": plan_summary(commitments, today)}


def from_value(value) -> list[Commitment]:
    items = value.get("commitments", []) if isinstance(value, dict) else []
    commitments = [Commitment.from_value(v) for v in items[:COUNT]]
    return commitments + [Commitment()] * (COUNT - len(commitments))


# -- downloads ---------------------------------------------------------------------------------------
def _esc(text) -> str:
    import html
    return html.escape(str(text), quote=True)


PLAN_CSS = """
body { font-family: "Noto Sans", "Noto Sans Lao", "DejaVu Sans", Arial, sans-serif; color: #1b1f2a; max-width: 50em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; font-size: 13pt; }
h1 { color: #23336b; font-size: 1.6em; }
.commitment { border-left: 6px solid #b86e00; background: #fff4e0; padding: .5em .9em; margin: 0 0 1em;
              overflow-wrap: anywhere; }
.commitment h2 { font-size: 1.1em; margin: 0 0 .3em; color: #23336b; }
.commitment p { margin: .2em 0; white-space: pre-wrap; }
.credit { color: #4a5060; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } .commitment { break-inside: avoid; } }
"""


def plan_html(commitments: list[Commitment], learner_name: str | None, today: date) -> str:
    """A standalone, printable page. Every piece of text is escaped; no external assets."""
    who = f": {learner_name}" if learner_name else ""
    blocks = []
    for i, c in enumerate(commitments, start=1):
        if c.empty:
            continue
        day = c.day()
        blocks.append(f"<div class='commitment'><h2>Commitment {i}</h2>"
                      f"<p><strong>I will:</strong> {_esc(c.action.strip() or '-')}</p>"
                      f"<p><strong>By:</strong> {_esc(f'{day:%d %B %Y}' if day else '-')}</p>"
                      f"<p><strong>Because:</strong> {_esc(c.because.strip() or '-')}</p></div>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>My action plan{_esc(who)}</title><style>{PLAN_CSS}</style></head><body>"
            f"<h1>My action plan{_esc(who)}</h1><p>{_esc(status_line(commitments, today))}.</p>"
            + ("".join(blocks) or "<p>No commitments written yet.</p>")
            + f"<p class='credit'>Written on {today:%d %B %Y}. From the course \"Warm with the people, tough on "
              "business needs\", based on the workshop deck by Huyen T.T.P. and Long N.H. (October 2024).</p>"
            "</body></html>\n")


def plan_ics(commitments: list[Commitment], learner_name: str | None = None) -> bytes:
    """A calendar file: one all-day event per commitment that has an action and a date."""
    from icalendar import Calendar, Event
    calendar = Calendar()
    calendar.add("prodid", "-//Artisan course//Action plan//EN")
    calendar.add("version", "2.0")
    stamp = datetime.now(timezone.utc)
    owner = "".join(ch for ch in (learner_name or "learner").lower() if ch.isalnum()) or "learner"
    for i, c in enumerate(commitments, start=1):
        day = c.day()
        if day is None or not c.action.strip():
            continue
        event = Event()
        event.add("uid", f"action-plan-{owner}-{i}-{day.isoformat()}@artisan-course")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", c.action.strip())
        if c.because.strip():
            event.add("description", f"Because {c.because.strip()}")
        calendar.add_component(event)
    return calendar.to_ical()


# -- the view ---------------------------------------------------------------------------------------------
class ActionPlan:
    def __init__(self, today: date | None = None):
        self.today_fixed = today
        self.row_id: int | None = None
        self.loading = False
        self.fields = []
        cards = []
        for i in range(COUNT):
            action = widgets.Text(placeholder="What will you do? For example: visit Mrs. Keo's group to agree the May order",
                                  layout=widgets.Layout(width="100%"))
            day = widgets.DatePicker(layout=widgets.Layout(width="auto"))
            because = widgets.Text(placeholder="Because … (the real reason)", layout=widgets.Layout(width="100%"))
            note = widgets.HTML()
            for control in (action, day, because):
                control.observe(lambda _: self.changed(), "value")
            self.fields.append({"action": action, "date": day, "because": because, "note": note})
            card = widgets.VBox([
                widgets.HTML(f"<p class='course-commitment-title'><strong>Commitment {i + 1}</strong></p>"),
                self._field("I will", action),
                widgets.HBox([self._field("By (date)", day, "auto"), self._field("Because", because, "auto")],
                             layout=widgets.Layout(width="100%", flex_flow="row wrap", align_items="flex-end")),
                note], layout=widgets.Layout(width="100%"))
            card.children[2].children[1].layout.flex = "1 1 420px"
            card.add_class("course-commitment")
            cards.append(card)
        self.status = widgets.HTML()
        self.status.add_class("course-plan-status")
        self.saved = widgets.HTML()
        self.download = widgets.Button(description="Download my plan", icon="download",
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
        from .kit import labelled
        return labelled(label, control, width)

    def today(self) -> date:
        return self.today_fixed or date.today()

    def commitments(self) -> list[Commitment]:
        return [Commitment(f["action"].value, f["date"].value.isoformat() if f["date"].value else "", f["because"].value)
                for f in self.fields]

    def show_state(self) -> list[Commitment]:
        from .kit import esc
        commitments = self.commitments()
        today = self.today()
        for f, c in zip(self.fields, commitments):
            found = problems(c, today)
            f["note"].value = ("<p class='course-warning'>" + " ".join(esc(p) for p in found) + "</p>" if found else
                               "<p class='course-feedback-right'>✓ Ready.</p>" if is_ready(c, today) else "")
        self.status.value = f"<p><strong>{esc(status_line(commitments, today))}</strong></p>"
        return commitments

    def changed(self) -> None:
        if self.loading:
            return
        commitments = self.show_state()
        self.links.value = ""  # an old download no longer matches the plan
        learner = SESSION.learner or SESSION.start()
        if learner is None:
            self.saved.value = "<span class='course-warning'>Type your name at the top first: nothing is saved yet.</span>"
            return
        store = SESSION.get_store()
        value = plan_value(commitments, self.today())
        if self.row_id is None:
            self.row_id = store.record(learner.id, MODULE, ITEM, KIND, value)
        else:
            store.update(self.row_id, value)
        self.saved.value = f"<span class='course-status--saved'>Saved at {datetime.now():%H:%M}.</span>"

    def _restore(self, learner) -> None:
        saved = SESSION.get_store().latest(learner.id, ITEM, kind=KIND)
        if not saved:
            return
        self.loading = True
        try:
            for f, c in zip(self.fields, from_value(saved.value)):
                f["action"].value, f["because"].value, f["date"].value = c.action, c.because, c.day()
        finally:
            self.loading = False
        self.show_state()
        self.saved.value = "<span class='course-status--saved'>Your saved plan is shown.</span>"

    def offer(self) -> None:
        from ..documents.downloads import Download, offer_html
        from ..state.learner import safe_file_stem
        commitments = self.commitments()
        learner = SESSION.learner
        name = learner.name if learner else None
        stem = "action-plan" + (f"-{safe_file_stem(name)}" if name else "")
        items = [Download(f"{stem}.html", "text/html", plan_html(commitments, name, self.today()), "My plan (web page, printable)")]
        if any(c.day() and c.action.strip() for c in commitments):
            items.append(Download(f"{stem}.ics", "text/calendar", plan_ics(commitments, name), "Dates for my calendar (.ics)"))
        self.links.value = offer_html(items, name)


def action_plan() -> None:
    """Three commitments, each with an action, a date and a "because"; saved as you type."""
    display(ActionPlan().widget)
