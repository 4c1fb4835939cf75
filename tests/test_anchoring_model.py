"""Properties of the anchoring model (hypothesis), with common random numbers so nothing can flake."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from artisan_course.models.anchoring import (AnchoringInputError, Product, Scenario, curve, draws, outcome,
                                             verdict)

SCARF = Product("Woven silk scarf", "scarf", 12, 22, 38, 18)
U = draws(seed=7, n=1500)

scenarios = st.builds(
    Scenario,
    first_mover=st.sampled_from(["you", "artisans"]),
    your_offer=st.floats(5, 50),
    their_offer=st.floats(5, 60),
    research=st.floats(0, 1),
    counter_anchor=st.booleans(),
    relationship=st.floats(0, 1),
)


@settings(max_examples=120, deadline=None)
@given(scenarios, st.floats(5, 60), st.floats(0.01, 20))
def test_a_higher_artisan_first_offer_never_lowers_the_settlement(scenario, their_offer, step):
    lower = outcome(SCARF, Scenario(**{**scenario.__dict__, "their_offer": their_offer}), U)
    higher = outcome(SCARF, Scenario(**{**scenario.__dict__, "their_offer": their_offer + step}), U)
    assume(not math.isnan(lower.settlement))
    assert higher.settlement >= lower.settlement - 1e-9
    assert higher.deal_probability == lower.deal_probability  # walking away depends on your offer only


@settings(max_examples=80, deadline=None)
@given(scenarios)
def test_outcomes_stay_inside_the_zone_and_the_scales(scenario):
    result = outcome(SCARF, scenario, U)
    assert 0 <= result.deal_probability <= 1 and 0 <= result.trust <= 100
    if not math.isnan(result.settlement):
        floor, ceiling = SCARF.cost * 1.05 - 1e-9, SCARF.market_high + 1e-9
        assert floor <= result.low <= result.high <= ceiling
        assert floor <= result.settlement <= ceiling


def test_counter_anchoring_weakens_the_artisans_pull():
    base = Scenario("artisans", 20, 45, research=0.5, counter_anchor=False, relationship=0.5)
    countered = Scenario("artisans", 20, 45, research=0.5, counter_anchor=True, relationship=0.5)
    assert outcome(SCARF, countered, U).settlement < outcome(SCARF, base, U).settlement


def test_an_extreme_low_first_offer_risks_the_deal_and_trust():
    fair = outcome(SCARF, Scenario("you", 22, 40, research=0.8), U)
    extreme = outcome(SCARF, Scenario("you", 8, 40, research=0.8), U)
    assert extreme.deal_probability < fair.deal_probability - 0.3
    assert extreme.trust < fair.trust
    assert verdict(SCARF, extreme).startswith("Risky")


def test_naming_first_is_a_gamble_without_research():
    known = outcome(SCARF, Scenario("you", 19, 40, research=1.0), U)
    unknown = outcome(SCARF, Scenario("you", 19, 40, research=0.0), U)
    assert unknown.deal_probability < known.deal_probability
    assert (unknown.high - unknown.low) > (known.high - known.low)


def test_the_lowest_price_is_not_success():
    product = Product("Basket", "basket", 4, 5, 14, 9)  # a market that barely covers the fair price
    cheap = outcome(product, Scenario("you", 5, 6, research=1.0, relationship=0.0), U)
    assert not cheap.fair and not cheap.success
    assert "The lowest price is not success" in verdict(product, cheap)


def test_results_are_stable_for_the_same_draws():
    scenario = Scenario("artisans", 20, 40, research=0.3, counter_anchor=True)
    assert outcome(SCARF, scenario, U) == outcome(SCARF, scenario, U)


@pytest.mark.parametrize("scenario, message", [
    (Scenario("you", 0, 40), "Your first offer must be above zero"),
    (Scenario("you", 20, -1), "The artisans' first offer must be above zero"),
    (Scenario("nobody", 20, 40), "Choose who makes the first offer"),
])
def test_bad_input_gets_a_plain_message(scenario, message):
    with pytest.raises(AnchoringInputError, match=message):
        outcome(SCARF, scenario, U)


def test_a_market_minimum_above_the_maximum_is_refused():
    with pytest.raises(AnchoringInputError, match="market minimum is above the maximum"):
        outcome(Product("X", "x", 4, 20, 10, 6), Scenario("you", 12, 15), U)


def test_the_curve_rises_with_your_offer_inside_the_market():
    offers = np.linspace(22, 38, 9)
    mean, low, high, deal = curve(SCARF, Scenario("you", 20, 40, research=1.0), offers, U)
    assert np.all(np.diff(mean) >= -1e-9)
    assert np.all(low <= mean) and np.all(mean <= high)
