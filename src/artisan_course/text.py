"""Numbers that people type into the course's forms: one parser, one set of messages."""
from __future__ import annotations

import math
import re


def parse_number(text, label: str, error: type[Exception] = ValueError) -> float:
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
