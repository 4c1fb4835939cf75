"""Anchoring: how first offers pull a price negotiation. A teaching model, not a forecast.

You are the buyer; an artisan group sells. Each assumption, and where it comes from:

1. The settlement is pulled toward the first offers. The first offer pulls more
   (weight 0.6) than the reply (0.4) (anchoring and adjustment: Tversky &
   Kahneman 1974; first offers: Galinsky & Mussweiler 2001).
2. If the artisans go first and you focus on your own counter-anchor, their
   pull is cancelled: both offers then weigh the same (Schaerer, Swaab &
   Galinsky 2015).
3. Research: with full market research, an anchor set by the artisans pulls
   you 30% less. And your own first offer rests on what you believe the market
   is: with little research that belief is off by a random error (spread up to
   a quarter of the market range), so naming first is a gamble.
4. An extreme first offer from you (more than 15% below the market range)
   raises the chance that the artisans, the side with less power, walk away,
   and lowers trust (Schweinsberg, Ku, Wang & Pillutla 2012).
5. The artisans' lowest acceptable price is unknown to you: each Monte Carlo
   draw picks one between just above their cost and a little above the
   fair-price line. The same draws are reused for every setting (common random
   numbers), so the numbers move smoothly as you move a control.
6. The more weight you put on the long-term relationship, the more of the gap
   up to the fair price you choose to close.

Success is a deal that closes, keeps trust, and pays at or above the fair-price
line (WFTO: a fair price agreed through dialogue). The lowest price is not success.
"""
from __future__ import annotations

from ..text import CourseInputError

from dataclasses import dataclass

import numpy as np

FIRST_WEIGHT = 0.6
ANCHOR_STRENGTH = 0.6  # how far the anchors move the price from the middle of the zone
EXTREME_MARGIN = 0.15  # offers further than this share outside the market range are extreme
DRAWS = 4000
# The artisans' lowest acceptable price is drawn between these multiples of their cost and of the fair price.
RESERVATION_OVER_COST = 1.05
RESERVATION_OVER_FAIR = 1.10
# The offers a trainee can try, and the chart's axis, as multiples of the buyer's resale range.
OFFER_SLIDER_TOP = 1.4   # times market_high
OFFER_AXIS = (0.5, 1.3)  # from 0.5 x cost to 1.3 x market_high


class AnchoringInputError(CourseInputError):
    """Input the simulator cannot use. The message is for the trainee."""


@dataclass(frozen=True)
class Product:
    name: str
    unit: str
    cost: float
    market_low: float
    market_high: float
    fair_price: float

    def check(self) -> None:
        if min(self.cost, self.market_low, self.market_high, self.fair_price) <= 0:
            raise AnchoringInputError(f"{self.name}: prices must be above zero.")
        if self.market_low > self.market_high:
            raise AnchoringInputError(f"{self.name}: the market minimum is above the maximum.")


@dataclass(frozen=True)
class Scenario:
    first_mover: str = "you"  # "you" or "artisans"
    your_offer: float = 0.0
    their_offer: float = 0.0
    research: float = 0.5  # 0 = none, 1 = thorough
    counter_anchor: bool = False
    relationship: float = 0.5  # 0..1


@dataclass(frozen=True)
class Outcome:
    deal_probability: float
    settlement: float  # expected price per piece when a deal is reached
    low: float  # 10th percentile of the settlement
    high: float  # 90th percentile
    margin: float  # artisans' margin over cost at the expected settlement
    trust: float  # 0..100
    fair: bool
    success: bool


def draws(seed: int = 2024, n: int = DRAWS) -> np.ndarray:
    """Common random numbers: one row per draw, columns for reservation, belief error and walk-away."""
    return np.random.default_rng(seed).random((n, 3))


def _check(product: Product, scenario: Scenario) -> None:
    product.check()
    if scenario.first_mover not in ("you", "artisans"):
        raise AnchoringInputError("Choose who makes the first offer: you or the artisans.")
    for label, value in (("Your first offer", scenario.your_offer), ("The artisans' first offer", scenario.their_offer)):
        if not np.isfinite(value) or value <= 0:
            raise AnchoringInputError(f"{label} must be above zero.")
    if not 0 <= scenario.research <= 1 or not 0 <= scenario.relationship <= 1:
        raise AnchoringInputError("Research and relationship are set from 0 to 1.")


def reservation_range(product: Product) -> tuple[float, float]:
    """The range the artisans' lowest acceptable price is drawn from (assumption 2)."""
    return product.cost * RESERVATION_OVER_COST, product.fair_price * RESERVATION_OVER_FAIR


def buyer_limit(product: Product) -> float:
    """The most the buyer will pay: the top of the buyer's resale range."""
    return product.market_high


def agreement_zone(product: Product) -> tuple[float, float]:
    """The zone the chart shades: from the artisans' typical lowest price to the buyer's limit."""
    low, high = reservation_range(product)
    return (low + high) / 2, buyer_limit(product)


def offer_slider_top(product: Product) -> float:
    return round(product.market_high * OFFER_SLIDER_TOP, 0)


def offer_grid(product: Product, n: int) -> np.ndarray:
    """The first offers the chart draws the curve for."""
    return np.linspace(max(0.5, product.cost * OFFER_AXIS[0]), product.market_high * OFFER_AXIS[1], n)


def simulate(product: Product, scenario: Scenario, u: np.ndarray | None = None, your_offers: np.ndarray | None = None):
    """Per-draw settlement and deal flags. ``your_offers`` (a grid) gives one row per offer."""
    _check(product, scenario)
    u = draws() if u is None else u
    width = product.market_high - product.market_low
    low, high = reservation_range(product)
    reservation = low + u[:, 0] * (high - low)
    limit = buyer_limit(product)
    offers = np.atleast_1d(np.asarray(scenario.your_offer if your_offers is None else your_offers, dtype=float))[:, None]

    # Weights of the two anchors (assumptions 1-3).
    you_first = scenario.first_mover == "you"
    w_you, w_them = (FIRST_WEIGHT, 1 - FIRST_WEIGHT) if you_first else (1 - FIRST_WEIGHT, FIRST_WEIGHT)
    if not you_first and scenario.counter_anchor:
        w_you = w_them = 0.5
    if not you_first:
        w_them *= 1 - 0.3 * scenario.research
    total = w_you + w_them
    w_you, w_them = w_you / total, w_them / total

    # Where your offer really sits against the market (assumption 3): only when you name the price first
    # does your belief about the market matter, because then there is no offer of theirs to learn from.
    error = (u[:, 1] - 0.5) * 0.5 * width * (1 - scenario.research) if you_first else 0.0
    effective = offers - error  # a belief that is too high makes your offer lower than you think
    anchor = w_you * effective + w_them * scenario.their_offer
    middle = (reservation + limit) / 2
    settlement = middle + ANCHOR_STRENGTH * (anchor - middle)
    gap_to_fair = np.maximum(0.0, product.fair_price - settlement)
    settlement = settlement + 0.3 * scenario.relationship * gap_to_fair  # assumption 6
    settlement = np.clip(settlement, reservation, limit)

    # Walking away (assumption 4): only your offer's extremity matters, the artisans being the low-power side.
    extreme_low = np.maximum(0.0, product.market_low * (1 - EXTREME_MARGIN) - effective) / width
    walk_away = np.minimum(0.9, 0.03 + 1.5 * extreme_low)
    zone_exists = reservation <= limit
    deal = (u[:, 2] >= walk_away) & zone_exists
    return settlement, deal, extreme_low


def outcome(product: Product, scenario: Scenario, u: np.ndarray | None = None) -> Outcome:
    settlement, deal, extreme_low = simulate(product, scenario, u)
    settlement, deal, extreme_low = settlement[0], deal[0], extreme_low[0]
    closed = settlement[deal]
    expected = float(closed.mean()) if closed.size else float("nan")
    trust = 70 - 60 * np.minimum(1.0, extreme_low) + 20 * scenario.relationship
    trust = trust - 20 * (settlement < product.fair_price)
    trust_score = float(np.clip(trust, 0, 100).mean())
    probability = float(deal.mean())
    fair = bool(closed.size) and expected >= product.fair_price
    return Outcome(
        deal_probability=probability,
        settlement=expected,
        low=float(np.percentile(closed, 10)) if closed.size else float("nan"),
        high=float(np.percentile(closed, 90)) if closed.size else float("nan"),
        margin=(expected - product.cost) / product.cost if closed.size else float("nan"),
        trust=trust_score,
        fair=fair,
        success=probability >= 0.8 and trust_score >= 60 and fair,
    )


def curve(product: Product, scenario: Scenario, offers: np.ndarray, u: np.ndarray | None = None):
    """Expected settlement (deals only) and its 10th-90th percentile band for a grid of your first offers."""
    settlement, deal, _ = simulate(product, scenario, u, your_offers=offers)
    masked = np.where(deal, settlement, np.nan)
    with np.errstate(all="ignore"):
        mean = np.nanmean(masked, axis=1)
        low = np.nanpercentile(masked, 10, axis=1)
        high = np.nanpercentile(masked, 90, axis=1)
    return mean, low, high, deal.mean(axis=1)


def verdict(product: Product, result: Outcome) -> str:
    if result.deal_probability < 0.8:
        return (f"Risky: the artisans may walk away ({1 - result.deal_probability:.0%} chance). "
                "An extreme first offer can end the talk and the relationship.")
    if not result.fair:
        return (f"A deal, but below the fair price of ${product.fair_price:.2f}. The lowest price is not success: "
                "it costs you trust and, in the end, good artisans.")
    if result.trust < 60:
        return "A fair price, but trust is low. Be warm with the people while you are tough on the terms."
    return "Success: the deal closes, trust holds, and the price is at or above the fair-price line."


def summary(product: Product, scenario: Scenario, result: Outcome) -> str:
    """One sentence for the journal: who named the price, both offers, and what came of it."""
    who = "You named the first price" if scenario.first_mover == "you" else "The artisans named the first price"
    price = f"${result.settlement:,.2f}" if np.isfinite(result.settlement) else "no deal"
    return (f"{product.name}: {who} (your offer ${scenario.your_offer:g}, theirs ${scenario.their_offer:g}). "
            f"Expected price {price}, chance of a deal {result.deal_probability:.0%}, trust {result.trust:.0f} of 100.")
