"""Reading content files: YAML checked against a JSON schema, and CSV tables checked column by column.

Every problem becomes one sentence that names the file, the item (a field path or a row) and what is wrong,
so a facilitator who edits ``data/`` can fix it without reading Python.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Callable

import yaml


class ContentError(ValueError):
    """A content file the course cannot use. The message names the file, the item and the problem."""


def jsonschema_module():
    """Import jsonschema without its optional IRI-format checker.

    jsonschema loads rfc3987_syntax when it is installed (Jupyter installs it),
    and that module builds a grammar at import: about one second in every
    kernel, which made each deck slow to appear. The course's schemas use no
    IRI formats, so the checker is kept out unless something already loaded it.
    """
    import sys
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # makes jsonschema's optional import fail quietly
        try:
            import jsonschema
        finally:
            del sys.modules["rfc3987_syntax"]
    import jsonschema
    return jsonschema


def read_yaml(path: Path, error: type[Exception] = ContentError, what: str = "content"):
    """Parse a content file; problems become ``error`` with the file name (and line) in plain words."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: the {what} file is missing.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise error(f"{path}{where}: this is not valid YAML: {getattr(exc, 'problem', exc)}.") from None


def read_checked_yaml(path: Path, schema: dict, error: type[Exception] = ContentError, what: str = "content"):
    """A content file parsed and checked against ``schema``: the first problem becomes ``error``, naming the field."""
    data = read_yaml(path, error, what)
    problems = list(jsonschema_module().Draft202012Validator(schema).iter_errors(data))
    if problems:
        where = ".".join(str(p) for p in problems[0].absolute_path)
        raise error(f"{path}: {where + ': ' if where else ''}{problems[0].message.rstrip('.')}.")
    return data


# -- CSV tables ----------------------------------------------------------------------------------
def text_cell(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty")
    return value.strip()


def number_cell(minimum: float | None = None, maximum: float | None = None) -> Callable[[str], float]:
    """A column of numbers, optionally within [minimum, maximum]."""
    def read(value: str) -> float:
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            raise ValueError(f"'{value.strip()}' is not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"'{value.strip()}' is not an ordinary number")
        if minimum is not None and number < minimum:
            raise ValueError(f"{number:g} is below {minimum:g}")
        if maximum is not None and number > maximum:
            raise ValueError(f"{number:g} is above {maximum:g}")
        return number
    return read


def read_checked_csv(path: Path, columns: dict[str, Callable[[str], object]], unique: str | None = None,
                     error: type[Exception] = ContentError) -> list[dict]:
    """The rows of a CSV file (lines starting with # are notes), each cell read by its column's reader.

    ``columns`` maps every required column to a function that returns the cell's value or raises ValueError
    with the problem. ``unique`` names a column whose values may not repeat. Row numbers in messages are the
    file's line numbers, as a text editor shows them.
    """
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise error(f"{path}: the file is missing.") from None
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()
                and not line.lstrip().startswith("#")]
    if not numbered:
        raise error(f"{path}: the file has no header line and no rows.")
    reader = csv.reader(line for _, line in numbered)
    header = [name.strip() for name in next(reader)]
    missing = [name for name in columns if name not in header]
    if missing:
        raise error(f"{path}, line {numbered[0][0]}: the column{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(repr(m) for m in missing)} {'are' if len(missing) > 1 else 'is'} missing from the "
                    f"header. Expected: {', '.join(columns)}.")
    rows, seen = [], {}
    for (line_number, _), cells in zip(numbered[1:], reader):
        if len(cells) != len(header):
            raise error(f"{path}, line {line_number}: this row has {len(cells)} cells, but the header has "
                        f"{len(header)}. Check for a missing or extra comma.")
        raw = dict(zip(header, cells))
        row = {}
        for name, read in columns.items():
            try:
                row[name] = read(raw[name])
            except ValueError as exc:
                label = raw.get(unique, "").strip() if unique else ""
                item = f" ({label})" if label else ""
                raise error(f"{path}, line {line_number}{item}: the column '{name}' {exc}.") from None
        if unique is not None:
            key = row[unique]
            if key in seen:
                raise error(f"{path}, line {line_number}: '{key}' is listed twice (first on line {seen[key]}).")
            seen[key] = line_number
        rows.append(row)
    if not rows:
        raise error(f"{path}: the file has a header but no rows.")
    return rows
