"""How fast the simulators respond: model alone, the whole kernel-side update, and in Chromium.

Run:  .venv/bin/python benchmarks/simulators.py

- model update: the pure model call(s) one control change causes;
- kernel-side update: from a control's new value to the new chart image (model, table text, figure);
- browser: in the Voilà slides, from a key press on a slider to the new chart on screen.
Budgets from the simulator issue: model at most 20 ms and kernel-side at most 150 ms at the 95th percentile.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))

from artisan_course.models.anchoring import Scenario  # noqa: E402
from artisan_course.models.fairness_rules import share_profit  # noqa: E402
from artisan_course.widgets.anchoring import AnchoringSimulator  # noqa: E402
from artisan_course.widgets.fairness import FairnessSimulator  # noqa: E402

RUNS = 60


def p95(values):
    return sorted(values)[int(round(0.95 * (len(values) - 1)))]


def timed(action, runs=RUNS):
    times = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def kernel_side():
    anchoring = AnchoringSimulator()
    product, scenario = anchoring.read()
    rows = {}
    rows["anchoring: model"] = timed(lambda i: anchoring.compute(product,
                                                                 Scenario(**{**scenario.__dict__, "your_offer": 15
                                                                             + i % 20})))
    rows["anchoring: kernel-side update"] = timed(lambda i: setattr(anchoring.yours, "value", 15 + i % 20))
    fairness = FairnessSimulator()
    members, weights = fairness.members(), fairness.weights()
    rows["fairness: model"] = timed(lambda i: share_profit(members, 1000 + i, weights))
    rows["fairness: kernel-side update"] = timed(lambda i: setattr(fairness.total, "value", str(1000 + i)))
    from artisan_course.models.contingency import Delivery, outcome as contingency_outcome
    from artisan_course.widgets.contingency import ContingencySimulator
    contingency = ContingencySimulator()
    terms, delivery = contingency.read()
    # 10,000 draws
    rows["contingency: model"] = timed(lambda i: contingency_outcome(terms,
                                                                     Delivery(delivery.best, 25 + i % 10,
                                                                              delivery.worst, delivery.effort)))
    rows["contingency: kernel-side update"] = timed(lambda i: setattr(contingency.likely, "value", 25 + i % 10))
    from artisan_course.widgets.negotiation import NegotiationSimulator
    negotiation = NegotiationSimulator()
    game, values = negotiation.game, dict(negotiation.last_valid_values)
    # read + answer
    rows["negotiation: model"] = timed(lambda i: game.respond(game.package({**values, "price": 8 + (i % 9) / 2})))
    rows["negotiation: kernel-side update"] = timed(lambda i: setattr(negotiation.controls["price"], "value",
                                                                      str(8 + (i % 9) / 2)))
    from dataclasses import replace as with_change
    from artisan_course.models.milestones import plan as milestone_plan
    from artisan_course.widgets.milestones import MilestonePlanner
    planner = MilestonePlanner()
    settings = planner.read()  # 2-9 artisans: late plans too, with the search for what would fix them
    rows["milestones: model"] = timed(lambda i: milestone_plan(with_change(settings, artisans=2 + i % 8)))
    rows["milestones: kernel-side update"] = timed(lambda i: setattr(planner.artisans, "value", str(2 + i % 8)))
    from artisan_course.widgets.communication import ChannelChooser, rank_channels
    from artisan_course.widgets.action_plan import ActionPlan
    chooser, messages = ChannelChooser(), ["new-order", "date-change", "quality", "payment", "conflict"]
    rows["channel chooser: model"] = timed(lambda i: rank_channels(chooser.data, {"message": messages[i % 5]}))
    rows["channel chooser: kernel-side update"] = timed(lambda i: setattr(chooser.controls["message"], "value",
                                                                          messages[i % 5]))
    plan = ActionPlan()  # each keystroke saves the plan to the learner store (temporary home when benchmarked)
    rows["action plan: kernel-side update"] = timed(lambda i: setattr(plan.fields[0]["action"], "value",
                                                                      f"Visit the group {i}"))
    import io as _io
    from PIL import Image as _Image
    from artisan_course.documents import agreement as agreement_doc, photos as photo_tools
    from artisan_course.models import agreement as ag
    def _photo(i):  # a 3000x2000 camera photo, made smaller as on upload
        out = _io.BytesIO()
        _Image.fromarray(np.random.default_rng(i).integers(0, 255, (2000, 3000, 3), dtype=np.uint8)).save(out, "JPEG")
        return photo_tools.prepare_photo(f"sample-{i}.jpg", out.getvalue())
    delivery = (date.today() + timedelta(days=60)).isoformat()  # the agreement refuses a date in the past
    form = {**ag.empty_fields(), "product": "Silk scarf", "price": "12.5", "quantity": "120", "delivery": delivery}
    made = ag.from_draft(form, [_photo(i) for i in range(3)])
    rows["agreement: render HTML"] = timed(lambda i: agreement_doc.render_html(made))  # 3 photos as data: URIs
    return rows


def browser(samples=7):
    from playwright.sync_api import sync_playwright
    from conftest import SlideServer, free_port, make_course_copy
    from decks import deck_url, open_deck, wait_kernel_idle
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        server = SlideServer(make_course_copy(Path(tmp) / "course"), Path(tmp) / "store", free_port())
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                for name, label in (("anchoring", "Your first offer ($ per piece)"), ("fairness", "Needs"),
                                    ("contingency", "Most likely (days)"),
                                    ("milestones", "Number of milestones (batches)")):
                    page = chromium.new_page(viewport={"width": 1280, "height": 720})
                    open_deck(page, deck_url(server, f"zz-fixture-{name}.ipynb", "Benchmark"))
                    page.locator(".course-sim-chart").wait_for()
                    handle = (page.locator(".course-sim-field").filter(has=page.locator("label", has_text=label))
                              .locator(".noUi-handle, [role=slider]").first)
                    handle.focus()
                    wait_kernel_idle(server, page)
                    times = []
                    for i in range(samples):
                        key = "ArrowRight" if name != "milestones" or i % 2 == 0 else "ArrowLeft"  # stay in 1-6
                        before = page.locator(".course-sim-chart").get_attribute("src")
                        start = time.perf_counter()
                        page.keyboard.press(key)
                        page.wait_for_function("b => document.querySelector('.course-sim-chart').src !== b", arg=before,
                                               polling=5)
                        times.append((time.perf_counter() - start) * 1000)
                        wait_kernel_idle(server, page)  # each press timed on its own, not behind the last one
                    results[f"{name}: key press to new chart in Chromium"] = times
                    page.close()
                chromium.close()
        finally:
            server.stop()
    return results


def main():
    rows = kernel_side()
    rows.update(browser())
    print(f"\n{'measure':<48} {'median ms':>10} {'p95 ms':>8} {'budget':>8}")
    budgets = {"model": 20, "kernel-side update": 150}
    for name, times in rows.items():
        budget = next((f"{v} ms" for k, v in budgets.items() if name.endswith(k)), "")
        print(f"{name:<48} {statistics.median(times):>10.1f} {p95(times):>8.1f} {budget:>8}")


if __name__ == "__main__":
    main()
