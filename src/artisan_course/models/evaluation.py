"""The end-of-day evaluation: what one trainee's answers must hold, and the room's results without names."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import _

ITEM = "end-of-day-evaluation"   # the saved answer's item name, shared by the form and the facilitator's export


class EvaluationIncomplete(ValueError):
    """A rating is missing; the message names the first one."""


def check_answers(form: dict, ratings: dict, pace: str | None) -> None:
    """Raise EvaluationIncomplete unless every rating and the pace are chosen (comments are optional)."""
    for number, item in enumerate(form["ratings"], start=1):
        if ratings.get(item["id"]) not in form["scale"]:
            raise EvaluationIncomplete(_("Please choose an answer for question {number}.").format(number=number))
    if pace not in form["pace"]["options"]:
        raise EvaluationIncomplete(_("Please choose an answer for question {number}.").format(
            number=len(form["ratings"]) + 1))


@dataclass
class RoomResults:
    responses: int = 0
    ratings: dict = field(default_factory=dict)    # rating id -> {scale label: count}
    pace: dict = field(default_factory=dict)       # option -> count
    comments: dict = field(default_factory=dict)   # comment id -> [text, ...]


def room_results(form: dict, answers: list[dict]) -> RoomResults:
    """Counts for every rating and the pace, and every non-empty comment, from each trainee's latest answers."""
    results = RoomResults(responses=len(answers),
                          ratings={r["id"]: {label: 0 for label in form["scale"]} for r in form["ratings"]},
                          pace={option: 0 for option in form["pace"]["options"]},
                          comments={c["id"]: [] for c in form["comments"]})
    for answer in answers:
        for rid, label in answer.get("ratings", {}).items():
            if rid in results.ratings and label in results.ratings[rid]:
                results.ratings[rid][label] += 1
        if answer.get("pace") in results.pace:
            results.pace[answer["pace"]] += 1
        for cid, text in answer.get("comments", {}).items():
            if cid in results.comments and str(text).strip():
                results.comments[cid].append(str(text).strip())
    return results


def results_rows(form: dict, results: RoomResults) -> list[list[str]]:
    """The room's results as table rows (question, answer, count or comment): for the facilitator's CSV."""
    rows = [["question", "answer", "count"], ["responses", "", str(results.responses)]]
    for item in form["ratings"]:
        rows += [[item["text"], label, str(n)] for label, n in results.ratings[item["id"]].items()]
    rows += [[form["pace"]["text"], option, str(n)] for option, n in results.pace.items()]
    for item in form["comments"]:
        rows += [[item["text"], text, ""] for text in results.comments[item["id"]]]
    return rows
