"""Learner-store figures: autosave write latency, many writers at once, and autosave as a learner feels it.

Run:  .venv/bin/python benchmarks/store.py

1. Autosave write: one reflection row updated in place, as the reflection box
   does after each pause in typing (text of about 1,500 characters).
2. Forty processes writing reflections and attempts to one store at once, as
   a workshop server's kernels do.
3. In Chromium, on the welcome deck: from the last keystroke to "Saved at"
   on screen. This includes the deliberate 0.8 s pause the box waits for.
"""
from __future__ import annotations

import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))
from artisan_course.state.store import Store  # noqa: E402

WRITERS = 40
ROWS_PER_WRITER = 25


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def autosave_latency(home: Path, n: int = 500) -> list[float]:
    store = Store(home)
    learner = store.learner("Bench")
    row = store.record(learner.id, "welcome", "welcome-soft-skills", "reflection", "")
    text = "Listening and patience matter most. " * 40
    times = []
    for i in range(n):
        start = time.perf_counter()
        store.update(row, learner.id, text[: 100 + i])
        times.append((time.perf_counter() - start) * 1000)
    return times


def _writer(home: str, n: int, ready, go) -> None:
    store = Store(home)
    learner = store.learner(f"writer {n}")
    ready.release()
    go.wait()  # every writer starts at once
    for i in range(ROWS_PER_WRITER):
        kind = "reflection" if i % 2 else "quiz"
        store.record(learner.id, "m", f"item-{i}", kind, f"{n}-{i}", score=1.0 if kind == "quiz" else None)


def many_writers(home: Path) -> tuple[float, int]:
    Store(home).close()
    context = multiprocessing.get_context("fork")
    ready, go = context.Semaphore(0), context.Event()
    processes = [context.Process(target=_writer, args=(str(home), n, ready, go)) for n in range(WRITERS)]
    for p in processes:
        p.start()
    for _ in processes:
        ready.acquire()  # each writer has opened the store and has its learner
    start = time.perf_counter()
    go.set()
    for p in processes:
        p.join()
    elapsed = time.perf_counter() - start
    rows = len(Store(home).answers())
    return elapsed, rows


def browser_autosave(samples: int = 5) -> list[float]:
    from playwright.sync_api import sync_playwright
    from conftest import SlideServer, free_port, make_course_copy
    from decks import deck_url, open_deck
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        server = SlideServer(make_course_copy(Path(tmp) / "course"), Path(tmp) / "store", free_port())
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1280, "height": 720})
                open_deck(page, deck_url(server, "00-welcome.ipynb", learner="Bench"))
                box = page.locator(".course-reflection textarea")
                box.wait_for(state="attached")
                page.evaluate("Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => "
                              "s.querySelector('.course-reflection')))")
                page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
                box.click()
                for i in range(samples):
                    box.press_sequentially(f" sample {i}", delay=5)
                    start = time.perf_counter()
                    page.wait_for_function(
                        "() => { const s = document.querySelector('.course-reflection .course-status');"
                        " return s.classList.contains('course-status--saved'); }", polling=10)
                    seconds.append(time.perf_counter() - start)
                browser.close()
        finally:
            server.stop()
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        latency = autosave_latency(Path(tmp) / "a")
        elapsed, rows = many_writers(Path(tmp) / "b")
    felt = browser_autosave()
    print("\nLearner store")
    print(f"{'measure':<52} {'value':>12}")
    print(f"{'autosave write, median (500 updates)':<52} {statistics.median(latency):>9.2f} ms")
    print(f"{'autosave write, 95th percentile':<52} {percentile(latency, 95):>9.2f} ms")
    print(f"{f'{WRITERS} writers x {ROWS_PER_WRITER} rows: rows stored':<52} {rows:>12}")
    print(f"{f'{WRITERS} writers: throughput':<52} {rows / elapsed:>8.0f} rows/s")
    print(f"{'browser: last keystroke to Saved shown, median':<52} {statistics.median(felt):>10.2f} s")
    print(f"{'browser: last keystroke to Saved shown, worst of 5':<52} {max(felt):>10.2f} s")


if __name__ == "__main__":
    main()
