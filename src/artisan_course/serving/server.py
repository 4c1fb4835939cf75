"""The slide server: Voilà, plus the few pages the course adds.

:class:`CourseVoila` is Voilà's own application with a few extra routes, placed
before Voilà's so they win:

- ``/`` (and ``/voila/tree``): the course landing page, built from the course map;
- ``/course/reveal/dist/...``: reveal.js's CSS and script, from the npm install;
- ``/course/pages/...``: the stylesheet of the course's own pages;
- ``/course/fonts/...``: the Lao font (Noto Sans Lao), from the npm install or the wheel;
- ``/course/preview/<notebook>``: a deck rendered without a kernel, for the
  speaker view's preview frames (so pressing S starts no kernels);
- ``/course/api/status``: how many kernels are running (used by tests and ``check``);
- ``/course/api/xsrf``: sets the cookie Voilà needs to shut a kernel down when its page closes;
- ``/course/api/room``: where the room is, for a deck that follows the facilitator (``pacing.py``);
- ``/voila/query/<kernel>``: where a preheated kernel is given its page request, once it proves it is that kernel.

The rest lives beside it: ``kernel_pools.py`` (every deck kernel's life: preheated pools, pages that are gone, the
cap), ``kernel_access.py`` (which learner a kernel works for, and who may talk to it) and ``workshop.py`` (the join
page and the facilitator's pages, in workshop mode).
"""
from __future__ import annotations

import asyncio
import json
import os
import signal
import webbrowser
from pathlib import Path

import tornado.ioloop
import tornado.web
from voila.app import Voila

from .. import i18n, paths
from ..i18n import pages as i18n_pages
from ..limits import WEBSOCKET_LIMIT_BYTES
from ..content.course_map import CourseMapError, load_course_map
from . import deck_kip, kernel_pools
from .deck_words import DeckWordsHandler
from .kernel_access import (KERNEL_ID, DeckHandler, KernelRequestInfo, OwnKernelModel, OwnKernelShutdown,
                            OwnKernelWebsocket)
from .kernel_pools import KernelPools, pools_of
from .pacing import routes as pacing_routes
from .workshop import SETTING as WORKSHOP_SETTING, Workshop, join_redirect, workshop_of
from .workshop import routes as workshop_routes

_pages_env = i18n_pages.environment(paths.PAGES_DIR)


class _CourseHandler(tornado.web.RequestHandler):
    def initialize(self, base_url: str = "/", **kwargs):
        self.base_url = base_url
        self.options = kwargs

    def set_default_headers(self):
        self.set_header("Cache-Control", "no-cache")


class LandingHandler(_CourseHandler):
    """The course map as a page: modules in reading order, minutes, and links."""

    def get(self, *args):
        workshop = workshop_of(self)
        presenting = workshop is not None and workshop.facilitator(self)  # no trainee, no join form, no PIN
        learner = workshop.learner(self) if workshop is not None and not presenting else None
        if workshop is not None and learner is None and not presenting:
            join_redirect(self, self.base_url)
            return
        try:
            course = load_course_map()
            problem = None
        except CourseMapError as exc:
            course, problem = None, str(exc)
        notebooks = paths.notebooks_dir()
        if workshop is not None:
            self.xsrf_token  # the cookie the page's questions to the room (course/api/room) carry
        lang = workshop.language_of(self, learner) if workshop is not None else i18n_pages.request_language(self)
        template = _pages_env.get_template("landing.html")
        self.write(template.render(
            course=course,
            problem=problem,
            base_url=self.base_url,
            lang=lang,
            chooser=i18n_pages.chooser(self, lang),
            available={m.id: (notebooks / m.notebook).is_file() for m in course.modules} if course else {},
            decks={m.id: _deck_in(notebooks, m.notebook, lang) for m in course.modules} if course else {},
            workshop=workshop is not None,
            presenting=presenting,
            learner_name=learner.name if learner else None,
        ))


def _deck_in(notebooks: Path, notebook: str, lang: str) -> str:
    """The deck a reader of ``lang`` opens: its translation (``lo/<deck>``) when there is one, else the English."""
    translated = i18n.deck_path(notebook, lang)
    return translated if (notebooks / translated).is_file() else notebook


class PreviewHandler(_CourseHandler):
    """A deck rendered from the notebook file alone: no kernel, no code, no outputs."""

    def get(self, notebook: str):
        from .preview import render_preview

        workshop = workshop_of(self)
        if workshop is not None and workshop.learner(self) is None and not workshop.facilitator(self):
            raise tornado.web.HTTPError(403)  # in a workshop, the decks are for those who joined (and the facilitator)

        # Only notebooks under notebooks/: no absolute paths, no "..".
        relative = Path(notebook)
        if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".ipynb":
            raise tornado.web.HTTPError(404)
        target = paths.notebooks_dir() / relative
        if not target.is_file():
            raise tornado.web.HTTPError(404)
        self.write(render_preview(target, base_url=self.base_url))


class XsrfHandler(_CourseHandler):
    """Sets the _xsrf cookie for a deck page.

    Voilà's front end shuts a page's kernel down when the page closes, with a
    POST that carries the _xsrf cookie's value. Voilà's own page never sets
    that cookie, so the POST was refused and the kernel lived on until culled.
    """

    def get(self):
        self.xsrf_token  # reading it sets the cookie
        self.set_status(204)


class StatusHandler(_CourseHandler):
    """How many kernels run; in a room, also how many serve pages, wait preheated, and the cap."""

    def get(self):
        manager = self.options["kernel_manager"]
        self.set_header("Content-Type", "application/json")
        pools = pools_of(self)
        self.write(json.dumps(pools.status() if pools is not None else {"kernels": len(manager.list_kernel_ids())}))


def kernel_side_address(ip: str) -> str:
    """An address of this server that its kernels, on the same computer, can reach for ``ip`` it listens on."""
    if ip in ("", "0.0.0.0"):
        return "127.0.0.1"  # every IPv4 network (and, for "", IPv6 too) includes loopback
    if ip == "::":
        return "::1"        # every IPv6 network only
    return ip


def keep_ctrl_c(loop: asyncio.AbstractEventLoop) -> None:
    """Ctrl-C (SIGINT) and SIGTERM stop the server whenever they come, even while a deck is being run.

    nbclient, which Voilà runs every deck with, sets its own SIGINT and SIGTERM handlers on the server's event loop
    while a notebook runs (``NotebookClient.async_setup_kernel``), and takes them away after. Meanwhile Ctrl-C only
    cleaned up that one deck's run, and the server went on; in a room some deck is nearly always running (pages
    opening, pool kernels warming), so the facilitator's Ctrl-C did nothing (found by ``benchmarks/field.py``).
    Taking them away also left SIGTERM with no handler at all (the server died without shutting its kernels down).
    So on this loop, nobody else may take these two signals: Python's own Ctrl-C (KeyboardInterrupt, which Voilà
    turns into a clean stop) and Voilà's SIGTERM handler stay. ``tests/test_kernels_lifetime.py`` fails without it.
    """
    add, remove = loop.add_signal_handler, loop.remove_signal_handler
    kept = (signal.SIGINT, signal.SIGTERM)

    def add_signal_handler(sig, callback, *args):
        if sig in kept:
            return None  # the server's own handling stays
        return add(sig, callback, *args)

    def remove_signal_handler(sig):
        if sig in kept:
            return False  # never replaced, so nothing to take away (asyncio would reset it to the default)
        return remove(sig)

    loop.add_signal_handler = add_signal_handler
    loop.remove_signal_handler = remove_signal_handler


def deck_page_routes(route, conf: dict) -> list:
    """What a deck page loads from the course besides Voilà: reveal.js, the pages' stylesheet and the Lao font, the
    kernel-free previews, the _xsrf cookie, the page's wording and the room's routes. The slide server serves them,
    and so does a trainee's own server on JupyterHub (hub_server.py)."""
    return [
        (route(r"/course/reveal/dist/(.*)"), tornado.web.StaticFileHandler, {"path": str(paths.reveal_dist())}),
        (route(r"/course/pages/(.*)"), tornado.web.StaticFileHandler, {"path": str(paths.PAGES_DIR / "static")}),
        # The Lao font (course-fonts.css names it), from the wheel or the checkout's npm install.
        (route(r"/course/fonts/(.*)"), tornado.web.StaticFileHandler,
         {"path": str(paths.lao_font_package() / "files")}),
        (route(r"/course/preview/(.*)"), PreviewHandler, conf),
        (route(r"/course/api/xsrf"), XsrfHandler, conf),
        (route(r"/course/words.js"), DeckWordsHandler, conf),  # the deck page's wording, in its language
    ] + pacing_routes(route, conf)  # outside a workshop the room answers that there is none


class CourseVoila(Voila):
    """Voilà with the course's landing page, local reveal.js assets and kernel-free previews."""

    name = "artisan-course-slides"
    workshop: Workshop | None = None  # set before initialize() by `artisan-course workshop`
    browser_url: str | None = None           # what to open at start instead of the course map
    class_size: int = 0                      # trainees expected (workshop): pools are sized for them from the start
    max_kernels: int | None = None           # None: as many as the free memory holds (default_max_kernels)
    page_gone_seconds: float = kernel_pools.PAGE_GONE_SECONDS
    quiet_seconds: float = kernel_pools.QUIET_SECONDS
    kernel_pools: KernelPools | None = None

    def initialize(self, argv=None):
        super().initialize(argv)
        # Kip beside every USD amount in the decks' Markdown (deck_kip.py), in every page Voilà renders.
        self.config.VoilaExporter.preprocessors = [deck_kip.NAME]
        # Room for a phone photo in one websocket message (see limits.py).
        self.tornado_settings = {**self.tornado_settings, "websocket_max_message_size": WEBSOCKET_LIMIT_BYTES}
        if self.workshop is not None:
            self.tornado_settings[WORKSHOP_SETTING] = self.workshop
            # Preheated kernels: the pools start empty (pool_size 0) and KernelPools sizes them per deck.
            self.voila_configuration.preheat_kernel = True
            self.voila_configuration.default_pool_size = 0
        # Where a preheated kernel asks for its page request: an address this server listens on, whatever --host
        # was (the kernel proves who it is with its own key, so the address it calls from does not matter).
        os.environ["VOILA_APP_IP"] = kernel_side_address(self.ip)

    def init_handlers(self):
        handlers = self._course_handlers()
        notebooks = []
        try:
            notebooks = [m.notebook for m in load_course_map().ready_modules()]
        except CourseMapError:
            pass
        self.kernel_pools = KernelPools(
            self.kernel_manager, notebooks=notebooks, preheat=self.voila_configuration.preheat_kernel,
            class_size=self.class_size,
            max_kernels=self.max_kernels if self.max_kernels is not None else kernel_pools.default_max_kernels(),
            page_gone_seconds=self.page_gone_seconds, quiet_seconds=self.quiet_seconds, log=self.log)
        self.app.settings[kernel_pools.SETTING] = self.kernel_pools
        if self.class_size:
            self.kernel_pools.plan()  # warm the first deck for the class before anyone joins
        tornado.ioloop.PeriodicCallback(self.kernel_pools.reap, kernel_pools.REAP_EVERY_SECONDS * 1000).start()
        return handlers

    def catch_ctrl_c(self) -> None:
        """From now on Ctrl-C stops the server cleanly (see :meth:`_stop_on_ctrl_c`), even before it listens."""
        signal.signal(signal.SIGINT, self._stop_on_ctrl_c)

    def start(self):
        self._loop = asyncio.get_event_loop()  # the loop Voilà runs (tornado's IOLoop.current() wraps it)
        keep_ctrl_c(self._loop)
        self.catch_ctrl_c()
        if getattr(self, "_ctrl_c", False):  # Ctrl-C came while the server was getting ready: stop at once
            self._loop.call_soon(self._loop.stop)
        super().start()

    def _stop_on_ctrl_c(self, sig, frame):
        """Ctrl-C stops the server's loop, after which Voilà shuts every kernel down, as it does on SIGTERM.

        Python's own Ctrl-C raises KeyboardInterrupt wherever the server happens to be, and sometimes that is inside
        the making of an event loop (a kernel being started or stopped): the half-made loop then printed a traceback
        to the facilitator as the server stopped. A Ctrl-C while the server is getting ready stops it as soon as it
        runs; a second Ctrl-C interrupts at once.
        """
        if getattr(self, "_ctrl_c", False):
            raise KeyboardInterrupt
        self._ctrl_c = True
        self.log.info("Stopping...")
        loop = getattr(self, "_loop", None)
        if loop is not None:  # before start() the flag alone stops the loop as soon as it runs
            loop.call_soon_threadsafe(loop.stop)

    def launch_browser(self):
        if self.browser_url is None:
            return super().launch_browser()
        try:
            webbrowser.open(self.browser_url, new=2)
        except webbrowser.Error:
            self.log.warning("No web browser found; open %s yourself.", self.browser_url)

    def _course_handlers(self):
        base = self.server_url or "/"
        conf = {"base_url": base}

        def route(pattern: str) -> str:
            return base.rstrip("/") + pattern

        ours = [
            (base, LandingHandler, conf),
            (route(r"/voila/tree(/.*)?"), LandingHandler, conf),
            (route(r"/favicon.ico"), tornado.web.RedirectHandler, {"url": route("/course/pages/favicon.svg")}),
            (route(r"/course/api/status"), StatusHandler, {**conf, "kernel_manager": self.kernel_manager}),
        ] + deck_page_routes(route, conf)
        ours.append((route(r"/voila/render/(.*)"), DeckHandler, {
            "template_paths": self.template_paths, "config": self.config,
            "voila_configuration": self.voila_configuration}))
        if self.voila_configuration.preheat_kernel:
            ours.append((route(rf"/voila/query/{KERNEL_ID}"), KernelRequestInfo))
        if self.workshop is not None:
            ours += workshop_routes(route, conf) + [
                (route(rf"/api/kernels/{KERNEL_ID}/channels"), OwnKernelWebsocket),
                (route(rf"/api/kernels/{KERNEL_ID}"), OwnKernelModel),
                (route(r"/voila/api/shutdown/(.*)"), OwnKernelShutdown),
            ]
        return ours + super().init_handlers()
