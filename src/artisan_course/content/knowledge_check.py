"""The knowledge check: the same few questions at the start (module 00) and at the end (module 08) of the course.

``data/knowledge_check.yaml`` names the modules and the items. Each item NAME stands for two questions with the same
text, ``<before module>-check-NAME`` and ``<after module>-check-NAME``, one in each module's bank. A trainee's gain
is their score at the end less their score at the start (``models.knowledge_check``).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .. import paths
from .quiz_bank import load_bank
from .reader import ContentError, read_checked_yaml

SCHEMA = {"type": "object", "required": ["before", "after", "items"], "additionalProperties": False,
          "properties": {"before": {"type": "string", "minLength": 1}, "after": {"type": "string", "minLength": 1},
                         "items": {"type": "array", "minItems": 1, "uniqueItems": True,
                                   "items": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}}}}


class KnowledgeCheckError(ContentError):
    """The knowledge check names a question that is missing, or a pair whose two questions differ."""


@dataclass(frozen=True)
class KnowledgeCheck:
    before: str                 # the module that asks it first (its id)
    after: str                  # the module that asks it again
    items: tuple[str, ...]

    def before_ids(self) -> tuple[str, ...]:
        return tuple(f"{self.before}-check-{name}" for name in self.items)

    def after_ids(self) -> tuple[str, ...]:
        return tuple(f"{self.after}-check-{name}" for name in self.items)

    def pairs(self) -> list[tuple[str, str]]:
        return list(zip(self.before_ids(), self.after_ids()))


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> KnowledgeCheck:
    data = read_checked_yaml(Path(path), SCHEMA, KnowledgeCheckError, "knowledge check")
    return KnowledgeCheck(data["before"], data["after"], tuple(data["items"]))


def load_knowledge_check() -> KnowledgeCheck | None:
    """The course's knowledge check, or None when the course has no data/knowledge_check.yaml."""
    path = paths.data_dir() / "knowledge_check.yaml"
    if not path.is_file():
        return None
    return _load(str(path), path.stat().st_mtime)


def held_feedback(question_id: str) -> bool:
    """True for a question of the first knowledge check: its answer is saved, its feedback waits for the end."""
    check = load_knowledge_check()
    return check is not None and question_id in check.before_ids()


def check_pairs() -> list[str]:
    """Every problem with the knowledge check, one sentence each: a missing question, or a pair that differs."""
    check = load_knowledge_check()
    if check is None:
        return []
    problems = []
    banks = {module: {q.id: q for q in load_bank(module)} for module in (check.before, check.after)}
    for before, after in check.pairs():
        missing = [(m, qid) for m, qid in ((check.before, before), (check.after, after)) if qid not in banks[m]]
        for module, qid in missing:
            problems.append(f"data/knowledge_check.yaml: the question '{qid}' is not in data/quizzes/{module}.yaml.")
        if missing:
            continue
        first = {k: v for k, v in banks[check.before][before].data.items() if k != "id"}
        second = {k: v for k, v in banks[check.after][after].data.items() if k != "id"}
        if first != second:
            changed = sorted(k for k in set(first) | set(second) if first.get(k) != second.get(k))
            problems.append(f"data/knowledge_check.yaml: '{before}' and '{after}' should be the same question, "
                            f"but their {', '.join(changed)} differ: copy the change to both.")
    return problems
