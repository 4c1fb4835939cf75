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
import html
import io
import re
import warnings
from dataclasses import dataclass, field
from datetime import date

from PIL import Image, ImageOps, UnidentifiedImageError

from ..limits import PHOTO_LIMIT_BYTES
from ..text import CourseInputError, parse_number as read_number

MODULE = "management"
ITEM = "order-agreement"
DRAFT_KIND = "draft"
DRAFT_VERSION = 1

LONGEST_SIDE = 1280
JPEG_QUALITY = 82
THUMBNAIL_SIDE = 240
MAX_PHOTOS = 6
MAX_PIXELS = 60_000_000  # PNG and WebP are decoded in full: about 180 MB of memory at this size
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
    """Input the builder cannot use. The message is one plain sentence for the trainee."""


class PhotoRefused(AgreementInputError):
    """A file that is not a usable photo. The message names the file."""


# -- small helpers -----------------------------------------------------------------------------
def esc(text) -> str:
    return html.escape(str(text), quote=True)


def lines(text: str) -> list[str]:
    """The non-empty lines of a text box, without list marks typed at the start ("- ", "1. ")."""
    result = []
    for line in str(text or "").splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line).strip()
        if line:
            result.append(line)
    return result


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def money(value: float) -> str:
    return f"{value:,.0f}" if abs(value - round(value)) < 0.005 else f"{value:,.2f}"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def parse_number(text: str, label: str) -> float:
    return read_number(text, label, AgreementInputError)


def parse_price(text: str) -> float:
    value = parse_number(text, "Price per piece")
    if value <= 0:
        raise AgreementInputError("Price per piece: it must be more than 0.")
    return value


def parse_quantity(text: str) -> int:
    value = parse_number(text, "Quantity")
    if value <= 0:
        raise AgreementInputError("Quantity: it must be more than 0 pieces.")
    if value != int(value):
        raise AgreementInputError("Quantity: type a whole number of pieces, for example 120.")
    return int(value)


def parse_advance(text: str) -> float:
    value = parse_number(text, "Advance payment")
    if not 0 <= value <= 100:
        raise AgreementInputError("Advance payment: type a percentage from 0 to 100.")
    return value


def parse_date(text: str) -> date | None:
    text = str(text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise AgreementInputError("Final delivery date: please choose a date in the calendar.") from None


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


def _has_transparency(image: Image.Image) -> bool:
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        low, _high = image.getchannel("A").getextrema()
        return low < 255
    return False


def prepare_photo(name: str, content: bytes, limit: int = PHOTO_LIMIT_BYTES) -> Photo:
    """Check a file by its bytes and make it small enough to store. Raises PhotoRefused with a plain message."""
    name = str(name or "photo").strip() or "photo"
    size = len(content)
    if size > limit:
        raise PhotoRefused(f"{name} is {megabytes(size)}. The limit is {megabytes(limit)} per photo. "
                           "Please choose a smaller photo.")
    if size == 0:
        raise PhotoRefused(f"{name} is empty. Please choose the photo again.")
    with warnings.catch_warnings():
        # Pillow warns above about 89 million pixels. A JPEG is read at a reduced scale (draft mode), so a big
        # phone photo is fine; other formats are refused above MAX_PIXELS. Pillow still refuses twice its limit.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(content))
            kind = image.format
            if kind not in PHOTO_FORMATS:
                raise PhotoRefused(f"{name} is a {kind} file, not a photo we can use. Please choose a JPEG, PNG or WebP photo.")
            if kind == "JPEG":
                image.draft(None, (LONGEST_SIDE, LONGEST_SIDE))
            elif image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError(name)
            image.load()
        except PhotoRefused:
            raise
        except Image.DecompressionBombError:
            raise PhotoRefused(f"{name} has too many pixels. Please choose a smaller photo.") from None
        except UnidentifiedImageError:
            raise PhotoRefused(f"{name} is not a photo. Please choose a JPEG, PNG or WebP photo.") from None
        except (OSError, ValueError, SyntaxError):
            raise PhotoRefused(f"{name} could not be read: the file may be damaged. Please choose another photo.") from None
    image = ImageOps.exif_transpose(image)
    keep_png = _has_transparency(image)
    if max(image.size) > LONGEST_SIDE:
        image.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if keep_png:
        image.convert("RGBA").save(out, format="PNG")
        mime = "image/png"
    else:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGBA").convert("RGB") if image.mode in ("P", "PA", "LA") else image.convert("RGB")
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        mime = "image/jpeg"
    return Photo(name, mime, out.getvalue(), image.width, image.height)


def thumbnail(photo: Photo, side: int = THUMBNAIL_SIDE) -> bytes:
    """A small copy for the form's photo list (same format as the photo)."""
    image = Image.open(io.BytesIO(photo.data))
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if photo.mime == "image/png":
        image.save(out, format="PNG")
    else:
        image.convert("RGB").save(out, format="JPEG", quality=80)
    return out.getvalue()


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
    return "\n".join(milestones), "\n".join(checkins), finish.isoformat() if finish else "", str(plan.get("summary") or "")


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
    def total(self) -> float:
        return round(self.price * self.quantity, 2)

    @property
    def advance_amount(self) -> float:
        return round(self.total * self.advance_percent / 100, 2)

    @property
    def balance(self) -> float:
        return round(self.total - self.advance_amount, 2)


def numbers(fields: dict[str, str]) -> tuple[float, int, float]:
    """Price, quantity and advance % from the form; raises AgreementInputError on the first bad one."""
    return parse_price(fields.get("price", "")), parse_quantity(fields.get("quantity", "")), parse_advance(fields.get("advance", ""))


def from_draft(fields: dict[str, str], photos: list[Photo] = (), made_on: date | None = None) -> Agreement:
    """The agreement the form describes, or AgreementInputError saying what is missing."""
    get = lambda name: str(fields.get(name, "") or "").strip()  # noqa: E731
    if not get("product"):
        raise AgreementInputError("Product name: please type what the artisans will make.")
    price, quantity, advance = numbers(fields)
    delivery = parse_date(get("delivery"))
    if delivery is None:
        raise AgreementInputError("Final delivery date: please choose the date when all pieces are delivered.")
    made_on = made_on or date.today()
    if delivery < made_on:
        raise AgreementInputError(f"Final delivery date: {long_date(delivery)} is in the past. Choose a later date.")
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
        f"Price: {money(a.price)} {cur} per piece, {money(a.total)} {cur} for {a.quantity} pieces.",
        f"Advance: {a.advance_percent:g}% = {money(a.advance_amount)} {cur}, paid before work starts. "
        f"The rest, {money(a.balance)} {cur}, is paid on delivery.",
        f"Delivery: all {a.quantity} pieces by {long_date(a.delivery)}.",
    ]
    if a.milestones:
        out.append("Milestones: " + "; ".join(a.milestones) + ".")
    if a.checkins:
        out.append("Check-ins: " + "; ".join(a.checkins) + ".")
    if a.clause:
        out.append("If things change: " + " ".join(lines(a.clause)))
    if a.conflict:
        out.append("If we disagree: " + " ".join(f"({i}) {step.rstrip('.')}." for i, step in enumerate(a.conflict, start=1)))
    return "\n".join(out) + "\n"


PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
html { background: #fff; }
body { font-family: "Noto Sans", "Noto Sans Lao", "DejaVu Sans", "Segoe UI", Arial, sans-serif;
       font-size: 11.5pt; line-height: 1.45; color: #1b1f2a; margin: 0 auto; max-width: 190mm; padding: 8mm 6mm; }
@media print { body { padding: 0; max-width: none; } }
h1 { font-size: 20pt; color: #23336b; margin: 0 0 2mm 0; }
h2 { font-size: 13.5pt; color: #23336b; margin: 0 0 2mm 0; border-bottom: 1.5pt solid #b86e00; padding-bottom: 1mm; }
p { margin: 0 0 2mm 0; }
.meta { color: #4a5060; margin-bottom: 5mm; }
section { margin: 0 0 6mm 0; break-inside: avoid; page-break-inside: avoid; }
section.photos-section { break-inside: auto; page-break-inside: auto; }
h2 { break-after: avoid; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 1.5mm 2mm; border-bottom: 0.5pt solid #c9c3b6; }
th { width: 38%; font-weight: 600; color: #4a5060; }
ul, ol { margin: 0 0 2mm 0; padding-left: 7mm; }
li { margin: 0 0 1mm 0; }
.empty { color: #4a5060; font-style: italic; }
.photos { display: grid; grid-template-columns: 1fr 1fr; gap: 5mm; margin-top: 3mm; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; border: 0.5pt solid #c9c3b6; padding: 2mm; }
figure img { display: block; width: 100%; height: 62mm; object-fit: contain; }
figcaption { font-size: 9.5pt; color: #4a5060; margin-top: 1mm; overflow-wrap: anywhere; }
.clause { white-space: pre-wrap; }
.summary { border: 1pt solid #23336b; background: #f3f1ea; padding: 3mm 4mm; }
.summary p { margin: 0 0 1mm 0; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 10mm; margin-top: 4mm; }
.signatures h3 { font-size: 11.5pt; margin: 0 0 2mm 0; }
.line { border-bottom: 1pt solid #1b1f2a; height: 11mm; margin-bottom: 1mm; }
.label { font-size: 9.5pt; color: #4a5060; margin-bottom: 3mm; }
.note { font-size: 10pt; color: #4a5060; }
"""


def _list(items, ordered: bool = False, empty: str = "Not written down yet.") -> str:
    if not items:
        return f"<p class='empty'>{esc(empty)}</p>"
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{esc(item)}</li>" for item in items) + f"</{tag}>"


def _row(label: str, value: str) -> str:
    shown = esc(value) if value else "<span class='empty'>—</span>"
    return f"<tr><th>{esc(label)}</th><td>{shown}</td></tr>"


def _signature(side: str, name: str) -> str:
    named = (f"<p>Name: <strong>{esc(name)}</strong></p>" if name else
             "<div class='line'></div><div class='label'>Name</div>")
    return (f"<div><h3>{esc(side)}</h3>{named}"
            "<div class='line'></div><div class='label'>Signature</div>"
            "<div class='line'></div><div class='label'>Date</div></div>")


def render_html(a: Agreement) -> str:
    """The agreement as one printable HTML document. Every piece of learner text is escaped."""
    cur = esc(a.currency)
    if a.photos:
        figures = "".join(f"<figure><img src='{p.data_uri()}' alt='Sample photo {i}: {esc(p.name)}'>"
                          f"<figcaption>Sample {i}: {esc(p.name)}</figcaption></figure>"
                          for i, p in enumerate(a.photos, start=1))
        photos = f"<p>The pieces must look like these samples.</p><div class='photos'>{figures}</div>"
    else:
        photos = "<p class='empty'>No sample photos. Add photos of a good sample if you can.</p>"
    clause = (f"<p class='clause'>{esc(a.clause)}</p>" if a.clause else
              "<p class='empty'>No clause. Use the contingency simulator (module 04) to write one.</p>")
    summary_lines = "".join(f"<p>{esc(line)}</p>" for line in summary(a).splitlines())
    parties = f"{esc(a.buyer or 'the buyer')} and {esc(a.artisans or 'the artisans')}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Order agreement: {esc(a.product)}</title>
<style>{PRINT_CSS}</style>
</head>
<body>
<header>
<h1>Order agreement: {esc(a.product)}</h1>
<p class="meta">Between {parties}. Made on {esc(long_date(a.made_on))}.</p>
</header>
<section id="product">
<h2>1. The product</h2>
<table>
{_row("Product", a.product)}
{_row("Size", a.size)}
{_row("Colours", a.colours)}
{_row("Materials", a.materials)}
</table>
</section>
<section id="quality">
<h2>2. Quality</h2>
<p>Each piece must meet these points:</p>
{_list(a.quality)}
</section>
<section id="photos" class="photos-section">
<h2>3. Picture samples</h2>
{photos}
</section>
<section id="price">
<h2>4. Price and payment</h2>
<table>
{_row("Price per piece", f"{money(a.price)} {a.currency}")}
{_row("Quantity", f"{a.quantity} pieces")}
{_row("Total", f"{money(a.total)} {a.currency}")}
{_row("Advance payment", f"{a.advance_percent:g}% = {money(a.advance_amount)} {a.currency}, paid before work starts")}
{_row("Rest, paid on delivery", f"{money(a.balance)} {a.currency}")}
</table>
</section>
<section id="time">
<h2>5. Delivery time, milestones and check-ins</h2>
<p>All {a.quantity} pieces are delivered by <strong>{esc(long_date(a.delivery))}</strong>.</p>
<p><strong>Milestones</strong></p>
{_list(a.milestones, empty="One delivery at the end.")}
<p><strong>Check-ins</strong></p>
{_list(a.checkins, empty="Not planned yet.")}
</section>
<section id="change">
<h2>6. If things change</h2>
{clause}
</section>
<section id="disagree">
<h2>7. If we disagree</h2>
{_list(a.conflict, ordered=True)}
</section>
<section id="summary">
<h2>8. What we agreed, in short</h2>
<div class="summary">{summary_lines}</div>
<p class="note">If a person does not want to sign, read this summary aloud together. With their permission,
record it (audio or video) and keep the recording with this paper.</p>
</section>
<section id="signatures">
<h2>9. Signatures</h2>
<p>We agree to this order as written above. Amounts are in {cur}.</p>
<div class="signatures">
{_signature("For the buyer", a.buyer)}
{_signature("For the artisans", a.artisans)}
</div>
</section>
</body>
</html>
"""


def file_stem(a: Agreement) -> str:
    """A safe file-name part from the product name, for example 'order-agreement-silk-scarf'."""
    words = re.sub(r"[^a-z0-9]+", "-", a.product.lower()).strip("-")[:40].strip("-")
    return "order-agreement" + (f"-{words}" if words else "")
