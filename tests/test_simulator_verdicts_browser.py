"""Every verdict of the simulators, on slides, offline: one deck with one preset per verdict, each one looked at.

The models' tests show that each verdict can happen; this shows that a trainee sees it on the slide, readable, and
keeps a picture of each for review (artifacts/screenshots/verdicts/).
"""
import json

import pytest

from conftest import code_deck, screenshot_dir
from decks import STDERR_OUTPUTS, assert_readable_slide, deck_url, open_deck, wait_settled

SETUP = """from datetime import date, timedelta
from artisan_course import (show_agreement_builder, show_anchoring_simulator, show_contingency_simulator,
                            show_fairness_simulator, show_milestone_planner)
from artisan_course.models.milestones import PlanInput, plan
today = date.today()
start = today + timedelta(days=7)
finish = plan(PlanInput(start=start, deadline=today + timedelta(days=120)), today=today).finish"""

# (name, the call that shows it, the element that holds the verdict, words the trainee must read there)
VERDICTS = [
    ("anchoring-success", "show_anchoring_simulator(your_offer=15, their_offer=20, research=0.8, relationship=0.7)",
     ".course-verdict.verdict-success", "Success: the deal closes"),
    ("anchoring-below-fair", "show_anchoring_simulator(your_offer=14, their_offer=16, research=1.0, relationship=0.0)",
     ".course-verdict.verdict-below-fair", "A deal, but below the fair price of $18.00"),
    ("anchoring-low-trust", "show_anchoring_simulator(first_mover='artisans', your_offer=12, their_offer=30, "
     "research=0.5, relationship=0.3)", ".course-verdict.verdict-low-trust", "A fair price, but trust is low"),
    ("anchoring-risky", "show_anchoring_simulator(your_offer=8, their_offer=20, research=0.8)",
     ".course-verdict.verdict-risky", "Risky: the artisans may walk away"),
    ("anchoring-no-zone", "show_anchoring_simulator(your_offer=10, their_offer=15, research=0.8, limit=11)",
     ".course-verdict.verdict-no-zone", "No room for a deal: your limit of $11.00"),
    ("contingency-on-time", "show_contingency_simulator()", ".course-advice", "raises the chance of delivery on time"),
    ("contingency-bonus-out-of-reach", "show_contingency_simulator(bonus_date=today + timedelta(days=14))",
     ".course-advice", "almost never earned"),
    ("contingency-harsh-deduction", "show_contingency_simulator(deduction_date=today + timedelta(days=30))",
     ".course-advice", "puts the risk on the artisans"),
    ("milestones-on-time", "show_milestone_planner(start=start, deadline=finish + timedelta(days=10))",
     ".course-ms-verdict", "On time"),
    ("milestones-tight", "show_milestone_planner(start=start, deadline=finish + timedelta(days=3))",
     ".course-ms-verdict", "Tight"),
    ("milestones-late", "show_milestone_planner(start=start, deadline=finish - timedelta(days=3))",
     ".course-ms-verdict", "Too late"),
    ("fairness-equality", "show_fairness_simulator(rule='equality')", ".sim-smallest", "$200.00"),
    ("fairness-needs", "show_fairness_simulator(rule='needs')", ".sim-smallest", "$62.50"),
    ("agreement-low-advance", "show_agreement_builder(product='Silk scarf', price='12.50', quantity='120', "
     "advance='20', delivery=today + timedelta(days=60))", ".agreement-numbers", "Fair trade practice (WFTO)"),
    ("agreement-fair-advance", "show_agreement_builder(product='Silk scarf', price='12.50', quantity='120', "
     "advance='50', delivery=today + timedelta(days=60))", ".agreement-numbers", "750 USD"),
]


@pytest.fixture(scope="module")
def verdict_deck(slide_server):
    cells = [{"cell_type": "code", "metadata": {"slideshow": {"slide_type": "skip"}}, "execution_count": None,
              "outputs": [], "source": SETUP}]
    for _, call, _, _ in VERDICTS:
        cells += code_deck(call + ";")["cells"]
    deck = {**code_deck(""), "cells": cells}
    (slide_server.root / "notebooks" / "zz-fixture-verdicts.ipynb").write_text(json.dumps(deck))
    return "zz-fixture-verdicts.ipynb"


def test_every_simulator_verdict_shows_on_its_slide(slide_server, verdict_deck, offline, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, verdict_deck, learner))
    folder = screenshot_dir("verdicts")
    for index, (name, _, selector, words) in enumerate(VERDICTS):
        page.evaluate("h => Reveal.slide(h)", index)
        slide = page.locator(".reveal .slides > section.present")
        verdict = slide.locator(selector).first
        verdict.wait_for(timeout=60_000)
        assert words in verdict.inner_text(), name
        wait_settled(page)
        verdict.scroll_into_view_if_needed()
        page.screenshot(path=folder / f"{name}.png")
        errors = page.evaluate(STDERR_OUTPUTS)
        assert errors == [], (name, errors)
        assert_readable_slide(page)
    assert view.external_requests() == [] and view.console_errors == []
