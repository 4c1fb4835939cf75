"""The knowledge check's gain: a trainee's score at the end of the course less their score at the start, and the room's.

Pure: it takes first-try scores (0 to 1 per question, as the quiz grades them) and returns numbers and sentences.
Only a first try counts, at both ends, so a trainee who tried again after the feedback gains nothing from it.
A gain is given only for a trainee who answered every item at both ends: a missing answer is not a wrong one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence


@dataclass(frozen=True)
class Gain:
    """One trainee: points at the start and at the end (None until every item is answered there), out of ``items``."""
    items: int
    before: float | None
    after: float | None

    @property
    def complete(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def gain(self) -> float | None:
        return self.after - self.before if self.complete else None


def _points(scores: Mapping[str, float], ids: Sequence[str]) -> float | None:
    if not ids or any(i not in scores for i in ids):
        return None
    return float(sum(scores[i] for i in ids))


def trainee_gain(first_scores: Mapping[str, float], before_ids: Sequence[str], after_ids: Sequence[str]) -> Gain:
    """``first_scores``: question id -> the score of the trainee's first try."""
    return Gain(len(before_ids), _points(first_scores, before_ids), _points(first_scores, after_ids))


def _number(points: float) -> str:
    return f"{points:g}" if points == int(points) else f"{points:.1f}"


def sentence(result: Gain) -> str:
    """The journal's line, in plain words; empty when the trainee has not started the check."""
    n = result.items
    if result.complete:
        change = result.gain
        how = (f"{_number(change)} more right" if change > 0 else f"{_number(-change)} fewer right" if change < 0
               else "the same score")
        return (f"Knowledge check: {_number(result.before)} of {n} right at the start of the course, "
                f"{_number(result.after)} of {n} at the end: {how}.")
    if result.before is not None:
        return (f"Knowledge check: {_number(result.before)} of {n} right at the start of the course. "
                "Answer the same questions in module 08 to see what you gained.")
    if result.after is not None:
        return f"Knowledge check: {_number(result.after)} of {n} right at the end of the course."
    return ""


@dataclass(frozen=True)
class ItemShares:
    question: str        # the question as asked (its prompt)
    before: float | None  # share right on the first try at the start, among those who answered it
    after: float | None
    answered_before: int
    answered_after: int


@dataclass(frozen=True)
class RoomGain:
    trainees: int          # trainees who answered every item at both ends
    items: int
    before: float | None   # their mean points at the start
    after: float | None
    per_item: tuple[ItemShares, ...]

    @property
    def gain(self) -> float | None:
        return None if self.before is None else self.after - self.before


def room_gain(gains: Iterable[Gain], per_item: Iterable[ItemShares], items: int) -> RoomGain:
    complete = [g for g in gains if g.complete]
    if not complete:
        return RoomGain(0, items, None, None, tuple(per_item))
    return RoomGain(len(complete), items, sum(g.before for g in complete) / len(complete),
                    sum(g.after for g in complete) / len(complete), tuple(per_item))


def item_shares(question: str, before: Sequence[float], after: Sequence[float]) -> ItemShares:
    """One item: the first-try scores of everyone who answered it at the start, and at the end."""
    share = (lambda scores: sum(scores) / len(scores) if scores else None)  # noqa: E731
    return ItemShares(question, share(before), share(after), len(before), len(after))
