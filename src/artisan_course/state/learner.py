"""Learner identity, decided once for the whole course.

- In JupyterLab and self-study, the learner defaults to the operating-system
  user and can be changed.
- In Voilà, one server serves a whole room, and the OS user is the
  facilitator. So a notebook opened without ``?learner=`` asks for a name, and
  every navigation link carries it on.
- In workshop mode (``artisan-course workshop``), the server decides: it reads
  the trainee's private cookie and gives the page's kernel the learner's id in
  its environment. ``?learner=`` is ignored there.
- A preheated kernel (Voilà's kernel pool, see ``serving/server.py``) starts before any page asks for it, so it
  cannot know its learner then. It runs the deck's cells with no learner, and :data:`PAGE_REQUEST` waits in a
  background thread for the page request the server hands it to (with the learner the server resolved), once the
  kernel has proved it is that kernel (``serving/kernel_access.py``); the session then binds that learner
  (``session.py``).
"""
from __future__ import annotations

from ..text import CourseInputError

import getpass
import hashlib
import hmac
import json
import os
import re
import threading
import unicodedata
from typing import Callable
from urllib.parse import parse_qs

MAX_NAME_LENGTH = 80
WORKSHOP_ENV = "ARTISAN_COURSE_WORKSHOP"      # "1" for every kernel of `artisan-course workshop`
LEARNER_ID_ENV = "ARTISAN_COURSE_LEARNER_ID"  # set per kernel by the workshop server, from the trainee's cookie
FACILITATOR_ENV = "ARTISAN_COURSE_FACILITATOR"  # "1" when the server saw the facilitator's key on the deck request
HUB_ENV = "ARTISAN_COURSE_HUB"  # "1" in every kernel of a trainee's server on a JupyterHub: the hub set the learner
PREHEAT_ENV = "VOILA_PREHEAT"                 # "True" in a kernel Voilà started for its pool, before any page


class LearnerNameError(CourseInputError):
    pass


def validate_name(name: str) -> str:
    """Return the name as typed (outer spaces removed) or raise with a plain reason."""
    if not isinstance(name, str):
        raise LearnerNameError("A name must be text.")
    cleaned = unicodedata.normalize("NFC", name).strip()
    if not cleaned:
        raise LearnerNameError("Please type your name first.")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise LearnerNameError(f"Please use a shorter name (at most {MAX_NAME_LENGTH} characters).")
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200b\u200c\u200d" for ch in cleaned):
        raise LearnerNameError("A name cannot contain control characters.")
    return cleaned


def name_key(name: str) -> str:
    """The form two names are compared in: NFC, trimmed, case-folded, inner spaces collapsed."""
    folded = unicodedata.normalize("NFC", name).strip().casefold()
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", folded))


MAX_STEM_CHARACTERS = 48   # a file name a phone's download list shows whole
MAX_STEM_BYTES = 120       # well under every file system's 255 bytes, with room for a prefix and an extension


def safe_file_stem(name: str) -> str:
    """The learner's name made into a file name's stem, readable in any script ("ນ້ອຍ-ພົມມະຈັນ", "Noy-P").

    Letters, combining marks (Lao vowels and tone marks are marks) and digits of every script are kept, as typed
    (NFC); anything else (slashes, dots, quotes, spaces, control and format characters) becomes a hyphen. So the stem
    is safe on every file system (no path, no name Windows reserves such as CON, never hidden) and at most 48
    characters and 120 bytes of UTF-8. Two names can share a stem: a folder or an archive of several learners' files
    uses :func:`unique_file_stem`.
    """
    cleaned = unicodedata.normalize("NFC", str(name))
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else "-" for ch in cleaned)
    stem = re.sub(r"-+", "-", kept).strip("-")
    while stem and (len(stem) > MAX_STEM_CHARACTERS or len(stem.encode("utf-8")) > MAX_STEM_BYTES):
        stem = stem[:-1].rstrip("-")
    while stem and unicodedata.category(stem[0])[0] == "M":  # a mark with nothing to sit on
        stem = stem[1:]
    if not stem or stem.upper() in WINDOWS_RESERVED:
        stem = f"learner-{stem}".rstrip("-") if stem else "learner"
    return stem


WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def unique_file_stem(name: str) -> str:
    """A stem no other learner's name shares (an ASCII part and a hash of the name's key): for a folder or an
    archive that holds several learners' files. Never the raw name."""
    key = name_key(name)
    ascii_part = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    ascii_part = re.sub(r"[^a-z0-9]+", "-", ascii_part).strip("-")[:40]
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{ascii_part or 'learner'}-{digest}"


def in_voila() -> bool:
    """True inside a kernel that Voilà started for a page."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila") or "VOILA_KERNEL_ID" in os.environ


def in_workshop() -> bool:
    """True inside a kernel of the workshop server, where the server says who the learner is; on a hub, in every
    kernel of a trainee's server (Voilà's and JupyterLab's alike): the hub user is the learner."""
    return (in_voila() and os.environ.get(WORKSHOP_ENV) == "1") or os.environ.get(HUB_ENV) == "1"


def learner_id_from_server() -> int | None:
    """The learner id the workshop server resolved from the trainee's cookie, or None."""
    if not in_workshop():
        return None
    value = os.environ.get(LEARNER_ID_ENV, "")
    return int(value) if value.isdigit() else None


def facilitator_kernel() -> bool:
    """True in a workshop kernel the server started for the facilitator's browser (it checked the key, not the page)."""
    return in_workshop() and os.environ.get(FACILITATOR_ENV) == "1"


class PageRequest:
    """The page request a preheated kernel is waiting for: one waiter, in a background thread.

    :func:`receive_page_request` blocks until the server sends the request's details (query string, and in a
    workshop the learner the server resolved from the cookie); it copies them into ``os.environ``. Blocking a cell
    on it would keep the deck's later cells from running ahead, so it runs in a thread, and the kernel's own event
    loop is told when the details have arrived. Only one waiter may connect: the server sends the details to one.
    """

    def __init__(self):
        self.arrived = threading.Event()
        self._thread: threading.Thread | None = None
        self._callbacks: list[Callable[[], None]] = []
        self._loop = None

    def pending(self) -> bool:
        """True in a preheated kernel whose page has not been requested yet."""
        return in_voila() and os.environ.get(PREHEAT_ENV) == "True" and not self.arrived.is_set()

    def when_arrived(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` on the kernel's event loop once the page request has arrived (start waiting if needed)."""
        import asyncio
        self._callbacks.append(callback)
        if self._thread is not None:
            return
        try:
            self._loop = asyncio.get_event_loop()
        except RuntimeError:
            self._loop = None
        self._thread = threading.Thread(target=self._wait, name="artisan-course-page-request", daemon=True)
        self._thread.start()

    def _wait(self) -> None:
        try:
            receive_page_request()
        except Exception:  # no server to ask: the kernel stays without a learner, and says so
            pass
        self.arrived.set()
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._run_callbacks)
        else:
            self._run_callbacks()

    def _run_callbacks(self) -> None:
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()


PAGE_REQUEST = PageRequest()


def page_request_proof(connection_key: bytes, kernel_id: str, challenge: str) -> str:
    """What a kernel answers the server's challenge with, to be given its page request: an HMAC of the challenge
    under the kernel's connection key, which only the server and that kernel hold (the server wrote it into the
    kernel's connection file; no page ever sees it). The key itself never travels."""
    message = f"artisan-course page request\n{kernel_id}\n{challenge}".encode("utf-8")
    return hmac.new(connection_key, message, hashlib.sha256).hexdigest()


def _connection_key() -> bytes:
    """This kernel's connection key (empty outside a kernel: the server then refuses, as it should)."""
    try:
        from ipykernel.kernelapp import IPKernelApp
    except ImportError:
        return b""
    return IPKernelApp.instance().session.key if IPKernelApp.initialized() else b""


def receive_page_request() -> None:
    """In a preheated kernel, wait for the server to send the page request's details and copy them into os.environ.

    This is the exchange Voilà's own ``voila.utils.wait_for_request`` has with the server's ``voila/query``
    websocket, done here with the ``websockets`` client alone: importing ``voila.utils`` in a kernel loads Voilà's
    server side (jupyter_server, jupyterlab_server and more), measured at 23 MB more in every trainee's kernel.
    The server may listen on any address (the laptop's Wi-Fi address, every network), so it does not trust the
    caller's address: it sends a challenge first, and only this kernel can answer it (:func:`page_request_proof`).
    """
    if os.environ.get(PREHEAT_ENV) != "True":
        return  # a kernel started for its page has the details in its environment from the start
    from websockets.sync.client import connect
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address, such as ::1
    kernel_id = os.environ.get("VOILA_KERNEL_ID", "")
    url = (f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://{host}:"
           f"{os.environ.get('VOILA_APP_PORT', '8866')}{base}voila/query/{kernel_id}")
    with connect(url, open_timeout=5, max_size=None) as socket:
        challenge = json.loads(socket.recv(timeout=30))["challenge"]
        socket.send(json.dumps({"proof": page_request_proof(_connection_key(), kernel_id, challenge)}))
        details = json.loads(socket.recv())
    for key, value in details.items():
        os.environ[key] = str(value)


def name_from_query() -> str | None:
    """The ``learner`` parameter of the page's query string (a preheated kernel first waits for its page)."""
    if not in_voila():
        return None
    if not PAGE_REQUEST.arrived.is_set():
        try:
            receive_page_request()  # a preheated kernel waits for its page; any other has the details already
        except Exception:  # no server to ask: no query string
            pass
    return _first_valid(parse_qs(os.environ.get("QUERY_STRING", "")).get("learner", []))


def _first_valid(values: list[str]) -> str | None:
    for value in values:
        try:
            return validate_name(value)
        except LearnerNameError:
            continue
    return None


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "learner"
