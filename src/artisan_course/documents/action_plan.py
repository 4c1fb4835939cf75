"""The action plan to take away: a printable page and a calendar file with one event per dated commitment."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from ..models.action_plan import Commitment, status_line
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
    title = "My action plan" + (f": {learner_name}" if learner_name else "")
    blocks = []
    for i, c in enumerate(commitments, start=1):
        if c.empty:
            continue
        day = c.day()
        blocks.append(f"<div class='commitment'><h2>Commitment {i}</h2>"
                      f"<p><strong>I will:</strong> {escape(c.action.strip() or '-')}</p>"
                      f"<p><strong>By:</strong> {escape(long_date(day) if day else '-')}</p>"
                      f"<p><strong>Because:</strong> {escape(c.because.strip() or '-')}</p></div>")
    body = (f"<h1>{escape(title)}</h1><p>{escape(status_line(commitments, today))}.</p>"
            + ("".join(blocks) or "<p>No commitments written yet.</p>"))
    return print_page(title, body, css=PLAN_CSS, credit_prefix=f"Written on {long_date(today)}.")


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
