"""What the facilitator's dashboard shows and the room's answers as CSV, read from the store in a few queries."""
from __future__ import annotations

from datetime import datetime, timezone

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


def _ago(moment: str, now: datetime) -> str:
    """How long ago a saved time was, in the dashboard's words: "just now", "4 min ago", "1 h 20 min ago"."""
    try:
        then = datetime.fromisoformat(moment)
    except (TypeError, ValueError):
        return ""
    if then.tzinfo is None:
        then = then.replace(tzinfo=timezone.utc)
    return _seconds_ago((now - then).total_seconds())


def _seconds_ago(seconds: float) -> str:
    seconds = max(seconds, 0)
    minutes = int(seconds // 60)
    if seconds < 10:
        return "just now"
    if minutes < 1:
        return f"{int(seconds)} s ago"
    if minutes < 60:
        return f"{minutes} min ago"
    return f"{minutes // 60} h {minutes % 60} min ago"


def _tries(n: int) -> str:
    return "1 try" if n == 1 else f"{n} tries"


def one_answer(value) -> str:
    """A saved quiz row in words: was it right, and on which try ("Right on the first try", "Not right, try 2")."""
    value = value if isinstance(value, dict) else {}
    attempt = value.get("attempt") if isinstance(value.get("attempt"), int) else 1
    if value.get("revealed"):
        return "Answer shown"
    if value.get("correct") is None:
        return "Answered"
    if counts_as_right(value):
        return "Right on the first try" if attempt == 1 else f"Right on try {attempt}"
    return f"Not right, try {attempt}"


def question_so_far(rows: list, poll: bool) -> str:
    """One trainee's rows for one question, oldest first, in words: "" when they have not answered it yet."""
    if not rows:
        return ""
    if poll:
        return "Answered"
    tried = [r for r in rows if not (r.value or {}).get("revealed")]
    for n, row in enumerate(tried, start=1):
        if counts_as_right(row.value):
            return "Right on the first try" if n == 1 else f"Right after {_tries(n)}"
    if len(tried) < len(rows):
        return f"Answer shown after {_tries(len(tried))}" if tried else "Answer shown"
    return f"Not right yet: {_tries(len(tried))}"


NOT_ANSWERED = "Has not answered this question yet"


def _where(place: dict | None, room_slide, titles: dict[str, str]) -> dict:
    """A trainee's slide, as the dashboard says it, and whether it is the room's."""
    if not place:
        return {"text": "No page open", "state": "away", "asleep": ""}
    asleep = _seconds_ago(place["ago"]) if place.get("asleep") else ""
    if not place["deck"]:
        return {"text": "On the course map", "state": "away", "asleep": asleep}
    text = f"Slide {place['h'] + 1}" + (f".{place['v'] + 1}" if place["v"] else "")
    if room_slide is not None and place["deck"] == room_slide[0]:
        if place["on_slide"]:
            return {"text": text, "state": "here", "asleep": asleep, "note": "the room's slide"}
        gap = place["h"] - room_slide[1]
        slides = "1 slide" if abs(gap) == 1 else f"{abs(gap)} slides"
        note = (f"{slides} behind" if gap < 0 else f"{slides} ahead") if gap else "another part of the slide"
        return {"text": text, "state": "away", "asleep": asleep, "note": note}
    return {"text": text, "state": "away", "asleep": asleep, "note": titles.get(place["deck"], place["deck"])}


def dashboard(store: Store, room: dict | None = None) -> dict:
    """What the dashboard shows, read in a few queries: who is where, the hardest questions, the polls so far.

    ``room`` is what the workshop server knows and the store does not: the room's slide (``slide``: deck, h, v),
    the question ids on it (``items``) and each trainee's page (``places``: learner id -> deck, h, v, ``ago``
    seconds since it last asked, ``on_slide``), from ``serving/pacing.py``."""
    from ..content.course_map import CourseMapError, load_course_map
    from ..state.progress import module_progress
    try:
        modules = {m.id: m for m in load_course_map().modules}
    except CourseMapError:
        modules = {}
    questions = _questions()
    from ..content.notebooks import module_writing_prompts
    prompts = {p.item: p.text for module in modules.values() for p in module_writing_prompts(module)}
    titles = {m.notebook: m.title for m in modules.values()}
    room = room or {}
    places, room_slide = room.get("places", {}), room.get("slide")
    items = [i for i in room.get("items", ()) if i in questions]
    asked_now: dict[int, dict[str, list]] = {}
    for answer in store.room_answers(items):
        asked_now.setdefault(answer.learner_id, {}).setdefault(answer.item, []).append(answer)
    now = datetime.now(timezone.utc)
    where = store.whereabouts()
    last_answers = store.last_answers()
    trainees = []
    for row in store.roster():
        last = where.get(row.learner.id)
        module = modules.get(last.module) if last else None
        progress = module_progress(store, row.learner, module) if module else None
        answered = last_answers.get(row.learner.id)
        what, result = "", ""
        if answered is not None:
            asked = questions.get(answered.item)
            if asked:
                what = _short(asked[1]["prompt"])
                result = one_answer(answered.value) if answered.kind == "quiz" else ""
            elif answered.item in prompts:
                what, result = _short(prompts[answered.item]), "Written"
            else:
                what = answered.item
        if items:
            mine = asked_now.get(row.learner.id, {})
            said = [question_so_far(mine.get(item, []), questions[item][1].type == "poll") for item in items]
            done = [s for s in said if s]
            if not done:
                current = NOT_ANSWERED
            elif len(items) == 1:
                current = done[0]
            else:
                current = f"{len(done)} of {len(items)} answered: " + "; ".join(s or "not yet" for s in said)
        else:
            current = ""
        trainees.append({"name": row.learner.name, "module": module.title if module else "",
                         "where": _where(places.get(row.learner.id), room_slide, titles),
                         "in_room": row.learner.id in places,
                         "current": current, "waiting": current == NOT_ANSWERED,
                         "last": what, "result": result,
                         "when": _ago(answered.created_at, now) if answered is not None else "",
                         "progress": progress.summary() if progress else "",
                         "answers": row.answers, "devices": row.devices, "last_seen": row.last_seen})
    on_slide = sum(1 for t in trainees if t["where"]["state"] == "here")
    in_room = sum(1 for t in trainees if t["in_room"])
    room_view = {
        "slide": None if room_slide is None else {
            "module": titles.get(room_slide[0], room_slide[0]), "number": room_slide[1] + 1},
        "following": room.get("following", True), "on_slide": on_slide, "in_room": in_room,
        "questions": [_short(questions[i][1]["prompt"], 120) for i in items],
        "answered": sum(1 for t in trainees if items and t["in_room"] and not t["waiting"]),
    }
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
    return {"trainees": trainees, "room": room_view, "hardest": hardest, "polls": polls,
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
    """Every trainee's saved answers as CSV: trainees numbered in the order they joined, named only when asked. The
    facilitator's own learner (what the facilitator's slides saved) is no trainee, and is left out."""
    learners = store.learners()
    label = {learner.id: learner.name if names else f"Trainee {n}" for n, learner in enumerate(learners, start=1)}
    rows = []
    for answer in store.answers():
        if answer.kind == "visit" or answer.learner_id not in label:
            continue
        quiz = answer.kind == "quiz" and isinstance(answer.value, dict)
        value = answer.value.get("response") if quiz else answer.value
        rows.append([label.get(answer.learner_id, ""), answer.module, answer.item, answer.kind, value,
                     answer.score, answer.created_at])
    return csv_text(CSV_COLUMNS, rows)


ROSTER_COLUMNS = ["trainee", "answers", "devices", "has_pin_or_device", "last_seen"]


def roster_csv(store: Store) -> str:
    """The roster as CSV, for the facilitator's records: names, how much each saved, devices, last seen."""
    return csv_text(ROSTER_COLUMNS, ([row.learner.name, row.answers, row.devices, row.claimed, row.last_seen]
                                     for row in store.roster()))
