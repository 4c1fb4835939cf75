"""Helpers for driving a course deck in Chromium."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from conftest import wait_until

REPO = Path(__file__).resolve().parents[1]

# The smallest font on the current slide, as seen on screen (CSS size x reveal's scale).
SMALLEST_TEXT = """() => {
  const slide = Reveal.getCurrentSlide();
  const scale = Reveal.getScale();
  let smallest = {px: Infinity, text: ''};
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || el.closest('aside.notes') || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    // Text at 0 px is not shown at all (a control whose own words are replaced by the course's, as the photo button).
    if (style.visibility === 'hidden' || style.display === 'none' || parseFloat(style.fontSize) === 0) continue;
    const px = parseFloat(style.fontSize) * scale;
    if (px < smallest.px) smallest = {px, text: node.textContent.trim().slice(0, 60)};
  }
  return smallest;
}"""

# Elements on the current slide whose content is cut off without a way to scroll to it.
CLIPPED = """() => {
  const slide = Reveal.getCurrentSlide();
  const clipped = [];
  for (const el of [slide, ...slide.querySelectorAll('*')]) {
    if (el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    const tallY = el.scrollHeight > el.clientHeight + 2 && el.clientHeight > 0;
    const wideX = el.scrollWidth > el.clientWidth + 2 && el.clientWidth > 0;
    const scrollsY = ['auto', 'scroll'].includes(style.overflowY);
    const scrollsX = ['auto', 'scroll'].includes(style.overflowX);
    if ((tallY && !scrollsY && style.overflowY !== 'visible') || (wideX && !scrollsX && style.overflowX !== 'visible')) {
      clipped.push((el.className || el.tagName) + ': ' + (el.innerText || '').trim().slice(0, 40));
    }
  }
  return clipped;
}"""  # noqa: E501 (JavaScript run in the page, kept as written)


def deck_url(server, notebook: str, learner: str | None) -> str:
    """The deck's address for ``learner`` (the test's own, from the ``learner`` fixture), or with no name at all."""
    url = f"{server.url}voila/render/{quote(notebook)}"
    return url + (f"?learner={quote(learner)}" if learner else "")


def open_deck(page, url: str, timeout: float = 90_000) -> None:
    page.goto(url, timeout=timeout)
    page.wait_for_selector("body[data-deck-ready]", timeout=timeout)
    page.wait_for_function(
        "() => document.getElementById('rendered_cells').style.display !== 'none'"
        " && !document.body.innerText.includes('Loading widget')"
        " && !document.querySelector('.course-tool-loading')",  # "Getting this tool ready…" (course-deck.js)
        timeout=timeout,
    )


def page_kernel_id(page) -> str:
    """The id of the kernel Voila started for this page."""
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def wait_kernel_idle(server, page, timeout: float = 60) -> None:
    """Wait until the page's kernel has finished what it was asked to do."""
    kernel = page_kernel_id(page)
    wait_until(lambda: server.kernel_state(kernel) == "idle", timeout, f"kernel {kernel} to be idle", interval=0.05)


def current_index(page) -> int:
    return page.evaluate("Reveal.getIndices().h")


def ready_notebooks() -> list[str]:
    from artisan_course.content.course_map import load_course_map
    return [m.notebook for m in load_course_map().ready_modules()]


def poll(page, expression: str, arg=None, timeout: float = 30.0):
    """Evaluate ``expression`` until it is truthy.

    Used for reveal's speaker window, whose document stays "loading" (it is
    written with document.write), so Playwright's wait_for_function never runs there.
    """
    return wait_until(lambda: page.evaluate(expression, arg), timeout, f"true in the page: {expression}")


# The current slide has come to rest: no transition or animation running among the slides (reveal's fade,
# a widget's own; the arrow's "bounce" hint in reveal's controls is outside them), every image with a source
# loaded, fonts loaded, and the slide's size and text the same for a few frames.
SETTLED = """() => {
  const slide = Reveal.getCurrentSlide();
  const slides = document.querySelector('.reveal .slides');
  const moving = document.getAnimations().some(a => a.playState === 'running' && a.effect && a.effect.target
      && slides.contains(a.effect.target) && a.effect.getComputedTiming().iterations !== Infinity);
  const images = Array.from(slide.querySelectorAll('img[src]')).every(i => i.complete && i.naturalWidth > 0);
  const r = slide.getBoundingClientRect();
  const shape = [r.x, r.y, r.width, r.height, slide.scrollHeight, slide.scrollWidth, slide.innerText.length].join();
  window.__courseSteadyFrames = shape === window.__courseShape ? (window.__courseSteadyFrames || 0) + 1 : 0;
  window.__courseShape = shape;
  return !moving && images && document.fonts.status === 'loaded' && window.__courseSteadyFrames >= 3;
}"""


def wait_settled(page, timeout: float = 30_000) -> None:
    """Wait until the current slide is at rest, before measuring it or taking its picture."""
    page.wait_for_function(SETTLED, timeout=timeout)  # checked once per animation frame


# Warnings and errors a cell printed: a learner must never see them on a slide.
STDERR_OUTPUTS = ("() => Array.from(document.querySelectorAll('[data-mime-type=\"application/vnd.jupyter.stderr\"], "
                  ".jp-OutputArea-output[data-mime-type*=error]')).map(e => e.innerText.slice(0, 120))")

# A plain-text output on a slide is almost always a stray return value (an object's repr).
PLAIN_OUTPUTS = ("() => Array.from(document.querySelectorAll('.reveal [data-mime-type=\"text/plain\"]')).map(e => "
                 "e.innerText.slice(0, 120))")


# -- interactive tools -------------------------------------------------------------
def assert_readable_slide(page) -> None:
    """The current slide prints no error, clips nothing, and has no text under 24 px on screen."""
    wait_settled(page)
    assert page.evaluate(STDERR_OUTPUTS) == []
    assert page.evaluate(CLIPPED) == []
    smallest = page.evaluate(SMALLEST_TEXT)
    assert smallest["px"] >= 24, smallest


def field(page, label):
    """The control of a course tool whose label reads exactly ``label``."""
    return page.locator(".course-sim-field").filter(
        has=page.locator("label.course-sim-label", has_text=re.compile(f"^{re.escape(label)}$")))


def text_of(page, selector):
    return page.locator(selector).first.inner_text()


def chart_source(page):
    return page.locator(".course-sim-chart").first.get_attribute("src")


def wait_changed(page, selector, before, timeout=30_000):
    """Wait until the first element matching ``selector`` shows other text than ``before``."""
    page.wait_for_function("([s, b]) => document.querySelector(s) && document.querySelector(s).innerText !== b",
                           arg=[selector, before], timeout=timeout)


def wait_chart_changed(page, before, timeout=30_000):
    page.wait_for_function("b => document.querySelector('.course-sim-chart').src !== b", arg=before, timeout=timeout)


# -- the learner store behind a server ---------------------------------------------------------
def saved_answers(server, learner: str, **where) -> list:
    """What ``learner`` has saved in the server's store so far, oldest first (``where``: kind, item, module)."""
    from artisan_course.state.store import Store
    store = Store(server.home)
    try:
        found = store.find_learner(learner)
        return store.answers(learner_id=found.id, **where) if found else []
    finally:
        store.close()


def wait_saved(server, learner: str, check=bool, timeout: float = 15, **where):
    """Wait until the learner's latest matching answer passes ``check``, and return it.

    The page says "Saved" when the kernel has written the row; a test that reads the store
    right after an edit (or a key press whose save is still on its way) waits here instead.
    """
    def latest():
        rows = saved_answers(server, learner, **where)
        return rows[-1] if rows and check(rows[-1]) else None
    return wait_until(latest, timeout,
                      f"a saved answer of {learner} ({where}) that passes {getattr(check, '__name__', check)}")


def server_children(pid: int) -> list[tuple[object, str]]:
    """The server's child processes with their command lines, skipping any that exit while they are read.

    The server shuts down kernels of pages that are gone (other tests' pages among them), so a child listed a moment
    ago can be a zombie or gone by the time its command line is read.
    """
    import psutil
    found = []
    for process in psutil.Process(pid).children(recursive=True):
        try:
            found.append((process, " ".join(process.cmdline())))
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue
    return found
