"""The course's templates extend Voilà's and nbconvert's, and notice when those change.

The deck, its speaker-view preview and the error pages override a few blocks
of Voilà's and nbconvert's own templates (see the comment above each override).
These tests fail when an upgrade removes a parent file or a block the course
overrides, or changes the text of a block the course replaces, so that a
maintainer reviews the change before the course ships it. They also check
that the pages the course serves load nothing from the internet.
"""
from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes
from jupyter_core.paths import jupyter_path

from artisan_course import paths
from conftest import SlideServer, free_port, make_course_copy
from decks import deck_url

VOILA_TEMPLATES = paths.JUPYTER_DATA_DIR / "voila" / "templates" / paths.TEMPLATE_NAME
PREVIEW_TEMPLATES = paths.JUPYTER_DATA_DIR / "nbconvert" / "templates" / "artisan-preview"

# Each course template and the Voilà or nbconvert template it extends.
EXTENDS = {
    "voila/index.html.j2": "voila/templates/reveal/index.html.j2",
    "voila/error.html": "voila/templates/base/error.html",
    "voila/404.html": "voila/templates/base/404.html",
    "preview/index.html.j2": "nbconvert/templates/reveal/index.html.j2",
}

# What the course's overrides replace, in every Voilà and nbconvert template
# that defines the block: a short sha256 of the block's source, without Jinja
# comments and without the nested blocks the course still renders itself
# ({{ self.html_head() }}), since changes inside those reach the course anyway.
# When Voilà or nbconvert changes one, read the new block beside the course's
# override: does it now load something from the internet, or fix something the
# course should take? Adjust the override, then record the new fingerprint here.
FINGERPRINTS = {
    ("nbconvert/templates/base/null.j2", "codecell"): "a34cd10473ee1716",
    ("nbconvert/templates/base/null.j2", "footer"): "55910cfcb1470479",
    ("nbconvert/templates/base/null.j2", "header"): "d1079717e4e2c9e6",
    ("nbconvert/templates/lab/base.html.j2", "codecell"): "85b16ec263ec408c",
    ("nbconvert/templates/lab/base.html.j2", "footer"): "107e58f350b14445",
    ("nbconvert/templates/reveal/index.html.j2", "footer"): "7e1468a771a04c27",
    ("nbconvert/templates/reveal/index.html.j2", "footer_js"): "2e7ebab771f9f102",
    ("nbconvert/templates/reveal/index.html.j2", "header"): "731a9eda2d5ef5f6",
    ("nbconvert/templates/reveal/index.html.j2", "html_head_css"): "91227902e7980a8b",
    ("nbconvert/templates/reveal/index.html.j2", "html_head_js"): "ab5a618a43b52212",
    ("nbconvert/templates/reveal/index.html.j2", "html_head_js_jquery"): "63fb2018f6926d18",
    ("nbconvert/templates/reveal/index.html.j2", "html_head_js_mathjax"): "763dd5adb58bd71b",
    ("nbconvert/templates/reveal/index.html.j2", "jupyter_widgets"): "5171093f24ab2c4f",
    ("nbconvert/templates/reveal/index.html.j2", "notebook_css"): "43f8c901eef79820",
    ("voila/templates/base/404.html", "error_detail"): "e3278ebeec56f186",
    ("voila/templates/base/error.html", "body"): "7ed6320923e78c19",
    ("voila/templates/base/error.html", "error_detail"): "e8ff177a8cf43050",
    # Replaced as a whole by the course's page.html: its Font Awesome link sits outside any block.
    ("voila/templates/base/page.html", "(whole file)"): "26902d5816251111",
    ("voila/templates/reveal/index.html.j2", "footer_js"): "f9ea2ca433eb2d36",
    ("voila/templates/reveal/index.html.j2", "html_head_js_jquery"): "b32f6ba30f18357e",
    ("voila/templates/reveal/index.html.j2", "notebook_css"): "f717d745cab04cc4",
}


# -- how Voilà and nbconvert find the templates ------------------------------------
def _ours(path: str) -> bool:
    return Path(path).resolve().is_relative_to(paths.JUPYTER_DATA_DIR.resolve())


def voila_environment() -> jinja2.Environment:
    """The deck's template search path as Voilà builds it, without any installed copy of the course's template."""
    from voila.paths import collect_template_paths
    roots = [str(paths.JUPYTER_DATA_DIR), *jupyter_path()]
    found = collect_template_paths(["voila", "nbconvert"], paths.TEMPLATE_NAME, prune=True, root_dirs=roots)
    search = [p for p in found if _ours(p) or Path(p).name != paths.TEMPLATE_NAME]
    return jinja2.Environment(loader=jinja2.FileSystemLoader(search), autoescape=True,
                              extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"])


def preview_environment() -> jinja2.Environment:
    from nbconvert import SlidesExporter
    from artisan_course.serving.preview import TEMPLATES
    return SlidesExporter(template_name="artisan-preview", extra_template_basedirs=[str(TEMPLATES)]).environment


def course_template(key: str) -> tuple[jinja2.Environment, str, str]:
    """(environment, name the loader knows it by, source) of one course template."""
    folder, name = key.split("/", 1)
    env, path = (voila_environment(), VOILA_TEMPLATES / name) if folder == "voila" else (preview_environment(),
                                                                                         PREVIEW_TEMPLATES / name)
    source, filename, _ = env.loader.get_source(env, name)
    assert Path(filename).resolve() == path.resolve(), f"{name} is found at {filename}, not in the course's folder"
    return env, name, source


def relative_name(filename: str) -> str:
    """A parent's path below its share/jupyter folder, e.g. voila/templates/reveal/index.html.j2."""
    parts = Path(filename).parts
    for app in ("voila", "nbconvert"):
        for i in range(len(parts) - 1):
            if parts[i] == app and parts[i + 1] == "templates":
                return "/".join(parts[i:])
    return filename


def parent_chain(env: jinja2.Environment, source: str) -> list[tuple[str, str, nodes.Template]]:
    """Every template above this one, nearest first: (name as extended, file, parsed)."""
    chain = []
    tree = env.parse(source)
    while True:
        extends = tree.find(nodes.Extends)
        if extends is None:
            return chain
        assert isinstance(extends.template, nodes.Const), "a course template must extend a named template"
        name = extends.template.value
        try:
            parent_source, filename, _ = env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            parent_source = None
        if parent_source is None:
            pytest.fail(f"{name}, which the course's templates extend, no longer exists. "
                        "Voilà or nbconvert moved or removed it: find its successor and extend that.")
        tree = env.parse(parent_source)
        chain.append((name, filename, tree))


def top_level_blocks(tree: nodes.Template) -> list[str]:
    """Blocks a template defines at its top, i.e. the ones it overrides when it extends another."""
    return [node.name for node in tree.body if isinstance(node, nodes.Block)]


def all_blocks(tree: nodes.Template) -> set[str]:
    return {node.name for node in tree.find_all(nodes.Block)}


_COMMENT = re.compile(r"{#.*?#}", re.S)
_BLOCK_TAG = re.compile(r"{%[-+]?\s*(block|endblock)\b\s*(\w*)[^%]*%}")


def block_spans(source: str) -> dict[str, tuple[int, int]]:
    """Where each block's source starts and ends, nested blocks included, by name."""
    stack, found = [], {}
    for match in _BLOCK_TAG.finditer(source):
        if match.group(1) == "block":
            stack.append((match.group(2), match.start()))
        else:
            name, start = stack.pop()
            found[name] = (start, match.end())
    return found


def replaced_text(source: str, block: str, kept: set[str]) -> str:
    """The text of ``block`` that an override replaces: nested blocks the course still renders
    (``{{ self.name() }}``) are left out, since changes inside them reach the course anyway."""
    spans = block_spans(source)
    start, end = spans[block]
    text, cursor = [], start
    for name, (s, e) in sorted(spans.items(), key=lambda item: item[1]):
        if name in kept and start < s and e < end and s >= cursor:
            text += [source[cursor:s], f"{{% block {name} %}}(rendered by the course){{% endblock %}}"]
            cursor = e
    return "".join(text + [source[cursor:end]])


def kept_blocks(tree: nodes.Template) -> set[str]:
    """Blocks a template renders itself with ``{{ self.name() }}``."""
    return {call.node.attr for call in tree.find_all(nodes.Call)
            if isinstance(call.node, nodes.Getattr) and isinstance(call.node.node, nodes.Name)
            and call.node.node.name == "self"}


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def replaced_parent_blocks() -> dict[tuple[str, str], str]:
    """(parent file, block) -> the text the course's override replaces, for every parent that defines the block."""
    found = {}
    for key in EXTENDS:
        env, _, source = course_template(key)
        tree = env.parse(source)
        overridden, kept = set(top_level_blocks(tree)), kept_blocks(tree)
        for _, filename, _ in parent_chain(env, source):
            if _ours(filename):
                continue
            parent = _COMMENT.sub("", Path(filename).read_text(encoding="utf-8"))
            for block in overridden & block_spans(parent).keys():
                found[(relative_name(filename), block)] = replaced_text(parent, block, kept)
    return found


# -- the course's templates stand on Voilà's ---------------------------------------
@pytest.mark.parametrize("key", sorted(EXTENDS))
def test_each_template_extends_voilas_or_nbconverts_own(key):
    env, name, source = course_template(key)
    chain = parent_chain(env, source)
    assert chain, f"{name} extends no template"
    extended, filename, _ = chain[0]
    assert extended == EXTENDS[key]
    assert not _ours(filename), f"{name} should extend the installed {extended}, not a file of the course"


@pytest.mark.parametrize("key", sorted(EXTENDS))
def test_every_block_the_course_overrides_is_still_defined_above_it(key):
    env, name, source = course_template(key)
    chain = parent_chain(env, source)
    defined = set().union(*(all_blocks(tree) for _, _, tree in chain))
    missing = [block for block in top_level_blocks(env.parse(source)) if block not in defined]
    assert missing == [], (
        f"{name} overrides {missing}, but no template above it ({', '.join(n for n, _, _ in chain)}) defines "
        "them any more, so the override silently does nothing. Find where Voilà or nbconvert moved that markup.")


def test_the_course_page_frame_keeps_every_block_of_voilas():
    """page.html stands in for Voilà's (which links Font Awesome from a CDN), so Voilà's pages must fit in it."""
    env = voila_environment()
    ours = all_blocks(env.parse(env.loader.get_source(env, "page.html")[0]))
    voilas = all_blocks(env.parse(env.loader.get_source(env, "voila/templates/base/page.html")[0]))
    assert voilas - ours == set(), f"Voilà's page.html has blocks the course's page.html lacks: {sorted(voilas - ours)}"
    # Voilà's own pages reach the course's frame by the name "page.html".
    for name in ("voila/templates/base/error.html", "voila/templates/lab/tree-lab.html"):
        chain = parent_chain(env, env.loader.get_source(env, name)[0])
        assert (chain and chain[0][0] == "page.html"
                and Path(chain[0][1]).resolve() == (VOILA_TEMPLATES / "page.html").resolve()), name


def test_voilas_blocks_under_the_course_are_unchanged():
    current = replaced_parent_blocks()
    env = voila_environment()
    page = env.loader.get_source(env, "voila/templates/base/page.html")[0]
    current[("voila/templates/base/page.html", "(whole file)")] = _COMMENT.sub("", page)
    now = {key: fingerprint(text) for key, text in current.items()}
    unrecorded = sorted(set(now) - set(FINGERPRINTS))
    assert unrecorded == [], (f"Record the fingerprints of these newly overridden blocks in FINGERPRINTS: "
                              f"{[(k, now[k]) for k in unrecorded]}")
    gone = sorted(set(FINGERPRINTS) - set(now))
    assert gone == [], (f"These recorded blocks are no longer both overridden by the course and defined by Voilà or "
                        f"nbconvert: {gone}. If the course dropped the override, remove them from FINGERPRINTS; "
                        "if the parent dropped the block, find where its markup went.")
    changed = [f"{file}: block {block!r} (fingerprint now {now[(file, block)]})"
               for (file, block), recorded in sorted(FINGERPRINTS.items()) if now[(file, block)] != recorded]
    assert changed == [], (
        "Voilà or nbconvert changed blocks that the course's templates replace:\n  " + "\n  ".join(changed) +
        "\nRead each new block beside the course's override (src/artisan_course/serving/share/jupyter/...): does it "
        "now load anything from the internet, or fix something the course should take? Adjust the override, then "
        "record the new fingerprint in tests/test_deck_template.py.")


# -- what the pages contain ---------------------------------------------------------
_URL = re.compile(r"""(?:https?:)?//[^\s"'<>()\\]+""")
_NAMESPACES = re.compile(r"""xmlns(?::\w+)?="[^"]*"|<metadata>.*?</metadata>""", re.S)
_LOCAL = re.compile(r"^(?:https?:)?//(?:localhost|127\.0\.0\.1)(?::\d+)?(?:/|$)")


def outside_urls(html: str) -> list[str]:
    """Addresses on another host. XML namespace names in inline SVG are names, never fetched."""
    text = _NAMESPACES.sub("", html)
    return sorted({url for url in _URL.findall(text) if not _LOCAL.match(url) and not url.startswith("//#")})


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_outside_urls_finds_a_cdn_link_and_ignores_local_ones():
    page = ('<link href="https://cdn.jsdelivr.net/x.css"><script src="//unpkg.com/y.js"></script>'
            '<a href="http://127.0.0.1:8866/voila/">here</a><svg xmlns="http://www.w3.org/2000/svg"></svg>')
    assert outside_urls(page) == ["//unpkg.com/y.js", "https://cdn.jsdelivr.net/x.css"]


WIDGET_STATE_DECK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}}, "source": "# Saved widgets"},
        {"cell_type": "code", "metadata": {"slideshow": {"slide_type": "-"}}, "execution_count": None, "outputs": [],
         "source": "import ipywidgets as w\nw.IntSlider(value=5)"},
    ],
    # What JupyterLab saves with "Save widget state automatically" on.
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                 "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2,
                                                                           "version_minor": 0}}},
    "nbformat": 4, "nbformat_minor": 5,
}


def test_the_served_pages_load_nothing_from_the_internet(tmp_path, learner):
    # A server of its own, so the kernels these pages start end with it.
    root = make_course_copy(tmp_path / "course")
    (root / "notebooks" / "zz-fixture-widget-state.ipynb").write_text(json.dumps(WIDGET_STATE_DECK))
    server = SlideServer(root, tmp_path / "store", free_port())
    try:
        pages = {
            "welcome deck": deck_url(server, "00-welcome.ipynb", learner),
            "deck with saved widget state": deck_url(server, "zz-fixture-widget-state.ipynb", learner),
            "speaker-view preview": server.url + "course/preview/00-welcome.ipynb",
            "missing deck": server.url + "voila/render/no-such-deck.ipynb",
        }
        html = {}
        for what, url in pages.items():
            status, html[what] = fetch(url)
            assert status == (404 if what == "missing deck" else 200), what
    finally:
        server.stop()
    for what, page in html.items():
        assert outside_urls(page) == [], f"the {what} page links to another host"

    deck = html["deck with saved widget state"]
    # reveal comes from the course's npm copy and is started by the course, with the template's settings.
    assert '<link rel="stylesheet" href="/course/reveal/dist/reveal.css">' in deck
    assert '<script src="/course/reveal/dist/reveal.js"></script>' in deck
    assert "/voila/static/reveal.js" not in deck
    config = json.loads(re.search(r'<script id="course-deck-config" type="application/json">(.*?)</script>', deck,
                                  re.S).group(1))
    assert config == {"transition": "fade", "slideNumber": "c/t", "width": 1280, "height": 720}
    # The heartbeat stub comes before the notebook runs; the saved widget state is not sent.
    assert deck.index("window.voila_heartbeat = function") < deck.index('id="jupyter-config-data"')
    assert "application/vnd.jupyter.widget-state+json" not in deck
    assert "course-theme.css" in deck and deck.index("course-theme.css") > deck.index("theme-light.css")

    preview = html["speaker-view preview"]
    config = json.loads(re.search(r'<script id="course-deck-config" type="application/json">(.*?)</script>', preview,
                                  re.S).group(1))
    assert config == {"transition": "none", "slideNumber": "c/t", "width": 1280, "height": 720, "preview": True}
    assert "Live activity: shown on the main screen." in preview


def render_error_page(name: str, **context) -> str:
    """An error page as Voilà renders it (its page environment, autoescaped, with gettext)."""
    env = voila_environment()
    env.install_null_translations(newstyle=False)
    return env.get_template(name).render(base_url="/", **context)


def test_the_error_pages_speak_plainly_and_lead_back_to_the_course_map():
    missing = render_error_page("404.html", status_code=404, status_message="Not Found", message="")
    assert "<title>Page not found</title>" in missing and "<h1>Page not found</h1>" in missing
    assert "This course has no page at this address." in missing
    failed = render_error_page("error.html", status_code=500, status_message="Internal Server Error",
                               message="No notebook <b>x</b>.ipynb")
    assert "<h1>Something went wrong</h1>" in failed and "(error 500)" in failed
    assert "No notebook &lt;b&gt;x&lt;/b&gt;.ipynb" in failed  # a path typed in the address is escaped
    for page in (missing, failed):
        assert '<a href="/">Go to the course map</a>' in page
        assert "course-pages.css" in page
        assert outside_urls(page) == []
