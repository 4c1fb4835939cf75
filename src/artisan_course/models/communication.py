"""Module 07's rules: channel ranking, the conflict plan, checking a draft, and listening for key points.

Teaching rules written for the course, not research:

1. Channel ranking: each channel has start points; each answer to a situation question adds or takes away
   points with a reason (data/channels.yaml). Highest total first; a tie keeps the file's order. The "why"
   of a channel is its reason with the most points, plus or minus. 0 points or less: "not a good fit here".
2. Draft check: a checklist point is met when all its simple rules hold (words or phrases present or absent,
   a number, a word count; data/message_checklists.yaml). It is a rough guide: the trainee can tick a point
   the rules missed.
3. Listening: a point of the statement counts as found when the trainee's summary holds at least one of its
   keywords (data/listening.yaml). Also a rough guide.

Words: every rule compares words, never letters, so "plan*" finds planning but "table" does not find timetable. The
words come from a splitting function, ``split``: the default, ``words_of``, reads English words only; the course
passes ``content.words.words``, which also splits Lao (written without spaces) with a word dictionary. A keyword
or phrase is found when its letters appear in the draft from the start of one word to the end of another, so it
is found however the dictionary happened to split it there. A Lao draft cannot be judged by a rule whose words are
all English: ``english_only`` names such points, and the screen says so instead of "not found".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..text import CourseInputError


class UnknownAnswer(CourseInputError):
    """A situation answer the channel file does not list."""


@dataclass(frozen=True)
class RankedChannel:
    id: str
    name: str
    points: int
    why: str

    @property
    def fits(self) -> bool:
        return self.points > 0


def default_situation(data: dict) -> dict[str, str]:
    return {q["id"]: q["default"] for q in data["questions"]}


def rank_channels(data: dict, situation: dict[str, str]) -> list[RankedChannel]:
    """The channels, best first, for a situation {question id: answer key}. Pure and deterministic.

    A question missing from ``situation`` takes its default answer; an unknown answer is an error.
    """
    points = {c["id"]: c["start"] for c in data["channels"]}
    strongest: dict[str, tuple[int, str]] = {}
    for question in data["questions"]:
        key = situation.get(question["id"], question["default"])
        answer = next((a for a in question["answers"] if a["key"] == key), None)
        if answer is None:
            raise UnknownAnswer(f"'{key}' is not an answer to the question '{question['label']}'.")
        for effect in answer["effects"]:
            points[effect["channel"]] += effect["points"]
            # The reason with the most weight explains the channel; the first one wins a tie.
            if abs(effect["points"]) > strongest.get(effect["channel"], (0, ""))[0]:
                strongest[effect["channel"]] = (abs(effect["points"]), effect["why"])
    order = {c["id"]: i for i, c in enumerate(data["channels"])}
    ranked = [RankedChannel(c["id"], c["name"], points[c["id"]], strongest.get(c["id"], (0, c["about"]))[1])
              for c in data["channels"]]
    return sorted(ranked, key=lambda r: (-r.points, order[r.id]))


def situation_text(data: dict, situation: dict[str, str]) -> str:
    parts = []
    for q in data["questions"]:
        key = situation.get(q["id"], q["default"])
        answer = next((a["text"] for a in q["answers"] if a["key"] == key), key)
        parts.append(f"{q['short']}: {answer}")
    return "; ".join(parts)


def channel_summary(data: dict, situation: dict[str, str], ranking: list[RankedChannel], chosen: str) -> str:
    place = next((i for i, r in enumerate(ranking) if r.id == chosen), 0)
    name = ranking[place].name
    return (f"Chosen channel: {name} (ranked {place + 1} of {len(ranking)} by the chooser). "
            f"Situation: {situation_text(data, situation)}.")


def clean_steps(steps: list[dict]) -> list[dict]:
    """The steps with text, each trimmed. Empty steps are left out of the shared plan (they stay in the saved one)."""
    return [{"text": s.get("text", "").strip(), "who": s.get("who", "").strip(), "when": s.get("when", "").strip()}
            for s in steps if s.get("text", "").strip()]


def conflict_summary(steps: list[dict]) -> str:
    shared = clean_steps(steps)
    if not shared:
        return "Conflict plan: no steps written yet."
    parts = [f"{i}. {s['text']} ({s['who'] or 'who: not set'}; {s['when'] or 'when: not set'})"
             for i, s in enumerate(shared, start=1)]
    return f"Conflict plan with {len(shared)} steps: " + " ".join(parts)


_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LAO = re.compile("[\u0e81-\u0edf]")  # the Lao block of Unicode: letters, marks and digits

Split = Callable[[str], list]


NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
                "thirty", "forty", "fifty", "hundred",
                # one to ten, twenty, hundred and thousand in Lao (ສີ່ is four; ສີ, colour, is not a number)
                "ໜຶ່ງ", "ສອງ", "ສາມ", "ສີ່", "ຫ້າ", "ຫົກ", "ເຈັດ", "ແປດ", "ເກົ້າ", "ສິບ", "ຊາວ", "ຮ້ອຍ", "ພັນ"}


MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december",
          "ມັງກອນ", "ກຸມພາ", "ມີນາ", "ເມສາ", "ພຶດສະພາ", "ມິຖຸນາ", "ກໍລະກົດ", "ສິງຫາ", "ກັນຍາ", "ຕຸລາ", "ພະຈິກ", "ທັນວາ"}


def words_of(text: str) -> list[str]:
    """English words and numbers, lower-case; a hyphen or any punctuation separates words ("long-term" is two).

    The default ``split``: it sees no Lao at all. The course passes ``content.words.words`` instead."""
    return _WORD.findall(str(text).lower().replace("’", "'"))


def has_lao(text) -> bool:
    return bool(_LAO.search(str(text)))


def has_phrase(words: list[str], phrase, split: Split = words_of) -> bool:
    """Is ``phrase`` (one or more words) in ``words``? A final * matches any word that starts like the last one.

    Found when the phrase's letters run from the start of one word of ``words`` to the end of a word (or, with *,
    into it), so "long term" finds long-term, and a Lao phrase is found however the dictionary split it."""
    phrase = str(phrase).strip()
    prefix = phrase.endswith("*")
    wanted = "".join(split(phrase.rstrip("*")))
    if not wanted:
        return False
    for start in range(len(words)):
        joined = ""
        for word in words[start:]:
            joined += word
            if joined == wanted or (prefix and joined.startswith(wanted)):
                return True
            if len(joined) >= len(wanted) or not wanted.startswith(joined):
                break
    return False


def _number_in(words: list[str], split: Split) -> bool:
    if any(any(ch.isdigit() for ch in w) for w in words):
        return True
    return any(has_phrase(words, name, split) for name in NUMBER_WORDS | MONTHS)


def check_met(check: dict, text: str, split: Split = words_of) -> bool:
    """Do all the rules of one checklist point hold for ``text``? (The rules are described in the data file.)"""
    words = split(text)
    if "any" in check and not any(has_phrase(words, p, split) for p in check["any"]):
        return False
    if "none" in check and any(has_phrase(words, p, split) for p in check["none"]):
        return False
    if check.get("number") and not _number_in(words, split):
        return False
    if "min_words" in check and len(words) < check["min_words"]:
        return False
    if "max_words" in check and len(words) > check["max_words"]:
        return False
    return True


def check_draft(points: list[dict], text: str, split: Split = words_of) -> dict[str, bool]:
    """Each checklist point's id: does the draft seem to meet it? Nothing is met by an empty draft."""
    if not str(text).strip():
        return {p["id"]: False for p in points}
    return {p["id"]: check_met(p["check"], text, split) for p in points}


def english_only(keywords) -> bool:
    """A list of words or phrases with no Lao in it: it cannot judge a draft written in Lao."""
    return not any(has_lao(k) for k in keywords)


def english_only_points(points: list[dict], text: str, found: dict[str, bool] | None = None,
                        lao_split: bool = True) -> list[str]:
    """The ids of the points a draft with Lao in it cannot be judged on: their word rules are English only.

    A point already found (in the English part of a half-Lao draft) is judged; ``found`` is check_draft's answer.
    ``lao_split`` False (no Lao word splitter on this computer): every rule about words or their number is."""
    if not has_lao(text):
        return []
    found = found or {}
    lists = [[p["check"][k] for k in ("any", "none") if k in p["check"]] for p in points]
    if not lao_split:
        return [p["id"] for p, words in zip(points, lists) if not found.get(p["id"])
                and (words or "min_words" in p["check"] or "max_words" in p["check"])]
    return [p["id"] for p, words in zip(points, lists) if words and not found.get(p["id"])
            and all(english_only(w) for w in words)]


def _listing(items) -> str:
    items = [str(i) for i in items]
    shown = ", ".join(items[:8])
    return shown + (", …" if len(items) > 8 else "")


def describe_check(check: dict) -> str:
    """The rules of one point in plain words, for the "How the check decides" list."""
    parts = []
    if "any" in check:
        parts.append(f"a word such as {_listing(check['any'])}")
    if "none" in check:
        parts.append(f"none of: {_listing(check['none'])}")
    if check.get("number"):
        parts.append("a number or the name of a month")
    if "min_words" in check and "max_words" in check:
        parts.append(f"{check['min_words']} to {check['max_words']} words")
    elif "min_words" in check:
        parts.append(f"at least {check['min_words']} words")
    elif "max_words" in check:
        parts.append(f"at most {check['max_words']} words")
    return "; ".join(parts)


def checklist_summary(title: str, points: list[dict], ticked: list[str]) -> str:
    done = [p["text"].rstrip(".") for p in points if p["id"] in ticked]
    return (f"{title} checklist: {len(done)} of {len(points)} points ticked"
            + (f" ({'; '.join(done)})." if done else "."))


def listening_points(statement: dict, summary: str, split: Split = words_of) -> list[tuple[str, bool]]:
    """Each point of the statement, and whether the summary holds at least one of its keywords."""
    words = split(summary)
    return [(p["text"], any(has_phrase(words, k, split) for k in p["keywords"])) for p in statement["points"]]


def listening_english_only(statement: dict, summary: str, points: list[tuple[str, bool]],
                           lao_split: bool = True) -> list[str]:
    """The points (their text) a summary with Lao in it cannot be judged on: not found, and English keywords only
    (or any keywords, with ``lao_split`` False: this computer cannot split Lao into words)."""
    if not has_lao(summary):
        return []
    return [p["text"] for p, (_, ok) in zip(statement["points"], points)
            if not ok and (not lao_split or english_only(p["keywords"]))]


def listening_summary(statement: dict, points: list[tuple[str, bool]]) -> str:
    found = [text for text, ok in points if ok]
    missing = [text for text, ok in points if not ok]
    return (f"Listening practice, \"{statement['title']}\": {len(found)} of {len(points)} points found."
            + (f" Missed: {' '.join(missing)}" if missing else " Every point was there."))
