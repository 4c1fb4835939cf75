"""The action plan to take away: a printable page and a calendar file with one event per dated commitment."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from ..i18n import _
from ..models.action_plan import Commitment, shown_status
from ..text import escape, long_date
from .page import print_page

PLAN_CSS = """
.commitment { border-left: 6px solid #b86e00; background: #fff4e0; padding: .5em .9em; margin: 0 0 1em;
              overflow-wrap: anywhere; break-inside: avoid; }
.commitment h2 { font-size: 1.1em; margin: 0 0 .3em; color: #23336b; }
.commitment p { margin: .2em 0; white-space: pre-wrap; }
"""


def plan_html(commitments: list[Commitment], learner_name: str | None, today: date) -> str:
    """A standalone, printable page. Every piece of text is escaped; no external assets."""
    title = (_("My action plan: {name}").format(name=learner_name) if learner_name else _("My action plan"))
    will, by, because = _("I will:"), _("By:"), _("Because:")
    blocks = []
    for i, c in enumerate(commitments, start=1):
        if c.empty:
            continue
        day = c.day()
        heading = _("Commitment {number}").format(number=i)
        blocks.append(f"<div class='commitment'><h2>{escape(heading)}</h2>"
                      f"<p><strong>{escape(will)}</strong> {escape(c.action.strip() or '-')}</p>"
                      f"<p><strong>{escape(by)}</strong> {escape(long_date(day) if day else '-')}</p>"
                      f"<p><strong>{escape(because)}</strong> {escape(c.because.strip() or '-')}</p></div>")
    none = _("No commitments written yet.")
    body = (f"<h1>{escape(title)}</h1><p>{escape(shown_status(commitments, today))}.</p>"
            + ("".join(blocks) or f"<p>{escape(none)}</p>"))
    written = _("Written on {date}.").format(date=long_date(today))
    return print_page(title, body, css=PLAN_CSS, credit_prefix=written)


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
            event.add("description", _("Because {reason}").format(reason=c.because.strip()))
        calendar.add_component(event)
    return calendar.to_ical()
