"""Properties of the anchoring model (hypothesis), with common random numbers so nothing can flake."""
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from artisan_course.content.tables import load_products
from artisan_course.models.anchoring import (VERDICTS, AnchoringInputError, Product, Scenario, curve, draws,
                                             extreme_below, outcome, simulate, verdict, verdict_key)

# cost 12, resale 22-38, fair price 18, the artisans' usual price 15, your limit 20
SCARF = Product("Woven silk scarf", "scarf", 12, 22, 38, 18, 15, 20)
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
        floor, ceiling = SCARF.cost * 1.05 - 1e-9, SCARF.buyer_limit + 1e-9
        assert floor <= result.low <= result.high <= ceiling
        assert floor <= result.settlement <= ceiling


def test_counter_anchoring_weakens_the_artisans_pull():
    base = Scenario("artisans", 13, 25, research=0.5, counter_anchor=False, relationship=0.5)
    countered = Scenario("artisans", 13, 25, research=0.5, counter_anchor=True, relationship=0.5)
    assert outcome(SCARF, countered, U).settlement < outcome(SCARF, base, U).settlement


def test_an_extreme_low_first_offer_risks_the_deal_and_trust():
    fair = outcome(SCARF, Scenario("you", 15, 20, research=0.8), U)
    extreme = outcome(SCARF, Scenario("you", 8, 40, research=0.8), U)
    assert extreme.deal_probability < fair.deal_probability - 0.3
    assert extreme.trust < fair.trust
    assert verdict(SCARF, extreme).startswith("Risky")


def test_naming_first_is_a_gamble_without_research():
    known = outcome(SCARF, Scenario("you", 13.5, 16, research=1.0, relationship=0), U)
    unknown = outcome(SCARF, Scenario("you", 13.5, 16, research=0.0, relationship=0), U)
    assert unknown.deal_probability < known.deal_probability
    assert (unknown.high - unknown.low) > (known.high - known.low)


def test_the_lowest_price_is_not_success():
    cheap = outcome(SCARF, Scenario("you", 14, 16, research=1.0, relationship=0.0), U)
    assert cheap.deal_probability > 0.9 and not cheap.fair and not cheap.success
    assert "The lowest price is not success" in verdict(SCARF, cheap)


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
    with pytest.raises(AnchoringInputError, match="low end of your resale range is above the high end"):
        outcome(Product("X", "x", 4, 20, 10, 6, 5, 8), Scenario("you", 12, 15), U)


def test_the_curve_rises_with_your_offer_inside_the_market():
    offers = np.linspace(13, 20, 9)
    mean, low, high, deal = curve(SCARF, Scenario("you", 20, 40, research=1.0), offers, U)
    assert np.all(np.diff(mean) >= -1e-9)
    assert np.all(low <= mean) and np.all(mean <= high)


# -- every verdict can happen, for settings a trainee would try ------------------------------------------------
# (product changes, scenario, the verdict, what the trainee learns)
REACHABLE = [
    ({}, Scenario("you", 15, 20, research=0.8, relationship=0.7), "success",
     "open at their usual price, know the market, value the relationship"),
    ({}, Scenario("you", 14, 16, research=1.0, relationship=0.0), "below-fair",
     "a tough buyer who ignores the relationship gets a deal below the fair line"),
    ({}, Scenario("artisans", 12, 30, research=0.5, relationship=0.3), "low-trust",
     "a lowball reply to a high opening still ends near fair, but trust suffers"),
    ({}, Scenario("you", 8, 20, research=0.8, relationship=0.5), "risky",
     "an extreme first offer: the artisans may walk away"),
    ({"buyer_limit": 11}, Scenario("you", 10, 15, research=0.8, relationship=0.5), "no-zone",
     "a limit below what the artisans can accept leaves nothing to negotiate"),
]


@pytest.mark.parametrize("change, scenario, key, lesson", REACHABLE, ids=[r[2] for r in REACHABLE])
def test_each_verdict_is_reached_for_sensible_settings(change, scenario, key, lesson):
    product = Product(**{**SCARF.__dict__, **change})
    result = outcome(product, scenario, U)
    assert verdict_key(result) == key, lesson
    assert verdict(product, result)  # a sentence for every verdict


def test_the_list_of_verdicts_is_covered():
    assert sorted(r[2] for r in REACHABLE) == sorted(VERDICTS)


@pytest.mark.parametrize("name", list(load_products()))
def test_every_course_product_reaches_every_negotiated_verdict(name):
    """The course's own products: each verdict except "no room" (which needs a changed limit) is reachable."""
    p = load_products()[name]
    settings = {
        "success": Scenario("you", p.usual_price, p.buyer_limit, research=0.8, relationship=0.7),
        "below-fair": Scenario("you", p.usual_price * 0.95, p.usual_price * 1.05, research=1.0, relationship=0.0),
        "low-trust": Scenario("artisans", p.usual_price * 0.8, p.market_high, research=0.5, relationship=0.3),
        "risky": Scenario("you", p.usual_price * 0.5, p.buyer_limit, research=0.8, relationship=0.5),
    }
    assert {key: verdict_key(outcome(p, s, U)) for key, s in settings.items()} == {k: k for k in settings}


def test_the_relationship_slider_moves_the_price_toward_the_fair_line():
    prices = [outcome(SCARF, Scenario("you", 15, 20, research=0.8, relationship=w), U).settlement
              for w in (0, 0.2, 0.4, 0.6, 1)]
    assert all(later > earlier + 0.1 for earlier, later in zip(prices[:4], prices[1:4]))
    assert prices[0] < SCARF.fair_price - 0.5 and abs(prices[-1] - SCARF.fair_price) < 0.01


def test_the_buyer_limit_is_below_resale_and_caps_the_price():
    for p in load_products().values():
        assert p.fair_price <= p.buyer_limit < p.market_low
    settlement, deal, _, _ = simulate(SCARF, Scenario("artisans", 12, 60, relationship=1.0), U)
    assert settlement.max() <= SCARF.buyer_limit + 1e-9


def test_extreme_is_measured_against_the_artisans_usual_price():
    for p in load_products().values():
        for offer in (p.usual_price, p.fair_price, extreme_below(p) + 0.01):
            _, _, extreme, _ = simulate(p, Scenario("you", offer, p.buyer_limit, research=1.0), U)
            assert extreme.max() == 0, f"{p.name}: {offer} should not count as extreme"
        _, _, extreme, _ = simulate(p, Scenario("you", p.usual_price * 0.7, p.buyer_limit, research=1.0), U)
        assert extreme.min() > 0


def test_no_zone_of_agreement_gives_no_price_and_no_warning():
    import warnings
    product = Product(**{**SCARF.__dict__, "buyer_limit": 11})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mean, low, high, deal = curve(product, Scenario("you", 10, 15), np.linspace(5, 20, 5), U)
    assert np.isnan(mean).all() and (deal == 0).all()


# -- the fair band, and the slide that compares the deck's two approaches ------------------------------------------
def test_a_price_a_few_cents_under_the_fair_line_is_fair_and_one_well_under_it_is_not():
    near = outcome(SCARF, Scenario("you", 15, 22, research=0.5, relationship=0.5))  # 17.87 against 18
    assert SCARF.fair_price - 0.2 < near.settlement < SCARF.fair_price
    assert near.fair and verdict_key(near) == "success"
    cheap = outcome(SCARF, Scenario("you", 14, 22, research=0.5, relationship=0.0))  # about 17.1
    assert not cheap.fair and verdict_key(cheap) == "below-fair"
    assert "fair starts at $17.46" in verdict(SCARF, cheap)


def _compare_slide_preset() -> dict:
    """The keyword arguments of show_anchoring_simulator(...) on the deck's 'Compare the two approaches' slide."""
    import ast
    import nbformat
    from artisan_course import paths
    cells = nbformat.read(paths.notebooks_dir() / "03-anchoring.ipynb", as_version=4).cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown" and cell.source.startswith("## Compare the two approaches"):
            call = next(c for c in cells[i + 1:] if c.cell_type == "code")
            node = ast.parse(call.source).body[0].value
            return {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords}
    raise AssertionError("03-anchoring.ipynb has no 'Compare the two approaches' slide")


def test_on_the_compare_slide_counter_anchoring_costs_less_and_both_approaches_stay_fair():
    """The deck's approach 1 must not read as "counter-anchoring is bad": ticked, it is success at a lower price."""
    preset = _compare_slide_preset()
    assert preset["first_mover"] == "artisans" and preset["counter_anchor"] is True
    product = load_products()["Woven silk scarf"]
    shown = Scenario("artisans", preset.get("your_offer", product.usual_price),
                     preset.get("their_offer", product.market_low), preset["research"], True)
    unticked = Scenario(**{**shown.__dict__, "counter_anchor": False})
    countered, plain = outcome(product, shown), outcome(product, unticked)
    assert verdict_key(countered) == "success" and verdict_key(plain) == "success"
    assert countered.settlement < plain.settlement - 0.2
    # ... and the note's warning holds: pushed lower, with no weight on the relationship, the tactic goes below fair
    lower = outcome(product, Scenario(**{**shown.__dict__, "your_offer": 14, "relationship": 0.0}))
    assert verdict_key(lower) == "below-fair"
