"""A workshop server for kernel tests and the room benchmark, and a trainee that speaks HTTP (no browser)."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
import urllib.parse
import urllib.request
from pathlib import Path

from conftest import wait_for_http


V1 = "v1.kernel.websocket.jupyter.org"  # the kernel websocket protocol Voilà's front end speaks


def _send(ws, message: dict) -> None:
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1
    parts = [json.dumps(message[key]).encode() for key in ("header", "parent_header", "metadata", "content")]
    ws.send(serialize_msg_to_ws_v1(parts, message["channel"]))


def _receive(ws, timeout: float) -> dict:
    """The next message from the kernel (header, content and msg_type), in the v1 protocol."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1
    channel, parts = deserialize_msg_from_ws_v1(ws.recv(timeout=timeout))
    header, _, _, content = (json.loads(part) for part in parts[:4])
    return {"channel": channel, "header": header, "msg_type": header.get("msg_type"), "content": content}


def _message(session: str, msg_type: str, content: dict, metadata: dict | None = None) -> dict:
    return {"header": {"msg_id": f"{msg_type}-{time.monotonic_ns()}", "msg_type": msg_type, "username": "",
                       "session": session, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": "shell", "buffers": []}


class RoomServer:
    """`artisan-course workshop` on 127.0.0.1, with the room options given."""

    def __init__(self, root: Path, home: Path, port: int, *options: str, log_name: str = "room.log",
                 open_browser: bool = False, env: dict | None = None):
        self.root, self.home, self.port = root, home, port
        self.url = f"http://127.0.0.1:{port}/"
        env = dict(os.environ, ARTISAN_COURSE_ROOT=str(root), ARTISAN_COURSE_HOME=str(home), **(env or {}))
        self.log_path = root / log_name
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "artisan_course.cli", "workshop", "--port", str(port), "--host", "127.0.0.1",
             *([] if open_browser else ["--no-browser"]), "--wait-seconds", "1", *options],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for_http(self.url + "join", timeout=120, process=self.process)
        printed = self.log_path.read_text()
        self.code = re.search(r"^Join code: (\w+)$", printed, re.MULTILINE).group(1)
        self.key = re.search(r"^Facilitator key: (\S+)", printed, re.MULTILINE).group(1)

    def status(self) -> dict:
        with urllib.request.urlopen(self.url + "course/api/status", timeout=30) as response:
            return json.loads(response.read())

    def deck(self, notebook: str, query: str = "") -> str:
        return f"{self.url}voila/render/{urllib.parse.quote(notebook)}{query}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def room_controls(states: dict) -> bool:
    """True if these widget states include the room's facilitator controls (the server made it a facilitator's
    kernel), as on a deck with a poll, such as the welcome deck."""
    return "Reveal results" in [state.get("description") for state in states.values()]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Trainee:
    """One trainee's device without a browser: its own cookies, the join form, deck pages, its kernel's websocket."""

    def __init__(self, server: RoomServer, name: str):
        self.server, self.name = server, name
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.direct = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def join(self, pin: str = "") -> int:
        """Join with this trainee's name (and a PIN, for a second device); the status of the page it ends on.

        The PIN a new name is shown is kept in ``self.pin``."""
        with self.opener.open(self.server.url + "join", timeout=60) as response:
            response.read()
        form = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf"), "code": self.server.code,
                                       "name": self.name, "pin": pin}).encode()
        try:
            with self.opener.open(self.server.url + "join", data=form, timeout=60) as response:
                html = response.read().decode("utf-8", "replace")
                status = response.status
        except urllib.error.HTTPError as error:
            return error.code
        shown = re.search(r'id="course-pin">(\d{3}) (\d{3})<', html)
        if shown:
            self.pin = shown.group(1) + shown.group(2)
        return status

    def attempt(self, code: str, name: str | None = None, pin: str = "") -> int:
        """One try at the join form, as this browser (it opens the join page first, once); the status, without
        following a redirect."""
        if self.cookie("_xsrf") is None:
            with self.opener.open(self.server.url + "join", timeout=60) as response:
                response.read()
        form = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf"), "code": code, "name": name or self.name,
                                       "pin": pin}).encode()
        try:
            with self.direct.open(self.server.url + "join", data=form, timeout=120) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def open_deck(self, url: str, timeout: float = 300) -> tuple[int, str, str | None]:
        """GET a deck page to its end: (status, html, the page's kernel id)."""
        try:
            with self.opener.open(url, timeout=timeout) as response:
                html = response.read().decode("utf-8", "replace")
                status = response.status
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), None
        found = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
        return status, html, found.group(1) if found else None

    def headers(self) -> dict:
        return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in self.jar)}

    def connect(self, kernel_id: str, timeout: float = 120):
        """Open the page's kernel websocket as Voilà's front end does, and wait for the kernel's info reply."""
        from websockets.sync.client import connect
        ws = connect(f"ws://127.0.0.1:{self.server.port}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}",
                     additional_headers=self.headers(), open_timeout=timeout, max_size=None, subprotocols=[V1],
                     ping_interval=None)  # a browser does not drop a page whose server is slow to answer pings
        self.ping(ws, timeout)
        return ws

    def ping(self, ws, timeout: float = 60) -> None:
        """One kernel_info round trip on an open websocket (the page is alive and its kernel answers)."""
        _send(ws, _message(self.name, "kernel_info_request", {}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _receive(ws, max(0.1, deadline - time.monotonic()))["msg_type"] == "kernel_info_reply":
                return
        raise AssertionError("the kernel did not answer")

    def widget_states(self, ws, timeout: float = 120) -> dict:
        """Ask the kernel for every widget's state, as Voilà's front end does when the page loads."""
        comm_id = f"control-{time.monotonic_ns()}"

        def send(msg_type: str, content: dict, metadata: dict | None = None) -> None:
            _send(ws, _message(self.name, msg_type, content, metadata))

        # ipywidgets' control comm answers "request_states" with every widget's state (protocol 1.0.0).
        send("comm_open", {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
             {"version": "1.0.0"})
        send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = _receive(ws, max(0.1, deadline - time.monotonic()))
            data = reply.get("content", {}).get("data", {})
            if reply.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                return {k: v["state"] for k, v in data["states"].items()}
        raise AssertionError("the kernel sent no widget states")

    def reflection(self, ws, timeout: float = 120) -> str:
        """The comm id of the deck's first reflection box (its widget has a draft key and a prompt)."""
        return next(k for k, s in self.widget_states(ws, timeout).items() if "draft_key" in s and "prompt" in s)

    def type_reflection(self, ws, comm_id: str, text: str, timeout: float = 60) -> bool:
        """Type ``text`` into a reflection as the page does; True once the kernel says it is saved, False if the
        connection is closed (or nothing is saved) first."""
        from websockets.exceptions import ConnectionClosed
        try:
            _send(ws, _message(self.name, "comm_msg", {
                "comm_id": comm_id, "data": {"method": "update", "state": {"value": text}, "buffer_paths": []}}))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                data = _receive(ws, max(0.1, deadline - time.monotonic())).get("content", {}).get("data", {})
                if data.get("method") == "update" and data.get("state", {}).get("saved_text") == text:
                    return True
        except (ConnectionClosed, TimeoutError):
            return False
        return False

    def closed(self, ws, timeout: float = 30) -> bool:
        """True once the server has closed this websocket (messages still on their way are read and dropped)."""
        from websockets.exceptions import ConnectionClosed
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                try:
                    ws.recv(timeout=max(0.1, deadline - time.monotonic()))
                except TimeoutError:
                    pass
        except ConnectionClosed:
            return True
        return False

    def post(self, path: str, form: dict | None = None, headers: dict | None = None) -> int:
        """POST a form with this device's cookies and XSRF token; the status."""
        form = {"_xsrf": self.cookie("_xsrf") or "", **(form or {})}
        request = urllib.request.Request(self.server.url + path, data=urllib.parse.urlencode(form).encode(),
                                         headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def sign_in(self, key: str) -> int:
        """Sign this browser in as the facilitator, as the sign-in page does (the key typed once, a session cookie
        back); the status (303 once signed in)."""
        with self.opener.open(self.server.url + "facilitator/sign-in", timeout=60) as response:
            response.read()
        form = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf"), "key": key}).encode()
        try:
            with self.direct.open(self.server.url + "facilitator/sign-in", data=form, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def shut_down(self, kernel_id: str) -> int:
        form = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf") or ""}).encode()
        request = urllib.request.Request(self.server.url + f"voila/api/shutdown/{kernel_id}", data=form,
                                         headers={"X-XSRFToken": self.cookie("_xsrf") or ""})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
