"""The learner's journal and certificate (progress itself is judged in ``models.progress``).

The journal gathers what a learner wrote (reflections, quiz scores, saved
scenarios, the action plan) into Markdown and into one standalone,
print-friendly HTML page with no external assets. Learner text is escaped.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import nbformat

from .. import paths
from ..content.course_map import CourseMap, load_course_map
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


def journal_entries(store: Store, learner: Learner, course: CourseMap | None = None) -> list[JournalEntry]:
    course = course or load_course_map()
    entries = []
    for progress in course_progress(store, learner, course):
        module = progress.module
        prompts = {p.item: p.text for p in module_writing_prompts(module)}
        latest: dict[tuple[str, str], object] = {}
        for answer in store.answers(learner_id=learner.id, module=module.id):
            latest[(answer.kind, answer.item)] = answer.value
        reflections = [(prompts.get(item, item), str(value)) for (kind, item), value in latest.items()
                       if kind == "reflection" and str(value).strip()]
        scenarios = [(item, value) for (kind, item), value in latest.items() if kind == "scenario"]
        plan = [value for (kind, item), value in latest.items() if kind == "action-plan"]
        activities = [_activity_line(kind, value) for (kind, item), value in latest.items()
                      if kind in ("scorecard", "self-assessment")]
        entries.append(JournalEntry(module, progress, reflections, scenarios, plan, activities))
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
    return any(e.reflections or e.scenarios or e.plan or e.activities or e.progress.quiz_answered for e in entries)


def journal_markdown(store: Store, learner: Learner, course: CourseMap | None = None) -> str:
    course = course or load_course_map()
    entries = journal_entries(store, learner, course)
    lines = [f"# Learning journal: {learner.name}", "", f"*{course.title}*, exported {datetime.now():%Y-%m-%d %H:%M}.", ""]
    if not _has_content(entries):
        lines += ["Nothing is written in this journal yet. Answer a reflection or a quiz, then export again.", ""]
    for entry in entries:
        if not (entry.reflections or entry.scenarios or entry.plan or entry.activities or entry.progress.visited):
            continue
        lines += [f"## {entry.module.number:02d}. {entry.module.title}", "", f"Progress: {entry.progress.summary()}.", ""]
        for prompt, text in entry.reflections:
            lines += [f"**{prompt}**", "", *(f"> {line}" if line else ">" for line in text.splitlines()), ""]
        for item, value in entry.scenarios:
            lines += [f"**{_scenario_title(item)}:** {readable(value)}", ""]
        for value in entry.plan:
            lines += ["**My action plan**", ""]
            lines += [f"{i}. {line}" for i, line in enumerate(commitment_lines(value), 1)] or [readable(value)]
            lines += [""]
        for line in entry.activities:
            lines += [line, ""]
    lines += ["---", credit_line()]
    return "\n".join(lines) + "\n"


JOURNAL_CSS = """
h2 { border-bottom: 2px solid #e0a526; padding-bottom: .2em; }
.prompt { font-weight: bold; margin-bottom: .2em; }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 5px solid #b86e00; background: #fff4e0;
          padding: .5em .8em; margin: 0 0 1em; }
.progress, .credit, .empty { color: #4a5060; }
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


def journal_html(store: Store, learner: Learner, course: CourseMap | None = None) -> str:
    course = course or load_course_map()
    entries = journal_entries(store, learner, course)
    e = escape
    parts = [
        f"<h1>Learning journal: {e(learner.name)}</h1>",
        f"<p class='credit'><em>{e(course.title)}</em>, exported {datetime.now():%Y-%m-%d %H:%M}.</p>",
    ]
    if not _has_content(entries):
        parts.append("<p class='empty'>Nothing is written in this journal yet. Answer a reflection or a quiz, then export again.</p>")
    for entry in entries:
        if not (entry.reflections or entry.scenarios or entry.plan or entry.activities or entry.progress.visited):
            continue
        parts.append(f"<h2>{entry.module.number:02d}. {e(entry.module.title)}</h2>")
        parts.append(f"<p class='progress'>Progress: {e(entry.progress.summary())}.</p>")
        for prompt, text in entry.reflections:
            parts.append(f"<p class='prompt'>{e(prompt)}</p><div class='answer'>{e(text)}</div>")
        for item, value in entry.scenarios:
            parts.append(f"<p class='prompt'>{e(_scenario_title(item))}</p><div class='answer'>{e(readable(value))}</div>")
        for value in entry.plan:
            plan_lines = commitment_lines(value)
            parts.append("<p class='prompt'>My action plan</p>")
            parts.append("<ol class='plan'>" + "".join(f"<li>{e(line)}</li>" for line in plan_lines) + "</ol>"
                         if plan_lines else f"<div class='answer'>{e(readable(value))}</div>")
        for line in entry.activities:
            parts.append(f"<p>{e(line)}</p>")
    return print_page(f"Learning journal: {learner.name}", "\n".join(parts), css=JOURNAL_CSS)


def certificate_html(store: Store, learner: Learner, course: CourseMap | None = None) -> str | None:
    """A printable certificate, or None while any module of the course is not complete."""
    course = course or load_course_map()
    progress = course_progress(store, learner, course)
    if not course_complete(progress):
        return None
    e = escape
    modules = "".join(f"<li>{e(p.module.title)}</li>" for p in progress)
    body = (f"<h1>Certificate of completion</h1><p>This certifies that</p><p class='name'>{e(learner.name)}</p>"
            f"<p>has completed every module of the course</p><h2>{e(course.title)}</h2><ul>{modules}</ul>"
            f"<p>{long_date(datetime.now().date())}</p>")
    return print_page("Certificate of completion", body, css=CERTIFICATE_CSS)
