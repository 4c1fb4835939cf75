"""The room's end-of-day evaluation as a CSV file for the facilitator: counts and comments, never names."""
from __future__ import annotations

from ..content.activities import load_activity
from ..models.evaluation import ITEM, results_rows, room_results
from ..state.recorder import Kind
from .spreadsheet import csv_text


def room_answers(store) -> list[dict]:
    """Each trainee's latest evaluation in ``store`` (a ``state.store.Store``), without who wrote it."""
    return [a.value for a in store.latest_per_learner(ITEM, str(Kind.EVALUATION)) if isinstance(a.value, dict)]


def evaluation_csv(store) -> tuple[str, int]:
    """(the CSV text, the number of trainees who answered). Comments are written as typed, formulas never run."""
    form = load_activity("evaluation.yaml")
    answers = room_answers(store)
    header, *rows = results_rows(form, room_results(form, answers))
    return csv_text(header, rows), len(answers)
