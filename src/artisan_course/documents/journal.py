"""The learner's journal and certificate (progress itself is judged in ``models.progress``).

The journal gathers what a learner wrote (reflections, quiz results, saved
scenarios, the milestone plan, the order agreement, the action plan) into
Markdown and into one standalone, print-friendly HTML page with no external
assets; once the course is complete, that page ends with the certificate.
Learner text is escaped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


from ..content.course_map import CourseMap, Module, load_course_map
from ..content.notebooks import module_writing_prompts
from ..models.progress import ModuleProgress, course_complete
from ..state.progress import course_progress
from ..state.store import Learner, Store
from ..text import escape, long_date
from .page import credit_line, print_page


# -- the journal -----------------------------------------------------------------
@dataclass
class JournalEntry:
    module: Module
    progress: ModuleProgress
    reflections: list[tuple[str, str]] = field(default_factory=list)  # (prompt, text)
    scenarios: list[tuple[str, object]] = field(default_factory=list)
    plan: list[object] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)  # readable lines: scorecards, self-assessments
    milestone_plan: dict | None = None  # the plan last saved with "Save this scenario" in the planner
    agreement: list[str] = field(default_factory=list)  # the order agreement's lines, from its saved draft
    agreement_done: bool = False  # True when the draft is a whole agreement ("what we agreed"), not a part of one

    def has_content(self) -> bool:
        return bool(self.reflections or self.scenarios or self.plan or self.activities or self.milestone_plan
                     or self.agreement)


def journal_entries(store: Store, learner: Learner, course: CourseMap | None = None) -> list[JournalEntry]:
    course = course or load_course_map()
    entries = []
    for progress in course_progress(store, learner, course):
        module = progress.module
        prompts = {p.item: p.text for p in module_writing_prompts(module)}
        latest: dict[tuple[str, str], object] = {}
        written: dict[tuple[str, str], str] = {}
        for answer in store.answers(learner_id=learner.id, module=module.id):
            latest[(answer.kind, answer.item)] = answer.value
            written[(answer.kind, answer.item)] = answer.created_at
        milestone_plan = latest.pop(("scenario", MILESTONE_PLAN), None)
        draft = latest.pop(("draft", AGREEMENT), None)
        reflections = [(prompts.get(item, item), str(value)) for (kind, item), value in latest.items()
                       if kind == "reflection" and str(value).strip()]
        scenarios = [(item, value) for (kind, item), value in latest.items() if kind == "scenario"]
        plan = [value for (kind, item), value in latest.items() if kind == "action-plan"]
        activities = [_activity_line(kind, value) for (kind, item), value in latest.items()
                      if kind in ("scorecard", "self-assessment")]
        agreement, done = agreement_lines(draft, written.get(("draft", AGREEMENT), ""))
        entries.append(JournalEntry(module, progress, reflections, scenarios, plan, activities,
                                    milestone_plan if isinstance(milestone_plan, dict) else None, agreement, done))
    _add_knowledge_check(store, learner, entries)
    return entries


def knowledge_gain(store: Store, learner: Learner):
    """The learner's knowledge check (models.knowledge_check.Gain), or None when the course has none."""
    from ..content.knowledge_check import load_knowledge_check
    from ..models.knowledge_check import trainee_gain
    check = load_knowledge_check()
    if check is None:
        return None
    ids = set(check.before_ids()) | set(check.after_ids())
    first: dict[str, float] = {}
    for answer in store.answers(learner_id=learner.id, kind="quiz"):  # oldest first: the first try comes first
        if answer.item in ids and answer.item not in first:
            first[answer.item] = float(answer.score or 0.0)
    return trainee_gain(first, check.before_ids(), check.after_ids())


def _add_knowledge_check(store: Store, learner: Learner, entries: list[JournalEntry]) -> None:
    """One line with the learner's gain, in the entry of the module that asks the check last (or first, until then)."""
    from ..content.knowledge_check import load_knowledge_check
    from ..models.knowledge_check import sentence
    result = knowledge_gain(store, learner)
    line = sentence(result) if result is not None else ""
    if not line:
        return
    check = load_knowledge_check()
    where = check.after if result.after is not None else check.before
    for entry in entries:
        if entry.module.id == where:
            entry.activities.append(line)


MILESTONE_PLAN = "milestone-plan"    # the planner's saved scenario (widgets/milestones.py)
AGREEMENT = "order-agreement"        # the agreement builder's draft (models/agreement.py: ITEM)
# The agreement builder's fields, as a draft lists them when it is not a whole agreement yet.
AGREEMENT_LABELS = {
    "product": "Product", "size": "Size", "colours": "Colours", "materials": "Materials", "quality": "Quality",
    "price": "Price per piece", "currency": "Currency", "quantity": "Quantity", "advance": "Advance payment (%)",
    "delivery": "Final delivery date", "milestones": "Milestones", "checkins": "Check-ins",
    "clause": "If things change", "conflict": "If we disagree", "buyer": "Buyer", "artisans": "Artisans",
}


def agreement_lines(draft, written_at: str = "") -> tuple[list[str], bool]:
    """The order agreement from its saved draft: its "what we agreed" lines when the draft is a whole agreement
    (dated the day it was last written), else the fields filled in so far; ([], False) when nothing is written."""
    from ..models import agreement as ag
    if not isinstance(draft, dict):
        return [], False
    fields, photos = ag.restore_draft(draft)
    if all(not str(fields.get(name, "")).strip() or fields.get(name) == ag.DEFAULTS.get(name)
           for name in ag.FIELDS) and not photos:
        return [], False  # only the builder's own defaults: the learner has written nothing
    try:
        made_on = datetime.fromisoformat(written_at).date() if written_at else None
    except ValueError:
        made_on = None
    try:
        return ag.summary(ag.from_draft(fields, photos, made_on=made_on)).splitlines(), True
    except ag.AgreementInputError:
        pass
    shown = []
    for name in ag.FIELDS:
        value = " ".join(ag.lines(fields.get(name, ""))) if name in ("quality", "milestones", "checkins", "conflict") \
            else str(fields.get(name, "")).strip()
        if value:
            shown.append(f"{AGREEMENT_LABELS.get(name, name)}: {value}")
    if photos:
        shown.append(f"Sample photos: {len(photos)}")
    return shown, False


def plan_rows(plan: dict) -> list[tuple[str, str, str, str]]:
    """The milestone plan's batches as (batch, pieces, ready by, check-in), dates in words."""
    checkins = plan.get("checkins") or []
    rows = []
    for i, milestone in enumerate(plan.get("milestones") or []):
        if not isinstance(milestone, dict):
            continue
        check = checkins[i] if i < len(checkins) and isinstance(checkins[i], dict) else {}
        mode = f"({check['mode']})" if check.get("mode") else ""
        check_text = " ".join(filter(None, [_day(check.get("date")), mode]))
        rows.append((str(milestone.get("name") or f"Batch {i + 1}"), str(milestone.get("pieces", "")),
                     _day(milestone.get("end") or milestone.get("date")), check_text))
    return rows


def _day(value) -> str:
    try:
        return long_date(datetime.fromisoformat(str(value)).date())
    except ValueError:
        return str(value or "")


def _activity_line(kind: str, value: dict) -> str:
    if kind == "scorecard":
        scores = value.get("scores", {})
        notes = "; ".join(f"{k}: {v}" for k, v in value.get("notes", {}).items())
        what = value.get("negotiation") or "a negotiation"
        return (f"Review of {what}: {sum(scores.values())} of {5 * len(scores)}"
                + (f". Notes: {notes}" if notes else "") + ".")
    from ..content.activities import load_activity
    styles = load_activity("persuader_styles.yaml")["styles"]
    top = styles.get(value.get("top"), {}).get("name", value.get("top"))
    return f"Preferred persuader style: {top}."


def readable(value) -> str:
    """One line for a saved scenario or plan: its own summary when it has one, else its settings in brief."""
    if isinstance(value, dict):
        if str(value.get("summary") or "").strip():
            return str(value["summary"]).strip()
        if isinstance(value.get("commitments"), list):
            return "; ".join(f"{c.get('action', '')} by {c.get('date', '?')}, because {c.get('because', '')}"
                             for c in value["commitments"] if isinstance(c, dict))
        shown = {k: v for k, v in value.items() if not isinstance(v, (dict, list))}
        if shown:
            return ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in shown.items())
    return str(value)


def _scenario_title(item: str) -> str:
    return item.replace("-", " ").capitalize()


def _has_content(entries: list[JournalEntry]) -> bool:
    return any(e.has_content() or e.progress.quiz_answered for e in entries)


def journal_markdown(store: Store, learner: Learner, course: CourseMap | None = None) -> str:
    course = course or load_course_map()
    entries = journal_entries(store, learner, course)
    lines = [f"# Learning journal: {learner.name}", "", f"*{course.title}*, exported {datetime.now():%Y-%m-%d %H:%M}.",
             ""]
    if not _has_content(entries):
        lines += ["Nothing is written in this journal yet. Answer a reflection or a quiz, then export again.", ""]
    for entry in entries:
        if not (entry.has_content() or entry.progress.visited):
            continue
        lines += [f"## {entry.module.number:02d}. {entry.module.title}", "", f"Progress: {entry.progress.summary()}.",
                  ""]
        for prompt, text in entry.reflections:
            lines += [f"**{prompt}**", "", *(f"> {line}" if line else ">" for line in text.splitlines()), ""]
        for item, value in entry.scenarios:
            lines += [f"**{_scenario_title(item)}:** {readable(value)}", ""]
        for value in entry.plan:
            lines += ["**My action plan**", ""]
            lines += [f"{i}. {line}" for i, line in enumerate(commitment_lines(value), 1)] or [readable(value)]
            lines += [""]
        if entry.milestone_plan:
            lines += ["**My milestone plan**", "", str(entry.milestone_plan.get("summary") or "").strip(), ""]
            lines += [f"- {batch}: {pieces} pieces, ready by {ready}; check-in {check}"
                      for batch, pieces, ready, check in plan_rows(entry.milestone_plan)] + [""]
        if entry.agreement:
            lines += [f"**{AGREEMENT_TITLE if entry.agreement_done else AGREEMENT_DRAFT_TITLE}**", ""]
            lines += [f"- {line}" for line in entry.agreement] + [""]
        for line in entry.activities:
            lines += [line, ""]
    lines += ["---", credit_line()]
    return "\n".join(lines) + "\n"


AGREEMENT_TITLE = "My order agreement: what we agreed"
AGREEMENT_DRAFT_TITLE = "My order agreement (not finished yet)"

JOURNAL_CSS = """
h2 { border-bottom: 2px solid #e0a526; padding-bottom: .2em; }
.prompt { font-weight: bold; margin-bottom: .2em; }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 5px solid #b86e00; background: #fff4e0;
          padding: .5em .8em; margin: 0 0 1em; }
.progress, .credit, .empty { color: #4a5060; }
.agreement p { margin: .2em 0; }
.certificate { break-before: page; text-align: center; border: 10px double #23336b; padding: 1.5em; margin-top: 2em; }
.certificate .name { font-size: 2em; color: #b86e00; margin: .3em 0; } .certificate ul { list-style: none; padding: 0; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .answer { break-inside: avoid; } }
"""


CERTIFICATE_CSS = """
body { text-align: center; border: 14px double #23336b; margin: 2em auto; padding: 2em; }
.name { font-size: 2.2em; color: #b86e00; margin: .3em 0; } ul { list-style: none; padding: 0; }
"""


def commitment_lines(value) -> list[str]:
    """The saved action plan's commitments as sentences, written by the plan's own model."""
    from ..models.action_plan import commitment_sentence, from_value
    return [commitment_sentence(c) for c in from_value(value) if not c.empty]


def journal_html(store: Store, learner: Learner, course: CourseMap | None = None,
                 with_certificate: bool = False) -> str:
    """The journal as one printable page; ``with_certificate``: ending with the certificate once it is earned (the
    one page a learner downloads)."""
    course = course or load_course_map()
    entries = journal_entries(store, learner, course)
    e = escape
    parts = [
        f"<h1>Learning journal: {e(learner.name)}</h1>",
        f"<p class='credit'><em>{e(course.title)}</em>, exported {datetime.now():%Y-%m-%d %H:%M}.</p>",
    ]
    if not _has_content(entries):
        parts.append("<p class='empty'>Nothing is written in this journal yet. Answer a reflection or a quiz, then "
                     "export again.</p>")
    for entry in entries:
        if not (entry.has_content() or entry.progress.visited):
            continue
        parts.append(f"<h2>{entry.module.number:02d}. {e(entry.module.title)}</h2>")
        parts.append(f"<p class='progress'>Progress: {e(entry.progress.summary())}.</p>")
        for prompt, text in entry.reflections:
            parts.append(f"<p class='prompt'>{e(prompt)}</p><div class='answer'>{e(text)}</div>")
        for item, value in entry.scenarios:
            parts.append(f"<p class='prompt'>{e(_scenario_title(item))}</p><div "
                         f"class='answer'>{e(readable(value))}</div>")
        for value in entry.plan:
            plan_lines = commitment_lines(value)
            parts.append("<p class='prompt'>My action plan</p>")
            parts.append("<ol class='plan'>" + "".join(f"<li>{e(line)}</li>" for line in plan_lines) + "</ol>"
                         if plan_lines else f"<div class='answer'>{e(readable(value))}</div>")
        if entry.milestone_plan:
            parts.append("<p class='prompt'>My milestone plan</p>")
            summary = str(entry.milestone_plan.get("summary") or "").strip()
            if summary:
                parts.append(f"<div class='answer'>{e(summary)}</div>")
            rows = "".join(f"<tr><td>{e(batch)}</td><td>{e(pieces)}</td><td>{e(ready)}</td><td>{e(check)}</td></tr>"
                           for batch, pieces, ready, check in plan_rows(entry.milestone_plan))
            if rows:
                parts.append("<table class='milestones'><thead><tr><th>Batch</th><th>Pieces</th><th>Ready by</th>"
                             f"<th>Check-in</th></tr></thead><tbody>{rows}</tbody></table>")
        if entry.agreement:
            parts.append("<p class='prompt'>"
                         f"{e(AGREEMENT_TITLE if entry.agreement_done else AGREEMENT_DRAFT_TITLE)}</p>")
            parts.append("<div class='answer agreement'>" + "".join(f"<p>{e(line)}</p>" for line in entry.agreement)
                         + "</div>")
        for line in entry.activities:
            parts.append(f"<p>{e(line)}</p>")
    if with_certificate:
        body = _certificate_body(store, learner, course)
        if body:
            parts.append(f"<section class='certificate'>{body}</section>")
    return print_page(f"Learning journal: {learner.name}", "\n".join(parts), css=JOURNAL_CSS)


def certificate_html(store: Store, learner: Learner, course: CourseMap | None = None) -> str | None:
    """A printable certificate, or None while any module of the course is not complete."""
    body = _certificate_body(store, learner, course or load_course_map())
    return None if body is None else print_page("Certificate of completion", body, css=CERTIFICATE_CSS)


def _certificate_body(store: Store, learner: Learner, course: CourseMap) -> str | None:
    progress = course_progress(store, learner, course)
    if not course_complete(progress):
        return None
    e = escape
    modules = "".join(f"<li>{e(p.module.title)}</li>" for p in progress)
    return (f"<h1>Certificate of completion</h1><p>This certifies that</p><p class='name'>{e(learner.name)}</p>"
            f"<p>has completed every module of the course</p><h2>{e(course.title)}</h2><ul>{modules}</ul>"
            f"<p>{long_date(datetime.now().date())}</p>")
