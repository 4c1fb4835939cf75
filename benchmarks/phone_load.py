"""What a slow phone downloads per deck, and how long it waits for the anchoring tool's sliders.

Run:  .venv/bin/python benchmarks/phone_load.py [--loads 3] [--decks all|03-anchoring.ipynb,...]

Starts one slide server (`artisan-course slides`, the course's template) on a temporary copy of the course and opens
decks in Chromium as a slow phone: a 390 x 844 touch screen, the processor slowed 6 times and the network held to
2 Mbit/s each way with 40 ms of latency (Chromium's DevTools protocol: Emulation.setCPUThrottlingRate and
Network.emulateNetworkConditions). For each deck it counts the bytes that came over the network (what the phone
downloads: compressed sizes as sent, headers included) on a first visit with an empty cache, and again when the same
phone opens it a second time (a reload, or the next deck). For the anchoring deck it also times, from the moment the
address is opened, until the simulator's sliders are drawn ("Getting this tool ready" gone from them).

Figures are medians of --loads visits, each in a fresh browser profile (its cache empty) for the first visit.
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))
from artisan_course.content.course_map import load_course_map  # noqa: E402
from conftest import chromium_executable, free_port, make_course_copy, wait_for_http  # noqa: E402

CPU_SLOWDOWN = 6
BITS_PER_SECOND = 2_000_000
LATENCY_MS = 40
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
ANCHORING = "03-anchoring.ipynb"
# The anchoring simulator's sliders are drawn: its first slider's handle exists and no tool on the page still waits.
SLIDERS_DRAWN = """() => { const sim = document.querySelector('.course-simulator');
  return !!(sim && sim.querySelector('.noUi-handle, .slider-container'))
    && !document.body.innerText.includes('Loading widget') && !document.body.innerText.includes('Getting this tool ready'); }"""  # noqa: E501 (JavaScript run in the page, kept as written)
DECK_READY = """() => document.body.hasAttribute('data-deck-ready')
  && document.getElementById('rendered_cells').style.display !== 'none'
  && !document.body.innerText.includes('Loading widget') && !document.body.innerText.includes('Getting this tool ready')"""  # noqa: E501 (JavaScript run in the page, kept as written)


def start_server(root: Path, home: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, ARTISAN_COURSE_ROOT=str(root), ARTISAN_COURSE_HOME=str(home))
    process = subprocess.Popen([sys.executable, "-m", "artisan_course.cli", "slides", "--port", str(port),
                                "--no-browser"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", timeout=120, process=process)
    except (AssertionError, RuntimeError) as exc:
        raise SystemExit(f"the slide server did not start: {exc}") from None
    return process


class SlowPhone:
    """One phone's browser profile: its own cache, the slow processor and network, and a byte counter."""

    def __init__(self, browser):
        self.context = browser.new_context(**PHONE)
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": LATENCY_MS,
            "downloadThroughput": BITS_PER_SECOND / 8, "uploadThroughput": BITS_PER_SECOND / 8})
        self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        self.bytes = 0
        self.by_type: dict[str, int] = defaultdict(int)
        self.types: dict[str, str] = {}
        self.cdp.on("Network.responseReceived", lambda e: self.types.__setitem__(e["requestId"], e["type"]))
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.webSocketFrameReceived",
                    lambda e: self._count("WebSocket", len(e["response"].get("payloadData", ""))))

    def _finished(self, event) -> None:
        self._count(self.types.get(event["requestId"], "Other"), event.get("encodedDataLength", 0))

    def _count(self, kind: str, size: float) -> None:
        self.bytes += size
        self.by_type[kind] += size

    def visit(self, url: str, until: str, timeout: float = 300_000) -> tuple[float, float, dict]:
        """Open ``url`` and wait for ``until``: (seconds, bytes over the network, bytes by kind)."""
        self.bytes, self.by_type = 0, defaultdict(int)
        start = time.perf_counter()
        self.page.goto(url, timeout=timeout)
        self.page.wait_for_function(until, timeout=timeout, polling=100)
        seconds = time.perf_counter() - start
        self.page.wait_for_timeout(500)  # the last frames of the page's first exchange with its kernel
        return seconds, self.bytes, dict(self.by_type)

    def close(self) -> None:
        self.context.close()


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} kB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--decks", default="all", help="'all', or deck file names separated by commas")
    args = parser.parse_args()
    decks = ([m.notebook for m in load_course_map().ready_modules()] if args.decks == "all"
             else args.decks.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        root = make_course_copy(Path(tmp) / "course")
        port = free_port()
        server = start_server(root, Path(tmp) / "store", port)
        base = f"http://127.0.0.1:{port}/voila/render/"
        first: dict[str, list[float]] = defaultdict(list)
        again: dict[str, list[float]] = defaultdict(list)
        kinds: dict[str, list[dict]] = defaultdict(list)
        sliders_first: list[float] = []
        sliders_again: list[float] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium_executable(),
                                                     args=["--no-sandbox", "--disable-gpu"])
                for load in range(args.loads):
                    for deck in decks:
                        phone = SlowPhone(browser)  # an empty cache: the phone's first visit
                        url = f"{base}{deck}?learner=Phone%20{load}"
                        until = SLIDERS_DRAWN if deck == ANCHORING else DECK_READY
                        seconds, size, by_kind = phone.visit(url, until)
                        first[deck].append(size)
                        kinds[deck].append(by_kind)
                        if deck == ANCHORING:
                            sliders_first.append(seconds)
                        seconds, size, _ = phone.visit(url, until)  # the same phone opens it again
                        again[deck].append(size)
                        if deck == ANCHORING:
                            sliders_again.append(seconds)
                        phone.close()
                        print(f"  load {load + 1}: {deck}: {kb(first[deck][-1])} first, {kb(again[deck][-1])} again",
                              file=sys.stderr, flush=True)
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)

    print(f"\nA slow phone ({CPU_SLOWDOWN}x slower processor, {BITS_PER_SECOND / 1e6:g} Mbit/s, {LATENCY_MS} ms), "
          f"median of {args.loads}\n")
    print("| deck | downloaded, first visit | downloaded, second visit | of which scripts and styles (first) |")
    print("|---|---:|---:|---:|")
    for deck in decks:
        code = statistics.median(sum(v for k, v in d.items() if k in ("Script", "Stylesheet")) for d in kinds[deck])
        print(f"| {deck} | {kb(statistics.median(first[deck]))} | {kb(statistics.median(again[deck]))} | {kb(code)} |")
    if sliders_first:
        print(f"\nAnchoring tool's sliders drawn: {statistics.median(sliders_first):.1f} s on a first visit, "
              f"{statistics.median(sliders_again):.1f} s when the phone opens the deck again "
              f"(runs: {', '.join(f'{s:.1f}' for s in sliders_first)} / "
              f"{', '.join(f'{s:.1f}' for s in sliders_again)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
