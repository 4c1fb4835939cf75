"""What the facilitator's dashboard shows and the room's answers as CSV, read from the store in a few queries."""
from __future__ import annotations

from ..models.grading import counts_as_right
from ..state.store import Store
from .spreadsheet import csv_text


def _questions() -> dict:
    """Every question of every quiz bank, by id: (module title, question)."""
    from ..content.course_map import CourseMapError, load_course_map
    from ..content.quiz_bank import load_bank, quiz_dir
    try:
        course = load_course_map()
    except CourseMapError:
        return {}
    found = {}
    for module in course.modules:
        if (quiz_dir() / f"{module.id}.yaml").is_file():
            for question in load_bank(module.id):
                found[question.id] = (module.title, question)
    return found


def _short(text: str, limit: int = 90) -> str:
    """One line of a question's text, its maths as letters and symbols (the dashboard's cells are plain text)."""
    from ..content.quiz_markup import to_plain
    text = " ".join(to_plain(str(text)).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def dashboard(store: Store) -> dict:
    """What the dashboard shows, read in a few queries: who is where, the hardest questions, the polls so far."""
    from ..content.course_map import CourseMapError, load_course_map
    from ..state.progress import module_progress
    try:
        modules = {m.id: m for m in load_course_map().modules}
    except CourseMapError:
        modules = {}
    questions = _questions()
    from ..content.notebooks import module_writing_prompts
    prompts = {p.item: p.text for module in modules.values() for p in module_writing_prompts(module)}
    where = store.whereabouts()
    trainees = []
    for row in store.roster():
        last = where.get(row.learner.id)
        module = modules.get(last.module) if last else None
        progress = module_progress(store, row.learner, module) if module else None
        what = ""
        if last is not None:
            asked = questions.get(last.item)
            if asked:
                what = _short(asked[1]["prompt"])
            elif last.item in prompts:
                what = _short(prompts[last.item])
            else:
                what = "opened the module" if last.kind == "visit" else last.item
        trainees.append({"name": row.learner.name, "module": module.title if module else "",
                         "last": what, "progress": progress.summary() if progress else "",
                         "answers": row.answers, "devices": row.devices, "last_seen": row.last_seen})
    per_question: dict[str, list[int]] = {}
    first_tries = store.first_tries()
    for answer in first_tries:
        if answer.item in questions and questions[answer.item][1].type != "poll":
            tally = per_question.setdefault(answer.item, [0, 0])
            tally[0] += 1
            tally[1] += 1 if counts_as_right(answer.value) else 0  # a shown answer is never a right first try
    hardest = sorted(({"item": item, "module": questions[item][0], "prompt": _short(questions[item][1]["prompt"], 70),
                       "tries": n, "right": right, "share": right / n} for item, (n, right) in per_question.items()),
                     key=lambda h: (h["share"], -h["tries"], h["item"]))
    states = store.poll_states()
    polls = []
    for item, (module_title, question) in questions.items():
        if question.type != "poll":
            continue
        state = states.get(item)
        rows = store.room_latest(item, "quiz", state.cleared_after if state else 0)
        if not rows:
            continue
        counts = {o["key"]: 0 for o in question["options"]}
        for answer in rows:
            key = (answer.value or {}).get("response")
            if key in counts:
                counts[key] += 1
        top = max(counts.values()) or 1
        polls.append({"module": module_title, "prompt": _short(question["prompt"], 400), "total": len(rows),
                      "options": [{"text": _short(o["text"], 200), "count": counts[o["key"]],
                                   "width": round(100 * counts[o["key"]] / top)}
                                  for o in question["options"]]})
    return {"trainees": trainees, "hardest": hardest, "polls": polls,
            "knowledge": knowledge_report(first_tries, questions)}


def knowledge_report(first_tries, questions: dict) -> dict | None:
    """The room's knowledge check, for the dashboard: each item's share right at the start and at the end (first
    tries), and the mean gain of the trainees who answered every item both times. None when the course has no check."""
    from ..content.knowledge_check import load_knowledge_check
    from ..models.knowledge_check import item_shares, room_gain, trainee_gain
    check = load_knowledge_check()
    if check is None:
        return None
    ids = set(check.before_ids()) | set(check.after_ids())
    by_learner: dict[int, dict[str, float]] = {}
    for answer in first_tries:
        if answer.item in ids:
            by_learner.setdefault(answer.learner_id, {})[answer.item] = float(answer.score or 0.0)
    gains = [trainee_gain(scores, check.before_ids(), check.after_ids()) for scores in by_learner.values()]
    items = []
    for before, after in check.pairs():
        asked = questions.get(after) or questions.get(before)
        prompt = _short(asked[1]["prompt"], 70) if asked else after
        items.append(item_shares(prompt, [s[before] for s in by_learner.values() if before in s],
                                 [s[after] for s in by_learner.values() if after in s]))
    room = room_gain(gains, items, len(check.items))
    if not by_learner:
        return {"started": 0}
    percent = (lambda share: None if share is None else round(100 * share))  # noqa: E731
    return {"started": len(by_learner), "both": room.trainees, "questions": room.items,
            "before": None if room.before is None else round(room.before, 1),
            "after": None if room.after is None else round(room.after, 1),
            "gain": None if room.gain is None else round(room.gain, 1),
            "per_item": [{"question": i.question, "before": percent(i.before), "after": percent(i.after),
                          "answered_before": i.answered_before, "answered_after": i.answered_after}
                         for i in room.per_item]}


CSV_COLUMNS = ["trainee", "module", "item", "kind", "answer", "score", "saved_at"]


def answers_csv(store: Store, names: bool = False) -> str:
    """Every saved answer as CSV: trainees numbered in the order they joined, named only when asked."""
    learners = store.learners()
    label = {learner.id: learner.name if names else f"Trainee {n}" for n, learner in enumerate(learners, start=1)}
    rows = []
    for answer in store.answers():
        if answer.kind == "visit":
            continue
        value = answer.value.get("response") if answer.kind == "quiz" and isinstance(answer.value, dict) else answer.value
        rows.append([label.get(answer.learner_id, ""), answer.module, answer.item, answer.kind, value,
                     answer.score, answer.created_at])
    return csv_text(CSV_COLUMNS, rows)


ROSTER_COLUMNS = ["trainee", "answers", "devices", "has_pin_or_device", "last_seen"]


def roster_csv(store: Store) -> str:
    """The roster as CSV, for the facilitator's records: names, how much each saved, devices, last seen."""
    return csv_text(ROSTER_COLUMNS, ([row.learner.name, row.answers, row.devices, row.claimed, row.last_seen]
                                     for row in store.roster()))
