"""Guessability cues in the quiz banks: what a test-wise learner could use to score without knowing the content.

Pure: it takes questions as plain dicts, shaped as in ``data/quizzes/*.yaml`` (see
``artisan_course.content.quiz_bank``), and returns numbers and sentences. It imports
nothing from the course, so a maintainer can run it on a draft bank.

Two kinds of result:

- :func:`check_banks` returns a list of :class:`Problem` (file, question id,
  sentence). A problem about a whole bank has the question id ``"*"``; a problem
  about the whole course has the file ``"*"`` too.
- :func:`simulate` plays test-wise guessers (always pick the longest option,
  always answer False, ...) over every scored question and compares their
  expected score with blind chance.

Chance is the expected score of a learner who answers at random, per item
type, under the course's grading rules: 1/n for a choice among n options, 1/2
for true/false, 1/n for an ordering of n steps (a random order puts one step in
place on average), 1/k for sorting into k categories, the mean score over every
non-empty set of ticks for "select all that apply", and 0 for a number.
A guesser whose cue says nothing about an item guesses blind there, so it
scores chance on it.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from statistics import mean
from typing import Callable, Iterable, Mapping, NamedTuple

# -- thresholds ---------------------------------------------------------------------------------------------------
# A right option more than 1.5 times as long as the mean of the others stands out: item writers add the
# qualifications to the right answer and leave the wrong ones bare. The same ratio, turned round, catches the
# over-correction (a right answer much shorter than the rest).
KEY_LENGTH_RATIO = 1.5
# Differences smaller than this many characters (about two words) are not visible, whatever the ratio
# ("Equity" against "Equality").
MIN_LENGTH_GAP = 12
# A wrong option under half the length of the right one reads as a throwaway, so it is easy to rule out.
SHORT_DISTRACTOR_RATIO = 0.5
# In one bank, the longest (or the shortest) option may be the right one in at most half of the choice items...
BANK_LENGTH_WIN_MAX = 0.5
# ...counted only in banks with at least this many single-choice and scenario items; fewer say little.
BANK_MIN_CHOICE_ITEMS = 3
# Share of true/false items keyed True, across the course. Outside this range "always answer False" (or True) pays.
TRUE_SHARE_RANGE = (0.4, 0.6)
# Words that test-wise learners read as "this is the wrong one".
ABSOLUTE_WORDS = ("always", "never", "only", "must", "all", "none")
# Clauses by which an option argues for itself ("..., since the pressure helps"). Writers give wrong options a
# reason so that they tempt; when mostly wrong options carry one, the reason itself marks them.
RATIONALE = re.compile(r"\b(because|since|so that|in order to)\b|,\s*so\b", re.IGNORECASE)
# Such markers (absolute words, self-justifying clauses) may sit in wrong options and false statements at most
# this much more often than wrong ones occur anyway (about two thirds of all options are wrong: the base rate)...
MARKER_MARGIN = 0.15
# ...once there are at least this many marked options and statements in the course; below it, the share is noise.
MARKER_MIN_COUNT = 5
# Words of the course's values. Where only the right option speaks of respect, trust or fairness and every wrong one
# is cold, a learner who knows the course's tone picks the warm one without knowing the content. Give at least one
# wrong option the same warm words (a tempting wrong answer is often kind: "accept the batch, so she keeps face").
VALUE_WORDS = re.compile(r"\b(respect\w*|trust\w*|fair|fairly|fairness|warm\w*|kind|kindly|kindness|car(?:e|es|ing)|"
                         r"thank\w*|together|dialogue|relationships?|friend\w*|honest\w*)\b", re.IGNORECASE)
# Feedback must add at least this many content words that are not in the option, its category or the statement
# it answers. "Equality. Everyone gets the same." adds three, and teaches nothing the learner did not just read.
FEEDBACK_MIN_NEW_WORDS = 5
# How far above chance a guesser may score, across the course, before it is a problem: about one lucky
# three-option item among the course's 80-odd scored ones (0.67 / 82). Less would make every small edit fail the
# over-correction guessers, which pull against each other; the tests hold the two named cues to chance exactly.
GUESS_MARGIN = 0.01

CHOICE = ("single", "scenario")
SCORED = ("single", "scenario", "multi", "truefalse", "ordering", "categorise", "numeric", "text")
COURSE = "*"

# Words that carry no content of their own, so feedback made only of them (plus the label) teaches nothing.
_STOPWORDS = frozenset("""
a an the and or but if then so as of to in on at by for from with without into onto about than that this these
those it its it's is are was were be been being am do does did done doing have has had having i you he she we they
me him her us them my your his our their mine yours what which who whom whose when where why how not no yes
can cannot could will would shall should may might must also too very just only more most less least much many
some any each every all none both either neither one two three there here out up down over under again once
right quite wrong correct true false yes first second third fourth fifth last next step""".split())
_VERDICT = re.compile(r"^\s*(right|not quite|yes|no|too low|too high|correct|wrong|true|false)\b[^.:!?]*[.:!?]\s*",
                      re.IGNORECASE)


class Problem(NamedTuple):
    file: str
    question: str
    problem: str


@dataclass(frozen=True)
class GuessResult:
    """One guesser over the course: expected score and chance, over every scored item and over the items it acts on."""
    name: str
    score: float          # mean expected score over every scored question (blind where the cue says nothing)
    chance: float         # mean chance score over the same questions
    acted: int            # questions where the cue gave the guesser a pick
    acted_score: float    # its mean expected score on those
    acted_chance: float   # chance on those
    items: int            # every scored question

    def sentence(self) -> str:
        where = (f"on the {self.acted} items its cue applies to it scores {self.acted_score:.3f} "
                 f"against chance {self.acted_chance:.3f}") if self.acted else "its cue applies to no item"
        return (f"{self.name}: expected course score {self.score:.3f} against chance {self.chance:.3f} "
                f"over {self.items} scored items; {where}.")


# -- small helpers ------------------------------------------------------------------------------------------------
def _entries(q: dict) -> list[dict]:
    return list(q.get("options") or q.get("items") or [])


def _length(text: str) -> int:
    return len(" ".join(str(text).split()))


def _words(text: str) -> list[str]:
    words = []
    for word in re.findall(r"[a-z]+(?:'[a-z]+)?", str(text).lower()):
        word = word[:-2] if word.endswith("'s") else word
        words.append(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)
    return words


def _absolute(text: str) -> list[str]:
    found = set(re.findall(r"[a-z]+", str(text).lower())) & set(ABSOLUTE_WORDS)
    return sorted(found)


def _rationale(text: str) -> list[str]:
    return sorted({" ".join(m.group(0).lower().replace(",", "").split()) for m in RATIONALE.finditer(str(text))})


# The markers a test-wise learner reads as "wrong": how a problem names them -> what finds them in a text.
MARKERS: dict[str, Callable[[str], list[str]]] = {
    "absolute words": _absolute,
    "reasons given inside the option": _rationale,
}


def _values(text: str) -> list[str]:
    return sorted({m.group(0).lower() for m in VALUE_WORDS.finditer(str(text))})


def _normal(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", str(text).lower()))


def _keyed(q: dict) -> set[str]:
    if q["type"] in CHOICE:
        return {q["answer"]}
    if q["type"] == "multi":
        return set(q["answers"])
    return set()


def multi_score(chosen: Iterable[str], answers: Iterable[str]) -> float:
    """The course's rule for "select all that apply": (right ticks - wrong ticks) / right options, never below 0."""
    chosen, answers = set(chosen), set(answers)
    return max(0.0, (len(chosen & answers) - len(chosen - answers)) / len(answers))


def chance(q: dict) -> float | None:
    """Expected score of a blind guess at ``q`` under the course's grading; None for a poll (not scored)."""
    kind = q["type"]
    if kind in CHOICE:
        return 1 / len(q["options"])
    if kind == "truefalse":
        return 0.5
    if kind == "multi":
        keys = [o["key"] for o in q["options"]]
        ticks = [c for r in range(1, len(keys) + 1) for c in itertools.combinations(keys, r)]
        return mean(multi_score(c, q["answers"]) for c in ticks)
    if kind == "ordering":
        return 1 / len(q["items"])
    if kind == "categorise":
        return 1 / len(q["categories"])
    if kind in ("numeric", "text"):
        return 0.0
    return None


# -- guessers -----------------------------------------------------------------------------------------------------
# Each takes a question and returns the guesser's expected score on it, or None when its cue says nothing there
# (then it guesses blind and scores chance).
def _by_length(q: dict, pick: Callable[[Iterable[int]], int]) -> float | None:
    options = q.get("options") or []
    if q["type"] in CHOICE:
        lengths = {o["key"]: _length(o["text"]) for o in options}
        target = pick(lengths.values())
        tied = [k for k, n in lengths.items() if n == target]
        return (1 / len(tied)) if q["answer"] in tied else 0.0
    if q["type"] == "multi":
        lengths = {o["key"]: _length(o["text"]) for o in options}
        middle = mean(lengths.values())
        longer = pick is max
        ticked = [k for k, n in lengths.items() if (n >= middle if longer else n <= middle)]
        return multi_score(ticked, q["answers"])
    return None


def longest_option(q: dict) -> float | None:
    """Pick the longest option; in "select all", tick every option at least as long as the average."""
    return _by_length(q, max)


def shortest_option(q: dict) -> float | None:
    """The over-correction check: pick the shortest option; in "select all", tick the shorter half."""
    return _by_length(q, min)


def middle_length(q: dict) -> float | None:
    """The other over-correction: avoid both the longest and the shortest option, pick among the rest."""
    if q["type"] not in CHOICE:
        return None
    lengths = {o["key"]: _length(o["text"]) for o in q["options"]}
    middle = [k for k, n in lengths.items() if n not in (max(lengths.values()), min(lengths.values()))]
    if not middle:
        return None
    return (1 / len(middle)) if q["answer"] in middle else 0.0


def always_false(q: dict) -> float | None:
    return (0.0 if q["answer"] else 1.0) if q["type"] == "truefalse" else None


def always_true(q: dict) -> float | None:
    return (1.0 if q["answer"] else 0.0) if q["type"] == "truefalse" else None


def tick_everything(q: dict) -> float | None:
    return multi_score([o["key"] for o in q["options"]], q["answers"]) if q["type"] == "multi" else None


def _avoid(marked: Callable[[str], list[str]]) -> Callable[[dict], float | None]:
    def guess(q: dict) -> float | None:
        if q["type"] == "truefalse":
            says_false = bool(marked(q["prompt"]))
            return 1.0 if says_false != bool(q["answer"]) else 0.0
        if q["type"] in CHOICE or q["type"] == "multi":
            plain = [o["key"] for o in q["options"] if not marked(o["text"])]
            if not plain or len(plain) == len(q["options"]):
                return None
            if q["type"] == "multi":
                return multi_score(plain, q["answers"])
            return (1 / len(plain)) if q["answer"] in plain else 0.0
        return None
    return guess


def pick_warm_words(q: dict) -> float | None:
    """Pick the option that speaks of respect, trust or fairness; in "select all", tick every such option."""
    if q["type"] not in CHOICE and q["type"] != "multi":
        return None
    warm = [o["key"] for o in q["options"] if _values(o["text"])]
    if not warm or len(warm) == len(q["options"]):
        return None
    if q["type"] == "multi":
        return multi_score(warm, q["answers"])
    return (1 / len(warm)) if q["answer"] in warm else 0.0


# Read "always", "only", "must"... as the mark of a wrong answer (and a statement that says them as false).
avoid_absolute_words = _avoid(_absolute)
# Read an option that argues for itself ("..., since it looks fair") as a wrong one.
avoid_self_justifying = _avoid(_rationale)


GUESSERS: dict[str, Callable[[dict], float | None]] = {
    "always pick the longest option": longest_option,
    "always answer False": always_false,
    "always pick the shortest option": shortest_option,
    "pick neither the longest nor the shortest": middle_length,
    "always answer True": always_true,
    "tick every box": tick_everything,
    "avoid absolute words": avoid_absolute_words,
    "avoid options that give their own reason": avoid_self_justifying,
    "pick the option with the course's warm words": pick_warm_words,
}


def _scored(banks: Mapping[str, Iterable[dict]]) -> list[tuple[str, dict]]:
    return [(file, q) for file, questions in banks.items() for q in questions if q["type"] in SCORED]


def simulate(banks: Mapping[str, Iterable[dict]],
             guessers: Mapping[str, Callable] | None = None) -> dict[str, GuessResult]:
    """Each guesser's expected score over every scored question of the course, against blind chance."""
    items = _scored(banks)
    results = {}
    for name, guess in (guessers or GUESSERS).items():
        scores, chances, acted = [], [], []
        for _, q in items:
            blind = chance(q)
            picked = guess(q)
            scores.append(blind if picked is None else picked)
            chances.append(blind)
            if picked is not None:
                acted.append((picked, blind))
        results[name] = GuessResult(
            name, mean(scores) if scores else 0.0, mean(chances) if chances else 0.0, len(acted),
            mean(a for a, _ in acted) if acted else 0.0, mean(c for _, c in acted) if acted else 0.0, len(items))
    return results


# -- per-question checks ------------------------------------------------------------------------------------------
def _new_words(feedback: str, *labels: str) -> list[str]:
    known = set(_STOPWORDS)
    for label in labels:
        known.update(_words(label))
    return [w for w in _words(_VERDICT.sub("", feedback)) if w not in known]


def _feedback_pairs(q: dict) -> list[tuple[str, str, tuple[str, ...]]]:
    """(where, feedback, labels it must go beyond) for every piece of feedback in the question."""
    kind = q["type"]
    if kind == "truefalse":
        return [(f"the feedback for '{side}'", q["feedback"][side], (q["prompt"],)) for side in ("true", "false")]
    if kind in ("numeric", "text"):
        pairs = [(f"the '{side}' feedback", text, (q["prompt"], q.get("units", "")))
                 for side, text in q["feedback"].items()]
        return pairs + [(f"the feedback on answer {n}", a["feedback"],
                         (q["prompt"], str(a.get("text", a.get("value", "")))))
                        for n, a in enumerate(q.get("answers") or [], 1) if a.get("feedback")]
    pairs = []
    for e in _entries(q):
        if "feedback" in e:
            labels = (e["text"], e.get("category", ""))
            pairs.append((f"the feedback on '{e['key']}'", e["feedback"], labels))
    return pairs


def check_question(file: str, q: dict) -> list[Problem]:
    """Cues inside one question: a right answer that stands out by length, throwaway or repeated options,
    and feedback that only repeats what the learner just read."""
    problems: list[Problem] = []

    def say(sentence: str) -> None:
        problems.append(Problem(file, q["id"], sentence))

    kind, entries = q["type"], _entries(q)
    keyed = _keyed(q)
    if kind in CHOICE or kind == "multi":
        right = [_length(o["text"]) for o in entries if o["key"] in keyed]
        wrong = [(o["key"], _length(o["text"])) for o in entries if o["key"] not in keyed]
        if right and wrong:
            right_mean, wrong_mean = mean(right), mean(n for _, n in wrong)
            what = "the right option is" if kind in CHOICE else "the right options are, on average,"
            if right_mean > KEY_LENGTH_RATIO * wrong_mean and right_mean - wrong_mean >= MIN_LENGTH_GAP:
                say(f"{what} {right_mean / wrong_mean:.1f} times as long as the wrong ones, "
                    f"so length gives the answer away.")
            elif wrong_mean > KEY_LENGTH_RATIO * right_mean and wrong_mean - right_mean >= MIN_LENGTH_GAP:
                say(f"{what} much shorter than the wrong ones ({right_mean:.0f} against {wrong_mean:.0f} "
                    f"characters), so length gives the answer away.")
            for key, n in wrong:
                if n < SHORT_DISTRACTOR_RATIO * right_mean and right_mean - n >= MIN_LENGTH_GAP:
                    say(f"the wrong option '{key}' is less than half as long as the right answer, "
                        f"so it is easy to rule out.")
    if kind in CHOICE or kind == "multi":
        warm = {o["key"]: _values(o["text"]) for o in entries}
        warm_keys = {k for k, words in warm.items() if words}
        if warm_keys and warm_keys <= keyed and warm_keys != {o["key"] for o in entries}:
            words = sorted({w for k in warm_keys for w in warm[k]})
            say(f"only the right {'option uses' if kind in CHOICE else 'options use'} the course's warm words "
                f"('{', '.join(words)}'); give a wrong option the same warm words, so the tone does not give the "
                f"answer away.")
    if kind == "text":
        for a in q["answers"]:
            if a.get("correct", True) and f" {_normal(a['text'])} " in f" {_normal(q['prompt'])} ":
                say(f"the accepted answer '{a['text']}' is written in the prompt, so it can be copied.")
    texts = [(e["key"], _normal(e["text"])) for e in entries]
    for (k1, t1), (k2, t2) in itertools.combinations(texts, 2):
        if t1 == t2:
            say(f"options '{k1}' and '{k2}' have the same text.")
    pairs = _feedback_pairs(q)
    for (w1, f1, _), (w2, f2, _) in itertools.combinations(pairs, 2):
        if _normal(_VERDICT.sub("", f1)) == _normal(_VERDICT.sub("", f2)):
            say(f"{w1} and {w2} say the same thing, so neither explains its own case.")
    for where, feedback, labels in pairs:
        new = _new_words(feedback, *labels)
        if len(new) < FEEDBACK_MIN_NEW_WORDS:
            say(f"{where} adds little to the option and its label ({len(new)} new words); "
                f"say why the option is tempting or why it is right.")
    return problems


# -- bank and course checks ---------------------------------------------------------------------------------------
def _answer_elements(banks: Mapping[str, Iterable[dict]]) -> list[tuple[str, str, str, bool]]:
    """(file, question id, text, is right) for every option of a choice and every true/false statement."""
    elements = []
    for file, questions in banks.items():
        for q in questions:
            if q["type"] in CHOICE or q["type"] == "multi":
                keyed = _keyed(q)
                elements += [(file, q["id"], o["text"], o["key"] in keyed) for o in q["options"]]
            elif q["type"] == "truefalse":
                elements.append((file, q["id"], q["prompt"], bool(q["answer"])))
    return elements


def check_banks(banks: Mapping[str, Iterable[dict]]) -> list[Problem]:
    """Every cue in the banks (``{file name: [question dict, ...]}``): per question, per bank and across the course."""
    banks = {file: list(questions) for file, questions in banks.items()}
    problems: list[Problem] = []
    for file, questions in banks.items():
        for q in questions:
            problems += check_question(file, q)
        choice = [q for q in questions if q["type"] in CHOICE]
        if len(choice) >= BANK_MIN_CHOICE_ITEMS:
            for guess, word in ((longest_option, "longest"), (shortest_option, "shortest")):
                share = mean(guess(q) for q in choice)
                if share > BANK_LENGTH_WIN_MAX:
                    problems.append(Problem(file, "*", f"in {share:.0%} of its {len(choice)} single-choice and "
                                                       f"scenario items the {word} option is the right one."))

    tf = [q for questions in banks.values() for q in questions if q["type"] == "truefalse"]
    if tf:
        share_true = sum(bool(q["answer"]) for q in tf) / len(tf)
        low, high = TRUE_SHARE_RANGE
        if not low <= share_true <= high:
            problems.append(Problem(COURSE, COURSE, f"{sum(bool(q['answer']) for q in tf)} of the {len(tf)} "
                                                    f"true/false items are keyed True; keep it between "
                                                    f"{low:.0%} and {high:.0%}."))

    elements = _answer_elements(banks)
    for name, find in MARKERS.items():
        marked = [e for e in elements if find(e[2])]
        if not elements or len(marked) < MARKER_MIN_COUNT:
            continue
        base = sum(not right for *_, right in elements) / len(elements)
        share = sum(not right for *_, right in marked) / len(marked)
        if share > base + MARKER_MARGIN:
            problems.append(Problem(COURSE, COURSE, f"{share:.0%} of the {len(marked)} options and statements with "
                                                    f"{name} are wrong, against {base:.0%} of all of them: "
                                                    f"the {name} give the answer away."))
            for file, qid, text, right in marked:
                if not right:
                    problems.append(Problem(file, qid, f"a wrong option or false statement has {name}: "
                                                       f"'{', '.join(find(text))}'."))

    for result in simulate(banks).values():
        if result.score > result.chance + GUESS_MARGIN + 1e-9:
            problems.append(Problem(COURSE, COURSE, f"a learner who would {result.sentence()}"))
    return problems


def length_wins(banks: Mapping[str, Iterable[dict]]) -> dict[str, tuple[float, float, int]]:
    """Per bank and overall ("*"): the longest-option guesser's share of wins on single-choice and scenario
    items, chance on them, and how many there are."""
    rows: dict[str, list[dict]] = {file: [q for q in qs if q["type"] in CHOICE] for file, qs in banks.items()}
    rows[COURSE] = [q for qs in rows.values() for q in qs]
    return {file: (mean(longest_option(q) for q in qs), mean(chance(q) for q in qs), len(qs))
            for file, qs in rows.items() if qs}


def report(banks: Mapping[str, Iterable[dict]]) -> str:
    """A plain-text summary for a maintainer: the guessers against chance, length wins per bank, the problems."""
    banks = {file: list(questions) for file, questions in banks.items()}
    lines = ["Guessers over the whole course:"]
    lines += [f"  {r.sentence()}" for r in simulate(banks).values()]
    lines.append("Longest option is right (single choice and scenario), share against chance:")
    for file, (share, blind, n) in length_wins(banks).items():
        lines.append(f"  {'all banks' if file == COURSE else file}: {share:.2f} against {blind:.2f} ({n} items)")
    tf = [q for qs in banks.values() for q in qs if q["type"] == "truefalse"]
    lines.append(f"True/false keyed True: {sum(bool(q['answer']) for q in tf)} of {len(tf)}")
    problems = check_banks(banks)
    lines.append(f"Problems: {len(problems)}")
    lines += [f"  {p.file} {p.question}: {p.problem}" for p in problems]
    return "\n".join(lines)
