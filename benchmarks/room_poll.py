"""A full room answers one poll: how soon the facilitator's slide shows all of them, and what it costs the server.

Run:  .venv/bin/python benchmarks/room_poll.py [--trainees 40] [--window 5]

Bounded: it starts one `artisan-course workshop` on 127.0.0.1 (a temporary course copy and store), opens the
facilitator's deck in Chromium (a real kernel with the real room view), then simulates the trainees:

- each joins over HTTP on loopback (the real join page, code and cookie);
- each then does what its trainee kernel would: one process per trainee with its own store connection re-reads the
  facilitator's choices every 1.5 s (as the trainee's room part does) and saves its poll answer at a random moment
  within ``--window`` seconds (as Send does).

It reports the time until the facilitator's slide shows every answer (from the first answer, and after the last),
the workshop server's CPU (the server and every kernel it started) while the answers arrive, and checks that the
store holds one answer per trainee. It stops by itself (at most ``--timeout`` seconds of waiting).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))
from artisan_course.state.store import Store  # noqa: E402
from conftest import free_port, make_course_copy, wait_for_http  # noqa: E402

POLL = "welcome-soft-skill-poll"
CHOICES = ["negotiation", "listening", "communication", "planning", "trust", "patience"]
DECK = {
    "cells": [{"cell_type": "code", "metadata": {"slideshow": {"slide_type": "slide"}}, "execution_count": None,
               "outputs": [], "source": f'from artisan_course import quiz\nquiz("welcome", ids=["{POLL}"])'}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def join_over_http(base: str, code: str, name: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "join", timeout=30).read().decode()
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"code": code, "name": name, "_xsrf": xsrf}).encode()
    with opener.open(base + "join", data=form, timeout=30) as answer:
        assert answer.status == 200, answer.status
    assert any(c.name == "artisan_course_trainee" for c in jar)


def trainee_kernel(home: str, learner_id: int, start: float, at: float, until: float, queue) -> None:
    """One trainee's kernel: re-read the facilitator's choices every 1.5 s, and save the answer at ``at``."""
    store = Store(home)
    sent = False
    cpu = time.process_time()
    while time.time() < until:
        store.poll_states([POLL])
        now = time.time()
        if not sent and now >= start + at:
            store.record(learner_id, "welcome", POLL, "quiz",
                         {"response": random.choice(CHOICES), "attempt": 1, "correct": True, "revealed": False,
                          "score": None})
            queue.put(("sent", time.time()))
            sent = True
        wake = min(now + 1.5, start + at) if not sent else now + 1.5
        time.sleep(max(0.0, min(wake, until) - time.time()))
    queue.put(("cpu", time.process_time() - cpu))
    store.close()


def server_cpu(process: psutil.Process) -> tuple[float, int]:
    """CPU seconds used so far by the workshop server and every kernel it started, and how many processes that is."""
    total, count = 0.0, 0
    for proc in [process, *process.children(recursive=True)]:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
            count += 1
        except psutil.NoSuchProcess:
            pass
    return total, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=40)
    parser.add_argument("--window", type=float, default=5.0, help="seconds over which the trainees answer")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="room-bench-"))
    root = make_course_copy(tmp / "course")
    (root / "notebooks" / "zz-room.ipynb").write_text(json.dumps(DECK))
    home = tmp / "store"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, ARTISAN_COURSE_ROOT=str(root), ARTISAN_COURSE_HOME=str(home))
    log = open(tmp / "workshop.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "artisan_course.cli", "workshop", "--port", str(port),
                               "--host", "127.0.0.1", "--no-browser"], env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    load_before = os.getloadavg()
    try:
        wait_for_http(base + "join", timeout=90, process=server)
        printed = (tmp / "workshop.log").read_text()
        code = re.search(r"^Join code: (\w+)$", printed, re.MULTILINE).group(1)
        key = re.search(r"^Facilitator key: (\S+)", printed, re.MULTILINE).group(1)

        names = [f"Trainee {n:02d}" for n in range(1, args.trainees + 1)]
        joined = time.monotonic()
        for name in names:
            join_over_http(base, code, name)
        join_seconds = time.monotonic() - joined
        store = Store(home)
        ids = [store.find_learner(name).id for name in names]

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                                 args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1280, "height": 720})
            page = context.new_page()
            page.goto(f"{base}facilitator")  # the facilitator signs in with the key once (a session cookie)
            page.fill("#facilitator-key", key)
            page.click("#sign-in-form button[type=submit]")
            page.wait_for_url(f"{base}facilitator")
            page.goto(base + "join")
            page.fill("#join-code", code)
            page.fill("#join-name", "Facilitator")
            page.click("button[type=submit]")
            page.wait_for_selector("#course-pin")
            page.goto(base + "voila/render/zz-room.ipynb", timeout=90_000)
            page.wait_for_selector(".course-room-count[data-answered='0']", timeout=90_000)
            time.sleep(3)  # let the deck's kernel settle, so its start-up is not counted below

            server_process = psutil.Process(server.pid)
            queue = multiprocessing.Queue()
            start = time.time() + 2.0
            until = start + args.window + args.timeout
            moments = sorted(random.uniform(0, args.window) for _ in ids)
            workers = [multiprocessing.Process(target=trainee_kernel,
                                               args=(str(home), learner, start, at, start + args.window + 3, queue))
                       for learner, at in zip(ids, moments)]
            for worker in workers:
                worker.start()
            (cpu_before, processes), wall_before = server_cpu(server_process), time.time()
            time.sleep(max(0.0, start - time.time()))
            seen = None
            page.wait_for_selector(f".course-room-count[data-answered='{len(ids)}']",
                                   timeout=max(1.0, until - time.time()) * 1000)
            seen = time.time()
            (cpu_after, _), wall_after = server_cpu(server_process), time.time()
            for worker in workers:
                worker.join(timeout=30)
            events = [queue.get(timeout=10) for _ in range(2 * len(workers))]
            browser.close()
        sent = sorted(t for kind, t in events if kind == "sent")
        trainee_cpu = sum(t for kind, t in events if kind == "cpu")
        rows = store.room_since(POLL, "quiz", 0)
        plan = " ".join(str(r[-1]) for r in store._read(
            "EXPLAIN QUERY PLAN SELECT id FROM answers WHERE item = ? AND kind = ? AND id > ? ORDER BY id",
            (POLL, "quiz", 0)))
        store.close()
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        log.close()

    cores = psutil.cpu_count() or 1
    busy = (cpu_after - cpu_before) / (wall_after - wall_before)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}; after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} ({cores} cores)")
    print()
    print("| figure | value |")
    print("|---|---|")
    print(f"| trainees (joined over HTTP on loopback) | {len(ids)} (joins took {join_seconds:.1f} s) |")
    print(f"| answers sent within | {sent[-1] - sent[0]:.2f} s |")
    print(f"| first answer to all shown on the facilitator's slide | {seen - sent[0]:.2f} s |")
    print(f"| last answer to all shown | {seen - sent[-1]:.2f} s |")
    print(f"| workshop server + kernels CPU while the answers arrive | {busy:.1%} of one core "
          f"({cpu_after - cpu_before:.2f} s over {wall_after - wall_before:.1f} s, {processes} processes) |")
    print(f"| the simulated trainee kernels' store reads and writes, CPU | {trainee_cpu:.2f} s in all |")
    print(f"| rows in the store for the poll | {len(rows)} from {len({r.learner_id for r in rows})} trainees |")
    print(f"| the room view's query plan | {plan} |")
    return 0 if len(rows) == len(ids) else 1


if __name__ == "__main__":
    sys.exit(main())
