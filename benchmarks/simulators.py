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
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))

from artisan_course.models.anchoring import Scenario  # noqa: E402
from artisan_course.models.fairness_rules import share_profit  # noqa: E402
from artisan_course.simulators.anchoring_view import AnchoringSimulator  # noqa: E402
from artisan_course.simulators.fairness_view import FairnessSimulator  # noqa: E402

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
    rows["anchoring: model"] = timed(lambda i: anchoring.compute(product, Scenario(**{**scenario.__dict__, "your_offer": 15 + i % 20})))
    rows["anchoring: kernel-side update"] = timed(lambda i: setattr(anchoring.yours, "value", 15 + i % 20))
    fairness = FairnessSimulator()
    members, weights = fairness.members(), fairness.weights()
    rows["fairness: model"] = timed(lambda i: share_profit(members, 1000 + i, weights))
    rows["fairness: kernel-side update"] = timed(lambda i: setattr(fairness.total, "value", str(1000 + i)))
    return rows


def browser(samples=7):
    from playwright.sync_api import sync_playwright
    from conftest import SlideServer, free_port, make_course_copy
    from decks import deck_url, open_deck
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        server = SlideServer(make_course_copy(Path(tmp) / "course"), Path(tmp) / "store", free_port())
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                for name, label in (("anchoring", "Your first offer ($ per piece)"), ("fairness", "Needs")):
                    page = chromium.new_page(viewport={"width": 1280, "height": 720})
                    open_deck(page, deck_url(server, f"zz-fixture-{name}.ipynb"))
                    page.locator(".course-sim-chart").wait_for()
                    handle = (page.locator(".course-sim-field").filter(has=page.locator("label", has_text=label))
                              .locator(".noUi-handle, [role=slider]").first)
                    handle.focus()
                    times = []
                    for _ in range(samples):
                        before = page.locator(".course-sim-chart").get_attribute("src")
                        start = time.perf_counter()
                        page.keyboard.press("ArrowRight")
                        page.wait_for_function("b => document.querySelector('.course-sim-chart').src !== b", arg=before,
                                               polling=5)
                        times.append((time.perf_counter() - start) * 1000)
                        time.sleep(0.3)
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
