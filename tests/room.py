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

    def __init__(self, root: Path, home: Path, port: int, *options: str, log_name: str = "room.log"):
        self.root, self.home, self.port = root, home, port
        self.url = f"http://127.0.0.1:{port}/"
        env = dict(os.environ, ARTISAN_COURSE_ROOT=str(root), ARTISAN_COURSE_HOME=str(home))
        self.log_path = root / log_name
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "artisan_course.cli", "workshop", "--port", str(port), "--host", "127.0.0.1",
             "--no-browser", "--wait-seconds", "1", *options],
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


class Trainee:
    """One trainee's device without a browser: its own cookies, the join form, deck pages, its kernel's websocket."""

    def __init__(self, server: RoomServer, name: str):
        self.server, self.name = server, name
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def join(self) -> int:
        with self.opener.open(self.server.url + "join", timeout=60) as response:
            response.read()
        form = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf"), "code": self.server.code,
                                       "name": self.name}).encode()
        with self.opener.open(self.server.url + "join", data=form, timeout=60) as response:
            response.read()
            return response.status

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

    def shut_down(self, kernel_id: str) -> int:
        form = urllib.parse.urlencode({"_xsrf": self.cookie("_xsrf") or ""}).encode()
        request = urllib.request.Request(self.server.url + f"voila/api/shutdown/{kernel_id}", data=form,
                                         headers={"X-XSRFToken": self.cookie("_xsrf") or ""})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
