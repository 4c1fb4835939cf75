"""Anchoring: how first offers pull a price negotiation. A teaching model, not a forecast.

You are the buyer; an artisan group sells. Every price here is per piece, in USD, and made up
(data/products.csv). The numbers, and what each one means:

- the artisans' cost: materials and time at a basic wage;
- the artisans' usual price: what they are usually paid for a piece like this. "Extreme" is measured against it;
- the fair-price line: a price that covers the cost and a fair margin;
- your limit: the most you can pay and still resell at a profit. It is below your resale price, because
  transport, the shop and unsold stock cost you money too;
- your resale price range: what your customers pay you. It only sets the chart's scale.

What research found (the direction of each effect, not its size):

A. First offers pull the counter-offers and the final price toward them (anchoring and adjustment:
   Tversky & Kahneman 1974; first offers in negotiation: Galinsky & Mussweiler 2001).
B. Focusing on your own counter-anchor cancels the pull of the other side's anchor (Schaerer, Swaab &
   Galinsky 2015).
C. Extreme first offers can offend and cause an impasse; the low-power side was the one who walked away
   (Schweinsberg, Ku, Wang & Pillutla 2012). Artisans are often the low-power side.

What this model assumes (the course's own choices, made to show those effects; not research numbers):

1. The first offer weighs 0.6 and the reply 0.4; together the two offers move the price 60% of the way from
   the middle of the zone of possible agreement toward them. With a counter-anchor both weigh the same.
2. Research: full market research makes an anchor set by the artisans pull 30% less. When you name the price
   first, what you believe the artisans' usual price is matters: with no research that belief is off by up to
   a quarter, either way, so naming first is a gamble.
3. An offer more than 15% below the artisans' usual price is extreme: each further 10% below adds 15 points
   to the chance that they walk away (3% at any offer, 90% at most), and costs trust.
4. The artisans' lowest acceptable price is unknown to you: each draw picks one between just above their
   cost and their usual price. The same draws are reused for every setting (common random numbers), so the
   numbers move smoothly as you move a control.
5. The more weight you put on the long-term relationship, the more of the gap up to the fair-price line you
   choose to close (three quarters of it at 50%, all of it from 67%), as far as your limit allows. That
   weight also builds trust.
6. Fair is a band, not a line: a price within 3% of the fair-price line counts as fair (18 USD: from 17.46).
   A real talk ends on round numbers, and the fair line is itself an estimate, so 17.87 against 18 is a fair
   deal, not a failure.

Success is a deal that closes, keeps trust, and pays within the fair band or above it (WFTO: a fair price agreed
through dialogue). The lowest price is not success, and a tactic that lowers the price can take you below fair.
"""
from __future__ import annotations

from ..i18n import _
from ..text import CourseInputError

import warnings
from dataclasses import dataclass

import numpy as np

FIRST_WEIGHT = 0.6
ANCHOR_STRENGTH = 0.6  # how far the anchors move the price from the middle of the zone
RELATIONSHIP_CLOSES = 1.5  # share of the gap to the fair price closed per unit of relationship weight (at most all)
RESEARCH_DAMPING = 0.3  # full research makes the artisans' anchor pull this much less
BELIEF_ERROR = 0.25  # with no research, your belief about their usual price is off by up to this share
EXTREME_MARGIN = 0.15  # offers more than this share below the artisans' usual price are extreme
WALK_BASE, WALK_SLOPE, WALK_MAX = 0.03, 1.5, 0.9
DRAWS = 4000
# The artisans' lowest acceptable price is drawn between this multiple of their cost and their usual price.
RESERVATION_OVER_COST = 1.05
# Trust, 0-100: a base, plus the relationship weight, minus an extreme offer and a price below the fair line.
TRUST_BASE, TRUST_RELATIONSHIP, TRUST_EXTREME, TRUST_BELOW_FAIR = 50, 30, 150, 15
SUCCESS_DEAL, SUCCESS_TRUST = 0.8, 60
FAIR_BAND = 0.03  # assumption 6: within 3% of the fair-price line counts as fair
# The offers a trainee can try, and the chart's axis, as multiples of the product's prices.
OFFER_SLIDER_TOP = 1.4   # times the top of the resale range
OFFER_AXIS = (0.5, 1.5)  # from 0.5 x cost to 1.5 x the higher of your limit and their usual price

VERDICTS = ("no-zone", "risky", "below-fair", "low-trust", "success")


class AnchoringInputError(CourseInputError):
    """Input the simulator cannot use. The message is for the trainee."""


@dataclass(frozen=True)
class Product:
    name: str
    unit: str
    cost: float
    market_low: float  # your resale price range: what your customers pay you
    market_high: float
    fair_price: float
    usual_price: float  # what the artisans are usually paid
    buyer_limit: float  # the most you can pay and still resell at a profit

    def check(self) -> None:
        if min(self.cost, self.market_low, self.market_high, self.fair_price, self.usual_price, self.buyer_limit) <= 0:
            raise AnchoringInputError(f"{self.name}: prices must be above zero.")
        if self.market_low > self.market_high:
            raise AnchoringInputError(f"{self.name}: the low end of your resale range is above the high end.")
        if self.usual_price < self.cost:
            raise AnchoringInputError(f"{self.name}: the artisans' usual price is below their cost.")


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
    zone_share: float = 1.0  # share of draws where your limit reaches the artisans' lowest price


def draws(seed: int = 2024, n: int = DRAWS) -> np.ndarray:
    """Common random numbers: one row per draw, columns for reservation, belief error and walk-away."""
    return np.random.default_rng(seed).random((n, 3))


def _check(product: Product, scenario: Scenario) -> None:
    product.check()
    if scenario.first_mover not in ("you", "artisans"):
        raise AnchoringInputError("Choose who makes the first offer: you or the artisans.")
    for label, value in (("Your first offer", scenario.your_offer),
                         ("The artisans' first offer", scenario.their_offer)):
        if not np.isfinite(value) or value <= 0:
            raise AnchoringInputError(f"{label} must be above zero.")
    if not 0 <= scenario.research <= 1 or not 0 <= scenario.relationship <= 1:
        raise AnchoringInputError("Research and relationship are set from 0 to 1.")


def reservation_range(product: Product) -> tuple[float, float]:
    """The range the artisans' lowest acceptable price is drawn from (assumption 4)."""
    low = product.cost * RESERVATION_OVER_COST
    return low, max(low, product.usual_price)


def buyer_limit(product: Product) -> float:
    """The most the buyer will pay: below the resale price, since reselling has costs of its own."""
    return product.buyer_limit


def extreme_below(product: Product) -> float:
    """Offers below this are extreme: more than 15% below the artisans' usual price (assumption 3)."""
    return product.usual_price * (1 - EXTREME_MARGIN)


def fair_floor(product: Product) -> float:
    """The lowest price that still counts as fair: the bottom of the fair band (assumption 6)."""
    return product.fair_price * (1 - FAIR_BAND)


def fair_band(product: Product) -> tuple[float, float]:
    """The band around the fair-price line that the chart shades: within 3% either side."""
    return fair_floor(product), product.fair_price * (1 + FAIR_BAND)


def agreement_zone(product: Product) -> tuple[float, float]:
    """The zone the chart shades: from the artisans' typical lowest price to the buyer's limit."""
    low, high = reservation_range(product)
    return (low + high) / 2, buyer_limit(product)


def offer_slider_top(product: Product) -> float:
    return round(max(product.market_high, product.buyer_limit, product.usual_price) * OFFER_SLIDER_TOP, 0)


def offer_grid(product: Product, n: int) -> np.ndarray:
    """The first offers the chart draws the curve for."""
    top = max(product.buyer_limit, product.usual_price, product.fair_price) * OFFER_AXIS[1]
    return np.linspace(max(0.5, product.cost * OFFER_AXIS[0]), top, n)


def simulate(product: Product, scenario: Scenario, u: np.ndarray | None = None, your_offers: np.ndarray | None = None):
    """Per-draw settlement, deal flags, extremity and zone flags. ``your_offers`` (a grid) gives one row per offer."""
    _check(product, scenario)
    u = draws() if u is None else u
    low, high = reservation_range(product)
    reservation = low + u[:, 0] * (high - low)
    limit = buyer_limit(product)
    offers = np.atleast_1d(np.asarray(scenario.your_offer if your_offers is None else your_offers,
                                      dtype=float))[:, None]

    # Weights of the two anchors (assumptions 1 and 2).
    you_first = scenario.first_mover == "you"
    w_you, w_them = (FIRST_WEIGHT, 1 - FIRST_WEIGHT) if you_first else (1 - FIRST_WEIGHT, FIRST_WEIGHT)
    if not you_first and scenario.counter_anchor:
        w_you = w_them = 0.5
    if not you_first:
        w_them *= 1 - RESEARCH_DAMPING * scenario.research
    total = w_you + w_them
    w_you, w_them = w_you / total, w_them / total

    # Where your offer really sits against their usual price (assumption 2): only when you name the price first
    # does your belief matter, because then there is no offer of theirs to learn from.
    error = ((u[:, 1] - 0.5) * 2 * BELIEF_ERROR * product.usual_price * (1 - scenario.research)) if you_first else 0.0
    effective = offers - error  # a belief that is too high makes your offer lower than you think
    anchor = w_you * effective + w_them * scenario.their_offer
    zone_exists = reservation <= limit
    middle = (reservation + limit) / 2
    settlement = middle + ANCHOR_STRENGTH * (anchor - middle)
    settlement = np.clip(settlement, reservation, np.maximum(reservation, limit))
    # Assumption 5: close part of the gap up to the fair price, never above your limit nor below their lowest price.
    gap_to_fair = np.maximum(0.0, product.fair_price - settlement)
    closes = min(1.0, RELATIONSHIP_CLOSES * scenario.relationship)
    settlement = np.minimum(settlement + closes * gap_to_fair, np.maximum(settlement, limit))

    # Walking away (assumption 3): only your offer's extremity matters, the artisans being the low-power side.
    extreme_low = np.maximum(0.0, extreme_below(product) - effective) / product.usual_price
    walk_away = np.minimum(WALK_MAX, WALK_BASE + WALK_SLOPE * extreme_low)
    deal = (u[:, 2] >= walk_away) & zone_exists
    return settlement, deal, extreme_low, zone_exists


def outcome(product: Product, scenario: Scenario, u: np.ndarray | None = None) -> Outcome:
    settlement, deal, extreme_low, zone_exists = simulate(product, scenario, u)
    settlement, deal, extreme_low = settlement[0], deal[0], extreme_low[0]
    closed = settlement[deal]
    expected = float(closed.mean()) if closed.size else float("nan")
    trust = (TRUST_BASE + TRUST_RELATIONSHIP * scenario.relationship - TRUST_EXTREME * np.minimum(1.0, extreme_low)
             - TRUST_BELOW_FAIR * (settlement < fair_floor(product) - 1e-9))
    trust_score = float(np.clip(trust, 0, 100).mean())
    probability = float(deal.mean())
    fair = bool(closed.size) and expected >= fair_floor(product) - 0.005
    return Outcome(
        deal_probability=probability,
        settlement=expected,
        low=float(np.percentile(closed, 10)) if closed.size else float("nan"),
        high=float(np.percentile(closed, 90)) if closed.size else float("nan"),
        margin=(expected - product.cost) / product.cost if closed.size else float("nan"),
        trust=trust_score,
        fair=fair,
        success=probability >= SUCCESS_DEAL and trust_score >= SUCCESS_TRUST and fair,
        zone_share=float(zone_exists.mean()),
    )


def curve(product: Product, scenario: Scenario, offers: np.ndarray, u: np.ndarray | None = None):
    """Expected settlement (deals only) and its 10th-90th percentile band for a grid of your first offers."""
    settlement, deal, _, _ = simulate(product, scenario, u, your_offers=offers)
    masked = np.where(deal, settlement, np.nan)
    # An offer with no deal in any draw (no zone of agreement) has no price: NaN, drawn as a gap, not a warning.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(masked, axis=1)
        low = np.nanpercentile(masked, 10, axis=1)
        high = np.nanpercentile(masked, 90, axis=1)
    return mean, low, high, deal.mean(axis=1)


def verdict_key(result: Outcome) -> str:
    """Which of VERDICTS the result earns, checked in this order."""
    if result.deal_probability < SUCCESS_DEAL:
        return "no-zone" if result.zone_share < SUCCESS_DEAL else "risky"
    if not result.fair:
        return "below-fair"
    if result.trust < SUCCESS_TRUST:
        return "low-trust"
    return "success"


def verdict(product: Product, result: Outcome, price=None) -> str:
    """The verdict in one or two sentences. ``price`` writes an amount (default: $12.50)."""
    price = price or (lambda v: f"${v:,.2f}")
    key = verdict_key(result)
    if key == "no-zone":
        return _("No room for a deal: your limit of {limit} is below the lowest price most of the artisans can accept. "
                 "Raise your limit, or change the order, before you negotiate.").format(
                     limit=price(product.buyer_limit))
    if key == "risky":
        return _("Risky: the artisans may walk away ({chance} chance). An extreme first offer can end the talk and "
                 "the relationship.").format(chance=f"{1 - result.deal_probability:.0%}")
    if key == "below-fair":
        return _("A deal, but below the fair price of {fair} (fair starts at {floor}). The lowest price is not "
                 "success: it costs you trust and, in the end, good artisans.").format(
                     fair=price(product.fair_price), floor=price(fair_floor(product)))
    if key == "low-trust":
        return _("A fair price, but trust is low. Be warm with the people while you are tough on the terms.")
    return _("Success: the deal closes, trust holds, and the price is fair: in the fair band or above it.")


def summary(product: Product, scenario: Scenario, result: Outcome) -> str:
    """One sentence for the journal: who named the price, both offers, and what came of it."""
    who = "You named the first price" if scenario.first_mover == "you" else "The artisans named the first price"
    price = f"${result.settlement:,.2f}" if np.isfinite(result.settlement) else "no deal"
    return (f"{product.name}: {who} (your offer ${scenario.your_offer:g}, theirs ${scenario.their_offer:g}). "
            f"Expected price {price}, chance of a deal {result.deal_probability:.0%}, trust {result.trust:.0f} of 100.")
