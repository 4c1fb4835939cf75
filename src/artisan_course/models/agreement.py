"""The order agreement: data, checks, photos, and the printable document. No widgets here.

The workshop's rule "formal documentation": write down everything you agree
with the artisans (product, quality with picture samples, price, delivery
time), because people keep more closely to what they clearly agreed to. If
they do not want to sign, record their understanding on audio or video. That
rule is the workshop's advice, not a research finding.

Facts used, from the course's list of facts:
- WFTO fair trading practices: for crafts, on request, at least 50%
  pre-payment, free of interest (shown as a note when the advance is lower).
- Thailand's Homeworkers Protection Act (2010, in force 2011) requires a
  written contract (named in the builder's introduction as an example).

Design notes
- The draft keeps every field as the text the learner typed, so nothing is
  lost even when a number is not valid yet. Checks happen in
  :func:`from_draft`, which raises :class:`AgreementInputError` with one plain
  sentence.
- Photos are checked by their bytes (Pillow), never by the file name, then
  made smaller (a JPEG is already read at a reduced scale, so a phone's
  50-megapixel photo needs little memory; PNG and WebP above 60 million
  pixels are refused). The longest side becomes 1280 px, and the photo is
  saved again without its metadata (this also removes a phone's GPS
  location): JPEG, or PNG if the picture has transparent parts.
- The printable document is one HTML file: print CSS for A4, photos as
  ``data:`` URIs, no link to anything outside the file, all learner text
  escaped.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from datetime import date

from ..i18n import _
from ..text import CourseInputError, amount, long_date, parse_number as read_number

MODULE = "management"
ITEM = "order-agreement"
DRAFT_KIND = "draft"
DRAFT_VERSION = 1

MAX_PHOTOS = 6
PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
FAIR_TRADE_ADVANCE = 50  # WFTO: on request, at least 50% pre-payment for crafts, free of interest

# The text fields of the form, in the order of the form. Every value in a draft is a string.
FIELDS = ("product", "size", "colours", "materials", "quality", "price", "currency", "quantity", "advance",
          "delivery", "milestones", "checkins", "clause", "conflict", "buyer", "artisans")

SUGGESTED_CONFLICT_STEPS = "\n".join([
    "Whoever sees a problem tells the other side early, within 2 days.",
    "We meet with the producer lead, in person or by video call. We listen first and ask why.",
    "We check the facts together against this agreement and the sample photos.",
    "We agree on a fix and write it down: repair, replace, a new date or a new price.",
    "If we still disagree, we ask a person both sides trust to help us decide.",
])
DEFAULTS = {"currency": "USD", "advance": "50", "conflict": SUGGESTED_CONFLICT_STEPS}


class AgreementInputError(CourseInputError):
    """Input the builder cannot use. The message is one plain sentence for the trainee; ``field`` names the form's
    field to fix (one of ``FIELDS``), so the form can take the trainee to it."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class PhotoRefused(AgreementInputError):
    """A file that is not a usable photo. The message names the file."""


# -- small helpers -----------------------------------------------------------------------------


def lines(text: str) -> list[str]:
    """The non-empty lines of a text box, without list marks typed at the start ("- ", "1. ")."""
    result = []
    for line in str(text or "").splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line).strip()
        if line:
            result.append(line)
    return result


def parse_number(text: str, label: str, field: str | None = None) -> float:
    try:
        return read_number(text, label, AgreementInputError)
    except AgreementInputError as problem:
        raise AgreementInputError(str(problem), field) from None


def parse_price(text: str) -> float:
    value = parse_number(text, _("Price per piece"), "price")
    if value <= 0:
        raise AgreementInputError(_("Price per piece: it must be more than 0."), "price")
    return value


def parse_quantity(text: str) -> int:
    value = parse_number(text, _("Quantity"), "quantity")
    if value <= 0:
        raise AgreementInputError(_("Quantity: it must be more than 0 pieces."), "quantity")
    if value != int(value):
        raise AgreementInputError(_("Quantity: type a whole number of pieces, for example 120."), "quantity")
    return int(value)


def parse_advance(text: str) -> float:
    value = parse_number(text, _("Advance payment"), "advance")
    if not 0 <= value <= 100:
        raise AgreementInputError(_("Advance payment: type a percentage from 0 to 100."), "advance")
    return value


def parse_date(text: str) -> date | None:
    text = str(text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AgreementInputError(_("Final delivery date: please choose a date in the calendar."),
                                  "delivery") from None


# -- photos ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Photo:
    name: str
    mime: str
    data: bytes
    width: int
    height: int

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"

    def to_dict(self) -> dict:
        return {"name": self.name, "mime": self.mime, "width": self.width, "height": self.height,
                "base64": base64.b64encode(self.data).decode("ascii")}

    @classmethod
    def from_dict(cls, value: dict) -> "Photo":
        mime = str(value["mime"])
        if mime not in PHOTO_FORMATS.values():
            raise ValueError(mime)
        return cls(str(value["name"]), mime, base64.b64decode(value["base64"], validate=True),
                   int(value["width"]), int(value["height"]))


# -- drafts ------------------------------------------------------------------------------------
def empty_fields() -> dict[str, str]:
    return {name: DEFAULTS.get(name, "") for name in FIELDS}


def draft_value(fields: dict[str, str], photos: list[Photo]) -> dict:
    """What the store keeps while the learner types: every field as typed, and the small photos."""
    return {"version": DRAFT_VERSION, "fields": {name: str(fields.get(name, "")) for name in FIELDS},
            "photos": [photo.to_dict() for photo in photos]}


def restore_draft(value) -> tuple[dict[str, str], list[Photo]]:
    """Fields and photos from a stored draft. Unknown keys and damaged photos are left out."""
    fields = empty_fields()
    photos: list[Photo] = []
    if not isinstance(value, dict):
        return fields, photos
    stored = value.get("fields") if isinstance(value.get("fields"), dict) else {}
    for name in FIELDS:
        if isinstance(stored.get(name), str):
            fields[name] = stored[name]
    for item in value.get("photos") or []:
        try:
            photos.append(Photo.from_dict(item))
        except (KeyError, TypeError, ValueError):
            continue
    return fields, photos


# -- hand-offs from the other tools ------------------------------------------------------------
def _iso(text) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


def _when(value) -> str:
    day = _iso(value)
    return long_date(day) if day else str(value)


def plan_texts(plan: dict) -> tuple[str, str, str, str]:
    """(milestones text, check-ins text, final date as ISO or "", the planner's summary) from a milestone plan."""
    milestones = []
    for i, m in enumerate(plan.get("milestones") or [], start=1):
        name = str(m.get("name") or f"Batch {i}")
        pieces = f"{m['pieces']} pieces" if m.get("pieces") not in (None, "") else ""
        if m.get("start") and m.get("end"):
            when = f"{_when(m['start'])} to {_when(m['end'])}"
        elif m.get("end") or m.get("date"):
            when = f"by {_when(m.get('end') or m.get('date'))}"
        else:
            when = ""
        milestones.append(f"{name}: " + ", ".join(part for part in (pieces, when) if part))
    checkins = [f"{_when(c.get('date', ''))}: {c.get('mode', '')}".rstrip(": ") for c in plan.get("checkins") or []]
    ends = [_iso(m.get("end") or m.get("date")) for m in plan.get("milestones") or []]
    finish = _iso(plan.get("finish")) or max((d for d in ends if d), default=None)
    return ("\n".join(milestones), "\n".join(checkins), finish.isoformat() if finish else "",
            str(plan.get("summary") or ""))


def merge_text(current: str, taken: str) -> tuple[str, str]:
    """Put ``taken`` into a text box without losing what the learner typed. Returns (new text, what happened)."""
    if not taken.strip():
        return current, "empty"
    if not current.strip():
        return taken, "filled"
    if taken.strip() in current:
        return current, "already"
    return current.rstrip() + "\n\n" + taken, "added"


# -- the agreement -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Payment:
    """What the order costs and when it is paid: the total, the advance before work starts, the rest on delivery."""
    total: float
    advance: float | None
    balance: float | None


def payment(price: float, quantity: int, advance_percent: float | None = None) -> Payment:
    """The one rule for the agreement's sums, used by the form as it is typed and by the printed agreement."""
    total = round(price * quantity, 2)
    if advance_percent is None:
        return Payment(total, None, None)
    advance = round(total * advance_percent / 100, 2)
    return Payment(total, advance, round(total - advance, 2))


@dataclass(frozen=True)
class Agreement:
    product: str
    price: float
    quantity: int
    advance_percent: float
    delivery: date
    currency: str = "USD"
    size: str = ""
    colours: str = ""
    materials: str = ""
    quality: tuple[str, ...] = ()
    milestones: tuple[str, ...] = ()
    checkins: tuple[str, ...] = ()
    clause: str = ""
    conflict: tuple[str, ...] = ()
    buyer: str = ""
    artisans: str = ""
    photos: tuple[Photo, ...] = field(default=(), repr=False)
    made_on: date = field(default_factory=date.today)

    @property
    def payment(self) -> Payment:
        return payment(self.price, self.quantity, self.advance_percent)

    @property
    def total(self) -> float:
        return self.payment.total

    @property
    def advance_amount(self) -> float:
        return self.payment.advance

    @property
    def balance(self) -> float:
        return self.payment.balance


def numbers(fields: dict[str, str]) -> tuple[float, int, float]:
    """Price, quantity and advance % from the form; raises AgreementInputError on the first bad one."""
    return (parse_price(fields.get("price", "")), parse_quantity(fields.get("quantity", "")),
            parse_advance(fields.get("advance", "")))


def from_draft(fields: dict[str, str], photos: list[Photo] = (), made_on: date | None = None) -> Agreement:
    """The agreement the form describes, or AgreementInputError saying what is missing."""
    get = lambda name: str(fields.get(name, "") or "").strip()  # noqa: E731
    if not get("product"):
        raise AgreementInputError(_("Product name: please type what the artisans will make."), "product")
    price, quantity, advance = numbers(fields)
    delivery = parse_date(get("delivery"))
    if delivery is None:
        raise AgreementInputError(_("Final delivery date: please choose the date when all pieces are delivered."),
                                  "delivery")
    made_on = made_on or date.today()
    if delivery < made_on:
        raise AgreementInputError(_("Final delivery date: {date} is in the past. Choose a later date.").format(
            date=long_date(delivery)), "delivery")
    return Agreement(
        product=get("product"), price=price, quantity=quantity, advance_percent=advance, delivery=delivery,
        currency=get("currency") or "USD", size=get("size"), colours=get("colours"), materials=get("materials"),
        quality=tuple(lines(get("quality"))), milestones=tuple(lines(get("milestones"))),
        checkins=tuple(lines(get("checkins"))), clause=get("clause"), conflict=tuple(lines(get("conflict"))),
        buyer=get("buyer"), artisans=get("artisans"), photos=tuple(photos), made_on=made_on)


def summary(a: Agreement) -> str:
    """'What we agreed': 6-10 short lines to read aloud, or to record when the artisans do not want to sign."""
    buyer, artisans = a.buyer or "The buyer", a.artisans or "the artisans"
    cur = a.currency
    spec = "; ".join(f"{label} {value}" for label, value in (("size", a.size), ("colours", a.colours),
                                                              ("materials", a.materials)) if value)
    photos = ("" if not a.photos else " See the sample photo." if len(a.photos) == 1 else
              f" See the {len(a.photos)} sample photos.")
    out = [
        f"What we agreed on {long_date(a.made_on)}: {buyer} orders {a.quantity} pieces of {a.product} from {artisans}.",
        f"Product: {spec}." if spec else "Product: as in the sample photos and the order.",
        (f"Quality: {'; '.join(a.quality)}." if a.quality else "Quality: as in the sample photos.") + photos,
        f"Price: {amount(a.price)} {cur} per piece, {amount(a.total)} {cur} for {a.quantity} pieces.",
        f"Advance: {a.advance_percent:g}% = {amount(a.advance_amount)} {cur}, paid before work starts. "
        f"The rest, {amount(a.balance)} {cur}, is paid on delivery.",
        f"Delivery: all {a.quantity} pieces by {long_date(a.delivery)}.",
    ]
    if a.milestones:
        out.append("Milestones: " + "; ".join(a.milestones) + ".")
    if a.checkins:
        out.append("Check-ins: " + "; ".join(a.checkins) + ".")
    if a.clause:
        out.append("If things change: " + " ".join(lines(a.clause)))
    if a.conflict:
        out.append("If we disagree: "
                   + " ".join(f"({i}) {step.rstrip('.')}." for i, step in enumerate(a.conflict, start=1)))
    return "\n".join(out) + "\n"


