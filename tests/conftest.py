from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "artifacts"


# -- browser tests are marked by what they use ---------------------------------------------
BROWSER_FIXTURES = {"browser", "offline", "slide_server", "lab_server"}


def is_browser_test(item) -> bool:
    """A test in a ``*_browser.py`` file, or one that uses a browser or a live server."""
    return item.path.name.endswith("_browser.py") or bool(BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by mark
def pytest_collection_modifyitems(config, items):
    for item in items:
        if is_browser_test(item):
            item.add_marker(pytest.mark.browser)


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped browser test is a failure: the browser tests must run there, not quietly pass by."""
    report = yield
    if report.skipped and in_ci() and item.get_closest_marker("browser") and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"CI=true, and the browser test {item.nodeid} was skipped ({reason}). In CI every browser "
                           "test must run.")
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """The same for a whole browser test file skipped while it is collected."""
    report = yield
    if report.skipped and in_ci() and getattr(collector, "path", None) and collector.path.name.endswith("_browser.py"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = (f"CI=true, and the browser tests in {collector.path.name} were skipped ({reason}). In CI "
                           "they must run.")
    return report


# -- waiting ---------------------------------------------------------------------------
def wait_until(condition, timeout: float, what: str, interval: float = 0.25):
    """Check ``condition()`` until it returns something truthy, and return that.

    For conditions a browser cannot see (a store row, a process, a server's
    status). Fails after ``timeout`` seconds, naming ``what`` it waited for.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}")
        time.sleep(interval)


# -- learners and their stores -----------------------------------------------------------
@pytest.fixture
def learner() -> str:
    """A learner of this test's own: the tests share one slide server and store, never a learner,
    so each can run alone and in any order."""
    return f"Trainee {uuid.uuid4().hex[:8]}"


@pytest.fixture(autouse=True)
def learner_home(tmp_path, monkeypatch):
    """Each test gets its own empty learner store."""
    home = tmp_path / "learner-home"
    monkeypatch.setenv("ARTISAN_COURSE_HOME", str(home))
    return home


# -- the store's two backends ------------------------------------------------------------
# A PostgreSQL server the store tests may use: a throwaway database they may create and drop schemas in (.ci/run
# starts one with .ci/postgres.sh and sets this). Each test gets a schema of its own, dropped after it.
TEST_DATABASE_ENV = "ARTISAN_COURSE_TEST_DATABASE_URL"


def postgres_test_url() -> str | None:
    url = os.environ.get(TEST_DATABASE_ENV, "").strip()
    if url:
        return url
    if in_ci():
        pytest.fail(f"CI=true and {TEST_DATABASE_ENV} is not set: in CI the store tests must run against PostgreSQL "
                    "too (.ci/run starts a server with .ci/postgres.sh start).")
    pytest.skip(f"no PostgreSQL server for the tests here (set {TEST_DATABASE_ENV}, for example from "
                "`.ci/postgres.sh start`)")


@pytest.fixture
def postgres_schema(monkeypatch):
    """A fresh, empty schema in the test server; the course's store points at it. Yields (admin url, store url)."""
    import psycopg
    from artisan_course.state.store import DATABASE_URL_ENV

    url = postgres_test_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    store_url = psycopg.conninfo.make_conninfo(url, options=f"-c search_path={schema}")
    monkeypatch.setenv(DATABASE_URL_ENV, store_url)
    yield url, store_url, schema
    from artisan_course.state import store as store_module
    store_module._shared.clear()
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def store_backend(request, monkeypatch):
    """Run a store test on both backends: SQLite (the default, a file) and PostgreSQL (a database server)."""
    from artisan_course.state.store import DATABASE_URL_ENV

    if request.param == "sqlite":
        monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
        return "sqlite"
    request.getfixturevalue("postgres_schema")
    return "postgres"


# A test about SQLite's own file (damage, file backups, old file schemas): SQLite only.
sqlite_only = pytest.mark.parametrize("store_backend", ["sqlite"], indirect=True)
# A test about what only a database server does (dropped connections, its own migrations): PostgreSQL only.
postgres_only = pytest.mark.parametrize("store_backend", ["postgres"], indirect=True)


@pytest.fixture
def fresh_session(monkeypatch):
    """A kernel's course state as on a new JupyterLab page: no learner, no store, nothing handed between tools."""
    from artisan_course.state.session import SESSION
    from artisan_course.state import handoff

    def reset():
        SESSION.learner = SESSION.store = SESSION.module = SESSION.store_warning = SESSION.open_problem = None
        SESSION.listeners.clear()
        handoff.forget()

    for name in ("SERVER_SOFTWARE", "VOILA_KERNEL_ID", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)
    reset()
    yield SESSION
    reset()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` serves a page (an error status counts as not yet); fail at once if ``process`` exits."""
    def answers() -> bool:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status < 500
        except Exception:  # not up yet
            return False

    wait_until(answers, timeout, f"{url} to answer")


def kernel_state(server_url: str, kernel_id: str) -> str:
    """What the server last heard from a kernel: "starting", "busy" or "idle"."""
    with urllib.request.urlopen(f"{server_url.rstrip('/')}/api/kernels/{kernel_id}", timeout=10) as response:
        return json.loads(response.read())["execution_state"]


def expected_slide_count(path: Path) -> int:
    """Horizontal slides in a deck, from its cells' slideshow metadata."""
    nb = nbformat.read(path, as_version=4)
    types = [c.metadata.get("slideshow", {}).get("slide_type", "-") for c in nb.cells]
    visible = [t for t in types if t not in ("skip", "notes")]
    return 1 + sum(1 for t in visible[1:] if t == "slide")


SLIDER_DECK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}}, "source": "# A slider"},
        {"cell_type": "code", "metadata": {"slideshow": {"slide_type": "-"}}, "execution_count": None, "outputs": [],
         "source": "import ipywidgets as w\nw.IntSlider(value=5, min=0, max=10, description='Pieces')"},
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}}, "source": "# Next slide"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}
TALL_DECK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}},
         "source": "# A long slide\n\n" + "\n".join(f"- point number {i}" for i in range(1, 31))
         + "\n\nThe last line."},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}
EMPTY_DECK = {
    "cells": [{"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}}, "source": "# Empty"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def code_deck(source: str) -> dict:
    return {
        "cells": [{"cell_type": "code", "metadata": {"slideshow": {"slide_type": "slide"}}, "execution_count": None,
                   "outputs": [], "source": source}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


# One fixture deck per interactive tool: zz-fixture-<name>.ipynb shows the tool alone on a slide.
FIXTURE_TOOLS = {
    "anchoring": "show_anchoring_simulator",
    "fairness": "show_fairness_simulator",
    "contingency": "show_contingency_simulator",
    "negotiation": "show_negotiation_simulator",
    "milestones": "show_milestone_planner",
    "agreement": "show_agreement_builder",
    "channels": "channel_chooser",
    "conflict-plan": "conflict_plan_builder",
    "messages": "message_drafting",
    "listening": "listening_practice",
    "action-plan": "action_plan",
}


def make_course_copy(root: Path) -> Path:
    """A course folder for a test server: the real notebooks and data, plus two fixture decks."""
    (root / "notebooks").mkdir(parents=True)
    for path in (REPO / "notebooks").glob("*.ipynb"):
        (root / "notebooks" / path.name).symlink_to(path)
    (root / "data").symlink_to(REPO / "data")
    (root / "node_modules").symlink_to(REPO / "node_modules")
    (root / "notebooks" / "zz-fixture-slider.ipynb").write_text(json.dumps(SLIDER_DECK))
    (root / "notebooks" / "zz-fixture-empty.ipynb").write_text(json.dumps(EMPTY_DECK))
    (root / "notebooks" / "zz-fixture-tall.ipynb").write_text(json.dumps(TALL_DECK))
    for name, call in FIXTURE_TOOLS.items():
        source = f"from artisan_course import {call}\n{call}();"
        (root / "notebooks" / f"zz-fixture-{name}.ipynb").write_text(json.dumps(code_deck(source)))
    (root / "exercises").mkdir()
    for path in (REPO / "exercises").glob("*.ipynb"):
        (root / "exercises" / path.name).symlink_to(path)
    (root / "solutions").mkdir()
    (root / "solutions" / "secret-solution.ipynb").write_text(json.dumps(EMPTY_DECK))
    return root


class SlideServer:
    def __init__(self, root: Path, home: Path, port: int, *extra: str):
        self.root, self.home, self.port = root, home, port
        self.url = f"http://127.0.0.1:{port}/"
        env = dict(os.environ, ARTISAN_COURSE_ROOT=str(root), ARTISAN_COURSE_HOME=str(home))
        self.log = open(root / "server.log", "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "artisan_course.cli", "slides", "--port", str(port), "--no-browser", *extra],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for_http(self.url, timeout=90, process=self.process)

    def kernels(self) -> int:
        with urllib.request.urlopen(self.url + "course/api/status", timeout=10) as response:
            return json.loads(response.read())["kernels"]

    def kernel_state(self, kernel_id: str) -> str:
        return kernel_state(self.url, kernel_id)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture(scope="session")
def slide_server(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    server = SlideServer(root, tmp_path_factory.mktemp("store"), free_port())
    yield server
    server.stop()


# -- browser -------------------------------------------------------------------
def chromium_executable() -> str | None:
    """Debian's Chromium or $CHROMIUM; None means Playwright's own browser."""
    env = os.environ.get("CHROMIUM")
    if env:
        return env
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    if os.environ.get("CI") == "true":
        pytest.fail("CI must run the browser tests, but no Chromium was found at $CHROMIUM or /usr/bin/chromium.")
    return None


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


# Any URL that is not on this machine. The pattern is matched inside
# Playwright's driver, so local requests are not slowed by a round trip to Python.
NOT_LOCAL = re.compile(r"^(?!(https?|wss?)://(127\.0\.0\.1|localhost)(:\d+)?/)(?!data:|blob:).*")


class OfflinePage:
    """A browser page that aborts every request not to localhost, and records them all."""

    def __init__(self, browser, width=1280, height=720, **options):
        self.context = browser.new_context(viewport={"width": width, "height": height}, **options)
        self.blocked: list[str] = []
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.context.route(NOT_LOCAL, self._abort)
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self._watch(self.page)
        self.context.on("page", self._watch)

    def _watch(self, page):
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))

    def _abort(self, route):
        self.blocked.append(route.request.url)
        route.abort()

    def external_requests(self) -> list[str]:
        """Every request, blocked or not, that tried to leave this machine."""
        return self.blocked + [u for u in self.requests if NOT_LOCAL.match(u)]

    def close(self):
        self.context.close()


@pytest.fixture
def offline(browser):
    pages = []

    def make(width=1280, height=720, **options):
        page = OfflinePage(browser, width, height, **options)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.close()


def screenshot_dir(*parts: str) -> Path:
    folder = ARTIFACTS.joinpath("screenshots", *parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def lao():
    """The kernel speaks Lao for the test, as a Lao deck's first cell makes it (``i18n.use("lo")``); English after."""
    from artisan_course import i18n
    i18n.use("lo")
    try:
        yield
    finally:
        i18n.use("en")


def widget_text(widget) -> str:
    """Every piece of text a widget tree shows, depth first: HTML values, labels, descriptions, placeholders,
    tooltips and a menu's labels (not its value, a key)."""
    parts = []
    for name in ("value", "description", "placeholder", "tooltip"):
        if name == "value" and hasattr(widget, "_options_labels"):
            continue
        value = getattr(widget, name, None)
        if isinstance(value, str):
            parts.append(value)
    parts.extend(getattr(widget, "_options_labels", ()))
    for child in getattr(widget, "children", ()):
        parts.append(widget_text(child))
    return "\n".join(parts)
