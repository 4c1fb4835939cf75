"""The conflict-resolution plan to share with all staff: a printable page and a plain-text copy."""
from __future__ import annotations

from datetime import date

from ..models.communication import clean_steps
from ..text import escape, long_date
from .page import print_page

TITLE = "How we resolve a conflict with artisans"


def _title(team: str) -> str:
    return TITLE + (f": {team.strip()}" if team.strip() else "")


def conflict_plan_html(steps: list[dict], team: str = "", learner_name: str | None = None,
                       today: date | None = None) -> str:
    """A standalone, printable page for all staff: every piece of text escaped, no external assets."""
    shared = clean_steps(steps)
    title = _title(team)
    rows = "".join(f"<tr><td class='number'>{i}</td><td>{escape(s['text'])}</td><td>{escape(s['who'])}</td>"
                   f"<td>{escape(s['when'])}</td></tr>" for i, s in enumerate(shared, start=1))
    body = (f"<h1>{escape(title)}</h1>"
            "<p class='note'>Every staff member follows these steps, in this order. Keep it where everyone "
            "can see it.</p><table><thead><tr><th>#</th><th>What to do</th><th>Who</th><th>How soon</th></tr></thead>"
            f"<tbody>{rows or '<tr><td colspan=4>No steps yet.</td></tr>'}</tbody></table>")
    made = (f"Written by {learner_name}, " if learner_name else "") + f"{long_date(today or date.today())}."
    return print_page(title, body, css="td.number { width: 2em; text-align: center; font-weight: bold; }",
                      credit_prefix=made)


def conflict_plan_text(steps: list[dict], team: str = "") -> str:
    shared = clean_steps(steps)
    title = _title(team)
    lines = [title, "=" * len(title), ""]
    for i, s in enumerate(shared, start=1):
        lines += [f"{i}. {s['text']}", f"   Who: {s['who'] or '-'}", f"   How soon: {s['when'] or '-'}", ""]
    if not shared:
        lines.append("No steps yet.")
    return "\n".join(lines) + "\n"
