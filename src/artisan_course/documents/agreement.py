"""The printable order agreement: an A4 page with the photos embedded, signature lines, every text escaped."""
from __future__ import annotations

import re

from ..models.agreement import Agreement, summary
from ..text import amount, escape as esc, long_date
from .page import credit_line, with_lao_font


PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
html { background: #fff; }
body { font-family: "Course Lao", "Noto Sans", "Noto Sans Lao", "DejaVu Sans", "Segoe UI", Arial, sans-serif;
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
    return with_lao_font(f"""<!DOCTYPE html>
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
{_row("Price per piece", f"{amount(a.price)} {a.currency}")}
{_row("Quantity", f"{a.quantity} pieces")}
{_row("Total", f"{amount(a.total)} {a.currency}")}
{_row("Advance payment", f"{a.advance_percent:g}% = {amount(a.advance_amount)} {a.currency}, paid before work starts")}
{_row("Rest, paid on delivery", f"{amount(a.balance)} {a.currency}")}
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
<p class="meta credit">{esc(credit_line())}</p>
</body>
</html>
""")


def file_stem(a: Agreement) -> str:
    """A safe file-name part from the product name, for example 'order-agreement-silk-scarf'."""
    words = re.sub(r"[^a-z0-9]+", "-", a.product.lower()).strip("-")[:40].strip("-")
    return "order-agreement" + (f"-{words}" if words else "")
