"""The action plan's rules: three commitments, each with an action, a date and a "because".

The deck's advice: always give a reason (for research on reasons, see Langer, Blank & Chanowitz 1978, taught in
module 05). Rules, written for the course:
- A commitment is ready when it has an action, a reason and a date that is on or after the day it was written.
- The plan is ready when all three commitments are. The plan widget and the journal (which grants the
  certificate) both ask ``plan_ready``, so "0 of 3 ready" on screen can never complete the course.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..i18n import _, ngettext
from ..text import long_date

MODULE = "wrap-up"
ITEM = "action-plan"
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
        found.append(_("Write the action: what will you do?"))
    if not c.because.strip():
        found.append(_("Add a reason: why will you do it? Always give a \"because\"."))
    day = c.day()
    if day is None:
        found.append(_("Choose a date."))
    elif day < today:
        found.append(_("The date {date} is in the past. Choose today or a later date.").format(date=long_date(day)))
    return found


def is_ready(c: Commitment, today: date) -> bool:
    return not c.empty and not problems(c, today)


def status_line(commitments: list[Commitment], today: date) -> str:
    ready = sum(is_ready(c, today) for c in commitments)
    return f"{ready} of {len(commitments)} commitments ready"


def shown_status(commitments: list[Commitment], today: date) -> str:
    """The plan's status in the kernel's language ("1 of 3 commitments ready"); the saved summary keeps English."""
    ready = sum(is_ready(c, today) for c in commitments)
    return ngettext("{ready} of {count} commitment ready", "{ready} of {count} commitments ready",
                    len(commitments)).format(ready=ready, count=len(commitments))


def plan_summary(commitments: list[Commitment], today: date) -> str:
    parts = []
    for i, c in enumerate(commitments, start=1):
        if c.empty:
            continue
        when = f" by {long_date(c.day())}" if c.day() else (f" by {c.date}" if c.date else "")
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


def plan_ready(value, written_on: date) -> bool:
    """Is a saved plan complete: all its commitments ready, judged on the day it was written?"""
    commitments = from_value(value)
    return len(commitments) == COUNT and all(is_ready(c, written_on) for c in commitments)


def commitment_sentence(c: Commitment) -> str:
    """One commitment as the journal writes it: "Visit the group (by 15 January 2027), because they asked"."""
    day = c.day()
    when = long_date(day) if day else (c.date or "no date yet")
    return f"{c.action.strip()} (by {when}), because {c.because.strip()}"
