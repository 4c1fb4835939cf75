"""A flood of joins: does every other page keep its answers while a room joins at once?

Run:  .venv/bin/python benchmarks/join_flood.py [--joins 30] [--rounds 3]

On loopback only, with a fresh `artisan-course workshop`: one trainee has the welcome deck open (its kernel's
websocket, as Voilà's front end holds it). Then, ``--rounds`` times, ``--joins`` new trainees post the join form at
the same moment (each join hashes a new PIN with PBKDF2 and writes the store three times). Meanwhile two watchers
measure, back to back, the round trip of a light HTTP request (``/course/api/status``) and of a kernel_info request
on the open page's websocket. It prints each round's flood time and the p50, p95 and worst of the round trips that
were waiting at some moment of the flood (one that waited through all of it counts with its whole wait).
Every wait is bounded; the server and its kernel are stopped at the end.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))
from conftest import free_port, make_course_copy  # noqa: E402
from room import RoomServer, Trainee  # noqa: E402


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]


def flood(server: RoomServer, page: Trainee, ws, joins: int, round_number: int) -> dict:
    trainees = [Trainee(server, f"Flood {round_number}-{i:02d}") for i in range(joins)]
    for trainee in trainees:  # each phone has the join page open already
        with trainee.opener.open(server.url + "join", timeout=60) as response:
            response.read()
    http_spans: list[tuple[float, float]] = []  # (sent, answered)
    ws_spans: list[tuple[float, float]] = []
    done = threading.Event()

    def watch_http() -> None:
        while not done.is_set():
            started = time.perf_counter()
            with urllib.request.urlopen(server.url + "course/api/status", timeout=60) as response:
                response.read()
            http_spans.append((started, time.perf_counter()))

    def watch_ws() -> None:
        while not done.is_set():
            started = time.perf_counter()
            page.ping(ws, timeout=60)
            ws_spans.append((started, time.perf_counter()))

    statuses: list[int] = []
    go = threading.Barrier(joins + 1)

    def arrive(trainee: Trainee) -> None:
        go.wait()
        statuses.append(trainee.attempt(server.code))

    watchers = [threading.Thread(target=watch_http), threading.Thread(target=watch_ws)]
    joiners = [threading.Thread(target=arrive, args=(t,)) for t in trainees]
    for thread in watchers + joiners:
        thread.start()
    go.wait()
    started = time.perf_counter()
    for thread in joiners:
        thread.join(timeout=300)
    ended = time.perf_counter()
    done.set()
    for thread in watchers:
        thread.join(timeout=60)

    def during(spans):  # every request waiting at some moment of the flood, and how long it waited
        return [answered - sent for sent, answered in spans if sent < ended and answered > started]

    return {"joins": joins, "joined": statuses.count(200), "seconds": ended - started, "http": during(http_spans),
            "ws": during(ws_spans)}


def row(values: list[float]) -> str:
    if not values:
        return "no answer during the flood"
    return f"{statistics.median(values) * 1000:.0f} / {p95(values) * 1000:.0f} / {max(values) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--joins", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="artisan-flood-") as tmp:
        root = make_course_copy(Path(tmp) / "course")
        server = RoomServer(root, Path(tmp) / "store", free_port(), log_name="flood.log")
        try:
            page = Trainee(server, "Open page")
            page.join()
            status, _, kernel = page.open_deck(server.deck("00-welcome.ipynb"))
            if status != 200 or not kernel:
                raise SystemExit(f"the welcome deck answered {status}")
            ws = page.connect(kernel)
            results = [flood(server, page, ws, args.joins, n) for n in range(args.rounds)]
            ws.close()
        finally:
            server.stop()
    load = ", ".join(f"{x:.1f}" for x in load_before)
    print(f"load average before: {load}; after: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores)\n")
    print("| round | joins (joined) | flood | HTTP round trip p50 / p95 / worst "
          "| websocket round trip p50 / p95 / worst |")
    print("|---|---|---|---|---|")
    for number, result in enumerate(results, 1):
        print(f"| {number} | {result['joins']} ({result['joined']}) | {result['seconds']:.2f} s | "
              f"{row(result['http'])} | {row(result['ws'])} |")


if __name__ == "__main__":
    main()
