"""Workshop mode on the server: the join page, trainees' private cookies, and the facilitator's pages.

- ``/join``: a trainee types the join code and a display name; the browser gets an HTTP-only, SameSite=Lax cookie
  holding a random token (see ``state/identity.py``). A name in use needs the PIN its first device was shown.
  Refusals are HTTP statuses: 400 a bad name, 403 a wrong code or PIN, 409 a name in use, 429 too many wrong tries
  (or too many new names). The join page also gives each browser a random id (another cookie), so that wrong tries
  are counted per browser, not per network address: a room behind one Wi-Fi router shares one address.
- ``/join/ask``: "It's me" for a trainee whose name is taken and who has no PIN: the facilitator lets them in with
  one tap (``/facilitator/requests/let-in``) or refuses, after checking a short code both screens show.
- ``/leave``: "Not you? Leave" signs this device out, ends its open pages and clears the cookie.
- ``/course/my-journal``: the journal of the cookie's learner, whatever the address says.
- ``/facilitator``, ``/facilitator/start``, ``/facilitator/export``, ``/facilitator/evaluation`` (the end-of-day
  evaluation as CSV, no names), ``/facilitator/api/roster`` and the roster's actions (rename, merge, reassign,
  forget), ``/facilitator/dashboard`` (who is where, the hardest questions, the polls so far) and
  ``/facilitator/answers.csv`` (anonymous unless ``?names=1``): only for a facilitator, else 403.

Who is the facilitator: a browser with a facilitator's session, a random HTTP-only cookie the server makes when the
facilitator signs in (``/facilitator/sign-in``, typing the key the terminal showed once), or when the browser the
server opened at start presents its one-time code (``/facilitator/start?once=...``). The key itself is never a
cookie's value and never in an address. A script may send the key in the ``X-Facilitator-Key`` header. The key, the
code and the session count only from this computer, unless the server was started with ``--facilitator-anywhere``.
Sessions live in memory: a restarted server (which makes a new key) asks the facilitator to sign in again.

Hashing PINs and writing the store run in a small thread pool (:meth:`Workshop.run`), never on the server's event
loop, so a flood of joins does not freeze every trainee's page. The kernel side (which learner a page's kernel
writes for, and ending a learner's pages) is in ``kernel_access.py``.
"""
from __future__ import annotations

import asyncio
import functools
import hmac
import io
import ipaddress
import json
import re
import secrets
import socket
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Callable, TypeVar
from urllib.parse import quote, urlencode, urlparse

import tornado.web
from markupsafe import Markup

from .. import i18n, paths
from ..i18n import pages as i18n_pages
from ..state.identity import (Asked, Identities, JoinResult, Outcome, new_browser_id, shown_ask_code, shown_pin,
                              token_hash, valid_browser_id)
from ..state.store import Learner, LearnerGone, NameInUse, Store
from ..state.learner import LearnerNameError, safe_file_stem, unique_file_stem

TRAINEE_COOKIE = "artisan_course_trainee"
BROWSER_COOKIE = "artisan_course_browser"  # a random id per browser, for counting wrong tries (not an identity)
FACILITATOR_COOKIE = "artisan_course_facilitator"  # a facilitator's session: random, never the key
ASK_COOKIE = "artisan_course_ask"  # the secret of this browser's "It's me" request: only it can collect the answer
KEY_HEADER = "X-Facilitator-Key"
SETTING = "artisan_course_workshop"  # where the server's tornado settings keep the Workshop
COOKIE_DAYS = 30
LANGUAGE_SETTING = "language:learner:"  # the store setting that keeps a trainee's language, + their id
SIGN_IN_CODE_SECONDS = 10 * 60  # the one-time address the browser opened at start works this long, once
BACKGROUND_THREADS = 2          # hashing and store writes: enough for a room joining, little CPU taken from kernels

if TYPE_CHECKING:
    from .pacing import Pacing

T = TypeVar("T")

_pages = i18n_pages.environment(paths.PAGES_DIR)

_STATUS = {
    Outcome.JOINED: 200, Outcome.CLAIMED: 200, Outcome.SECOND_DEVICE: 303,
    Outcome.BAD_NAME: 400, Outcome.WRONG_CODE: 403, Outcome.WRONG_PIN: 403,
    Outcome.NAME_IN_USE: 409, Outcome.SLOW_DOWN: 429,
}


def lan_address() -> str:
    """This machine's address on the local network, found without sending anything.

    ``connect`` on a UDP socket only asks the operating system which interface would carry traffic to a private
    address; no packet leaves. Without a network, the host name's own addresses, then the host name.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 9))
            address = probe.getsockname()[0]
        except OSError:  # no network at all
            address = ""
    if address and not address.startswith(("127.", "0.")):
        return address
    try:
        name = socket.gethostname()
        for address in socket.gethostbyname_ex(name)[2]:
            if not address.startswith("127."):
                return address
        return name
    except OSError:
        return "localhost"


def qr_svg(url: str) -> Markup:
    """The join address as an inline SVG QR code (sized by CSS)."""
    import segno
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(scale=1, border=2, omitsize=True, svgclass="course-qr", title="QR code: " + url))


def qr_text(url: str) -> str:
    """The join address as a QR code drawn with block characters, for the terminal."""
    import segno
    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def _address(text: str | None):
    try:
        address = ipaddress.ip_address((text or "").split("%", 1)[0])
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def from_this_computer(request) -> bool:
    """True when the request comes from the computer that runs the server.

    Loopback traffic never leaves the machine, and a browser on this laptop that opens the laptop's own Wi-Fi
    address connects from that same address, so: the caller is loopback, or it is the address this connection
    reached. The caller's address is the socket's (the server trusts no X-Forwarded-For header), so a device on
    the network cannot claim to be this computer. (A proxy on this computer in front of the server would make
    everyone look local: the course does not use one.)
    """
    remote = _address(request.remote_ip)
    if remote is None:
        return False
    if remote.is_loopback:
        return True
    try:
        here = _address(request.connection.stream.socket.getsockname()[0])
    except (AttributeError, OSError, IndexError):
        return False
    return here is not None and remote == here


@dataclass
class Workshop:
    """Everything the workshop server knows that the kernels must not: the join code, the key, the facilitator's
    sessions, and who owns which kernel."""

    identities: Identities
    key: str
    join_address: str                     # http://<this machine on the network>:<port>/ (what trainees type)
    anywhere: bool = False                # --facilitator-anywhere: the key and sessions count from other computers
    kernel_owners: dict[str, int] = field(default_factory=dict)
    kernel_devices: dict[str, str] = field(default_factory=dict)  # kernel -> hash of the token of the device that
    #                                                               opened its page (Leave ends that device's pages)
    facilitator_kernels: set[str] = field(default_factory=set)  # kernels of pages opened by a facilitator
    background: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(
        BACKGROUND_THREADS, thread_name_prefix="artisan-course-workshop"))
    pacing: "Pacing" = field(default_factory=lambda: _new_pacing())  # the room's slide; where each trainee is
    _sessions: set[str] = field(default_factory=set)          # hashes of the facilitator's session cookies
    _codes: dict[str, float] = field(default_factory=dict)    # hash of a one-time sign-in code -> when it expires
    _facilitator_learner: Learner | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def join_code(self) -> str:
        return self.identities.join_code

    @property
    def store(self) -> Store:
        """The store, for work done in :meth:`run` (joins, roster actions, exports)."""
        return self.identities.store

    @property
    def reader(self) -> Store:
        """A second connection to the store, for quick reads on the event loop (it never waits for a writer)."""
        return self.identities.reader

    async def run(self, work: Callable[..., T], *args, **kwargs) -> T:
        """Run ``work`` in the workshop's threads: hashing and the store's writes (and their retries) never hold up
        the event loop that every trainee's page talks through."""
        return await asyncio.get_running_loop().run_in_executor(self.background,
                                                                functools.partial(work, *args, **kwargs))

    @property
    def join_url(self) -> str:
        return self.join_address.rstrip("/") + "/join"

    @property
    def qr_url(self) -> str:
        """What the QR code opens: the join page with the code filled in."""
        return self.join_url + "?" + urlencode({"code": self.join_code})

    def learner(self, handler: tornado.web.RequestHandler) -> Learner | None:
        """The learner of this request's cookie, or None."""
        return self.identities.learner_for(handler.get_cookie(TRAINEE_COOKIE))

    def device(self, handler: tornado.web.RequestHandler) -> str | None:
        """The hash of this request's device token (what the store keeps), or None."""
        token = handler.get_cookie(TRAINEE_COOKIE)
        return token_hash(token) if token else None

    # -- the facilitator
    def key_matches(self, typed: str | None) -> bool:
        return bool(typed) and hmac.compare_digest(str(typed).encode(), self.key.encode())

    def may_sign_in(self, handler: tornado.web.RequestHandler) -> bool:
        """The facilitator's key, codes and sessions count from this computer (anywhere with the flag)."""
        return self.anywhere or from_this_computer(handler.request)

    def new_session(self) -> str:
        session = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions.add(token_hash(session))
        return session

    def session_valid(self, session: str | None) -> bool:
        if not session:
            return False
        with self._lock:
            return token_hash(session) in self._sessions

    def new_sign_in_code(self, seconds: float = SIGN_IN_CODE_SECONDS) -> str:
        """A code for the one-time address the server opens in the facilitator's browser at start."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[token_hash(code)] = time.monotonic() + seconds
        return code

    def use_sign_in_code(self, code: str | None) -> bool:
        """True once for a code the server made (and not yet expired); never again."""
        if not code:
            return False
        with self._lock:
            until = self._codes.pop(token_hash(code), None)
        return until is not None and time.monotonic() < until

    def facilitator(self, handler: tornado.web.RequestHandler) -> bool:
        """True when this request comes from a facilitator (a session cookie, or the key in the header), checked
        here on the server, and from this computer unless the server allows the facilitator anywhere."""
        if not self.may_sign_in(handler):
            return False
        return self.session_valid(handler.get_cookie(FACILITATOR_COOKIE)) or self.key_matches(
            handler.request.headers.get(KEY_HEADER))

    # -- who a page works for
    def facilitator_learner(self) -> Learner:
        """The facilitator's own learner (made in the store on first use; run it in :meth:`run`): what the
        facilitator's decks write as. The roster, the dashboard, every count and every export leave it out."""
        with self._lock:
            known = self._facilitator_learner
        if known is None:
            known = self.store.facilitator_learner()
            with self._lock:
                self._facilitator_learner = known
        return known

    def trainee_ids(self) -> list[int]:
        """Every trainee's id now (a quick read; never the facilitator's own learner)."""
        return [learner.id for learner in self.reader.learners()]

    def language_of(self, handler: tornado.web.RequestHandler, learner: Learner | None = None) -> str:
        """The language a page speaks to this browser: its choice (address, cookie), else its trainee's, else
        ``--lang``. A choice made on a trainee's page is kept with the trainee (their other devices follow it)."""
        if learner is None and not self.facilitator(handler):
            learner = self.learner(handler)
        if learner is None:
            return i18n_pages.request_language(handler)
        key = f"{LANGUAGE_SETTING}{learner.id}"

        def keep(lang: str) -> None:
            if self.reader.get_setting(key) != lang:
                self.store.set_setting(key, lang)

        return i18n_pages.request_language(handler, kept=lambda: self.reader.get_setting(key), keep=keep)

    def acting_as(self, handler: tornado.web.RequestHandler) -> Learner | None:
        """Whom this request's deck, kernel or course map works for: a facilitator's session (checked here) works as
        the facilitator's own learner, never as a trainee, whatever trainee cookie the browser also holds; anyone
        else as the learner of their trainee cookie. None: nobody (or a facilitator who has not opened a deck yet)."""
        if self.facilitator(handler):
            with self._lock:
                return self._facilitator_learner
        return self.learner(handler)


def _new_pacing():
    from .pacing import Pacing  # pacing.py reads the workshop of a request: it imports this module
    return Pacing()


def workshop_of(handler: tornado.web.RequestHandler) -> Workshop | None:
    return handler.settings.get(SETTING)


def join_redirect(handler: tornado.web.RequestHandler, base_url: str) -> None:
    """Send a request without a valid cookie to the join page, remembering where it was going."""
    handler.redirect(f"{base_url}join?" + urlencode({"next": handler.request.uri}))


def safe_next(value: str | None, base_url: str) -> str:
    """Only a path on this server (never another site, never a scheme-relative //address)."""
    value = value or ""
    parsed = urlparse(value)
    if parsed.scheme or parsed.netloc or not value.startswith(base_url) or value.startswith("//") or "\\" in value:
        return base_url
    return value


class _Page(tornado.web.RequestHandler):
    def initialize(self, base_url: str = "/", **kwargs):
        self.base_url = base_url

    @property
    def workshop(self) -> Workshop:
        workshop = workshop_of(self)
        if workshop is None:
            raise tornado.web.HTTPError(404)
        return workshop

    def set_default_headers(self):
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Frame-Options", "DENY")
        self.set_header("Referrer-Policy", "no-referrer")

    def language(self) -> str:
        """The language this request's page speaks (see :meth:`Workshop.language_of`)."""
        if not hasattr(self, "_language"):
            workshop = workshop_of(self)
            self._language = workshop.language_of(self) if workshop is not None else i18n_pages.request_language(self)
        return self._language

    def gettext(self, message: str, **values) -> str:
        """``message`` in this page's language, its ``%(name)s`` placeholders filled from ``values``."""
        said = i18n.gettext_in(self.language(), message)
        return said % values if values else said

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        """The form of a message that suits ``n``, in this page's language, placeholders filled (``n`` among them)."""
        return i18n.ngettext_in(self.language(), singular, plural, n) % {"n": n, **values}

    def page(self, template: str, status: int = 200, chooser: bool = True, **values) -> None:
        """Render ``template`` in this browser's language, with the language chooser unless ``chooser`` is False
        (a page shown once, such as a new PIN, must not be left by a link)."""
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        lang = self.language()
        if isinstance(values.get("message"), str):  # a message marked N_() where it was made, in this page's language
            values["message"] = i18n.gettext_in(lang, values["message"])
        self.finish(_pages.get_template(template).render(
            base_url=self.base_url, xsrf=Markup(self.xsrf_form_html()), lang=lang,
            chooser=i18n_pages.chooser(self, lang) if chooser and self.request.method == "GET" else None, **values))

    def set_trainee_cookie(self, token: str) -> None:
        self.set_cookie(TRAINEE_COOKIE, token, path=self.base_url, httponly=True, samesite="Lax",
                        expires_days=COOKIE_DAYS)

    def browser_id(self) -> str:
        """This browser's id for counting wrong tries, given now if it has none (or one this server cannot have
        made)."""
        browser = valid_browser_id(self.get_cookie(BROWSER_COOKIE))
        if not browser:
            browser = new_browser_id()
            self.set_cookie(BROWSER_COOKIE, browser, path=self.base_url, httponly=True, samesite="Lax",
                            expires_days=365)
        return browser


# -- trainees --------------------------------------------------------------------------------------
class JoinHandler(_Page):
    def get(self):
        workshop = self.workshop
        self.browser_id()
        next_url = safe_next(self.get_argument("next", None), self.base_url)
        learner = workshop.learner(self)
        if learner is not None:
            self.page("join.html", state="signed-in", name=learner.name, next=next_url)
            return
        # Never a name filled in: a shared phone must not offer the last person's name.
        self.page("join.html", state="form", code=self.get_argument("code", ""), next=next_url)

    async def post(self):
        self.check_xsrf_cookie()
        workshop = self.workshop
        next_url = safe_next(self.get_argument("next", None), self.base_url)
        code = self.get_argument("code", "")
        try:
            result = await workshop.run(workshop.identities.join, code, self.get_argument("name", ""),
                                        self.get_argument("pin", ""), client=self.request.remote_ip or "",
                                        browser=self.browser_id())
        except LearnerGone:  # the facilitator forgot or merged this name while the join was under way
            self.page("join.html", 409, state="form", code=code, next=next_url,
                      message="That name was just changed by the facilitator. Please press Join again.")
            return
        if result.retry_after:
            self.set_header("Retry-After", str(result.retry_after))
        if result.outcome.ok:
            self.set_trainee_cookie(result.token)
        if result.outcome is Outcome.SECOND_DEVICE:
            self.redirect(next_url, status=303)
            return
        self._show(result, code, next_url)

    def _show(self, result: JoinResult, code: str, next_url: str) -> None:
        status = _STATUS[result.outcome]
        if result.outcome.ok:
            self.page("join.html", status, state="joined", name=result.learner.name, pin=shown_pin(result.pin),
                      claimed=result.outcome is Outcome.CLAIMED, next=next_url)
        elif result.outcome in (Outcome.NAME_IN_USE, Outcome.WRONG_PIN) or (
                result.outcome is Outcome.SLOW_DOWN and self.get_argument("pin", "")):
            self.page("join.html", status, state="in-use", name=result.name, code=code, message=result.message,
                      next=next_url)
        else:
            self.page("join.html", status, state="form", code=code, message=result.message, next=next_url)


# -- "It's me": no PIN, the facilitator lets the trainee back in ----------------------------------------------------
_ASK_STATUS = {Outcome.WRONG_CODE: 403, Outcome.BAD_NAME: 400, Outcome.SLOW_DOWN: 429}
_ASKED_STATUS = {Asked.WAITING: 200, Asked.REFUSED: 403, Asked.EXPIRED: 410, Asked.GONE: 404, Asked.IN: 410}


class AskHandler(_Page):
    """``POST /join/ask``: a trainee whose name is taken, with no PIN, asks the facilitator to let them in; the page
    shows the name and a short code that the facilitator's screen shows too. ``GET /join/ask``: the request's answer
    (let in: this browser is signed in, once, and goes on into the course)."""

    async def post(self):
        self.check_xsrf_cookie()
        workshop = self.workshop
        next_url = safe_next(self.get_argument("next", None), self.base_url)
        code, name = self.get_argument("code", ""), self.get_argument("name", "")
        result = await workshop.run(workshop.identities.requests.ask, code, name, client=self.request.remote_ip or "",
                                    browser=self.browser_id(), next_url=next_url)
        if result.request is not None:
            self.set_cookie(ASK_COOKIE, result.secret, path=self.base_url, httponly=True, samesite="Lax")
            self._asking(result.request, next_url)
            return
        if result.not_taken:
            self.page("join.html", 404, state="form", code=code, message=result.message, next=next_url)
            return
        if result.retry_after:
            self.set_header("Retry-After", str(result.retry_after))
        state = "form" if result.outcome is Outcome.WRONG_CODE else "in-use"
        self.page("join.html", _ASK_STATUS[result.outcome], state=state, name=name.strip(), code=code,
                  message=result.message, next=next_url)

    def _asking(self, request, next_url: str, status: int = 200) -> None:
        self.page("join.html", status, state="asking", name=request.name, ask_code=shown_ask_code(request.code),
                  next=next_url, minutes=max(1, round(self.workshop.identities.requests.seconds / 60)))

    async def get(self):
        workshop = self.workshop
        request, token = await workshop.run(workshop.identities.requests.collect, self.get_cookie(ASK_COOKIE))
        if request is None:
            self.page("join.html", 404, state="form", code="", next=self.base_url,
                      message="This device has not asked to come back in, or its request has ended. Join again.")
            return
        next_url = safe_next(request.next_url, self.base_url)
        if token is not None:
            self.set_trainee_cookie(token)
            self.clear_cookie(ASK_COOKIE, path=self.base_url)
            self.redirect(next_url, status=303)
            return
        if request.state is Asked.WAITING:
            self._asking(request, next_url)
            return
        self.clear_cookie(ASK_COOKIE, path=self.base_url)
        self.page("join.html", _ASKED_STATUS[request.state], state="ask-" + request.state.value, name=request.name,
                  code="", next=next_url)


class AskStatusHandler(_Page):
    """``GET /join/ask/status``: what the asking page checks every few seconds, as JSON (always 200, so a page that
    polls logs no error): ``waiting``, ``in`` (this browser is now signed in: go to ``next``), ``refused``,
    ``expired``, ``gone`` or ``none``."""

    async def get(self):
        workshop = self.workshop
        self.set_header("Content-Type", "application/json")
        request, token = await workshop.run(workshop.identities.requests.collect, self.get_cookie(ASK_COOKIE))
        if request is None:
            self.finish(json.dumps({"state": "none"}))
            return
        next_url = safe_next(request.next_url, self.base_url)
        if token is not None:
            self.set_trainee_cookie(token)
            self.clear_cookie(ASK_COOKIE, path=self.base_url)
        state = "in" if token is not None else request.state.value
        self.finish(json.dumps({"state": state, "next": next_url}))


class NewPinHandler(_Page):
    """A signed-in trainee asks for a new PIN, to carry on from another device."""

    async def post(self):
        self.check_xsrf_cookie()
        learner = self.workshop.learner(self)
        if learner is None:
            join_redirect(self, self.base_url)
            return
        pin = await self.workshop.run(self.workshop.identities.new_pin, learner)
        self.page("join.html", state="joined", name=learner.name, pin=shown_pin(pin), claimed=False, renewed=True,
                  next=safe_next(self.get_argument("next", None), self.base_url))


class LeaveHandler(_Page):
    """"Not you? Leave": this device forgets who it was and its open pages end; the answers stay saved."""

    def get(self):
        learner = self.workshop.learner(self)
        if learner is None:
            self.page("join.html", state="left")
            return
        self.page("join.html", state="leave", name=learner.name)

    async def post(self):
        from .kernel_access import device_kernels, end_kernels
        self.check_xsrf_cookie()
        workshop = self.workshop
        device = workshop.device(self)
        await workshop.run(workshop.identities.leave, self.get_cookie(TRAINEE_COOKIE))
        end_kernels(self, device_kernels(workshop, device), "its device left")
        self.clear_cookie(TRAINEE_COOKIE, path=self.base_url)
        self.page("join.html", state="left")


class MyJournalHandler(_Page):
    """The journal of the learner whose cookie this is (for a facilitator's session, the facilitator's own). No name
    or id in the address is ever read."""

    async def get(self):
        from ..documents.journal import journal_html
        learner = self.workshop.acting_as(self)
        if learner is None:
            raise tornado.web.HTTPError(403)
        page = functools.partial(journal_html, with_certificate=True)
        text = await self.workshop.run(page, self.workshop.store, learner)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Disposition", attachment(f"journal-{safe_file_stem(learner.name)}.html"))
        self.finish(text)


def attachment(file_name: str) -> str:
    """A Content-Disposition header for a download named ``file_name`` in any script (RFC 6266): the UTF-8 name
    for every browser of the last ten years, and a plain ASCII name for any older one."""
    plain = re.sub(r"[^A-Za-z0-9.-]+", "-", file_name.encode("ascii", "ignore").decode()).strip("-")
    if plain.split(".")[0] in ("", "journal-", "journal"):
        plain = "journal.html"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(file_name, safe='')}"


# -- the facilitator -----------------------------------------------------------------------------------
class _FacilitatorPage(_Page):
    """Refuses (403) anyone but a facilitator: a session (or the key in a script's header), from this computer
    unless the server allows the facilitator anywhere. ``?once=`` signs the browser the server opened in, once."""

    def prepare(self):
        workshop = self.workshop
        if not workshop.may_sign_in(self):
            self.refuse()
            return
        once = self.get_query_argument("once", None)
        if once is not None and self.request.method == "GET":
            if not workshop.use_sign_in_code(once):
                self.refuse("That sign-in address has been used already. Type the facilitator key instead.")
                return
            start_session(self)
            self.redirect(self.request.path, status=303)  # and the code leaves the address bar
            return
        if self.get_query_argument("key", None) is not None:
            # Never in an address: it would stay in the browser's history and show on the projector.
            self.refuse("The facilitator key does not go in the address. Type it here instead.")
            return
        if workshop.key_matches(self.request.headers.get(KEY_HEADER)):
            return
        if workshop.session_valid(self.get_cookie(FACILITATOR_COOKIE)):
            if self.request.method not in ("GET", "HEAD"):
                self.check_xsrf_cookie()
            return
        self.refuse()

    def refuse(self, message: str = "") -> None:
        here = self.workshop.may_sign_in(self)
        self.page("facilitator-only.html", 403, sign_in=here, message=message if here else "",
                  next=self.request.path)

    def check_xsrf_cookie(self) -> None:
        if self.workshop.key_matches(self.request.headers.get(KEY_HEADER)):
            return  # a script that sends the key itself cannot be a forged form
        super().check_xsrf_cookie()


def start_session(handler: _Page) -> None:
    """Give this browser a facilitator's session: a random HTTP-only cookie, never the key."""
    handler.set_cookie(FACILITATOR_COOKIE, handler.workshop.new_session(), path=handler.base_url, httponly=True,
                       samesite="Strict")


class SignInHandler(_Page):
    """The facilitator types the key once, on this computer; the browser then has a session of its own."""

    def get(self):
        workshop = self.workshop
        here = workshop.may_sign_in(self)
        self.page("facilitator-only.html", 200 if here else 403, sign_in=here, message="",
                  next=safe_next(self.get_argument("next", None), self.base_url) or self.base_url)

    def post(self):
        self.check_xsrf_cookie()
        workshop = self.workshop
        next_url = safe_next(self.get_argument("next", None), self.base_url)
        if next_url == self.base_url:
            next_url = self.base_url + "facilitator/start"
        if not workshop.may_sign_in(self):
            self.page("facilitator-only.html", 403, sign_in=False, message="", next=next_url)
            return
        if not workshop.key_matches(self.get_argument("key", "").strip()):
            self.page("facilitator-only.html", 403, sign_in=True, next=next_url,
                      message="That is not the facilitator key. Copy it from the terminal, and try again.")
            return
        start_session(self)
        self.redirect(next_url, status=303)


class StartHandler(_FacilitatorPage):
    """The projector's join screen: the address, the QR code and the join code, in big type."""

    def get(self):
        workshop = self.workshop
        requests = come_back_rows(workshop)
        if self.get_query_argument("part", "") == "requests":
            back = safe_next(self.get_query_argument("next", None), self.base_url)
            self.page("come-back-list.html", requests=requests,
                      next=back if back != self.base_url else self.base_url + "facilitator/start")
            return
        self.page("start.html", address=workshop.join_url, qr=qr_svg(workshop.qr_url), code=workshop.join_code,
                  count=len(workshop.reader.learners()), requests=requests)


class RosterHandler(_FacilitatorPage):
    async def get(self, action: str | None = None):
        if action is not None:
            raise tornado.web.HTTPError(405)
        await self.show()

    async def show(self, message: str = "", pin: str | None = None, status: int = 200, pin_for: str = "") -> None:
        rows = await self.workshop.run(self.workshop.store.roster)
        self.page("facilitator.html", status, rows=rows, message=message, pin=pin, pin_for=pin_for,
                  code=self.workshop.join_code, address=self.workshop.join_url,
                  requests=come_back_rows(self.workshop))

    async def post(self, action: str | None = None):
        if action is None:
            raise tornado.web.HTTPError(405)
        workshop = self.workshop
        try:
            learner_id = int(self.get_argument("learner"))
        except (ValueError, tornado.web.MissingArgumentError):
            raise tornado.web.HTTPError(400)
        learner = await workshop.run(self._trainee, learner_id)
        if learner is None:
            await self.show(self.gettext("That learner is no longer in the store."), status=404)
            return
        try:
            await self._act(action, learner)
        except LearnerGone:  # another facilitator tab removed one of the two learners a moment ago
            await self.show(self.gettext("That learner is no longer in the store."), status=404)

    def _trainee(self, learner_id: int) -> Learner | None:
        """A trainee by id; never the facilitator's own learner (it is on no roster, so no action reaches it)."""
        store = self.workshop.store
        return None if learner_id == store.facilitator_id() else store.learner_by_id(learner_id)

    async def _act(self, action: str, learner: Learner) -> None:
        from .kernel_access import end_kernels, learner_kernels
        workshop = self.workshop
        store, identities = workshop.store, workshop.identities
        if action == "rename":
            try:
                renamed = await workshop.run(store.rename, learner.id, self.get_argument("name", ""))
            except (NameInUse, LearnerNameError) as exc:
                await self.show(str(exc), status=409 if isinstance(exc, NameInUse) else 400)
                return
            await self.show(self.gettext("'%(old)s' is now called '%(new)s'.", old=learner.name, new=renamed.name))
        elif action == "merge":
            try:
                into = await workshop.run(self._trainee, int(self.get_argument("into")))
            except (ValueError, tornado.web.MissingArgumentError):
                into = None
            if into is None or into.id == learner.id:
                await self.show(self.gettext("Choose another learner to merge into."), status=400)
                return
            moved = await workshop.run(store.merge, learner.id, into.id)
            identities.merged(learner.id, into.id)
            workshop.pacing.forget(learner.id)
            # The old name's pages write for a learner who is gone: they end; a reload opens them as the merged name.
            end_kernels(self, learner_kernels(workshop, learner.id), "its learner was merged")
            await self.show(self.ngettext("Moved %(n)s answer and every device from '%(old)s' to '%(new)s'.",
                                          "Moved %(n)s answers and every device from '%(old)s' to '%(new)s'.",
                                          moved, old=learner.name, new=into.name))
        elif action == "reassign":
            pin = await workshop.run(identities.reassign, learner)
            end_kernels(self, learner_kernels(workshop, learner.id), "its name was reassigned")
            await self.show(self.gettext("Every device of '%(name)s' is signed out. Give this PIN to the right person: "
                                         "they join with the name and this PIN.", name=learner.name),
                            pin=shown_pin(pin), pin_for=learner.name)
        elif action == "forget":
            removed = await workshop.run(store.forget_id, learner.id)
            identities.forgotten(learner.id)
            workshop.pacing.forget(learner.id)
            end_kernels(self, learner_kernels(workshop, learner.id), "its learner was forgotten")
            await self.show(self.ngettext("Deleted '%(name)s' and %(n)s saved answer.",
                                          "Deleted '%(name)s' and %(n)s saved answers.", removed, name=learner.name))
        else:
            raise tornado.web.HTTPError(404)


def come_back_rows(workshop: Workshop) -> list[dict]:
    """The "It's me" requests waiting for the facilitator, as their screens show them."""
    now = workshop.identities.requests.clock()
    return [{"id": r.id, "name": r.name, "code": shown_ask_code(r.code), "seconds": int(now - r.created)}
            for r in workshop.identities.requests.waiting()]


class ComeBackApiHandler(_FacilitatorPage):
    """The "It's me" requests waiting, as JSON (for a script; the start page and the roster show them)."""

    def get(self):
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(come_back_rows(self.workshop), ensure_ascii=False))


class ComeBackAnswerHandler(_FacilitatorPage):
    """The facilitator's one tap on an "It's me" request: ``let-in`` (the asking device joins as that learner, once)
    or ``refuse``. Only a facilitator (403 otherwise, checked in ``prepare``); a request that does not exist is 404,
    one answered already 409, one expired 410."""

    def post(self, action: str):
        requests = self.workshop.identities.requests
        before = requests.answer(self.get_argument("request", ""), let_in=action == "let-in")
        status = {None: 404, Asked.WAITING: 303, Asked.EXPIRED: 410}.get(before, 409)
        next_url = safe_next(self.get_argument("next", None), self.base_url)
        if next_url == self.base_url:
            next_url = self.base_url + "facilitator/start"
        if status == 303:
            self.redirect(next_url, status=303)
            return
        message = {404: "That request is no longer here.", 409: "That request has been answered already.",
                   410: "That request waited too long and has expired: the trainee can ask again."}[status]
        self.page("come-back-answered.html", status, message=message, next=next_url)


class RosterApiHandler(_FacilitatorPage):
    async def get(self):
        rows = await self.workshop.run(self.workshop.store.roster)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps([{"id": r.learner.id, "name": r.learner.name, "answers": r.answers,
                                 "devices": r.devices, "claimed": r.claimed, "last_seen": r.last_seen}
                                for r in rows], ensure_ascii=False))


def _journals_zip(store: Store) -> bytes:
    from ..documents.journal import certificate_html, journal_html, journal_markdown
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for learner in store.learners():
            stem = unique_file_stem(learner.name)  # one archive holds every learner's files: no two may share a name
            archive.writestr(f"journal-{stem}.html", journal_html(store, learner))
            archive.writestr(f"journal-{stem}.md", journal_markdown(store, learner))
            certificate = certificate_html(store, learner)
            if certificate:
                archive.writestr(f"certificate-{stem}.html", certificate)
    return buffer.getvalue()


class ExportHandler(_FacilitatorPage):
    """A zip of every learner's journal (web page and Markdown, and the certificate once earned)."""

    async def get(self):
        body = await self.workshop.run(_journals_zip, self.workshop.store)
        self.set_header("Content-Type", "application/zip")
        self.set_header("Content-Disposition", f'attachment; filename="journals-{datetime.now():%Y-%m-%d}.zip"')
        self.finish(body)


class EvaluationExportHandler(_FacilitatorPage):
    """The room's end-of-day evaluation as CSV: counts for each rating and every comment, with no names."""

    async def get(self):
        from ..documents.evaluation import evaluation_csv
        text, _ = await self.workshop.run(evaluation_csv, self.workshop.store)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="evaluation-{datetime.now():%Y-%m-%d}.csv"')
        self.finish(text)


# -- the facilitator's dashboard and exports ---------------------------------------------------------------
class DashboardHandler(_FacilitatorPage):
    """Who has joined and where they are (each one's slide, the room's question, their last answer), the questions
    the room finds hardest, the polls so far, and exports. ``?part=live`` is the part the page fetches again every
    few seconds, so it brings itself up to date."""

    async def get(self):
        from ..documents.room_report import dashboard
        from .pacing import ASLEEP_SECONDS
        pacing = self.workshop.pacing
        now = pacing.clock()
        slide = pacing.room_slide()
        places = {learner_id: {"deck": seen[0].deck, "h": seen[0].h, "v": seen[0].v, "ago": now - seen[0].seen,
                               "asleep": now - seen[0].seen > ASLEEP_SECONDS, "on_slide": pacing.on_slide(seen)}
                  for learner_id, seen in pacing.places().items()}
        room = {"slide": slide, "items": pacing.items if slide else (), "places": places,
                "following": pacing.state()["following"]}
        report = await self.workshop.run(dashboard, self.workshop.store, room)
        live = self.get_query_argument("part", "") == "live"
        self.page("dashboard-live.html" if live else "dashboard.html", code=self.workshop.join_code, **report)


class CsvExportHandler(_FacilitatorPage):
    """Every saved answer (anonymous unless ``?names=1``), or the roster (``roster.csv``), as CSV."""

    async def get(self, what: str = "answers"):
        from ..documents.room_report import answers_csv, roster_csv
        if what == "roster":
            text, name = await self.workshop.run(roster_csv, self.workshop.store), "roster"
        else:
            names = self.get_argument("names", "") == "1"
            text = await self.workshop.run(answers_csv, self.workshop.store, names)
            name = "answers-" + ("named" if names else "anonymous")
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{name}-{datetime.now():%Y-%m-%d}.csv"')
        self.finish(text)


def routes(route, conf: dict) -> list:
    """The workshop's routes, for ``CourseVoila.init_handlers`` (``route`` adds the base URL)."""
    return [
        (route(r"/join"), JoinHandler, conf),
        (route(r"/join/pin"), NewPinHandler, conf),
        (route(r"/join/ask"), AskHandler, conf),
        (route(r"/join/ask/status"), AskStatusHandler, conf),
        (route(r"/leave"), LeaveHandler, conf),
        (route(r"/course/my-journal"), MyJournalHandler, conf),
        (route(r"/facilitator"), RosterHandler, conf),
        (route(r"/facilitator/sign-in"), SignInHandler, conf),
        (route(r"/facilitator/start"), StartHandler, conf),
        (route(r"/facilitator/export"), ExportHandler, conf),
        (route(r"/facilitator/evaluation"), EvaluationExportHandler, conf),
        (route(r"/facilitator/api/roster"), RosterApiHandler, conf),
        (route(r"/facilitator/api/requests"), ComeBackApiHandler, conf),
        (route(r"/facilitator/requests/(let-in|refuse)"), ComeBackAnswerHandler, conf),
        (route(r"/facilitator/dashboard"), DashboardHandler, conf),
        (route(r"/facilitator/(answers|roster)\.csv"), CsvExportHandler, conf),
        (route(r"/facilitator/(rename|merge|reassign|forget)"), RosterHandler, conf),
    ]
