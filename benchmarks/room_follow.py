"""A room of phones follows the projector: what asking "where is the room?" every 1.5 s costs the server.

Run:  .venv/bin/python benchmarks/room_follow.py [--followers 40] [--seconds 60] [--move-every 6]

Bounded: it starts one `artisan-course workshop` on 127.0.0.1 (a temporary course copy and store; no deck is opened,
so no kernel runs and the CPU measured is the room's endpoint alone), then simulates, over HTTP on loopback:

- ``--followers`` trainees, each joined with the real join page and cookie, each asking ``POST /course/api/room``
  every 1.5 s (as a trainee's deck does, at a random phase), and going to the room's slide when it moves;
- the facilitator's deck, asking every 1.5 s too (with the key, as a facilitator's session) and moving the room to
  the next slide every ``--move-every`` seconds.

It reports the server process's CPU over ``--seconds`` (user + system, as a share of one core), the requests per
second, the time each answer took, and how long after the facilitator moved each follower was on the new slide
(at most one ask interval, plus the answer's time). It stops by itself.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))
from conftest import free_port, make_course_copy, wait_for_http  # noqa: E402

DECK = "00-welcome.ipynb"
ASK_SECONDS = 1.5


class Follower:
    """One trainee's deck: its own cookies, asking where the room is and following it."""

    def __init__(self, base: str, code: str, name: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.opener.open(base + "join", timeout=30).read().decode()
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"code": code, "name": name, "_xsrf": xsrf}).encode()
        with self.opener.open(base + "join", data=form, timeout=30) as answer:
            assert answer.status == 200, answer.status
        self.xsrf = next(c.value for c in self.jar if c.name == "_xsrf")
        self.h = 0
        self.took: list[float] = []
        self.followed: list[float] = []  # seconds from the facilitator's move to this phone being on the slide
        self.failed = 0

    def ask(self, moves: dict[int, float]) -> None:
        body = json.dumps({"deck": DECK, "h": self.h, "v": 0}).encode()
        request = urllib.request.Request(self.base + "course/api/room", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "X-XSRFToken": self.xsrf})
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                room = json.loads(response.read())
        except OSError:
            self.failed += 1
            return
        self.took.append(time.perf_counter() - started)
        if room["following"] and room["deck"] == DECK and room["h"] != self.h:
            self.h = room["h"]
            if room["h"] in moves:
                self.followed.append(time.time() - moves[room["h"]])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--move-every", type=float, default=6.0)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="room-follow-"))
    root = make_course_copy(tmp / "course")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = dict(os.environ, ARTISAN_COURSE_ROOT=str(root), ARTISAN_COURSE_HOME=str(tmp / "store"))
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
        followers = [Follower(base, code, f"Trainee {n:02d}") for n in range(1, args.followers + 1)]
        moves: dict[int, float] = {}
        facilitator = {"h": 0, "counts": []}

        def lead(move: bool) -> None:
            body = json.dumps({"deck": DECK, "h": facilitator["h"], "v": 0, "lead": "move" if move else "keep"})
            request = urllib.request.Request(base + "course/api/room", data=body.encode(), method="POST",
                                             headers={"Content-Type": "application/json", "X-Facilitator-Key": key})
            with urllib.request.urlopen(request, timeout=30) as response:
                facilitator["counts"].append(json.loads(response.read())["here"])

        lead(True)
        stop = threading.Event()

        def run(follower: Follower) -> None:
            time.sleep(random.uniform(0, ASK_SECONDS))  # decks opened at different moments
            while not stop.is_set():
                follower.ask(moves)
                stop.wait(ASK_SECONDS)

        threads = [threading.Thread(target=run, args=(f,), daemon=True) for f in followers]
        for thread in threads:
            thread.start()
        time.sleep(2 * ASK_SECONDS)  # every follower has asked once
        process = psutil.Process(server.pid)
        cpu_before, wall_before = sum(process.cpu_times()[:2]), time.monotonic()
        asked_before = sum(len(f.took) for f in followers)
        next_move = time.monotonic() + args.move_every
        while time.monotonic() - wall_before < args.seconds:
            if time.monotonic() >= next_move:
                facilitator["h"] += 1
                moves[facilitator["h"]] = time.time()
                lead(True)
                next_move += args.move_every
            else:
                lead(False)
            time.sleep(ASK_SECONDS)
        cpu_after, wall_after = sum(process.cpu_times()[:2]), time.monotonic()
        asked = sum(len(f.took) for f in followers) - asked_before
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        log.close()

    took = [t for f in followers for t in f.took]
    followed = [t for f in followers for t in f.followed]
    wall = wall_after - wall_before
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}; after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} ({psutil.cpu_count()} cores)")
    print()
    print("| figure | value |")
    print("|---|---|")
    print(f"| followers (joined over HTTP on loopback), each asking every {ASK_SECONDS} s | {len(followers)} |")
    print(f"| measured for | {wall:.0f} s, the facilitator moving every {args.move_every:g} s ({len(moves)} moves) |")
    print(f"| requests to the room's endpoint | {asked / wall:.1f} per second (followers) |")
    print(f"| workshop server CPU (no kernel running) | {(cpu_after - cpu_before) / wall:.1%} of one core "
          f"({cpu_after - cpu_before:.2f} s over {wall:.0f} s) |")
    print(f"| one answer took (median, 95th percentile, worst) | {statistics.median(took) * 1000:.1f} ms, "
          f"{percentile(took, 0.95) * 1000:.1f} ms, {max(took) * 1000:.1f} ms |")
    print(f"| a follower on the new slide after the facilitator moved (median, worst) | "
          f"{statistics.median(followed):.2f} s, {max(followed):.2f} s ({len(followed)} follows) |")
    print(f"| on the facilitator's slide at the last check-in | {facilitator['counts'][-1]} of {len(followers)} |")
    print(f"| failed asks | {sum(f.failed for f in followers)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
