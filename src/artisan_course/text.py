"""Text shown to learners: one way each to escape, write a date, a time, an amount of money, and read a number.

Every screen, document and model sentence uses these, so that a date or a price reads the same everywhere.
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from datetime import date, datetime


class CourseInputError(ValueError):
    """Input a learner typed that the course cannot use. The message is one plain sentence for the learner."""


def escape(text) -> str:
    """``text`` made safe inside HTML, attributes included. Every learner's word passes through here."""
    return html.escape("" if text is None else str(text), quote=True)


# -- dates and times ---------------------------------------------------------------------------
def long_date(day: date) -> str:
    """5 December 2026: no leading zero and the month in words, clear to every reader."""
    return f"{day.day} {day:%B %Y}"


def day_month(day: date) -> str:
    """5 December: for dates within the same order, where the year is plain."""
    return f"{day.day} {day:%B}"


def weekday_date(day: date) -> str:
    """Fri 5 Dec 2026: for plans, where the day of the week matters (a market day, a weekend)."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_date(day: date) -> str:
    """5 Dec: for chart labels, where room is short."""
    return f"{day.day} {day:%b}"


def _moment(moment: datetime | str) -> datetime | None:
    """A datetime in the computer's own time zone, from a datetime or the store's ISO time stamp (None if unreadable)."""
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return None
    return moment.astimezone() if moment.tzinfo is not None else moment


def clock(moment: datetime | str) -> str:
    """14:05, when something was saved today."""
    moment = _moment(moment)
    return "" if moment is None else f"{moment:%H:%M}"


def date_and_clock(moment: datetime | str) -> str:
    """5 December, 14:05: when something was saved."""
    moment = _moment(moment)
    return "" if moment is None else f"{day_month(moment.date())}, {clock(moment)}"


# -- money and numbers ----------------------------------------------------------------------------
def amount(value: float) -> str:
    """1,250 or 12.50: whole amounts without cents, others with two decimals."""
    if abs(value - round(value)) < 0.005:
        return f"{round(value):,.0f}"
    return f"{value:,.2f}"


@dataclass(frozen=True)
class LocalCurrency:
    """The money artisans are paid in, shown beside each USD price: ``rate`` local units per US dollar.

    The course's setting is ``data/currency.yaml`` (read by ``content.currency.load_currency``), which a
    facilitator changes to the rate of the day.
    """
    name: str = "kip"
    rate: float = 0.0
    rounding: float = 500  # local amounts are rounded to this, so they read as prices, not as arithmetic

    def convert(self, usd: float) -> float:
        return round(usd * self.rate / self.rounding) * self.rounding if self.rounding else usd * self.rate

    def amount(self, usd: float) -> str:
        """268,500 kip."""
        return f"{self.convert(usd):,.0f} {self.name}"


def money(value: float, currency: str = "USD", local: LocalCurrency | None = None) -> str:
    """12.50 USD, 1,000 USD: the amount, then the currency, as the deck writes prices.

    With ``local``, the price in the artisans' money follows: 12.50 USD (about 268,500 kip).
    """
    text = f"{amount(value)} {currency}".strip()
    if local is not None and local.rate > 0 and math.isfinite(value):
        text += f" (about {local.amount(value)})"
    return text


def parse_number(text, label: str, error: type[Exception] = CourseInputError) -> float:
    """``text`` as a number; spaces, thousands commas, $, ₭ and % are ignored. Problems raise ``error``."""
    cleaned = re.sub(r"[\s,$₭%]", "", str(text or ""))
    if not cleaned:
        raise error(f"{label}: please type a number.")
    try:
        value = float(cleaned)
    except ValueError:
        raise error(f"{label}: '{str(text).strip()}' is not a number. Type digits only, for example 12.5.") from None
    if not math.isfinite(value):
        raise error(f"{label}: please type an ordinary number.")
    return value
