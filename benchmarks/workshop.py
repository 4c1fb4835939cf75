"""A room of N trainees on one workshop server: how soon each opens a deck, memory, kernels left, answers kept.

Run:  .venv/bin/python benchmarks/workshop.py [--trainees 1 10 20 40] [--deck 05-fairness-and-culture.ipynb]

For each N, on loopback only, with a fresh `artisan-course workshop --class-size N` on a temporary copy of the course:

1. The facilitator joins and opens the deck on the projector (a Chromium page). The room's preheated kernels for
   that deck warm up meanwhile; the time they take is printed ("warm-up"): the facilitator opens the deck that
   long before the room does.
2. N trainees join within five seconds, each opening the deck at once. Two of them are Chromium pages (time to the
   first slide drawn with no widget loading); the others speak Voilà's protocol without a browser: the page over
   HTTP, then the kernel's websocket and every widget's state (what the page needs before its first slide is
   usable). Each trainee types a reflection, which the kernel saves.
3. While the room is on that deck, the next deck's kernels warm up (as many as the cap allows). Then every trainee
   leaves the deck (half with Voilà's shutdown request, half just dropping the connection, as a locked phone does)
   and opens the next deck.
4. Every page closes; 60 s later the benchmark counts the deck kernels still alive, and checks in the store that
   every reflection typed is there, under its own trainee.

Figures: p50 and p95 of the time to a usable first slide, per deck; each page kernel's resident memory (RSS) and
its proportional share (PSS, shared libraries split between the kernels that map them); the whole server's PSS;
the load average before and after. The benchmark stops by itself (--limit seconds per N) and shuts down its
kernels with the server.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))
from artisan_course.state.store import Store  # noqa: E402
from conftest import free_port, make_course_copy, wait_until  # noqa: E402
from room import RoomServer, Trainee, _message, _receive, _send  # noqa: E402

DRAWN = ("() => document.body.hasAttribute('data-deck-ready')"
         " && document.getElementById('rendered_cells').style.display !== 'none'"
         " && !document.body.innerText.includes('Loading widget')")
BROWSER_TRAINEES = 2


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]


def kernel_processes(server: RoomServer) -> list[psutil.Process]:
    return [p for p in psutil.Process(server.process.pid).children(recursive=True)
            if "ipykernel" in " ".join(p.cmdline())]


def memory(server: RoomServer) -> dict:
    """RSS and PSS of each kernel process, and the whole server's PSS (server process plus every kernel), in MB."""
    kernels = []
    for process in kernel_processes(server):
        try:
            info = process.memory_full_info()
            kernels.append((info.rss / 2**20, info.pss / 2**20))
        except psutil.Error:
            continue
    server_pss = psutil.Process(server.process.pid).memory_full_info().pss / 2**20
    return {"kernels": len(kernels),
            "kernel_rss_median": statistics.median([k[0] for k in kernels]) if kernels else 0,
            "kernel_pss_median": statistics.median([k[1] for k in kernels]) if kernels else 0,
            "total_pss": server_pss + sum(k[1] for k in kernels),
            "total_rss": psutil.Process(server.process.pid).memory_info().rss / 2**20 + sum(k[0] for k in kernels)}


class LightPage:
    """One trainee's page without a browser."""

    def __init__(self, trainee: Trainee):
        self.trainee, self.kernel, self.socket, self.reflection = trainee, None, None, None

    def open(self, url: str) -> float:
        start = time.perf_counter()
        status, _, self.kernel = self.trainee.open_deck(url)
        if status != 200 or not self.kernel:
            raise RuntimeError(f"{self.trainee.name}: the deck answered {status}")
        self.socket = self.trainee.connect(self.kernel)
        states = self.trainee.widget_states(self.socket)
        elapsed = time.perf_counter() - start
        self.reflection = next((k for k, s in states.items() if "draft_key" in s and "prompt" in s), None)
        return elapsed

    def type_reflection(self, text: str) -> None:
        """Type into the deck's first reflection as the page would, and wait until the kernel says it is saved."""
        if self.reflection is None:
            raise RuntimeError("no reflection on this deck")
        _send(self.socket, _message(self.trainee.name, "comm_msg", {
            "comm_id": self.reflection, "data": {"method": "update", "state": {"value": text}, "buffer_paths": []}}))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            data = _receive(self.socket, max(0.1, deadline - time.monotonic())).get("content", {}).get("data", {})
            if data.get("method") == "update" and data.get("state", {}).get("saved_text") == text:
                return
        raise RuntimeError(f"{self.trainee.name}: the reflection was not saved")

    def leave(self, politely: bool) -> None:
        if politely and self.kernel:
            self.trainee.shut_down(self.kernel)  # what the page's beforeunload beacon sends
        if self.socket is not None:
            self.socket.close()


def browser_open(browser, trainee: Trainee, url: str, phone: bool = True,
                 key: str | None = None) -> tuple[float, object]:
    context = browser.new_context(viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 720})
    if key and trainee.sign_in(key) != 303:  # the facilitator's laptop: a session, as the sign-in page gives it
        raise RuntimeError("the facilitator could not sign in")
    context.add_cookies([{"name": c.name, "value": c.value, "url": trainee.server.url} for c in trainee.jar])
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, timeout=300_000)
    page.wait_for_function(DRAWN, timeout=300_000, polling=50)
    return time.perf_counter() - start, context


def warm(server: RoomServer, deck: str, wanted: int, limit: float) -> float:
    start = time.perf_counter()
    wait_until(lambda: server.status()["ready_by_deck"].get(deck, 0) >= wanted, limit,
               f"{wanted} warm kernels of {deck}",
               interval=1)
    return time.perf_counter() - start


def calm(limit: float = 300, below: float = 2.0) -> None:
    """Wait (at most ``limit`` seconds) for the last room's work to die down, so each N starts on a quiet machine."""
    deadline = time.monotonic() + limit
    while os.getloadavg()[0] >= below and time.monotonic() < deadline:
        time.sleep(5)


def run_room(n: int, deck: str, next_deck: str, limit: float, browser) -> dict:
    calm()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="artisan-room-") as tmp:
        root = make_course_copy(Path(tmp) / "course")
        home = Path(tmp) / "store"
        server = RoomServer(root, home, free_port(), "--class-size", str(n + 1))
        result = {"trainees": n, "load_before": [round(x, 2) for x in load_before]}
        deadline = time.monotonic() + limit
        try:
            facilitator = Trainee(server, "Facilitator")
            facilitator.join()
            seconds, projector = browser_open(browser, facilitator, server.deck(deck), phone=False, key=server.key)
            result["facilitator_first_s"] = round(seconds, 2)
            result["warm_up_s"] = round(warm(server, deck, min(n, server.status()["max_kernels"] - 1),
                                             deadline - time.monotonic()), 1)

            # The room joins within five seconds and opens the deck at once.
            trainees = [Trainee(server, f"Trainee {i:02d}") for i in range(n)]
            pages = [LightPage(t) for t in trainees]
            times: dict[int, float] = {}
            contexts = []
            errors: list[str] = []

            def arrive(i: int) -> None:
                time.sleep(5.0 * i / max(1, n))  # arrivals spread over five seconds, as a room joins
                try:
                    trainees[i].join()
                    times[i] = pages[i].open(server.deck(deck))
                    pages[i].type_reflection(f"Reflection of trainee {i:02d}, typed during the benchmark.")
                except Exception as exc:  # keep going: the table says how many failed
                    errors.append(f"{trainees[i].name}: {exc}")

            # Playwright belongs to this thread: the Chromium trainees are driven here, the others in threads.
            with ThreadPoolExecutor(max_workers=max(1, n)) as pool:
                futures = [pool.submit(arrive, i) for i in range(BROWSER_TRAINEES, n)]
                for i in range(min(BROWSER_TRAINEES, n)):
                    try:
                        trainees[i].join()
                        times[i], context = browser_open(browser, trainees[i], server.deck(deck))
                        contexts.append(context)
                    except Exception as exc:
                        errors.append(f"{trainees[i].name} (Chromium): {exc}")
                for future in futures:
                    future.result()
            result["deck"] = summary(times, errors)
            result["memory_on_deck"] = memory(server)
            result["status_on_deck"] = server.status()

            # While the room works on this deck, the next one warms up; the facilitator moves on first.
            result["next_warm_up_s"] = round(warm(server, next_deck, min(n, max(0, server.status()["max_kernels"]
                                                                              - n - 1)),
                                                  max(1, deadline - time.monotonic())), 1)
            result["memory_next_warm"] = memory(server)
            seconds, next_projector = browser_open(browser, facilitator, server.deck(next_deck), phone=False,
                                                   key=server.key)
            result["facilitator_next_s"] = round(seconds, 2)
            projector.close()

            times2: dict[int, float] = {}
            errors2: list[str] = []

            def move_on(i: int) -> None:
                time.sleep(5.0 * i / max(1, n))
                try:
                    pages[i].leave(politely=i % 2 == 0)
                    pages[i] = LightPage(trainees[i])
                    times2[i] = pages[i].open(server.deck(next_deck))
                except Exception as exc:
                    errors2.append(f"{trainees[i].name}: {exc}")

            with ThreadPoolExecutor(max_workers=max(1, n)) as pool:
                futures = [pool.submit(move_on, i) for i in range(BROWSER_TRAINEES, n)]
                for i in range(min(BROWSER_TRAINEES, n)):
                    try:
                        page = contexts[i].pages[0]
                        start = time.perf_counter()
                        page.goto(server.deck(next_deck), timeout=300_000)  # the old page's beacon goes as it leaves
                        page.wait_for_function(DRAWN, timeout=300_000, polling=50)
                        times2[i] = time.perf_counter() - start
                    except Exception as exc:
                        errors2.append(f"{trainees[i].name} (Chromium): {exc}")
                for future in futures:
                    future.result()
            result["next_deck"] = summary(times2, errors2)
            result["memory_on_next_deck"] = memory(server)

            # Every page closes; a minute later no deck kernel should be left.
            for i, page in enumerate(pages):
                page.leave(politely=i % 2 == 0)
            for context in contexts:
                context.close()
            next_projector.close()
            closed = time.monotonic()
            wait_until(lambda: time.monotonic() - closed >= 60, 70, "a minute after the pages closed", interval=1)
            result["page_kernels_alive_60s_after_close"] = server.status()["in_use"]

            # Nothing lost: every reflection typed is in the store, under its own trainee.
            store = Store(home)
            kept = 0
            for i in range(BROWSER_TRAINEES, n):
                learner = store.find_learner(f"Trainee {i:02d}")
                answers = [a for a in store.answers(learner.id) if a.kind == "reflection"] if learner else []
                if any(a.value == f"Reflection of trainee {i:02d}, typed during the benchmark." for a in answers):
                    kept += 1
            store.close()
            result["reflections_typed"] = max(0, n - BROWSER_TRAINEES) - len([e for e in errors
                                                                               if "Chromium" not in e])
            result["reflections_kept"] = kept
        finally:
            server.stop()
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def summary(times: dict[int, float], errors: list[str]) -> dict:
    values = list(times.values())
    return {"opened": len(values), "failed": len(errors), "errors": errors[:3],
            "p50_s": round(statistics.median(values), 2) if values else None,
            "p95_s": round(p95(values), 2) if values else None,
            "browser_s": [round(times[i], 2) for i in sorted(times) if i < BROWSER_TRAINEES]}


def empty_deck_in_chromium(browser, loads: int = 3) -> float:
    """The empty deck's time to its first slide on a workshop server (the reference for the deck ratios)."""
    with tempfile.TemporaryDirectory(prefix="artisan-room-") as tmp:
        root = make_course_copy(Path(tmp) / "course")
        server = RoomServer(root, Path(tmp) / "store", free_port())
        try:
            trainee = Trainee(server, "Empty Deck")
            trainee.join()
            times = []
            for _ in range(loads):
                seconds, context = browser_open(browser, trainee, server.deck("zz-fixture-empty.ipynb"))
                times.append(seconds)
                context.close()
            return statistics.median(times)
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, nargs="+", default=[1, 10, 20, 40])
    parser.add_argument("--deck", default="05-fairness-and-culture.ipynb")
    parser.add_argument("--next-deck", default="06-management.ipynb")
    parser.add_argument("--limit", type=float, default=900, help="seconds allowed per room size")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM") or "/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        empty = empty_deck_in_chromium(browser)
        print(f"empty deck in Chromium: {empty:.2f} s", file=sys.stderr, flush=True)
        for n in args.trainees:
            results.append(run_room(n, args.deck, args.next_deck, args.limit, browser))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
        browser.close()

    print(f"\nEmpty deck, Chromium, median of 3: {empty:.2f} s")
    print(f"{'N':>3} {'warm-up':>8} {'p50':>6} {'p95':>6} {'p50 next':>9} {'p95 next':>9} {'kernel RSS':>11} "
          f"{'kernel PSS':>11} {'server PSS':>11} {'+next warm':>11} {'alive 60s':>9} {'kept':>7} {'phone/empty':>10} "
          f"{'next':>6} {'load':>16}")
    for r in results:
        m = r["memory_on_deck"]
        print(f"{r['trainees']:>3} {r['warm_up_s']:>7.0f}s {r['deck']['p50_s']:>5.2f}s {r['deck']['p95_s']:>5.2f}s "
              f"{r['next_deck']['p50_s']:>8.2f}s {r['next_deck']['p95_s']:>8.2f}s {m['kernel_rss_median']:>9.0f}MB "
              f"{m['kernel_pss_median']:>9.0f}MB {m['total_pss'] / 1024:>9.2f}GB "
              f"{r['memory_next_warm']['total_pss'] / 1024:>9.2f}GB {r['page_kernels_alive_60s_after_close']:>9} "
              f"{r['reflections_kept']:>3}/{r['reflections_typed']:<3} "
              f"{statistics.median(r['deck']['browser_s'] or [float('nan')]) / empty:>9.2f}x "
              f"{r['facilitator_next_s'] / empty:>5.2f}x {r['load_before'][0]:>6.2f}->{r['load_after'][0]:<6.2f}")
    if args.json:
        args.json.write_text(json.dumps({"empty_deck_s": empty, "rooms": results}, indent=1))


if __name__ == "__main__":
    main()
