"""Results one tool passes to another.

The contingency simulator (module 04) and the milestone planner (module 06)
each publish their latest valid result; the order-agreement builder takes
them. Within one page the latest result is kept in memory. Across pages (the
simulator runs in another deck, so another kernel) the builder reads what the
learner last saved to the store with "Save this scenario".

Items and their values:
- ``contingency-clause``: {"clause": str, "settings": {...}, "results": {...}}
- ``milestone-plan``: {"milestones": [{"name", "date", "pieces"}], "checkins": [{"date", "mode"}],
  "summary": str, ...}
"""
from __future__ import annotations

from typing import Any


CLAUSE = "contingency-clause"
PLAN = "milestone-plan"
_latest: dict[str, Any] = {}


def publish(item: str, value: Any) -> None:
    """Keep ``value`` as the latest result of ``item`` on this page."""
    _latest[item] = value


def latest(item: str) -> Any | None:
    """The latest result on this page, else the learner's last saved scenario, else None."""
    if item in _latest:
        return _latest[item]
    from . import recorder
    return recorder.latest(item, recorder.Kind.SCENARIO, recorder.current_learner())


def forget() -> None:
    """Tests start from a clean page."""
    _latest.clear()
