"""A workshop inside a network namespace of its own, as the field serves it: on an address that is not loopback.

Tests call :func:`run`, which starts this file under ``unshare -n`` (root only). Inside, the namespace has loopback
(127.0.0.1, ::1) and two addresses of its own on it: ``10.77.0.1``, the laptop's "Wi-Fi address", and ``10.77.0.2``,
which stands for another device on the network (a client that binds it as its source address is not this
computer's browser). Nothing can leave the namespace. A scenario starts ``artisan-course workshop`` there, acts as
trainees (Chromium, or plain HTTP from a chosen source address) and prints what it saw as one JSON line, which
:func:`run` returns for the test to check. Every wait is bounded; the server is stopped at the end.

    python tests/namespace_room.py SCENARIO '{"host": "10.77.0.1", ...}'   (inside a namespace only)
"""
from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
WIFI, OTHER_DEVICE = "10.77.0.1", "10.77.0.2"
DECK = "00-welcome.ipynb"


def available() -> str | None:
    """Why a namespace cannot be made here (None: it can)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "a network namespace needs root (CI runs as root)"
    if not (shutil.which("unshare") and shutil.which("ip")):
        return "a network namespace needs unshare and ip (util-linux, iproute2)"
    return None


def run(scenario: str, timeout: float = 900, **options) -> dict:
    """Run one scenario in a new network namespace; returns its report (fails with the scenario's output)."""
    command = ["unshare", "--net", "--", sys.executable, str(Path(__file__)), scenario, json.dumps(options)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=HERE.parent)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise AssertionError(f"the {scenario} scenario failed ({done.returncode}):\n{done.stdout[-4000:]}\n"
                             f"{done.stderr[-6000:]}")
    return json.loads(lines[-1])


# -- inside the namespace ----------------------------------------------------------------------------------------
def _network() -> None:
    for command in (["ip", "link", "set", "lo", "up"], ["ip", "addr", "add", f"{WIFI}/32", "dev", "lo"],
                    ["ip", "addr", "add", f"{OTHER_DEVICE}/32", "dev", "lo"]):
        subprocess.run(command, check=True)


class Server:
    """`artisan-course workshop` in this namespace, on ``host``, with a temporary course copy and store."""

    def __init__(self, folder: Path, host: str, *options: str, port: int = 8866, env: dict | None = None):
        from conftest import make_course_copy
        self.root = make_course_copy(folder / "course")
        self.home = folder / "store"
        self.host, self.port = host, port
        self.log_path = folder / "server.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "artisan_course.cli", "workshop", "--port", str(port), "--host", host,
             "--wait-seconds", "1", *options],
            env=dict(os.environ, ARTISAN_COURSE_ROOT=str(self.root), ARTISAN_COURSE_HOME=str(self.home), **(env or {})),
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait(self, url: str, timeout: float = 120) -> bool:
        """True once ``url`` answers; False if the server exits (or does not answer) first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status < 500:
                        return True
            except Exception:  # not up yet
                pass
            time.sleep(0.25)
        return False

    def printed(self) -> str:
        return self.log_path.read_text(errors="replace")

    def code(self) -> str:
        return re.search(r"^Join code: (\w+)$", self.printed(), re.MULTILINE).group(1)

    def key(self) -> str:
        return re.search(r"^Facilitator key: (\S+)", self.printed(), re.MULTILINE).group(1)

    def status(self, base: str) -> dict:
        with urllib.request.urlopen(base + "course/api/status", timeout=30) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def _until(condition, timeout: float, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None


class Client:
    """A device that speaks HTTP from a chosen source address (10.77.0.2: another device; 10.77.0.1: this laptop)."""

    def __init__(self, base: str, source: str):
        self.base, self.source = base, source
        self.jar = http.cookiejar.CookieJar()
        source_address = (source, 0)

        class Connection(http.client.HTTPConnection):
            def __init__(self, *args, **kwargs):
                kwargs["source_address"] = source_address
                super().__init__(*args, **kwargs)

        class Handler(urllib.request.HTTPHandler):
            def http_open(self, request):
                return self.do_open(Connection, request)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(Handler, NoRedirect, urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, path: str, form: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def join(self, code: str, name: str) -> int:
        self.request("join")
        return self.request("join", {"_xsrf": self.cookie("_xsrf") or "", "code": code, "name": name})[0]

    def deck_controls(self, headers: dict | None = None) -> bool | None:
        """Open the welcome deck; True if its kernel shows the room's facilitator controls (None: no page)."""
        from room import V1, _message, _receive, _send, room_controls
        from websockets.sync.client import connect
        status, html = self.request(f"voila/render/{DECK}", headers=headers)
        found = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
        if status != 200 or not found:
            return None
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.jar)
        host = urllib.parse.urlsplit(self.base).netloc
        with connect(f"ws://{host}/api/kernels/{found.group(1)}/channels?session_id=s{time.monotonic_ns()}",
                     additional_headers={"Cookie": cookies, **(headers or {})}, subprotocols=[V1], max_size=None,
                     open_timeout=120, ping_interval=None, source_address=(self.source, 0)) as ws:
            comm = f"control-{time.monotonic_ns()}"
            _send(ws, _message("n", "comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control",
                                                  "data": {}}, {"version": "1.0.0"}))
            _send(ws, _message("n", "comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}))
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                reply = _receive(ws, max(0.1, deadline - time.monotonic()))
                data = reply.get("content", {}).get("data", {})
                if reply.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                    return room_controls({k: v["state"] for k, v in data["states"].items()})
        return None


# -- scenarios -------------------------------------------------------------------------------------------------
def trainee(folder: Path, host: str, address: str, words: str) -> dict:
    """A trainee in Chromium joins, opens the welcome deck from a preheated kernel and types a reflection."""
    from playwright.sync_api import sync_playwright
    from artisan_course.state.store import Store
    server = Server(folder, host, "--no-browser", "--class-size", "1")
    base = f"http://{address}:{server.port}/"
    report: dict = {"server": "running" if server.wait(base + "join") else "did not start",
                    "printed": server.printed()[:6000]}
    if report["server"] != "running":
        server.stop()
        return report
    try:
        if host == "::":  # every network: a phone on the IPv4 Wi-Fi reaches it too
            report["ipv4_join"] = server.wait(f"http://{WIFI}:{server.port}/join", timeout=10)
        report["pool_ready"] = bool(_until(lambda: server.status(base)["ready"] >= 1, 300, 1))
        name = "Noy Field"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM") or "/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            context = browser.new_context(viewport={"width": 390, "height": 844})
            elsewhere: list[str] = []
            own = re.compile(r"^(https?|wss?)://(10\.77\.0\.1|127\.0\.0\.1|\[::1\])(:\d+)?/")
            context.route(lambda url: not own.match(url) and not url.startswith(("data:", "blob:")),
                          lambda route: (elsewhere.append(route.request.url), route.abort()))
            page = context.new_page()
            page.goto(base + "join")
            page.fill("#join-code", server.code())
            page.fill("#join-name", name)
            with page.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST") as joined:
                page.click("button[type=submit]")
            report["join_status"] = joined.value.status
            from decks import open_deck
            open_deck(page, base + f"voila/render/{DECK}", timeout=240_000)
            kernel = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
            report["preheated"] = f"Using pre-heated kernel: {kernel}" in server.printed()
            named = _until(lambda: page.evaluate(
                "(document.querySelector('.course-learner-name') || {innerText: ''}).innerText.trim()"), 60)
            report["learner_shown"] = named or ""
            box = page.locator(".course-reflection textarea").first
            page.evaluate("Reveal.slide(Reveal.getHorizontalSlides().findIndex("
                          "s => s.querySelector('.course-reflection')))")
            enabled = _until(lambda: page.evaluate(
                "!document.querySelector('.course-reflection textarea').disabled"), 60)
            report["reflection_enabled"] = bool(enabled)
            report["reflection_message"] = page.evaluate(
                "(document.querySelector('.course-reflection') || {innerText: ''}).innerText.slice(0, 300)")
            if enabled:
                box.click()
                box.press_sequentially(words, delay=5)
                saved = page.locator(".course-reflection .course-status--saved")
                try:
                    saved.wait_for(timeout=60_000)
                    report["saved_shown"] = True
                except Exception:
                    report["saved_shown"] = False
            report["elsewhere"] = elsewhere
            browser.close()
        store = Store(server.home)
        try:
            learner = store.find_learner(name)
            latest = store.latest(learner.id, "welcome-soft-skills") if learner else None
            report["stored"] = latest.value if latest else None
            report["stored_learners"] = [learner.name for learner in store.learners()]
        finally:
            store.close()
    finally:
        server.stop()
    return report


FACILITATOR_GETS = ["facilitator", "facilitator/start", "facilitator/export", "facilitator/evaluation",
                    "facilitator/api/roster", "facilitator/dashboard", "facilitator/answers.csv",
                    "facilitator/answers.csv?names=1", "facilitator/roster.csv"]


def facilitator(folder: Path, anywhere: bool) -> dict:
    """The facilitator's key and sign-in, from this laptop and from another device on the Wi-Fi."""
    server = Server(folder, "0.0.0.0", "--no-browser", *(["--facilitator-anywhere"] if anywhere else []))
    base = f"http://{WIFI}:{server.port}/"
    report: dict = {"server": "running" if server.wait(base + "join") else "did not start"}
    if report["server"] != "running":
        report["printed"] = server.printed()[-3000:]
        server.stop()
        return report
    try:
        key = {"X-Facilitator-Key": server.key()}
        for who, source in (("here", WIFI), ("elsewhere", OTHER_DEVICE)):
            client = Client(base, source)
            report[f"{who}_with_key"] = {path: client.request(path, headers=key)[0] for path in FACILITATOR_GETS}
            # A header that claims the request comes from the laptop itself changes nothing.
            report[f"{who}_forwarded"] = client.request("facilitator", headers={
                **key, "X-Forwarded-For": "127.0.0.1", "X-Real-Ip": "127.0.0.1"})[0]
            # Signing in with the key, as the sign-in page does (a form with its XSRF field).
            signer = Client(base, source)
            signer.request("facilitator/sign-in")
            status, _ = signer.request("facilitator/sign-in", {"_xsrf": signer.cookie("_xsrf") or "",
                                                               "key": server.key(), "next": "/facilitator"})
            report[f"{who}_sign_in"] = status
            report[f"{who}_session_roster"] = signer.request("facilitator")[0]
            # The deck's facilitator view: the server decides, from the key, whether the kernel shows the controls.
            device = Client(base, source)
            device.join(server.code(), f"Deck {who}")
            report[f"{who}_deck_controls"] = device.deck_controls(headers=key)
    finally:
        server.stop()
    return report


def main() -> None:
    sys.path[:0] = [str(HERE), str(HERE.parent / "src")]
    _network()
    scenario, options = sys.argv[1], json.loads(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="artisan-namespace-") as tmp:
        report = {"trainee": trainee, "facilitator": facilitator}[scenario](Path(tmp), **options)
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
