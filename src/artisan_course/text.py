"""Text shown to learners: one way each to escape, write a date, a time, an amount of money, read a number, compare.

Every screen, document and model sentence uses these, so that a date or a price reads the same everywhere.
"""
from __future__ import annotations

import html
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from .i18n import _


class CourseInputError(ValueError):
    """Input a learner typed that the course cannot use. The message is one plain sentence for the learner."""


def escape(text) -> str:
    """``text`` made safe inside HTML, attributes included. Every learner's word passes through here."""
    return html.escape("" if text is None else str(text), quote=True)


# -- comparing what was typed ------------------------------------------------------------------
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# ໍ (a tone mark may be typed between) then າ is the vowel ຳ; ຫ + ນ, ມ, ລ are the letters ໜ, ໝ and ຫຼ.
_SARA_AM = re.compile("\u0ecd([\u0ec8-\u0ecb]?)\u0eb2")
_LAO_PAIRS = (("\u0eab\u0e99", "\u0edc"), ("\u0eab\u0ea1", "\u0edd"), ("\u0eab\u0ea5", "\u0eab\u0ebc"))


def comparable(text) -> str:
    """``text`` in one form for comparing it with another: Unicode NFC, zero-width spaces (which some Lao keyboards
    put between words) as spaces, plain apostrophes, and one spelling of each Lao letter that keyboards type in two
    ways (ຳ or ໍ + າ, ໜ or ຫ + ນ, ໝ or ຫ + ມ, ຫຼ or ຫ + ລ). For checking only: a learner's words are kept as typed."""
    text = unicodedata.normalize("NFC", "" if text is None else str(text))
    text = _ZERO_WIDTH.sub(" ", text).replace("’", "'")
    text = _SARA_AM.sub("\\1\u0eb3", text)
    for two, one in _LAO_PAIRS:
        text = text.replace(two, one)
    return text


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
    """A datetime in the computer's own time zone, from a datetime or the store's ISO time stamp (None if
    unreadable)."""
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


# An amount in US dollars as the course's content writes it: 12 USD, 1,250 USD, 32.50 USD, 9 to 11 USD.
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_USD = re.compile(rf"(?<![\w.,])(?P<low>{_NUMBER})(?:(?P<to> to |-|–)(?P<high>{_NUMBER}))? USD\b(?! \(about)")
_MATHS_OR_CODE = re.compile(r"(?<!\\)\$\$.+?(?<!\\)\$\$|(?<!\\)\$.+?(?<!\\)\$|`[^`]*`", re.DOTALL)


def with_kip(text: str, local: LocalCurrency | None) -> str:
    """``text`` with each amount in USD followed by its kip, as ``money`` writes one: "a 10 USD scarf" becomes
    "a 10 USD (about 215,000 kip) scarf", and "9 to 11 USD" "9 to 11 USD (about 193,500 to 236,500 kip)".

    So content files write each amount once, in USD, and the rate of the day (data/currency.yaml) adds the kip
    wherever the amount is shown. Maths ($...$) and code (`...`) are left as written; so is an amount already
    followed by its kip. Without ``local`` (kip switched off), the text is returned as it is."""
    if local is None or local.rate <= 0:
        return text

    def kip(match: re.Match) -> str:
        low = float(match.group("low").replace(",", ""))
        if match.group("high") is None:
            return money(low, local=local)
        high = float(match.group("high").replace(",", ""))
        return (f"{amount(low)}{match.group('to')}{amount(high)} USD "
                f"(about {local.convert(low):,.0f} to {local.amount(high)})")

    pieces, last = [], 0
    for skipped in _MATHS_OR_CODE.finditer(text):
        pieces.append(_USD.sub(kip, text[last:skipped.start()]))
        pieces.append(skipped.group(0))
        last = skipped.end()
    pieces.append(_USD.sub(kip, text[last:]))
    return "".join(pieces)


def usd_without_kip(text: str) -> list[str]:
    """Each amount in USD that ``text`` shows without its kip (outside maths and code): what a test looks for."""
    plain = _MATHS_OR_CODE.sub(" ", text)
    return [m.group(0) for m in _USD.finditer(plain)]


def parse_number(text, label: str, error: type[Exception] = CourseInputError) -> float:
    """``text`` as a number; spaces, thousands commas, $, ₭ and % are ignored. Problems raise ``error``."""
    cleaned = re.sub(r"[\s,$₭%]", "", str(text or ""))
    if not cleaned:
        raise error(_("{label}: please type a number.").format(label=label))
    try:
        value = float(cleaned)
    except ValueError:
        raise error(_("{label}: '{text}' is not a number. Type digits only, for example 12.5.").format(
            label=label, text=str(text).strip())) from None
    if not math.isfinite(value):
        raise error(_("{label}: please type an ordinary number.").format(label=label))
    return value
