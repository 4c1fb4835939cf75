"""The one CSV writer for every export a facilitator opens in a spreadsheet: cells stay text, Lao stays Lao.

- A cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a line
  break, after any spaces) is written with a leading apostrophe, so a trainee's comment such as
  ``=HYPERLINK(...)`` is shown as typed and never run.
- The file starts with a UTF-8 byte order mark: without it, Excel on Windows reads UTF-8 as the local code page
  and garbles Lao (and any other non-Latin) text.
- Numbers stay numbers; anything else that is not text is written as JSON.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterable

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell(value: Any) -> str | int | float:
    """One cell: text guarded against formulas, numbers as they are, other values as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if text.lstrip(" ")[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def csv_text(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The whole file: the byte order mark, the header, then every row, each cell through :func:`cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(v) for v in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return BOM + out.getvalue()


def read_rows(text: str) -> list[list[str]]:
    """The rows of a file written by :func:`csv_text` (for tests and re-imports): the byte order mark removed."""
    return list(csv.reader(io.StringIO(text.removeprefix(BOM))))
