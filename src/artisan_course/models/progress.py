"""When a module, and the course, count as complete: the one rule the header, the quiz summary and the journal use.

A module is complete when it was visited, its quiz (if it has one) was answered in full, every reflection in it
is non-empty and, in a module that shows the action plan, the plan is ready (``models.action_plan.plan_ready``).
The quiz score counts first tries; a revealed answer scores 0 (see ``models.grading``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from .action_plan import plan_ready
from .grading import question_score


@dataclass(frozen=True)
class SavedAnswer:
    """What the rule needs of one saved row: its kind, item, value, score and when it was written."""
    kind: str
    item: str
    value: Any
    score: float | None = None
    created_at: str = ""


@dataclass
class ModuleProgress:
    module: Any  # a content.course_map.Module; models import nothing from content
    visited: bool = False
    reflections_total: int = 0
    reflections_written: int = 0
    quiz_total: int = 0
    quiz_answered: int = 0
    quiz_score: float | None = None
    quiz_right: int = 0  # scored questions whose first try was fully right (a shown answer never is)
    scored_answered: int = 0  # of ``quiz_answered``, the questions that are scored (not polls)
    exercises_done: int = 0
    plan_needed: bool = False
    plan_ready: bool = False

    @property
    def complete(self) -> bool:
        return (self.visited and self.quiz_answered >= self.quiz_total
                and self.reflections_written >= self.reflections_total and self.module.ready
                and (self.plan_ready or not self.plan_needed))

    def right_text(self) -> str:
        """'3 right the first time' (or '1 right ...'): how many scored answers were right at the first try."""
        return f"{self.quiz_right} right the first time"

    def summary(self) -> str:
        parts = ["visited" if self.visited else "not visited yet"]
        if self.reflections_total:
            parts.append(f"reflections {self.reflections_written} of {self.reflections_total}")
        if self.quiz_total:
            # Answered and right, never a percentage of the whole module: "score 6%" after one right answer of 17
            # reads as a failure.
            parts.append(f"quiz {self.quiz_answered} of {self.quiz_total} answered" + (
                f", {self.right_text()}" if self.quiz_answered and self.scored_answered else ""))
        if self.exercises_done:
            parts.append(f"{self.exercises_done} exercise(s) done")
        if self.plan_needed:
            parts.append("action plan ready" if self.plan_ready else "action plan not finished")
        if self.complete:
            parts.append("complete")
        return " · ".join(parts)


def course_complete(progress: list[ModuleProgress]) -> bool:
    """Every module of the course map complete (a module not yet written cannot be)."""
    return bool(progress) and all(p.complete for p in progress)


def _written_on(created_at: str) -> date:
    try:
        return datetime.fromisoformat(created_at).astimezone().date()
    except (TypeError, ValueError):
        return date.today()


def progress_from_answers(module, answers: Iterable, prompt_items: list[str], bank: list,
                          plan_needed: bool) -> ModuleProgress:
    """A module's progress from the learner's saved rows (oldest first), its reflections and its question bank."""
    answers = list(answers)
    latest: dict[tuple[str, str], Any] = {}
    latest_row: dict[tuple[str, str], Any] = {}
    for answer in answers:  # oldest first, so the last one wins
        latest[(answer.kind, answer.item)] = answer.value
        latest_row[(answer.kind, answer.item)] = answer
    written = sum(1 for item in prompt_items if str(latest.get(("reflection", item), "")).strip())
    attempts: dict[str, list[dict]] = {}
    for answer in answers:
        if answer.kind == "quiz":
            attempts.setdefault(answer.item, []).append({**answer.value, "score": answer.score})
    scored = [q for q in bank if q.type != "poll"]
    answered_scored = [q for q in scored if q.id in attempts]
    plan_row = next((row for (kind, _), row in latest_row.items() if kind == "action-plan"), None)
    return ModuleProgress(
        module=module,
        visited=any(a.kind == "visit" for a in answers),
        reflections_total=len(prompt_items),
        reflections_written=written,
        quiz_total=len(bank),
        quiz_answered=sum(1 for q in bank if q.id in attempts),
        quiz_score=((sum(question_score(attempts[q.id]) or 0 for q in answered_scored) / len(scored))
                    if answered_scored else None),
        quiz_right=sum(1 for q in answered_scored if (question_score(attempts[q.id]) or 0) >= 1),
        scored_answered=len(answered_scored),
        exercises_done=len({a.item for a in answers if a.kind == "exercise"}),
        plan_needed=plan_needed,
        plan_ready=plan_row is not None and plan_ready(plan_row.value, _written_on(plan_row.created_at)),
    )
