"""Fairness rules for sharing one order's profit inside a producer group.

A teaching model, not a forecast. The deck names three rules; the course
splits equity by what is counted:

- equality: everyone gets the same share (Deutsch 1975 links it to good relationships);
- equity by hours, by pieces, or by quality-weighted pieces: a share in
  proportion to what each member put in (linked to productivity);
- needs: a share in proportion to need (linked to welfare). Assumption: a
  member's need counts as 1 for themself plus 1 for each household dependant.

A blend mixes the rules; its weights are rescaled to sum to 1.
If every member's contribution under a rule is zero, that rule falls back to
equality, and the result says so.

Rounding rule: shares are paid in whole cents. Each share is first rounded
down to the cent; the cents left over go, one each, to the members with the
largest remainders (ties go to the member listed first). So the shares
always add up to the total profit exactly.
"""
from __future__ import annotations

from ..i18n import N_, _
from ..text import CourseInputError

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

import math

import pandas as pd

# The rules' English names (keys and the journal's summary stay English); a view shows them with i18n._().
RULES = {
    "equality": N_("Equality: everyone gets the same"),
    "equity_hours": N_("Equity by hours worked"),
    "equity_pieces": N_("Equity by pieces made"),
    "equity_quality": N_("Equity by quality-weighted pieces"),
    "needs": N_("Needs: by household dependants"),
}
# Each rule's short name (the part of its name before a colon), for the sliders, the chart and the "because".
RULE_NAMES = {
    "equality": N_("Equality"),
    "equity_hours": N_("Equity by hours worked"),
    "equity_pieces": N_("Equity by pieces made"),
    "equity_quality": N_("Equity by quality-weighted pieces"),
    "needs": N_("Needs"),
}
COLUMNS = ["name", "hours", "pieces", "quality", "dependants"]
COLUMN_WORDS = {"hours": N_("hours"), "pieces": N_("pieces"), "quality": N_("quality"), "dependants": N_("dependants")}


class FairnessInputError(CourseInputError):
    """Input the simulator cannot use. The message is for the trainee."""


@dataclass
class FairnessResult:
    shares: pd.DataFrame  # one row per member, one column per rule, plus "blend"
    weights: dict[str, float]  # rescaled to sum to 1
    fallbacks: list[str] = field(default_factory=list)  # rules that fell back to equality
    total: float = 0.0

    def indicators(self, column: str = "blend") -> dict[str, float]:
        values = self.shares[column]
        smallest, largest = float(values.min()), float(values.max())
        return {
            "smallest": smallest,
            "ratio": (largest / smallest) if smallest > 0 else float("inf"),
            "gini": gini(values.tolist()),
        }


def validate_members(members: pd.DataFrame) -> pd.DataFrame:
    if members is None or len(members) == 0:
        raise FairnessInputError(_("The group is empty. Add at least one member."))
    missing = [c for c in COLUMNS if c not in members.columns]
    if missing:
        raise FairnessInputError(f"The member table needs a '{missing[0]}' column.")
    clean = members[COLUMNS].copy()
    for column in COLUMNS[1:]:
        numbers = pd.to_numeric(clean[column], errors="coerce")
        bad = numbers.isna() | (numbers < 0)
        if bad.any():
            row = clean.index[bad.argmax()]
            raise FairnessInputError(
                _("'{value}' is not a usable number for {column} ({name}). Use 0 or more.").format(
                    value=members.loc[row, column], column=_(COLUMN_WORDS[column]), name=members.loc[row, "name"]))
        clean[column] = numbers.astype(float)
    if (clean["quality"] > 1).any():
        raise FairnessInputError(_("Quality is a score from 0 to 1 (for example 0.9 for 90% accepted pieces)."))
    return clean


def rescale(weights: dict[str, float]) -> dict[str, float]:
    unknown = [r for r in weights if r not in RULES]
    if unknown:
        raise FairnessInputError(f"Unknown rule '{unknown[0]}'.")
    if any(w < 0 for w in weights.values()):
        raise FairnessInputError(_("Rule weights cannot be negative."))
    total = sum(weights.values())
    if total <= 0:
        raise FairnessInputError(_("Give at least one rule a weight above zero."))
    return {rule: weights.get(rule, 0.0) / total for rule in RULES}


def split_cents(total: float, proportions: list[float]) -> list[float]:
    """Split ``total`` by ``proportions`` into cents that add up exactly (largest remainder)."""
    cents = int((Decimal(str(total)) * 100).to_integral_value())
    weight_sum = sum(proportions)
    exact = [Decimal(cents) * Decimal(p) / Decimal(weight_sum) for p in proportions]
    floors = [int(x.to_integral_value(rounding=ROUND_DOWN)) for x in exact]
    left = cents - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [f / 100 for f in floors]


def contributions(members: pd.DataFrame) -> dict[str, list[float]]:
    return {
        "equality": [1.0] * len(members),
        "equity_hours": members["hours"].tolist(),
        "equity_pieces": members["pieces"].tolist(),
        "equity_quality": (members["pieces"] * members["quality"]).tolist(),
        "needs": (1 + members["dependants"]).tolist(),
    }


def share_profit(members: pd.DataFrame, total: float, weights: dict[str, float] | None = None) -> FairnessResult:
    """Each member's share under every rule and under the blend of rules."""
    if total is None or not isinstance(total, (int, float)) or total != total:
        raise FairnessInputError(_("The total profit must be a number."))
    if total < 0:
        raise FairnessInputError(_("The total profit cannot be negative. If the order lost money, discuss "
                                   "costs, not shares."))
    clean = validate_members(members)
    weights = rescale(weights or {"equality": 1.0})
    table = pd.DataFrame({"name": clean["name"].astype(str).tolist()})
    fallbacks = []
    proportions: dict[str, list[float]] = {}
    for rule, values in contributions(clean).items():
        if sum(values) <= 0:
            fallbacks.append(rule)
            values = [1.0] * len(clean)
        proportions[rule] = values
        table[rule] = split_cents(total, values)
    # The blend mixes each rule's proportions, then rounds once, so it too adds up exactly.
    blend = [0.0] * len(clean)
    for rule, weight in weights.items():
        rule_sum = sum(proportions[rule])
        for i, v in enumerate(proportions[rule]):
            blend[i] += weight * v / rule_sum
    table["blend"] = split_cents(total, blend)
    return FairnessResult(table, weights, fallbacks, float(total))


def gini(values: list[float]) -> float:
    """Gini coefficient: 0 when all shares are equal, nearer 1 when one member gets almost everything."""
    n = len(values)
    total = sum(values)
    if n == 0 or total == 0:
        return 0.0
    ordered = sorted(values)
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def because_sentence(result: FairnessResult) -> str:
    """A draft "because" sentence that frames the chosen split as fair, for the trainee to adapt. It is in the
    kernel's language: the trainee says it to the group."""
    main = max(result.weights, key=result.weights.get)
    reasons = {
        "equality": _("everyone in the group worked together on this order, and equal shares keep the group close"),
        "equity_hours": _("the members who gave more hours to this order should see that time rewarded"),
        "equity_pieces": _("each member is paid for the pieces she made, so extra work is rewarded"),
        "equity_quality": _("pieces that pass the quality check are worth more to the buyer, so careful work earns "
                            "more"),
        "needs": _("members who support more people at home need more from this order"),
    }
    mixed = [r for r, w in result.weights.items() if w > 0]
    names = [_(RULE_NAMES[r]).lower() for r in (mixed if len(mixed) > 1 else [main])]
    rule_words = names[0]
    for name in names[1:]:
        rule_words = _("{rules} and {rule}").format(rules=rule_words, rule=name)
    return _("We suggest sharing the profit by {rules}, because {reason}. "
             "Does this feel fair to you? We can change it together.").format(rules=rule_words, reason=reasons[main])


def summary(result) -> str:
    """One sentence for the journal: the profit, the rules used, and how far apart the shares are."""
    ind = result.indicators()
    used = ", ".join(f"{RULES[k].split(':')[0]} {w:.0%}" for k, w in result.weights.items() if w > 0)
    return (f"A profit of {result.total:,.0f} shared: {used}. Smallest share {ind['smallest']:,.0f}"
            + (f"; the largest is {ind['ratio']:.1f} times the smallest." if math.isfinite(ind["ratio"]) else "."))
