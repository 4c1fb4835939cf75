"""A reflection whose store is full, in Chromium: the box says so in plain words and downloads what was typed."""
from __future__ import annotations

import json
import urllib.parse

import pytest

from conftest import SlideServer, code_deck, free_port, make_course_copy, screenshot_dir
from decks import deck_url, open_deck

pytestmark = pytest.mark.browser

# The kernel's own store connection stops growing: what a full disk does to a save, without filling the machine's
# disk (tests/test_store_faults.py fills a real one).
FULL_DECK = code_deck(
    "from artisan_course import reflect\n"
    "from artisan_course.state.session import SESSION\n"
    "SESSION.start()\n"
    "store = SESSION.get_store()\n"
    "store._read(f\"PRAGMA max_page_count = {store._read('PRAGMA page_count')[0][0]}\")\n"
    "reflect('store-full-test', 'Which soft skills matter most with home-based producers?')\n"
)
TYPED = "Patience and a clear reason for every request. " * 400  # about 19 KB: the save needs new pages


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    (root / "notebooks" / "zz-store-full.ipynb").write_text(json.dumps(FULL_DECK))
    server = SlideServer(root, tmp_path_factory.mktemp("store"), free_port())
    yield server
    server.stop()


@pytest.mark.parametrize("width,height,name", [(390, 844, "phone"), (1280, 720, "projector")])
def test_a_full_store_shows_the_plain_message_and_a_download_of_the_text(server, offline, width, height, name):
    view = offline(width, height, has_touch=width < 500)
    page = view.page
    open_deck(page, deck_url(server, "zz-store-full.ipynb", learner=f"Full {name}"))
    box = page.locator(".course-reflection textarea")
    box.wait_for(state="attached", timeout=60_000)
    page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
    box.fill(TYPED)
    box.blur()
    link = page.locator(".course-reflection-keep a")
    link.wait_for(timeout=30_000)
    status = page.locator(".course-reflection .course-status").inner_text()
    assert "could not be saved on this computer (the disk is full)" in status and "download it now" in status
    assert "Saved" not in status
    href = link.get_attribute("href")
    assert href.startswith("data:text/plain;charset=utf-8,")
    assert urllib.parse.unquote(href.split(",", 1)[1]) == TYPED
    assert link.get_attribute("download") == "my-answer.txt" and link.is_visible()
    page.screenshot(path=str(screenshot_dir("store-full") / f"{name}.png"))
    assert view.external_requests() == []
