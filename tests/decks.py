"""Helpers for driving a course deck in Chromium."""
from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import quote

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
    if (style.visibility === 'hidden' || style.display === 'none') continue;
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
}"""


def deck_url(server, notebook: str, learner: str | None = "Test Learner") -> str:
    url = f"{server.url}voila/render/{quote(notebook)}"
    return url + (f"?learner={quote(learner)}" if learner else "")


def open_deck(page, url: str, timeout: float = 90_000) -> None:
    page.goto(url, timeout=timeout)
    page.wait_for_selector("body[data-deck-ready]", timeout=timeout)
    page.wait_for_function(
        "() => document.getElementById('rendered_cells').style.display !== 'none'"
        " && !document.body.innerText.includes('Loading widget')",
        timeout=timeout,
    )


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
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        time.sleep(0.25)


# Warnings and errors a cell printed: a learner must never see them on a slide.
STDERR_OUTPUTS = "() => Array.from(document.querySelectorAll('[data-mime-type=\"application/vnd.jupyter.stderr\"], .jp-OutputArea-output[data-mime-type*=error]')).map(e => e.innerText.slice(0, 120))"

# A plain-text output on a slide is almost always a stray return value (an object's repr).
PLAIN_OUTPUTS = "() => Array.from(document.querySelectorAll('.reveal [data-mime-type=\"text/plain\"]')).map(e => e.innerText.slice(0, 120))"


# -- interactive tools -------------------------------------------------------------
def assert_readable_slide(page) -> None:
    """The current slide prints no error, clips nothing, and has no text under 24 px on screen."""
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
