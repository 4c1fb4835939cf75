"""Progress and the learner's journal.

Progress per module: visited, reflections written, quiz score, exercises done.
A module is complete when it was visited, its quiz (if it has one) was
answered in full, every reflection in it is non-empty and, in a module that
shows the action plan, the plan has all its commitments.

The journal gathers what a learner wrote (reflections, quiz scores, saved
scenarios, the action plan) into Markdown and into one standalone,
print-friendly HTML page with no external assets. Learner text is escaped.
"""
from __future__ import annotations

import ast
import html
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import nbformat

from .. import paths
from ..content.course_map import CourseMap, Module, load_course_map
from ..models.grading import question_score
from ..state.store import Learner, Store


@dataclass(frozen=True)
class Prompt:
    item: str
    text: str


@lru_cache(maxsize=64)
def _notebook_calls(path: str, mtime: float) -> tuple[tuple[str, tuple], ...]:
    """(function name, literal arguments) of every top-level call in a notebook's code cells."""
    calls = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                args = tuple(a.value for a in node.args if isinstance(a, ast.Constant))
                calls.append((node.func.id, args))
    return tuple(calls)


def module_calls(module: Module, name: str) -> list[tuple]:
    path = paths.notebooks_dir() / module.notebook
    if not path.is_file():
        return []
    return [args for func, args in _notebook_calls(str(path), path.stat().st_mtime) if func == name]


def module_prompts(module: Module) -> list[Prompt]:
    """The reflections a module asks for, read from its notebook: ``reflect("id", "prompt", ...)``."""
    return [Prompt(args[0], args[1] if len(args) > 1 else args[0]) for args in module_calls(module, "reflect") if args]


@dataclass
class ModuleProgress:
    module: Module
    visited: bool = False
    reflections_total: int = 0
    reflections_written: int = 0
    quiz_total: int = 0
    quiz_answered: int = 0
    quiz_score: float | None = None
    exercises_done: int = 0
    plan_needed: bool = False
    plan_ready: bool = False

    @property
    def complete(self) -> bool:
        return (self.visited and self.quiz_answered >= self.quiz_total
                and self.reflections_written >= self.reflections_total and self.module.ready
                and (self.plan_ready or not self.plan_needed))

    def summary(self) -> str:
        parts = ["visited" if self.visited else "not visited yet"]
        if self.reflections_total:
            parts.append(f"reflections {self.reflections_written} of {self.reflections_total}")
        if self.quiz_total:
            score = f", score {self.quiz_score:.0%}" if self.quiz_score is not None else ""
            parts.append(f"quiz {self.quiz_answered} of {self.quiz_total} answered{score}")
        if self.exercises_done:
            parts.append(f"{self.exercises_done} exercise(s) done")
        if self.plan_needed:
            parts.append("action plan ready" if self.plan_ready else "action plan not finished")
        if self.complete:
            parts.append("complete")
        return " · ".join(parts)


def module_progress(store: Store, learner: Learner, module: Module) -> ModuleProgress:
    answers = store.answers(learner_id=learner.id, module=module.id)
    latest: dict[tuple[str, str], object] = {}
    for answer in answers:  # oldest first, so the last one wins
        latest[(answer.kind, answer.item)] = answer.value
    prompts = module_prompts(module)
    written = sum(1 for p in prompts if str(latest.get(("reflection", p.item), "")).strip())
    bank = _bank(module.id)
    attempts: dict[str, list[dict]] = {}
    for answer in answers:
        if answer.kind == "quiz":
            attempts.setdefault(answer.item, []).append({**answer.value, "score": answer.score})
    scored = [q for q in bank if q.type != "poll"]
    answered_scored = [q for q in scored if q.id in attempts]
    return ModuleProgress(
        module=module,
        visited=any(a.kind == "visit" for a in answers),
        reflections_total=len(prompts),
        reflections_written=written,
        quiz_total=len(bank),
        quiz_answered=sum(1 for q in bank if q.id in attempts),
        # First tries count; a revealed answer scores 0 (see quizzes.grading).
        quiz_score=(sum(question_score(attempts[q.id]) or 0 for q in answered_scored) / len(scored)) if answered_scored else None,
        exercises_done=len({a.item for a in answers if a.kind == "exercise"}),
        plan_needed=bool(module_calls(module, "action_plan")),
        plan_ready=plan_is_ready(next((v for (kind, _), v in latest.items() if kind == "action-plan"), None)),
    )


PLAN_COMMITMENTS = 3


def plan_is_ready(value) -> bool:
    """An action plan counts when it has three commitments, each with an action, a date and a reason."""
    if not isinstance(value, dict):
        return False
    done = [c for c in value.get("commitments", []) if isinstance(c, dict)
            and all(str(c.get(key) or "").strip() for key in ("action", "date", "because"))]
    return len(done) >= PLAN_COMMITMENTS


def _bank(module_id: str) -> list:
    """The module's question bank, or none if the module has no quiz."""
    from ..content.quiz_bank import load_bank, quiz_dir
    if not (quiz_dir() / f"{module_id}.yaml").is_file():
        return []
    return load_bank(module_id)


def course_progress(store: Store, learner: Learner, course: CourseMap | None = None) -> list[ModuleProgress]:
    course = course or load_course_map()
    return [module_progress(store, learner, m) for m in course.modules]


def course_complete(progress: list[ModuleProgress]) -> bool:
    """Every module of the course map complete (a module not yet written cannot be)."""
    return bool(progress) and all(p.complete for p in progress)


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
        prompts = {p.item: p.text for p in module_prompts(module)}
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
    return entries


def _activity_line(kind: str, value: dict) -> str:
    if kind == "scorecard":
        scores = value.get("scores", {})
        notes = "; ".join(f"{k}: {v}" for k, v in value.get("notes", {}).items())
        what = value.get("negotiation") or "a negotiation"
        return (f"Review of {what}: {sum(scores.values())} of {5 * len(scores)}"
                + (f". Notes: {notes}" if notes else "") + ".")
    from ..widgets.activities import load_activity
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
            lines += [f"{i}. {c.get('action', '')} (by {c.get('date') or 'no date yet'}), because {c.get('because', '')}"
                      for i, c in enumerate(value.get("commitments", []) if isinstance(value, dict) else [], 1)
                      if isinstance(c, dict)] or [readable(value)]
            lines += [""]
        for line in entry.activities:
            lines += [line, ""]
    lines += ["---", f"Course based on the workshop deck by Huyen T.T.P. and Long N.H. (October 2024)."]
    return "\n".join(lines) + "\n"


JOURNAL_CSS = """
body { font-family: "Noto Sans", "Noto Sans Lao", "DejaVu Sans", Arial, sans-serif; color: #1b1f2a; max-width: 50em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; }
h1 { color: #23336b; } h2 { color: #23336b; border-bottom: 2px solid #e0a526; padding-bottom: .2em; }
.prompt { font-weight: bold; margin-bottom: .2em; }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 5px solid #b86e00; background: #fff4e0;
          padding: .5em .8em; margin: 0 0 1em; }
.progress, .credit, .empty { color: #4a5060; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .answer { break-inside: avoid; } }
"""


def journal_html(store: Store, learner: Learner, course: CourseMap | None = None) -> str:
    course = course or load_course_map()
    entries = journal_entries(store, learner, course)
    e = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Learning journal: {e(learner.name)}</title>", f"<style>{JOURNAL_CSS}</style></head><body>",
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
            commitments = [c for c in (value.get("commitments", []) if isinstance(value, dict) else []) if isinstance(c, dict)]
            parts.append("<p class='prompt'>My action plan</p>")
            parts.append("<ol class='plan'>" + "".join(
                f"<li><strong>{e(c.get('action', ''))}</strong> (by {e(c.get('date') or 'no date yet')}), "
                f"because {e(c.get('because', ''))}</li>" for c in commitments) + "</ol>"
                if commitments else f"<div class='answer'>{e(readable(value))}</div>")
        for line in entry.activities:
            parts.append(f"<p>{e(line)}</p>")
    parts.append("<p class='credit'>Course based on the workshop deck by Huyen T.T.P. and Long N.H. (October 2024).</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def certificate_html(store: Store, learner: Learner, course: CourseMap | None = None) -> str | None:
    """A printable certificate, or None while any module of the course is not complete."""
    course = course or load_course_map()
    progress = course_progress(store, learner, course)
    if not course_complete(progress):
        return None
    e = lambda text: html.escape(str(text), quote=True)  # noqa: E731
    modules = "".join(f"<li>{e(p.module.title)}</li>" for p in progress)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Certificate of completion</title>'
        "<style>body{font-family:'Noto Sans','Noto Sans Lao','DejaVu Sans',Arial,sans-serif;text-align:center;"
        "color:#1b1f2a;border:14px double #23336b;margin:2em;padding:2em}h1{color:#23336b}"
        ".name{font-size:2.2em;color:#b86e00;margin:.3em 0}ul{list-style:none;padding:0}</style></head><body>"
        f"<h1>Certificate of completion</h1><p>This certifies that</p><p class='name'>{e(learner.name)}</p>"
        f"<p>has completed every module of the course</p><h2>{e(course.title)}</h2><ul>{modules}</ul>"
        f"<p>{datetime.now():%d %B %Y}</p>"
        "<p><small>Course based on the workshop deck by Huyen T.T.P. and Long N.H. (October 2024).</small></p>"
        "</body></html>"
    )
