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
"""
from __future__ import annotations

import json
from pathlib import Path

import jinja2
import tornado.web
from voila.app import Voila

from .. import paths
from ..limits import WEBSOCKET_LIMIT_BYTES
from ..content.course_map import CourseMapError, load_course_map

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
        ))


class PreviewHandler(_CourseHandler):
    """A deck rendered from the notebook file alone: no kernel, no code, no outputs."""

    def get(self, notebook: str):
        from .preview import render_preview

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


class CourseVoila(Voila):
    """Voilà with the course's landing page, local reveal.js assets and kernel-free previews."""

    name = "artisan-course-slides"

    def initialize(self, argv=None):
        super().initialize(argv)
        # Room for a phone photo in one websocket message (see limits.py).
        self.tornado_settings = {**self.tornado_settings, "websocket_max_message_size": WEBSOCKET_LIMIT_BYTES}

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
        return ours + super().init_handlers()
