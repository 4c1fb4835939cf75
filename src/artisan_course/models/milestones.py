"""The milestone planner: split an order into batches, each checked before the next starts.

A planning aid, not a forecast. The idea comes from the workshop deck (Huyen T.T.P. and
Long N.H., October 2024): break a big order into 3-4 milestones, ask for a longer lead
time, and work batch -> check -> feedback -> next batch, with regular check-ins (in person
is best, then video; otherwise the producer lead checks the members and reports back).

Rules of the plan, each a simple assumption you can change in the planner:

1. Batches split the order as evenly as possible and add up exactly to the order. When
   the order does not divide evenly, the extra pieces go to the LAST batches, so the
   first batch is never the biggest: problems show up early, when they cost least.
2. Output per working day = pieces per artisan per day x number of artisans. A batch
   takes the whole number of working days it needs (a part day counts as a full day).
3. Rest days per week are days with no production. They are the last days of the week:
   1 = Sunday, 2 = Saturday and Sunday, and so on. A batch starts and ends on a working day.
4. Checking and feedback are counted in calendar days: you (or the producer lead) do them,
   not the artisans' production. A check takes at least 1 day; feedback may take 0 days
   (then feedback is given on the last day of the check).
5. The next batch starts after the feedback on the one before (batch -> check -> feedback
   -> next batch). The last batch is checked and given feedback too: the plan ends then.
6. Buffer days are a safety margin you keep before the buyer's deadline. A plan that ends
   after the deadline is LATE. A plan that ends on time but inside the buffer is TIGHT.
7. One check-in per batch, on the first day of its check. Default rule for how: the first
   and the last check-ins in person (the first sets the standard, the last comes before
   delivery), the ones in between by video. Each can be changed, for example to
   "producer lead" when you cannot travel or call.
8. When a plan is late or tight, the planner tries ONE change at a time (more artisans, a
   later deadline, fewer pieces, shorter checks and feedback, fewer milestones) and names
   the smallest change that keeps the whole buffer, or says that this change alone is not enough.
"""
from __future__ import annotations

from ..i18n import N_, _, ngettext
from ..text import CourseInputError, weekday_date

import math
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta

MODES = ("in person", "video", "producer lead")
MAX_MILESTONES = 6
RECOMMENDED = (3, 4)
MAX_PLAN_DAYS = 3 * 365  # a plan longer than this is almost surely a typing mistake
CSV_COLUMNS = ["milestone", "pieces", "batch_start", "batch_end", "check_start", "check_end", "feedback_start",
               "feedback_end", "checkin_date", "checkin_mode"]


class ScheduleInputError(CourseInputError):
    """Input the planner cannot use. The message is for the trainee."""


@dataclass(frozen=True)
class PlanInput:
    quantity: int = 240
    per_artisan_per_day: float = 2.0
    artisans: int = 6
    start: date | None = None
    deadline: date | None = None
    milestones: int = 3
    check_days: int = 3
    feedback_days: int = 2
    buffer_days: int = 7
    rest_days: int = 1  # per week, at the end of the week (1 = Sunday)
    modes: tuple[str, ...] = ()  # one per check-in; empty = the default rule
    order: str = "Order"


@dataclass(frozen=True)
class Milestone:
    number: int
    pieces: int
    batch_start: date
    batch_end: date
    check_start: date
    check_end: date
    feedback_start: date | None  # None when feedback takes 0 days
    feedback_end: date | None
    checkin_mode: str

    @property
    def name(self) -> str:
        return f"Batch {self.number}"

    @property
    def end(self) -> date:
        return self.feedback_end or self.check_end

    @property
    def checkin_date(self) -> date:
        return self.check_start


@dataclass(frozen=True)
class Plan:
    settings: PlanInput
    milestones: list[Milestone]
    per_day: float
    finish: date  # the last day of work: feedback on the last batch
    fixes: list[str] = field(default_factory=list)

    @property
    def deadline(self) -> date:
        return self.settings.deadline

    @property
    def days_late(self) -> int:
        return max(0, (self.finish - self.deadline).days)

    @property
    def late(self) -> bool:
        return self.finish > self.deadline

    @property
    def spare_days(self) -> int:
        """Days between the end of the plan and the deadline (negative when late)."""
        return (self.deadline - self.finish).days

    @property
    def tight(self) -> bool:
        return not self.late and self.spare_days < self.settings.buffer_days

    @property
    def status(self) -> str:
        return "late" if self.late else "tight" if self.tight else "on time"


# -- calendar arithmetic ---------------------------------------------------------------
def is_working(day: date, rest_days: int) -> bool:
    return day.weekday() < 7 - rest_days


def next_working(day: date, rest_days: int) -> date:
    while not is_working(day, rest_days):
        day += timedelta(days=1)
    return day


def last_working_day(first: date, days: int, rest_days: int) -> date:
    """The ``days``-th working day counting ``first`` (a working day) as the first."""
    per_week = 7 - rest_days
    weeks, extra = divmod(days - 1, per_week)
    day = first + timedelta(weeks=weeks)
    for _step in range(extra):
        day = next_working(day + timedelta(days=1), rest_days)
    return day


def split(quantity: int, parts: int) -> list[int]:
    """As even as possible, adding up to ``quantity``; the larger batches come last (assumption 1)."""
    base, extra = divmod(quantity, parts)
    return [base + (1 if i >= parts - extra else 0) for i in range(parts)]


def default_modes(count: int) -> list[str]:
    """First and last check-in in person, the ones between by video (assumption 7)."""
    return ["in person" if i in (0, count - 1) else "video" for i in range(count)]


# -- checks ------------------------------------------------------------------------------
def _whole(value, label: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ScheduleInputError(_("{label} must be a number.").format(label=_(label)))
    if value != int(value):
        raise ScheduleInputError(_("{label} must be a whole number, for example {example}.").format(
            label=_(label), example=max(low, int(value))))
    value = int(value)
    if value < low:
        raise ScheduleInputError(_("{label} must be at least {low}.").format(label=_(label), low=low))
    if high is not None and value > high:
        raise ScheduleInputError(_("{label} must be at most {high}.").format(label=_(label), high=high))
    return value


def check(settings: PlanInput, today: date | None = None) -> PlanInput:
    """Raise ScheduleInputError for input the planner cannot use; else the settings with whole numbers as int."""
    today = today or date.today()
    if settings.start is None:
        raise ScheduleInputError(_("Choose a start date."))
    if settings.deadline is None:
        raise ScheduleInputError(_("Choose the buyer's deadline."))
    if settings.start < today:
        raise ScheduleInputError(_("The start date is in the past. Choose today or a later day."))
    if settings.deadline <= settings.start:
        raise ScheduleInputError(_("The buyer's deadline must be after the start date."))
    quantity = _whole(settings.quantity, N_("The order quantity"), 1, 1_000_000)
    rate = settings.per_artisan_per_day
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not math.isfinite(rate):
        raise ScheduleInputError(_("Pieces per artisan per day must be a number."))
    if rate <= 0:
        raise ScheduleInputError(_("Pieces per artisan per day must be more than zero: with no production "
                                   "there is no plan."))
    if _whole(settings.artisans, N_("The number of artisans"), 0, 10_000) == 0:
        raise ScheduleInputError(_("The number of artisans must be at least 1: with nobody working there is no "
                                   "plan."))
    artisans = int(settings.artisans)
    count = _whole(settings.milestones, N_("The number of milestones"), 1, MAX_MILESTONES)
    if count > quantity:
        raise ScheduleInputError(ngettext(
            "You plan {count} milestones but the order has only {quantity} piece: every batch needs at least one "
            "piece.",
            "You plan {count} milestones but the order has only {quantity} pieces: every batch needs at least one "
            "piece.", quantity).format(count=count, quantity=quantity))
    check_days = _whole(settings.check_days, N_("Days for checking"), 1, 60)
    feedback_days = _whole(settings.feedback_days, N_("Days for feedback"), 0, 60)
    buffer_days = _whole(settings.buffer_days, N_("Buffer days"), 0, 365)
    rest_days = _whole(settings.rest_days, N_("Rest days per week"), 0, 6)
    for mode in settings.modes:
        if mode not in MODES:
            raise ScheduleInputError(f"A check-in is done {', '.join(MODES[:-1])} or by the {MODES[-1]}.")
    # Catch a plan of many years (a typing mistake) before counting dates that far ahead.
    working = sum(math.ceil(p / (rate * artisans) - 1e-9) for p in split(quantity, count))
    rough = working * 7 / (7 - rest_days) + count * (check_days + feedback_days)
    if rough > MAX_PLAN_DAYS:
        raise ScheduleInputError(_("This plan would take about {years} years. Check the order quantity and the "
                                   "pieces per artisan per day.").format(years=f"{rough / 365:.0f}"))
    return replace(settings, quantity=quantity, per_artisan_per_day=float(rate), artisans=artisans, milestones=count,
                   check_days=check_days, feedback_days=feedback_days, buffer_days=buffer_days, rest_days=rest_days,
                   modes=tuple(settings.modes))


# -- the plan ----------------------------------------------------------------------------
def _schedule(settings: PlanInput) -> tuple[list[Milestone], float, date]:
    per_day = settings.per_artisan_per_day * settings.artisans
    modes = list(settings.modes) if len(settings.modes) == settings.milestones else default_modes(settings.milestones)
    one = timedelta(days=1)
    cursor = settings.start
    milestones = []
    for number, pieces in enumerate(split(int(settings.quantity), int(settings.milestones)), start=1):
        days = math.ceil(pieces / per_day - 1e-9)
        batch_start = next_working(cursor, settings.rest_days)
        batch_end = last_working_day(batch_start, days, settings.rest_days)
        check_start = batch_end + one
        check_end = check_start + timedelta(days=settings.check_days - 1)
        if settings.feedback_days > 0:
            feedback_start = check_end + one
            feedback_end = feedback_start + timedelta(days=settings.feedback_days - 1)
        else:
            feedback_start = feedback_end = None
        milestone = Milestone(number, pieces, batch_start, batch_end, check_start, check_end, feedback_start,
                              feedback_end, modes[number - 1])
        milestones.append(milestone)
        cursor = milestone.end + one
    return milestones, per_day, milestones[-1].end


def _fits(settings: PlanInput) -> bool:
    """True when the plan ends before the buffer starts."""
    try:
        check(settings, today=settings.start)
    except ScheduleInputError:
        return False
    finish = _schedule(settings)[2]
    return (settings.deadline - finish).days >= settings.buffer_days


def _smallest(low: int, high: int, ok) -> int | None:
    """The smallest value in [low, high] for which ``ok`` holds (``ok`` turns true and stays true)."""
    if low > high or not ok(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if ok(middle):
            high = middle
        else:
            low = middle + 1
    return low


def fixes(settings: PlanInput, finish: date) -> list[str]:
    """What would make a plan that ends inside the buffer or after the deadline fit again."""
    s = settings
    change = lambda **kw: replace(s, **kw)  # noqa: E731
    out = []
    artisans = _smallest(s.artisans + 1, max(s.artisans * 20, 50), lambda a: _fits(change(artisans=a)))
    if artisans is not None:
        out.append(_("More artisans: {count} instead of {now}.").format(count=artisans, now=s.artisans))
    else:
        out.append(_("More artisans alone is not enough: the checks and feedback take too long."))
    needed = finish + timedelta(days=s.buffer_days)
    out.append(_("A later deadline: ask the buyer for {date} or later.").format(date=weekday_date(needed)))
    most = _smallest(-(s.quantity - 1), -s.milestones, lambda q: _fits(change(quantity=-q)))
    if most is not None:
        out.append(_("Fewer pieces: at most {count} instead of {now}.").format(count=-most, now=s.quantity))
    else:
        out.append(_("Fewer pieces alone is not enough."))
    longest = max(s.check_days, s.feedback_days)
    shorter = _smallest(-(longest - 1), -1, lambda d: _fits(change(check_days=min(s.check_days, -d),
                                                                     feedback_days=min(s.feedback_days, -d))))
    if shorter is not None:
        out.append(ngettext("Shorter checks and feedback: at most {days} day each.",
                            "Shorter checks and feedback: at most {days} days each.", -shorter).format(days=-shorter))
    elif longest > 1:
        out.append(_("Shorter checks and feedback alone are not enough."))
    # Fewer batches is not always faster (rest days can fall badly), so each count is tried, the largest first.
    fewer = next((k for k in range(s.milestones - 1, 0, -1) if _fits(change(milestones=k))), None)
    if fewer is not None:
        out.append(_("Fewer milestones: {count} instead of {now}. But with fewer checks, you find problems "
                     "later.").format(count=fewer, now=s.milestones))
    return out


def plan(settings: PlanInput, today: date | None = None) -> Plan:
    """The schedule for ``settings``. Raises ScheduleInputError with a message for the trainee."""
    settings = check(settings, today)
    milestones, per_day, finish = _schedule(settings)
    late = (settings.deadline - finish).days < settings.buffer_days
    return Plan(settings, milestones, per_day, finish, fixes(settings, finish) if late else [])


# -- words -------------------------------------------------------------------------------


def verdict(result: Plan) -> str:
    s = result.settings
    if result.late:
        days = result.days_late
        return ngettext("Too late: the plan ends on {end}, {days} day after the buyer's deadline of {deadline}.",
                        "Too late: the plan ends on {end}, {days} days after the buyer's deadline of {deadline}.",
                        days).format(end=weekday_date(result.finish), days=days, deadline=weekday_date(s.deadline))
    if result.tight:
        return ngettext("Tight: the plan ends {days} day before the deadline, but you wanted a buffer of {buffer} "
                        "days. One delay and the order is late.",
                        "Tight: the plan ends {days} days before the deadline, but you wanted a buffer of {buffer} "
                        "days. One delay and the order is late.",
                        result.spare_days).format(days=result.spare_days, buffer=s.buffer_days)
    return _("On time: the plan ends on {end}, {days} days before the buyer's deadline. Your buffer of {buffer} days "
             "is kept.").format(end=weekday_date(result.finish), days=result.spare_days, buffer=s.buffer_days)


def summary(result: Plan) -> str:
    s = result.settings
    pieces = ", ".join(str(m.pieces) for m in result.milestones)
    checkins = "; ".join(f"{weekday_date(m.checkin_date)} ({m.checkin_mode})" for m in result.milestones)
    return (f"{s.quantity} pieces in {len(result.milestones)} batch{'es' if len(result.milestones) != 1 else ''} "
            f"({pieces}), from {weekday_date(s.start)} to {weekday_date(result.finish)}. Each batch is checked "
            f"({s.check_days} days) and given feedback ({s.feedback_days} days) before the next one starts. "
            f"Buyer's deadline: {weekday_date(s.deadline)}. Check-ins: {checkins}.")


def handoff_value(result: Plan) -> dict:
    """What the order-agreement builder takes: ISO dates, plain types only."""
    s = result.settings
    settings = {key: (value.isoformat() if isinstance(value, date) else list(value) if isinstance(value, tuple)
                      else value)
                for key, value in asdict(s).items()}
    return {
        "milestones": [{"name": m.name, "pieces": m.pieces, "start": m.batch_start.isoformat(),
                        "end": m.end.isoformat(), "date": m.end.isoformat()} for m in result.milestones],
        "checkins": [{"date": m.checkin_date.isoformat(), "mode": m.checkin_mode} for m in result.milestones],
        "summary": summary(result),
        "status": result.status,
        "finish": result.finish.isoformat(),
        "settings": settings,
    }


# -- files -------------------------------------------------------------------------------


def calendar_events(result: Plan) -> list[tuple[str, str, date, date]]:
    """(key, summary, first day, last day) for every all-day event in the calendar file."""
    s = result.settings
    n = len(result.milestones)
    events = []
    for m in result.milestones:
        tag = f"{s.order}: batch {m.number} of {n}"
        events.append((f"batch-{m.number}", f"{tag}, making {m.pieces} pieces", m.batch_start, m.batch_end))
        events.append((f"check-{m.number}", f"{tag}, quality check", m.check_start, m.check_end))
        if m.feedback_start is not None:
            events.append((f"feedback-{m.number}", f"{tag}, feedback to the artisans", m.feedback_start,
                           m.feedback_end))
        events.append((f"checkin-{m.number}", f"{tag}, check-in ({m.checkin_mode})", m.checkin_date, m.checkin_date))
    events.append(("deadline", f"{s.order}: buyer's deadline", s.deadline, s.deadline))
    return events


