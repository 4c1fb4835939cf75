"""Workshop mode on the server: the join page, trainees' private cookies, and the facilitator's key-only pages.

- ``/join``: a trainee types the join code and a display name; the browser gets an HTTP-only, SameSite=Lax cookie
  holding a random token (see ``state/identity.py``). A name in use needs the PIN its first device was shown.
  Refusals are HTTP statuses: 400 a bad name, 403 a wrong code or PIN, 409 a name in use, 429 too many wrong tries.
- ``/leave``: "Not you? Leave" signs this device out and clears the cookie.
- ``/course/my-journal``: the journal of the cookie's learner, whatever the address says.
- ``/facilitator``, ``/facilitator/start``, ``/facilitator/export``, ``/facilitator/evaluation`` (the end-of-day
  evaluation as CSV, no names), ``/facilitator/api/roster`` and the roster's actions (rename, merge, reassign,
  forget), ``/facilitator/dashboard`` (who is where, the hardest questions, the polls so far) and
  ``/facilitator/answers.csv`` (anonymous unless ``?names=1``): only with the facilitator key, else 403. The key
  arrives once in the address printed at start (``?key=``), is moved into an HTTP-only cookie, and the address is
  cleaned, so it never stays on the projector.

The kernel side (which learner a page's kernel writes for) is in ``server.py``.
"""
from __future__ import annotations

import hmac
import io
import json
import socket
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode, urlparse

import jinja2
import tornado.web
from markupsafe import Markup

from .. import paths
from ..state.identity import Identities, JoinResult, Outcome, shown_pin
from ..state.store import Learner, NameInUse, Store
from ..state.learner import LearnerNameError, safe_file_stem
from ..text import date_and_clock

TRAINEE_COOKIE = "artisan_course_trainee"
FACILITATOR_COOKIE = "artisan_course_facilitator"
KEY_HEADER = "X-Facilitator-Key"
SETTING = "artisan_course_workshop"  # where the server's tornado settings keep the Workshop
COOKIE_DAYS = 30

_pages = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(paths.PAGES_DIR)),
    autoescape=jinja2.select_autoescape(["html"]),
)
_pages.filters["when"] = date_and_clock

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


@dataclass
class Workshop:
    """Everything the workshop server knows that the kernels must not: the join code, the key, who owns which kernel."""

    identities: Identities
    key: str
    join_address: str                     # http://<this machine on the network>:<port>/ (what trainees type)
    kernel_owners: dict[str, int] = field(default_factory=dict)
    facilitator_kernels: set[str] = field(default_factory=set)  # kernels of pages opened with the facilitator key

    @property
    def join_code(self) -> str:
        return self.identities.join_code

    @property
    def store(self) -> Store:
        return self.identities.store

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

    def key_matches(self, typed: str | None) -> bool:
        return bool(typed) and hmac.compare_digest(str(typed).encode(), self.key.encode())

    def facilitator(self, handler: tornado.web.RequestHandler) -> bool:
        """True when this request carries the facilitator's key (its cookie or header), checked here on the server."""
        return self.key_matches(handler.get_cookie(FACILITATOR_COOKIE)) or self.key_matches(
            handler.request.headers.get(KEY_HEADER))


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

    def page(self, template: str, status: int = 200, **values) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(_pages.get_template(template).render(base_url=self.base_url, xsrf=Markup(self.xsrf_form_html()),
                                                         **values))

    def set_trainee_cookie(self, token: str) -> None:
        self.set_cookie(TRAINEE_COOKIE, token, path=self.base_url, httponly=True, samesite="Lax",
                        expires_days=COOKIE_DAYS)


# -- trainees --------------------------------------------------------------------------------------
class JoinHandler(_Page):
    def get(self):
        workshop = self.workshop
        next_url = safe_next(self.get_argument("next", None), self.base_url)
        learner = workshop.learner(self)
        if learner is not None:
            self.page("join.html", state="signed-in", name=learner.name, next=next_url)
            return
        # Never a name filled in: a shared phone must not offer the last person's name.
        self.page("join.html", state="form", code=self.get_argument("code", ""), next=next_url)

    def post(self):
        self.check_xsrf_cookie()
        workshop = self.workshop
        next_url = safe_next(self.get_argument("next", None), self.base_url)
        code = self.get_argument("code", "")
        result = workshop.identities.join(code, self.get_argument("name", ""), self.get_argument("pin", ""),
                                          client=self.request.remote_ip or "")
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


class NewPinHandler(_Page):
    """A signed-in trainee asks for a new PIN, to carry on from another device."""

    def post(self):
        self.check_xsrf_cookie()
        learner = self.workshop.learner(self)
        if learner is None:
            join_redirect(self, self.base_url)
            return
        pin = self.workshop.identities.new_pin(learner)
        self.page("join.html", state="joined", name=learner.name, pin=shown_pin(pin), claimed=False, renewed=True,
                  next=safe_next(self.get_argument("next", None), self.base_url))


class LeaveHandler(_Page):
    """"Not you? Leave": this device forgets who it was; the answers stay saved under their owner."""

    def get(self):
        learner = self.workshop.learner(self)
        if learner is None:
            self.page("join.html", state="left")
            return
        self.page("join.html", state="leave", name=learner.name)

    def post(self):
        self.check_xsrf_cookie()
        self.workshop.identities.leave(self.get_cookie(TRAINEE_COOKIE))
        self.clear_cookie(TRAINEE_COOKIE, path=self.base_url)
        self.page("join.html", state="left")


class MyJournalHandler(_Page):
    """The journal of the learner whose cookie this is. No name or id in the address is ever read."""

    def get(self):
        from ..documents.journal import journal_html
        learner = self.workshop.learner(self)
        if learner is None:
            raise tornado.web.HTTPError(403)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="journal-{safe_file_stem(learner.name)}.html"')
        self.finish(journal_html(self.workshop.store, learner))


# -- the facilitator -----------------------------------------------------------------------------------
class _FacilitatorPage(_Page):
    """Refuses (403) anyone without the key: in the header, once in the address, or in the cookie it leaves."""

    def prepare(self):
        workshop = self.workshop
        from_address = self.get_query_argument("key", None)
        if from_address is not None and self.request.method == "GET":
            if not workshop.key_matches(from_address):
                self.refuse()
                return
            # Keep the key in a cookie and take it out of the address bar (which the projector may show).
            self.set_cookie(FACILITATOR_COOKIE, workshop.key, path=self.base_url, httponly=True, samesite="Strict")
            self.redirect(self.request.path, status=303)
            return
        if workshop.key_matches(self.request.headers.get(KEY_HEADER)):
            return
        if workshop.key_matches(self.get_cookie(FACILITATOR_COOKIE)):
            if self.request.method not in ("GET", "HEAD"):
                self.check_xsrf_cookie()
            return
        self.refuse()

    def refuse(self) -> None:
        self.page("facilitator-only.html", 403)

    def check_xsrf_cookie(self) -> None:
        if self.workshop.key_matches(self.request.headers.get(KEY_HEADER)):
            return  # a script that sends the key itself cannot be a forged form
        super().check_xsrf_cookie()


class StartHandler(_FacilitatorPage):
    """The projector's join screen: the address, the QR code and the join code, in big type."""

    def get(self):
        workshop = self.workshop
        self.page("start.html", address=workshop.join_url, qr=qr_svg(workshop.qr_url), code=workshop.join_code,
                  count=len(workshop.store.learners()))


class RosterHandler(_FacilitatorPage):
    def get(self, action: str | None = None):
        if action is not None:
            raise tornado.web.HTTPError(405)
        self.show()

    def show(self, message: str = "", pin: str | None = None, status: int = 200, pin_for: str = "") -> None:
        rows = self.workshop.store.roster()
        self.page("facilitator.html", status, rows=rows, message=message, pin=pin, pin_for=pin_for,
                  code=self.workshop.join_code, address=self.workshop.join_url)

    def post(self, action: str | None = None):
        if action is None:
            raise tornado.web.HTTPError(405)
        store = self.workshop.store
        try:
            learner_id = int(self.get_argument("learner"))
        except (ValueError, tornado.web.MissingArgumentError):
            raise tornado.web.HTTPError(400)
        learner = store.learner_by_id(learner_id)
        if learner is None:
            self.show("That learner is no longer in the store.", status=404)
            return
        if action == "rename":
            try:
                renamed = store.rename(learner.id, self.get_argument("name", ""))
            except (NameInUse, LearnerNameError) as exc:
                self.show(str(exc), status=409 if isinstance(exc, NameInUse) else 400)
                return
            self.show(f"'{learner.name}' is now called '{renamed.name}'.")
        elif action == "merge":
            try:
                into = store.learner_by_id(int(self.get_argument("into")))
            except (ValueError, tornado.web.MissingArgumentError):
                into = None
            if into is None or into.id == learner.id:
                self.show("Choose another learner to merge into.", status=400)
                return
            moved = store.merge(learner.id, into.id)
            self.show(f"Moved {moved} answer(s) and every device from '{learner.name}' to '{into.name}'.")
        elif action == "reassign":
            pin = self.workshop.identities.reassign(learner)
            self.show(f"Every device of '{learner.name}' is signed out. Give this PIN to the right person: they join "
                      "with the name and this PIN.", pin=shown_pin(pin), pin_for=learner.name)
        elif action == "forget":
            removed = store.forget_id(learner.id)
            self.show(f"Deleted '{learner.name}' and {removed} saved answer(s).")
        else:
            raise tornado.web.HTTPError(404)


class RosterApiHandler(_FacilitatorPage):
    def get(self):
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps([{"id": r.learner.id, "name": r.learner.name, "answers": r.answers,
                                 "devices": r.devices, "claimed": r.claimed, "last_seen": r.last_seen}
                                for r in self.workshop.store.roster()], ensure_ascii=False))


class ExportHandler(_FacilitatorPage):
    """A zip of every learner's journal (web page and Markdown, and the certificate once earned)."""

    def get(self):
        from ..documents.journal import certificate_html, journal_html, journal_markdown
        store = self.workshop.store
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for learner in store.learners():
                stem = safe_file_stem(learner.name)
                archive.writestr(f"journal-{stem}.html", journal_html(store, learner))
                archive.writestr(f"journal-{stem}.md", journal_markdown(store, learner))
                certificate = certificate_html(store, learner)
                if certificate:
                    archive.writestr(f"certificate-{stem}.html", certificate)
        self.set_header("Content-Type", "application/zip")
        self.set_header("Content-Disposition", f'attachment; filename="journals-{datetime.now():%Y-%m-%d}.zip"')
        self.finish(buffer.getvalue())


class EvaluationExportHandler(_FacilitatorPage):
    """The room's end-of-day evaluation as CSV: counts for each rating and every comment, with no names."""

    def get(self):
        from ..documents.evaluation import evaluation_csv
        text, _ = evaluation_csv(self.workshop.store)
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="evaluation-{datetime.now():%Y-%m-%d}.csv"')
        self.finish(text)


# -- the facilitator's dashboard and exports ---------------------------------------------------------------
class DashboardHandler(_FacilitatorPage):
    """Who has joined and where they are, the questions the room finds hardest, the polls so far, and exports."""

    def get(self):
        from ..documents.room_report import dashboard
        self.page("dashboard.html", code=self.workshop.join_code, **dashboard(self.workshop.store))


class CsvExportHandler(_FacilitatorPage):
    """Every saved answer (anonymous unless ``?names=1``), or the roster (``roster.csv``), as CSV."""

    def get(self, what: str = "answers"):
        from ..documents.room_report import answers_csv, roster_csv
        if what == "roster":
            text, name = roster_csv(self.workshop.store), "roster"
        else:
            names = self.get_argument("names", "") == "1"
            text, name = answers_csv(self.workshop.store, names), "answers-" + ("named" if names else "anonymous")
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{name}-{datetime.now():%Y-%m-%d}.csv"')
        self.finish(text)


def routes(route, conf: dict) -> list:
    """The workshop's routes, for ``CourseVoila.init_handlers`` (``route`` adds the base URL)."""
    return [
        (route(r"/join"), JoinHandler, conf),
        (route(r"/join/pin"), NewPinHandler, conf),
        (route(r"/leave"), LeaveHandler, conf),
        (route(r"/course/my-journal"), MyJournalHandler, conf),
        (route(r"/facilitator"), RosterHandler, conf),
        (route(r"/facilitator/start"), StartHandler, conf),
        (route(r"/facilitator/export"), ExportHandler, conf),
        (route(r"/facilitator/evaluation"), EvaluationExportHandler, conf),
        (route(r"/facilitator/api/roster"), RosterApiHandler, conf),
        (route(r"/facilitator/dashboard"), DashboardHandler, conf),
        (route(r"/facilitator/(answers|roster)\.csv"), CsvExportHandler, conf),
        (route(r"/facilitator/(rename|merge|reassign|forget)"), RosterHandler, conf),
    ]
