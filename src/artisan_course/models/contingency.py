"""Contingency clause: a bonus or a deduction per piece, tied to delivery dates. A teaching model, not a forecast.

You are the buyer; an artisan group makes the order. The clause says:
delivered on or before the bonus date, you pay a bonus per piece; delivered
after the deduction date, you deduct an amount per piece; in between, the
normal price. Each assumption, and where it comes from:

1. The order is placed on the order date (in the simulator: today). The
   delivery day is the day the last piece arrives, counted in days from the
   order. (The deck's example: a bonus for delivery within 4 weeks, a
   deduction after 7 weeks.)
2. Without the clause, the delivery time is uncertain. The trainee shapes it
   with three numbers of days: best, most likely and worst. The model uses a
   triangular distribution: the chance rises in a straight line from the best
   case to the most likely case, then falls in a straight line to the worst.
   It is a common, simple choice when only these three numbers are known.
3. With the clause, the bonus draws out extra effort: every delivery time
   shrinks by the "effort" share (default 10%). This number is an assumption
   for teaching, not a research result. Bazerman & Gillespie (1999, "Betting
   on the Future", Harvard Business Review) say such contracts motivate both
   sides to perform; they give no number for it.
4. Monte Carlo: 10,000 possible delivery times, drawn once from a fixed random
   seed. The same draws are used with and without the clause, and for every
   setting (common random numbers), so the two columns differ only because of
   the clause, and the numbers move smoothly when a control moves.
5. The artisans' income is what the buyer pays for the order. Their costs of
   making it are not in the model.
"""
from __future__ import annotations

from ..i18n import N_, _
from ..text import CourseInputError, long_date, money

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np

DRAWS = 10_000
SEED = 2024
DEFAULT_BONUS_DAYS = 28  # 4 weeks, as in the deck's example
DEFAULT_DEDUCTION_DAYS = 49  # 7 weeks


class ContingencyInputError(CourseInputError):
    """Input the simulator cannot use. The message is for the trainee."""


@dataclass(frozen=True)
class Terms:
    """The order and its clause."""
    order_date: date
    bonus_date: date
    deduction_date: date
    pieces: int = 500
    price: float = 10.0  # USD per piece, made up
    bonus: float = 2.0  # USD extra per piece, delivered on or before the bonus date
    deduction: float = 2.0  # USD less per piece, delivered after the deduction date

    @property
    def bonus_day(self) -> int:
        return (self.bonus_date - self.order_date).days

    @property
    def deduction_day(self) -> int:
        return (self.deduction_date - self.order_date).days


def default_terms(order_date: date | None = None, **changes) -> Terms:
    """The deck's example, with the dates counted from the order date (today if not given)."""
    start = order_date or date.today()
    values = dict(order_date=start, bonus_date=start + timedelta(days=DEFAULT_BONUS_DAYS),
                  deduction_date=start + timedelta(days=DEFAULT_DEDUCTION_DAYS))
    values.update(changes)
    return Terms(**values)


@dataclass(frozen=True)
class Delivery:
    """How many days the artisans take from the order to the last piece, and the effort the bonus draws out."""
    best: float = 20
    likely: float = 30
    worst: float = 55
    effort: float = 0.10  # with the clause, every delivery time is this share shorter


@dataclass(frozen=True)
class Outcome:
    on_time_with: float  # chance of delivery on or before the bonus date, with the clause
    on_time_without: float
    deduction_with: float  # chance of a deduction: delivery after the deduction date, with the clause
    late_without: float  # chance of delivery after the deduction date without the clause (nothing is deducted)
    cost_with: float  # expected cost of the whole order to the buyer, USD
    cost_without: float
    income_with: float  # expected income of the artisans: what the buyer pays
    income_without: float
    days_with: float  # expected delivery time, days
    days_without: float
    draws: int
    seed: int


def check(terms: Terms, delivery: Delivery) -> None:
    """Raise ContingencyInputError with one plain sentence, in the kernel's language, if the input cannot be used."""
    if not np.isfinite(terms.pieces) or terms.pieces != int(terms.pieces) or terms.pieces <= 0:
        raise ContingencyInputError(_("Order size: type a whole number of pieces above zero, for example 500."))
    for label, value in ((N_("Price per piece"), terms.price), (N_("Bonus per piece"), terms.bonus),
                         (N_("Deduction per piece"), terms.deduction)):
        if not np.isfinite(value):
            raise ContingencyInputError(_("{label}: please type an ordinary number.").format(label=_(label)))
    if terms.price <= 0:
        raise ContingencyInputError(_("Price per piece must be above zero."))
    if terms.bonus < 0 or terms.deduction < 0:
        raise ContingencyInputError(_("The bonus and the deduction cannot be below zero. Type 0 for none."))
    if terms.deduction > terms.price:
        raise ContingencyInputError(
            _("The deduction ({deduction}) is larger than the price ({price}): the artisans would pay you for their "
              "work. Keep it at or below the price.").format(deduction=money(terms.deduction),
                                                             price=money(terms.price)))
    today = long_date(terms.order_date)
    dates = ((terms.bonus_date, _("Choose a bonus date."),
              _("The bonus date, {date}, is in the past. Choose a date after today, {today}."),
              _("The bonus date is today. Choose a date after today, {today}.")),
             (terms.deduction_date, _("Choose a deduction date."),
              _("The deduction date, {date}, is in the past. Choose a date after today, {today}."),
              _("The deduction date is today. Choose a date after today, {today}.")))
    for day, missing, past, same_day in dates:
        if day is None:
            raise ContingencyInputError(missing)
        if day < terms.order_date:
            raise ContingencyInputError(past.format(date=long_date(day), today=today))
        if day == terms.order_date:
            raise ContingencyInputError(same_day.format(today=today))
    if terms.deduction_date < terms.bonus_date:
        raise ContingencyInputError(
            _("The deduction date, {deduction_date}, is before the bonus date, {bonus_date}. Choose a deduction date "
              "on or after the bonus date.").format(deduction_date=long_date(terms.deduction_date),
                                                    bonus_date=long_date(terms.bonus_date)))
    values = (delivery.best, delivery.likely, delivery.worst)
    if not all(np.isfinite(v) for v in values) or delivery.best <= 0:
        raise ContingencyInputError(_("Delivery days: the best case must be at least 1 day."))
    if not delivery.best <= delivery.likely <= delivery.worst:
        raise ContingencyInputError(
            _("Delivery days are out of order: the best case must be the shortest and the worst case the longest. "
              "Now: best {best}, most likely {likely}, worst {worst}.").format(
                best=f"{delivery.best:g}", likely=f"{delivery.likely:g}", worst=f"{delivery.worst:g}"))
    if not 0 <= delivery.effort < 1:
        raise ContingencyInputError(_("The extra effort is a share from 0% to 99%."))


@lru_cache(maxsize=8)
def draws(seed: int = SEED, n: int = DRAWS) -> np.ndarray:
    """Common random numbers: one uniform number per possible delivery, the same for every setting."""
    u = np.random.default_rng(seed).random(n)
    u.flags.writeable = False
    return u


def delivery_days(delivery: Delivery, with_clause: bool, seed: int = SEED, n: int = DRAWS) -> np.ndarray:
    """Days from the order to the last piece, one per draw (triangular distribution, assumption 2)."""
    u = draws(seed, n)
    a, c, b = float(delivery.best), float(delivery.likely), float(delivery.worst)
    if b == a:
        days = np.full(n, a)
    else:
        # The inverse of the triangular distribution's cumulative curve, so each u gives one delivery time.
        split = (c - a) / (b - a)
        days = np.where(u < split, a + np.sqrt(u * (b - a) * (c - a)), b - np.sqrt((1 - u) * (b - a) * (b - c)))
    if with_clause:
        days = days * (1 - delivery.effort)  # assumption 3
    return days


def payments(terms: Terms, days: np.ndarray) -> np.ndarray:
    """What the buyer pays for the whole order, for each delivery time, under the clause."""
    per_piece = np.where(days <= terms.bonus_day, terms.price + terms.bonus,
                         np.where(days > terms.deduction_day, terms.price - terms.deduction, terms.price))
    return terms.pieces * per_piece


def outcome(terms: Terms, delivery: Delivery, seed: int = SEED, n: int = DRAWS) -> Outcome:
    check(terms, delivery)
    with_clause = delivery_days(delivery, True, seed, n)
    without = delivery_days(delivery, False, seed, n)
    cost_with = float(payments(terms, with_clause).mean())
    cost_without = float(terms.pieces * terms.price)  # no clause: the normal price whatever the date
    return Outcome(
        on_time_with=float((with_clause <= terms.bonus_day).mean()),
        on_time_without=float((without <= terms.bonus_day).mean()),
        deduction_with=float((with_clause > terms.deduction_day).mean()),
        late_without=float((without > terms.deduction_day).mean()),
        cost_with=cost_with, cost_without=cost_without,
        income_with=cost_with, income_without=cost_without,  # assumption 5
        days_with=float(with_clause.mean()), days_without=float(without.mean()),
        draws=n, seed=seed,
    )


def clause_text(terms: Terms) -> str:
    """The clause with real calendar dates and the amounts for the whole order, ready to paste."""
    n, price, bonus, deduction = terms.pieces, terms.price, terms.bonus, terms.deduction
    lines = [f"Delivery clause for the order of {n:,} pieces at {money(price)} per piece, "
             f"ordered on {long_date(terms.order_date)}.",
             f"Delivery day: the day the buyer receives the last of the {n:,} pieces.", ""]
    bands = []
    if bonus > 0:
        bands.append(f"Delivered on or before {long_date(terms.bonus_date)}: the buyer pays {money(bonus)} "
                     f"extra per piece. {n:,} × {money(bonus)} = {money(n * bonus)} extra. "
                     f"Total: {n:,} × {money(price + bonus)} = {money(n * (price + bonus))}.")
    normal = f"the normal price. Total: {n:,} × {money(price)} = {money(n * price)}."
    after_bonus = terms.bonus_date + timedelta(days=1)
    if bonus > 0 and deduction > 0:
        if terms.deduction_date > terms.bonus_date:
            bands.append(f"Delivered from {long_date(after_bonus)} to {long_date(terms.deduction_date)}: {normal}")
    elif bonus > 0:
        bands.append(f"Delivered after {long_date(terms.bonus_date)}: {normal}")
    elif deduction > 0:
        bands.append(f"Delivered on or before {long_date(terms.deduction_date)}: {normal}")
    else:
        bands.append(f"Delivered on any day: {normal}")
    if deduction > 0:
        bands.append(f"Delivered after {long_date(terms.deduction_date)}: the buyer deducts "
                     f"{money(deduction)} per piece. "
                     f"{n:,} × {money(deduction)} = {money(n * deduction)} less. "
                     f"Total: {n:,} × {money(price - deduction)} = {money(n * (price - deduction))}.")
    lines += [f"{i}. {band}" for i, band in enumerate(bands, 1)]
    lines += ["", "Both sides agree to this clause before the work starts."]
    return "\n".join(lines)


def advice(terms: Terms, result: Outcome) -> list[str]:
    """Short teaching points on what the numbers say, in the kernel's language (shown, never saved)."""
    if result.on_time_with > result.on_time_without:
        points = [_("The clause raises the chance of delivery on time from {without} to {with_clause}.").format(
            without=f"{result.on_time_without:.0%}", with_clause=f"{result.on_time_with:.0%}")]
    else:
        points = [_("With no extra effort, the clause does not change when the order arrives. "
                    "It only decides in advance who pays for a delay.")]
    extra = result.cost_with - result.cost_without
    if abs(extra) >= 0.5:
        amount = f"{abs(extra):,.0f} USD"
        points.append((_("On average you pay {amount} more for the order, and the artisans earn {amount} more.")
                       if extra > 0 else
                       _("On average you pay {amount} less for the order, and the artisans earn {amount} less."))
                      .format(amount=amount))
    if terms.bonus > 0 and result.on_time_with < 0.1:
        points.append(_("The bonus is almost never earned, so it will not motivate anyone. "
                        "Is the bonus date realistic?"))
    if terms.deduction > 0 and result.deduction_with > 0.2:
        points.append(_("The deduction hits {share} of orders. A harsh clause puts the risk on the artisans, the side "
                        "with less power. Is the deduction date realistic?").format(
            share=f"{result.deduction_with:.0%}"))
    return points


def summary(terms: Terms, result) -> str:
    """One sentence for the journal: the order, the clause, and what it does to on-time delivery and cost."""
    return (f"{terms.pieces} pieces at {money(terms.price)}; bonus {money(terms.bonus)} per piece on or before "
            f"{long_date(terms.bonus_date)}, deduction {money(terms.deduction)} after "
            f"{long_date(terms.deduction_date)}. "
            f"On time: {result.on_time_with:.0%} with the clause, {result.on_time_without:.0%} without. "
            f"Expected cost to the buyer: {money(result.cost_with)} with the clause, "
            f"{money(result.cost_without)} without.")
