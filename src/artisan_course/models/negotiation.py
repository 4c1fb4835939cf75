"""Several issues at once: one order, five issues, two sides. A teaching model, not a forecast.

You are the buyer; an artisan group sells. ``data/negotiation.yaml`` holds the order, the issues and each
side's hidden priorities. Each assumption, and where it comes from:

1. Points tables. Each side gives points to every option of every issue; a package (one option per issue)
   is worth the sum of its points. Between two listed options of a number you type (a price of $10.50)
   the points are read on a straight line between the two options. The tables are made up, invented
   for the course.
2. Issue types (Thompson, *The Mind and Heart of the Negotiator*, ch. 3-4), read from the points:
   compatible when both sides like the same option best; otherwise integrative when one side's points
   for the issue span at least twice the other side's (so the sides can trade across issues); otherwise
   distributive (one side's gain is the other's loss). The loader refuses a file whose stated type
   disagrees with its points.
3. Limits (reservation values). A package that gives a side less than its limit is refused: no deal is
   better for that side. You never propose below your own limit; the simulator stops you first.
4. The artisans say yes when a package (a) gives them at least their limit and (b) cannot be improved
   for both sides at once (it is on the Pareto frontier). Rule (b) is a teaching rule: real people may
   accept a package that wastes value, and the simulator wants you to see the better one.
5. Otherwise they counter with a package on the frontier:
   - if your package gives them less than their limit: the frontier package closest to yours that gives
     them at least their limit plus a margin;
   - if your package wastes value: the frontier package closest to yours that is at least as good for
     both of you (it costs you nothing).
   "Closest" counts, for each issue, how many steps apart the two options are, as a share of the issue's
   range. Ties go to the package with more points for you.
6. What you see (a choice made for teaching, stated on screen): your own points table always; the artisans'
   total points for a package, as you would read it from their reaction; but the points they give each
   issue, and the interest behind their position, only after you ask why about that issue. Their limit is
   shown once a deal is made.

Splitting every issue in the middle is the compromise in Follett's terms ("Constructive Conflict", 1925);
trading across issues is integration. Asking why is the orange story, popularised by Fisher & Ury,
*Getting to Yes* (1981). Negotiators often miss compatible issues (Thompson & Hrebec 1996).
"""
from __future__ import annotations

from ..i18n import N_, _
from ..text import CourseInputError

import itertools
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

TYPES = ("distributive", "integrative", "compatible")


def type_name(kind: str) -> str:
    """An issue type (a key of TYPES) as the reader's language names it."""
    return {"distributive": _("distributive"), "integrative": _("integrative"),
            "compatible": _("compatible")}.get(kind, kind)


# The artisans' answers, kept in English in the history a trainee saves; the view shows them with _().
TOO_LITTLE = N_("This gives the artisans too little. They say no, and they counter with the package below.")
BETTER_FOR_BOTH = N_("There is a package that is better for both of you. The artisans suggest it: "
                     "it costs you nothing.")
SAY_YES = N_("The artisans say yes. It is a deal.")
TRADE_RATIO = 2.0  # one side's points span at least this many times the other's: integrative
EPS = 1e-9

class NegotiationInputError(CourseInputError):
    """A package the simulator cannot use. The message is for the trainee."""


def number(value: float, prefix: str = "", suffix: str = "") -> str:
    text = f"{value:g}" if float(value).is_integer() else f"{value:.2f}"
    return f"{prefix}{text}{suffix}"


def points_text(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


@dataclass(frozen=True)
class Issue:
    key: str
    name: str
    control: str  # "typed": the trainee types a number; "list": the trainee picks an option
    you: tuple[float, ...]
    artisans: tuple[float, ...]
    type: str
    position: str  # what the artisans first say
    why: str  # the interest behind it, shown after "Ask why"
    reason: str  # one line: why the issue has its type
    levels: tuple[float, ...] = ()  # numbers (price, weeks, ...); empty when the issue has options
    options: tuple[tuple[str, str], ...] = ()  # (key, text) when the issue has options
    prefix: str = ""
    suffix: str = ""

    @property
    def numeric(self) -> bool:
        return bool(self.levels)

    @property
    def size(self) -> int:
        return len(self.you)

    def value_at(self, index: int):
        return self.levels[index] if self.numeric else self.options[index][0]

    def label(self, value) -> str:
        if self.numeric:
            return number(float(value), self.prefix, self.suffix)
        return dict(self.options).get(value, str(value))

    def choices(self) -> list[tuple[str, object]]:
        """(label, value) pairs for a list control."""
        return [(self.label(self.value_at(i)), self.value_at(i)) for i in range(self.size)]

    def place(self, value) -> float:
        """Where ``value`` sits on the issue's options: 0 for the first, 1 for the second, 1.5 half way..."""
        if not self.numeric:
            keys = [key for key, _ in self.options]
            if value not in keys:
                raise NegotiationInputError(_("{issue}: choose one of the listed options.").format(issue=self.name))
            return float(keys.index(value))
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise NegotiationInputError(f"{self.name}: '{value}' is not a number.") from None
        low, high = min(self.levels), max(self.levels)
        if not math.isfinite(value) or not low - EPS <= value <= high + EPS:
            raise NegotiationInputError(
                f"{self.name} must be from {self.label(low)} to {self.label(high)}, not "
                f"{self.label(value) if math.isfinite(value) else value}.")
        levels, steps = np.asarray(self.levels), np.arange(self.size)
        if levels[0] > levels[-1]:  # np.interp needs rising levels
            levels, steps = levels[::-1], steps[::-1]
        return float(np.interp(value, levels, steps))

    def points(self, place: float) -> tuple[float, float]:
        steps = np.arange(self.size)
        return float(np.interp(place, steps, self.you)), float(np.interp(place, steps, self.artisans))

    def best(self, side: str) -> int:
        table = self.you if side == "you" else self.artisans
        return int(np.argmax(table))

    def weight(self, side: str) -> float:
        table = self.you if side == "you" else self.artisans
        return max(table) - min(table)

    def type_from_points(self) -> str:
        """Assumption 2: the type the points tables give the issue."""
        if self.best("you") == self.best("artisans"):
            return "compatible"
        small, large = sorted((self.weight("you"), self.weight("artisans")))
        return "integrative" if large >= TRADE_RATIO * small else "distributive"


@dataclass(frozen=True)
class Answer:
    status: str  # "deal", "counter" or "your-limit" (below your own limit: not proposed)
    you: float
    artisans: float
    message: str
    counter: tuple[int, ...] | None = None
    counter_you: float | None = None
    counter_artisans: float | None = None


@dataclass(frozen=True)
class Game:
    title: str
    order: str
    issues: tuple[Issue, ...]
    limit_you: float
    limit_artisans: float
    margin: float
    path: object = field(default=None, compare=False)  # the file it was read from, for messages

    # -- all packages ----------------------------------------------------------------------------------------
    @cached_property
    def grid(self) -> np.ndarray:
        """Every package of listed options, one row each: the option number per issue."""
        return np.array(list(itertools.product(*[range(issue.size) for issue in self.issues])), dtype=int)

    @cached_property
    def _tables(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        return ([np.asarray(i.you, float) for i in self.issues], [np.asarray(i.artisans, float) for i in self.issues])

    @cached_property
    def grid_points(self) -> tuple[np.ndarray, np.ndarray]:
        you_tables, their_tables = self._tables
        you = sum(table[self.grid[:, n]] for n, table in enumerate(you_tables))
        them = sum(table[self.grid[:, n]] for n, table in enumerate(their_tables))
        return np.asarray(you, float), np.asarray(them, float)

    @cached_property
    def frontier(self) -> np.ndarray:
        """True for each package that no other package beats for both sides (the Pareto frontier)."""
        you, them = self.grid_points
        pairs, back = np.unique(np.column_stack([you, them]), axis=0, return_inverse=True)
        x, y = pairs[:, 0], pairs[:, 1]
        beaten = ((x[None, :] >= x[:, None] - EPS) & (y[None, :] >= y[:, None] - EPS)
                  & ((x[None, :] > x[:, None] + EPS) | (y[None, :] > y[:, None] + EPS))).any(axis=1)
        return ~beaten[np.ravel(back)]

    @cached_property
    def _ranges(self) -> np.ndarray:
        return np.array([issue.size - 1 for issue in self.issues], dtype=float)

    # -- one package ----------------------------------------------------------------------------------------
    def package(self, values: dict) -> tuple[float, ...]:
        """A package from {issue key: value}; a value outside an issue's range raises NegotiationInputError."""
        missing = [issue.name for issue in self.issues if issue.key not in values]
        if missing:
            raise NegotiationInputError(_("Choose an option for {issue}.").format(issue=missing[0]))
        return tuple(issue.place(values[issue.key]) for issue in self.issues)

    def values(self, package) -> dict:
        """{issue key: value} for a package of listed options (whole option numbers)."""
        return {issue.key: issue.value_at(int(round(p))) for issue, p in zip(self.issues, package)}

    def describe(self, package) -> str:
        parts = []
        for issue, place in zip(self.issues, package):
            if issue.numeric:
                steps = np.arange(issue.size)
                parts.append(issue.label(float(np.interp(place, steps, issue.levels))))
            else:
                parts.append(issue.label(issue.value_at(int(round(place)))))
        return "; ".join(parts)

    def score(self, package) -> tuple[float, float]:
        """(your points, the artisans' points) for a package."""
        pairs = [issue.points(place) for issue, place in zip(self.issues, package)]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    def better_for_both(self, package) -> np.ndarray:
        """Listed packages at least as good for both sides and better for one."""
        you, them = self.score(package)
        gx, gy = self.grid_points
        return (gx >= you - EPS) & (gy >= them - EPS) & ((gx > you + EPS) | (gy > them + EPS))

    def on_frontier(self, package) -> bool:
        return not self.better_for_both(package).any()

    def _closest(self, package, candidates: np.ndarray) -> int:
        """Assumption 5: the candidate fewest steps away from ``package``; ties: more for you, then for them."""
        steps = np.abs(self.grid - np.asarray(package, float)[None, :]) / self._ranges[None, :]
        distance = np.round(steps.sum(axis=1), 9)
        you, them = self.grid_points
        order = np.lexsort((-them, -you, distance))
        return int(next(i for i in order if candidates[i]))

    # -- the artisans' answer ------------------------------------------------------------------------------------
    def respond(self, package) -> Answer:
        you, them = self.score(package)
        if you < self.limit_you - EPS:
            return Answer("your-limit", you, them,
                          f"This package gives you {points_text(you)} points, below your own limit of "
                          f"{points_text(self.limit_you)}. No deal would be better for you. Change the package first.")
        wasteful = self.better_for_both(package)
        if them >= self.limit_artisans - EPS and not wasteful.any():
            return Answer("deal", you, them, SAY_YES)
        if them < self.limit_artisans - EPS:
            candidates = self.frontier & (self.grid_points[1] >= self.limit_artisans + self.margin - EPS)
            message = TOO_LITTLE
        else:
            candidates = self.frontier & wasteful
            message = BETTER_FOR_BOTH
        chosen = self._closest(package, candidates)
        counter = tuple(int(v) for v in self.grid[chosen])
        cx, cy = self.grid_points[0][chosen], self.grid_points[1][chosen]
        return Answer("counter", you, them, message, counter, float(cx), float(cy))

    # -- reference packages ----------------------------------------------------------------------------------------
    def opening(self) -> tuple[int, ...]:
        """The artisans' first position: their best package (ties: better for you)."""
        you, them = self.grid_points
        return tuple(int(v) for v in self.grid[np.lexsort((-you, -them))[0]])

    def split(self) -> tuple[int, ...]:
        """Every issue split in the middle: the middle option of each."""
        return tuple((issue.size - 1) // 2 for issue in self.issues)

    def trade(self) -> tuple[int, ...]:
        """Price (each distributive issue) in the middle; every other issue at the option worth most to both."""
        return tuple((issue.size - 1) // 2 if issue.type == "distributive"
                     else int(np.argmax(np.add(issue.you, issue.artisans))) for issue in self.issues)

    def best_joint(self) -> float:
        you, them = self.grid_points
        return float((you + them).max())

    # -- the classification exercise -------------------------------------------------------------------------------
    def check_types(self, answers: dict) -> dict[str, tuple[bool | None, str]]:
        """For each issue: (right?, one line). ``None`` when the trainee has not chosen a type yet."""
        marks = {}
        for issue in self.issues:
            answer = answers.get(issue.key)
            if answer not in TYPES:
                marks[issue.key] = (None, _("{issue}: choose a type first.").format(issue=issue.name))
            elif answer == issue.type:
                marks[issue.key] = (True, _("Right: {type}. {reason}").format(type=type_name(issue.type),
                                                                              reason=issue.reason))
            else:
                marks[issue.key] = (False, _("Not quite: it is {type}. {reason}").format(type=type_name(issue.type),
                                                                                          reason=issue.reason))
        return marks


# -- the rounds of one negotiation -----------------------------------------------------------------------------------
class Negotiation:
    """One negotiation, turn by turn: the artisans open, you propose, they accept or counter, until a deal.

    The view only shows this state; every rule of a round (what is recorded, when it ends, what is revealed) is here.
    """

    def __init__(self, game: Game, asked=()):
        self.game = game
        self.asked: list[str] = [key for key in asked if key in {issue.key for issue in game.issues}]
        self.start_again()

    def start_again(self) -> None:
        opening = self.game.opening()
        you, them = self.game.score(opening)
        self.history: list[dict] = [{"who": "artisans", "package": self.game.describe(opening), "you": you,
                                     "artisans": them, "answer": "their first position"}]
        self.counter: tuple[int, ...] | tuple[float, ...] = opening
        self.deal: dict | None = None

    @property
    def over(self) -> bool:
        return self.deal is not None

    def ask_why(self, key: str) -> None:
        if key not in self.asked:
            self.asked.append(key)

    def revealed(self, key: str) -> bool:
        """The artisans' points for an issue show once you asked why about it, and all of them once a deal is made."""
        return key in self.asked or self.over

    def propose(self, package, values: dict) -> Answer:
        """Your proposal; the artisans' answer is recorded in the history (a proposal below your limit is not)."""
        if self.over:
            raise NegotiationInputError("The deal is made. Start again to negotiate once more.")
        answer = self.game.respond(package)
        if answer.status == "your-limit":
            return answer
        self.history.append({"who": "you", "package": self.game.describe(package), "you": answer.you,
                             "artisans": answer.artisans, "answer": "yes, a deal" if answer.status == "deal" else "no"})
        if answer.status == "deal":
            self.deal = {"package": self.game.describe(package), "values": values, "you": answer.you,
                         "artisans": answer.artisans, "joint": answer.you + answer.artisans,
                         "on_frontier": self.game.on_frontier(package)}
        else:
            self.counter = answer.counter
            self.history.append({"who": "artisans", "package": self.game.describe(answer.counter),
                                 "you": answer.counter_you, "artisans": answer.counter_artisans, "answer": "counter"})
        return answer

    def summary(self, package, marks: dict | None = None) -> str:
        """One sentence for the journal: the deal (or last package), the points, and how much was asked."""
        you, them = self.game.score(package)
        right = sum(1 for ok in (marks or {}).values() if ok)
        n = len(self.game.issues)
        return (f"{'Deal' if self.over else 'Last package'}: {self.game.describe(package)}. "
                f"Your points {you:g}, the artisans' {them:g}, together {you + them:g}. "
                f"Asked why on {len(self.asked)} of {n} issues"
                + (f"; {right} of {n} issue types right." if marks else "."))
