"""The milestone plan to take away: a CSV table and an iCalendar file with every batch, check and check-in."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from ..models.milestones import CSV_COLUMNS, Plan, calendar_events
from .spreadsheet import csv_text


def to_csv(result: Plan) -> str:
    """One row per milestone; dates as YYYY-MM-DD, empty when feedback takes 0 days."""
    iso = lambda d: "" if d is None else d.isoformat()  # noqa: E731
    return csv_text(CSV_COLUMNS, ([m.name, m.pieces, iso(m.batch_start), iso(m.batch_end), iso(m.check_start),
                                   iso(m.check_end), iso(m.feedback_start), iso(m.feedback_end), iso(m.checkin_date),
                                   m.checkin_mode] for m in result.milestones))


def to_ics(result: Plan, stamp: datetime | None = None) -> bytes:
    """An iCalendar file (RFC 5545) with one all-day event per batch, check, feedback and check-in."""
    from icalendar import Calendar, Event  # imported here: only the download needs it

    stamp = stamp or datetime.now(timezone.utc)
    s = result.settings
    # Stable ids: exporting the same order again updates its events instead of adding copies.
    key = hashlib.sha1(f"{s.order}|{s.start}|{s.quantity}".encode()).hexdigest()[:12]
    calendar = Calendar()
    calendar.add("prodid", "-//Artisan course//Milestone planner//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for name, text, first, last in calendar_events(result):
        event = Event()
        event.add("uid", f"{name}-{key}@milestone-planner.artisan-course")
        event.add("dtstamp", stamp)
        event.add("dtstart", first)
        event.add("dtend", last + timedelta(days=1))  # all-day events end on the next day (exclusive)
        event.add("summary", text)
        calendar.add_component(event)
    return calendar.to_ical()
