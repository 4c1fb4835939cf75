"""The exercise notebooks' API: ``from artisan_course.exercise_tasks import fairness_rule_task, check_piece_shares``.

Kept as its own name because trainees' working copies of the exercises import it; the tasks themselves live in
``widgets/exercises.py``.
"""
from __future__ import annotations

import importlib


def __getattr__(name: str):
    module = importlib.import_module(".widgets.exercises", __package__)
    try:
        return getattr(module, name)
    except AttributeError:
        raise AttributeError(f"module 'artisan_course.exercise_tasks' has no attribute {name!r}") from None
