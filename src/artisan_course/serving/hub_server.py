"""The decks inside a trainee's own server on JupyterHub: a Jupyter server extension.

A hub gives each trainee a Jupyter server (``jupyterhub-singleuser``) in which Voilà runs as a server extension.
Voilà's extension alone does not make a course deck: the deck template loads reveal.js, the Lao font, the page's
wording and the room's routes from the course (``server.deck_page_routes``), and the template's reveal settings
and the kip in the Markdown are set by the slide server. This extension adds them to the trainee's server, with:

- ``<base>/voila/render/<deck>.ipynb``: a deck from ``notebooks/``, at the address the slide server gives it, so the
  links between decks, the previews and the course map work unchanged; only for the server's own signed-in user
  (the hub's sign-in), and the kernel is the trainee's, whose learner the hub set (``jupyterhub_config.py``);
- ``<base>/course/``: the course map (course material only: outside a workshop it shows nobody's words).

The hub config enables it with ``--ServerApp.jpserver_extensions``; nothing enables it in a plain JupyterLab.
"""
from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import tornado.web
from jupyter_server.config_manager import recursive_update
from jupyter_server.utils import url_path_join
from voila.configuration import VoilaConfiguration
from voila.paths import collect_template_paths

from .. import paths
from . import deck_kip
from .kernel_access import DeckHandler
from .server import LandingHandler, deck_page_routes


def _jupyter_server_extension_points():
    return [{"module": "artisan_course.serving.hub_server"}]


class HubDeckHandler(DeckHandler):
    """A course deck in a trainee's own server: for its signed-in user only; the notebook is looked for in the
    course's notebooks/ folder (``prefix``), as the slide server does."""

    def initialize(self, prefix: str = "", **kwargs):
        self.prefix = prefix
        super().initialize(**kwargs)

    @tornado.web.authenticated  # DeckHandler.get replaces Voilà's, and with it Voilà's sign-in check
    async def get(self, path=None):
        relative = Path(path or "")
        if relative.is_absolute() or ".." in relative.parts or relative.suffix != ".ipynb":
            raise tornado.web.HTTPError(404)
        return await super().get(url_path_join(self.prefix, path) if self.prefix else path)


def template_resources(template_paths: list[str]) -> dict:
    """The ``resources`` of the deck template's conf.json (reveal's size, numbering, transition), as the Voilà
    application merges them and the Voilà server extension does not."""
    merged: dict = {}
    for folder in reversed(template_paths):  # the most specific template last, so it wins
        conf = Path(folder) / "conf.json"
        if conf.is_file():
            resources = json.loads(conf.read_text(encoding="utf-8")).get("traitlet_configuration", {}).get(
                "resources", {})
            recursive_update(merged, resources)  # as the Voilà application merges them
    return merged


def _load_jupyter_server_extension(server_app) -> None:
    web_app = server_app.web_app
    base = web_app.settings["base_url"]
    root = Path(os.path.expanduser(server_app.root_dir)).resolve()
    notebooks = paths.notebooks_dir().resolve()
    try:
        prefix = notebooks.relative_to(root).as_posix()
    except ValueError:
        server_app.log.error("The course's decks (%s) are outside this server's folder (%s): set the spawner's "
                             "notebook_dir to the course folder (deploy/jupyterhub/jupyterhub_config.py).",
                             notebooks, root)
        return
    prefix = "" if prefix == "." else prefix

    config = copy.deepcopy(server_app.config)
    config.VoilaConfiguration.template = "artisan"
    template_paths = collect_template_paths(["voila", "nbconvert"], "artisan")
    given = config.VoilaConfiguration.get("resources")
    # Voilà's renderer reads the resources from the configuration (not the trait): the template's, then any given.
    config.VoilaConfiguration.resources = {**template_resources(template_paths),
                                           **(given if isinstance(given, dict) else {})}
    config.VoilaExporter.preprocessors = [deck_kip.NAME]  # the kip beside every USD amount, as in the slides
    voila_configuration = VoilaConfiguration(config=config)

    def route(pattern: str) -> str:
        return url_path_join(base, pattern)

    conf = {"base_url": base}
    handlers = deck_page_routes(route, conf) + [
        (route(r"/course/?"), LandingHandler, conf),  # course material only: no learner's words on it
        (route(r"/voila/render/(.*)"), HubDeckHandler, {
            "prefix": prefix, "template_paths": template_paths, "config": config,
            "voila_configuration": voila_configuration}),
    ]
    # No MathJax from a public script host on a deck page (the decks have no mathematics): the slide server gives
    # Voilà no MathJax address, and Voilà then loads none; a Jupyter server's settings would give it a public one.
    web_app.settings["mathjax_url"] = web_app.settings["mathjax_config"] = None
    # Before Voilà's own /voila/render (extensions load in order of name, and each group is tried in the order added;
    # putting ours first makes that order not matter).
    web_app.add_handlers(".*$", handlers)
    rules = web_app.default_router.rules
    rules.insert(0, rules.pop(len(rules) - 2))
    server_app.log.info("The course's decks are served at %svoila/render/ (from %s)", base, notebooks)
