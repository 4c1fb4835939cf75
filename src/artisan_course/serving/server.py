"""The slide server: Voilà, plus the few pages the course adds.

:class:`CourseVoila` is Voilà's own application with four extra routes, placed
before Voilà's so they win:

- ``/`` (and ``/voila/tree``): the course landing page, built from the course map;
- ``/course/reveal/dist/...``: reveal.js's CSS and script, from the npm install;
- ``/course/pages/...``: the stylesheet of the course's own pages;
- ``/course/preview/<notebook>``: a deck rendered without a kernel, for the
  speaker view's preview frames (so pressing S starts no kernels);
- ``/course/api/status``: how many kernels are running (used by tests and ``check``);
- ``/course/api/xsrf``: sets the cookie Voilà needs to shut a kernel down when its page closes.

In workshop mode (``artisan-course workshop``, :class:`workshop.Workshop` given) it also serves the join page and
the facilitator's pages (``workshop.py``), and it decides who each page's kernel works for: the deck route reads
the trainee's cookie and starts the kernel with that learner's id in its environment, and a kernel's websocket,
model and shutdown answer only the browser whose learner owns it (403 otherwise). A deck or the course map opened
without a valid cookie goes to the join page.
"""
from __future__ import annotations

import json
import webbrowser
from pathlib import Path

import jinja2
import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .. import paths
from ..limits import WEBSOCKET_LIMIT_BYTES
from ..content.course_map import CourseMapError, load_course_map
from ..state.learner import FACILITATOR_ENV, LEARNER_ID_ENV
from . import workshop as room

_pages_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(paths.PAGES_DIR)),
    autoescape=jinja2.select_autoescape(["html"]),
)


class _CourseHandler(tornado.web.RequestHandler):
    def initialize(self, base_url: str = "/", **kwargs):
        self.base_url = base_url
        self.options = kwargs

    def set_default_headers(self):
        self.set_header("Cache-Control", "no-cache")


class LandingHandler(_CourseHandler):
    """The course map as a page: modules in reading order, minutes, and links."""

    def get(self, *args):
        workshop = room.workshop_of(self)
        learner = workshop.learner(self) if workshop is not None else None
        if workshop is not None and learner is None:
            room.join_redirect(self, self.base_url)
            return
        try:
            course = load_course_map()
            problem = None
        except CourseMapError as exc:
            course, problem = None, str(exc)
        notebooks = paths.notebooks_dir()
        template = _pages_env.get_template("landing.html")
        self.write(template.render(
            course=course,
            problem=problem,
            base_url=self.base_url,
            available={m.id: (notebooks / m.notebook).is_file() for m in course.modules} if course else {},
            workshop=workshop is not None,
            learner_name=learner.name if learner else None,
        ))


class PreviewHandler(_CourseHandler):
    """A deck rendered from the notebook file alone: no kernel, no code, no outputs."""

    def get(self, notebook: str):
        from .preview import render_preview

        workshop = room.workshop_of(self)
        if workshop is not None and workshop.learner(self) is None:
            raise tornado.web.HTTPError(403)  # in a workshop, the decks are for those who joined

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
    def get(self):
        manager = self.options["kernel_manager"]
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps({"kernels": len(manager.list_kernel_ids())}))


# -- workshop mode: which learner a kernel works for, and who may talk to it ------------------------------
class _KernelsFor:
    """The kernel manager as one deck request sees it: the kernel it starts works for this request's learner."""

    def __init__(self, manager, learner_id: int, owners: dict[str, int], facilitator: bool = False):
        self._manager, self._learner_id, self._owners = manager, learner_id, owners
        self._facilitator = facilitator

    def __getattr__(self, name):
        return getattr(self._manager, name)

    async def start_kernel(self, *, env=None, **kwargs):
        env = dict(env or {})
        env[LEARNER_ID_ENV] = str(self._learner_id)
        env[FACILITATOR_ENV] = "1" if self._facilitator else "0"  # the key was checked here, on the server
        kernel_id = await ensure_async(self._manager.start_kernel(env=env, **kwargs))
        running = set(self._manager.list_kernel_ids())
        for gone in [k for k in self._owners if k not in running]:
            del self._owners[gone]
        self._owners[kernel_id] = self._learner_id
        return kernel_id


class WorkshopDeckHandler(TornadoVoilaHandler):
    """Voilà's deck route, which in workshop mode starts the page's kernel for the cookie's learner only."""

    _learner_id: int | None = None
    _facilitator = False

    @property
    def kernel_manager(self):
        manager = self.settings["kernel_manager"]
        workshop = room.workshop_of(self)
        if workshop is None or self._learner_id is None:
            return manager
        return _KernelsFor(manager, self._learner_id, workshop.kernel_owners, self._facilitator)

    async def get(self, path=None):
        workshop = room.workshop_of(self)
        if workshop is not None:
            learner = workshop.learner(self)
            if learner is None:
                room.join_redirect(self, self.base_url)
                return
            self._learner_id = learner.id  # ?learner= in the address is never read in workshop mode
            self._facilitator = workshop.facilitator(self)  # the room's controls: only with the key's cookie
        await super().get(path)


def _refuse_unless_owner(handler, kernel_id: str) -> None:
    workshop = room.workshop_of(handler)
    if workshop is None:
        return
    learner = workshop.learner(handler)
    if learner is None or workshop.kernel_owners.get(kernel_id) != learner.id:
        raise tornado.web.HTTPError(403)


class OwnKernelWebsocket(VoilaKernelWebsocketHandler):
    async def get(self, kernel_id):
        _refuse_unless_owner(self, kernel_id)
        await super().get(kernel_id)


class OwnKernelModel(KernelHandler):
    async def prepare(self):
        await super().prepare()
        _refuse_unless_owner(self, self.path_kwargs.get("kernel_id", ""))


class OwnKernelShutdown(VoilaShutdownKernelHandler):
    async def prepare(self):
        await super().prepare()
        _refuse_unless_owner(self, self.path_args[0] if self.path_args else "")


_KERNEL_ID = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"


class CourseVoila(Voila):
    """Voilà with the course's landing page, local reveal.js assets and kernel-free previews."""

    name = "artisan-course-slides"
    workshop: "room.Workshop | None" = None  # set before initialize() by `artisan-course workshop`
    browser_url: str | None = None           # what to open at start instead of the course map

    def initialize(self, argv=None):
        super().initialize(argv)
        # Room for a phone photo in one websocket message (see limits.py).
        self.tornado_settings = {**self.tornado_settings, "websocket_max_message_size": WEBSOCKET_LIMIT_BYTES}
        if self.workshop is not None:
            self.tornado_settings[room.SETTING] = self.workshop

    def launch_browser(self):
        if self.browser_url is None:
            return super().launch_browser()
        try:
            webbrowser.open(self.browser_url, new=2)
        except webbrowser.Error:
            self.log.warning("No web browser found; open %s yourself.", self.browser_url)

    def init_handlers(self):
        base = self.server_url or "/"
        conf = {"base_url": base}
        reveal_dist = paths.reveal_dist()

        def route(pattern: str) -> str:
            return base.rstrip("/") + pattern

        ours = [
            (base, LandingHandler, conf),
            (route(r"/voila/tree(/.*)?"), LandingHandler, conf),
            (route(r"/course/reveal/dist/(.*)"), tornado.web.StaticFileHandler, {"path": str(reveal_dist)}),
            (route(r"/favicon.ico"), tornado.web.RedirectHandler, {"url": route("/course/pages/favicon.svg")}),
            (route(r"/course/pages/(.*)"), tornado.web.StaticFileHandler, {"path": str(paths.PAGES_DIR / "static")}),
            (route(r"/course/preview/(.*)"), PreviewHandler, conf),
            (route(r"/course/api/status"), StatusHandler, {**conf, "kernel_manager": self.kernel_manager}),
            (route(r"/course/api/xsrf"), XsrfHandler, conf),
        ]
        if self.workshop is not None:
            ours += room.routes(route, conf) + [
                (route(r"/voila/render/(.*)"), WorkshopDeckHandler, {
                    "template_paths": self.template_paths, "config": self.config,
                    "voila_configuration": self.voila_configuration}),
                (route(rf"/api/kernels/{_KERNEL_ID}/channels"), OwnKernelWebsocket),
                (route(rf"/api/kernels/{_KERNEL_ID}"), OwnKernelModel),
                (route(r"/voila/api/shutdown/(.*)"), OwnKernelShutdown),
            ]
        return ours + super().init_handlers()
