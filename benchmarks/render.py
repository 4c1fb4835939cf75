"""How long each deck takes to show its first slide with widgets, and how much memory its kernel uses.

Run:  .venv/bin/python benchmarks/render.py [--loads 5]

Starts one slide server (the course's template, as `make slides` uses it) on a
temporary copy of the course that also holds an empty deck (one markdown
cell). Every deck is loaded --loads times in Chromium; the time runs from
navigation to the first slide being drawn with no widget still loading.
Figures are medians, and each deck is compared with the empty deck measured
in the same run, because the machines are noisy.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))
from artisan_course.content.course_map import load_course_map  # noqa: E402
from conftest import free_port, kernel_state, wait_for_http, wait_until  # noqa: E402

EMPTY = {
    "cells": [{"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}}, "source": "# Empty deck"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}
DRAWN = ("() => document.body.hasAttribute('data-deck-ready')"
         " && document.getElementById('rendered_cells').style.display !== 'none'"
         " && !document.body.innerText.includes('Loading widget')")


def start_server(root: Path, home: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, ARTISAN_COURSE_ROOT=str(root), ARTISAN_COURSE_HOME=str(home))
    process = subprocess.Popen([sys.executable, "-m", "artisan_course.cli", "slides", "--port", str(port),
                                "--no-browser"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=90, process=process)
    except (AssertionError, RuntimeError) as exc:
        raise SystemExit(f"the slide server did not start: {exc}") from None
    return process


def kernels(server: subprocess.Popen) -> list[psutil.Process]:
    return [p for p in psutil.Process(server.pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]


def measure(browser, server, port: int, url: str, loads: int) -> tuple[list[float], list[float]]:
    seconds, rss = [], []
    for _ in range(loads):
        before = {p.pid for p in kernels(server)}
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, timeout=120_000)
        page.wait_for_function(DRAWN, timeout=120_000, polling=50)
        seconds.append(time.perf_counter() - start)
        # Read the kernel's memory once it has done all the page asked of it (the cells, the widgets' comms).
        kernel = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
        wait_until(lambda: kernel_state(f"http://127.0.0.1:{port}", kernel) == "idle", 60, "the kernel to be idle",
                   0.05)
        new = [p for p in kernels(server) if p.pid not in before]
        if new:
            rss.append(new[-1].memory_info().rss / 2**20)
        context.close()
        for p in new:  # do not let finished pages' kernels crowd the next load
            try:
                p.wait(timeout=10)
            except psutil.TimeoutExpired:
                pass
    return seconds, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--decks", nargs="+", metavar="DECK",
                        help="only these decks, as paths under notebooks/ (lo/00-welcome.ipynb for a Lao deck); "
                             "default: every ready module's deck")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="artisan-bench-") as tmp:
        root = Path(tmp) / "course"
        (root / "notebooks").mkdir(parents=True)
        (root / "data").symlink_to(REPO / "data")
        (root / "node_modules").symlink_to(REPO / "node_modules")
        for path in (REPO / "notebooks").glob("*.ipynb"):
            (root / "notebooks" / path.name).symlink_to(path)
        if (REPO / "notebooks" / "lo").is_dir():
            (root / "notebooks" / "lo").symlink_to(REPO / "notebooks" / "lo")
        (root / "notebooks" / "zz-empty.ipynb").write_text(json.dumps(EMPTY))
        port = free_port()
        server = start_server(root, Path(tmp) / "store", port)
        decks = ["zz-empty.ipynb"] + (args.decks or [m.notebook for m in load_course_map().ready_modules()])
        results = {}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=os.environ.get("CHROMIUM") or "/usr/bin/chromium",
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                for deck in decks:
                    url = f"http://127.0.0.1:{port}/voila/render/{deck}?learner=Benchmark"
                    results[deck] = measure(browser, server, port, url, args.loads)
                    print(f"measured {deck}", file=sys.stderr)
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGINT)
            server.wait(30)

    empty_s = statistics.median(results["zz-empty.ipynb"][0])
    empty_mb = statistics.median(results["zz-empty.ipynb"][1])
    rows = []
    print(f"\nTime to the first slide with its widgets drawn, Chromium, median of {args.loads} loads")
    print(f"{'deck':<28} {'median s':>9} {'vs empty':>9} {'kernel MB':>10} {'vs bare':>8}")
    for deck, (seconds, rss) in results.items():
        s, mb = statistics.median(seconds), statistics.median(rss) if rss else float("nan")
        name = "empty deck (one markdown cell)" if deck == "zz-empty.ipynb" else deck
        rows.append({"deck": name, "median_s": round(s, 3), "ratio": round(s / empty_s, 2),
                     "kernel_mb": round(mb, 1), "memory_ratio": round(mb / empty_mb, 2)})
        print(f"{name[:28]:<28} {s:>9.2f} {s / empty_s:>8.2f}x {mb:>10.1f} {mb / empty_mb:>7.2f}x")
    print("\nGoal for content decks: at most 1.5x the empty deck's time.")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
