"""Lao on screen, in Chromium: drawn with the course's own Lao font (served by the course, nothing fetched from the
internet), wrapped between words (Lao has no spaces between them), nothing cut, on a phone and on the projector.

One workshop server: a trainee with a Lao name joins on a phone, reads a slide with a long Lao paragraph, and the
facilitator's roster, dashboard and start page show on the projector. Screenshots: artifacts/screenshots/lao/.
"""
from __future__ import annotations

import json

import pytest

from conftest import free_port, make_course_copy, screenshot_dir, wait_until
from decks import CLIPPED, open_deck
from room import RoomServer
from test_workshop_browser import sign_in

NAME = "ນ້ອຍ ແສງດາວ"
OTHER_NAME = "ແກ້ວ ມະນີວົງ"
# Written for the course: a weaver's delay, a request with a reason and a thank-you, as one long paragraph.
PARAGRAPH = ("ລູກຊາຍຂອງແມ່ເພັດບໍ່ສະບາຍໝົດອາທິດ ແລະ ສີຍ້ອມຄາມກໍ່ໝົດຢູ່ຕະຫຼາດ ດັ່ງນັ້ນຜ້າພັນຄໍຈຶ່ງຈະຊ້າ. "
             "ພວກເຮົາຂໍເລື່ອນວັນສົ່ງກະຕ່າຈາກວັນທີ 10 ພຶດສະພາ ເປັນວັນທີ 5 ພຶດສະພາ ເພາະວ່າລົດບັນທຸກຂອງຜູ້ຊື້ຈະອອກໄວກວ່າເກົ່າ "
             "ຖ້າບໍ່ທັນພວກເຮົາຈະເສຍອໍເດີນີ້. ພວກເຮົາສາມາດຈ່າຍເງິນລ່ວງໜ້າ ແລະ ຊ່ວຍຄ່າຂົນສົ່ງໄດ້. "
             "ຂອບໃຈຫຼາຍໆທີ່ເຈົ້າຕ່ຳຜ້າໄດ້ງາມ ແລະ ສົ່ງທັນເວລາສະເໝີ ການຟັງ ແລະ ຄວາມອົດທົນແມ່ນສຳຄັນທີ່ສຸດ.")
LAO_DECK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}},
         "source": f"## ພາສາລາວ\n\n<p id='lao-paragraph'>{PARAGRAPH}</p>"},
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "notes"}},
         "source": "**Facilitator note:** Optional slide. About 1 minute. A test slide."},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}
FONT_FILE = "/course/fonts/noto-sans-lao-lao-400-normal.woff2"

# Where each line of a text node starts (its character index), read from the layout Chromium made.
LINE_STARTS = """(id) => {
  const node = document.getElementById(id).firstChild;
  const range = document.createRange();
  const starts = [];
  let top = null;
  for (let i = 0; i < node.length; i++) {
    range.setStart(node, i); range.setEnd(node, i + 1);
    const rect = range.getClientRects()[0];
    if (!rect || !node.data[i].trim()) continue;
    if (top === null || rect.top > top + 4) { starts.push(i); top = rect.top; }
  }
  return starts;
}"""


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    (root / "notebooks" / "zz-fixture-lao.ipynb").write_text(json.dumps(LAO_DECK, ensure_ascii=False),
                                                             encoding="utf-8")
    server = RoomServer(root, tmp_path_factory.mktemp("store"), free_port())
    yield server
    server.stop()


def used_fonts(page, selector: str, timeout: float = 30, mark: str | None = None) -> list[dict]:
    """The fonts Chromium really drew the text of ``selector`` with (DevTools: CSS.getPlatformFontsForNode), once the
    page's fonts are loaded and the text is laid out (an empty list until then). ``mark``, a script, gives the
    element its selector again before each look (a page that redraws itself, as the roster does)."""
    if mark:
        page.evaluate(mark)
    page.locator(selector).first.wait_for()
    page.evaluate("document.fonts.ready.then(() => true)")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    found: list[dict] = []

    def drawn() -> bool:
        if mark:
            page.evaluate(mark)
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        found[:] = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"] if node else []
        return bool(found)
    wait_until(drawn, timeout, f"the text of {selector} drawn")
    cdp.detach()
    return found


def assert_drawn_with_the_course_font(view, selector: str, mark: str | None = None) -> None:
    fonts = used_fonts(view.page, selector, mark=mark)
    lao = [f for f in fonts if f["familyName"] == "Noto Sans Lao"]
    assert lao and all(f["isCustomFont"] for f in lao), fonts  # the web font the course served, not a system one
    assert any(url.endswith(FONT_FILE) for url in view.requests), "the font came from the course"


def join(view, server, name: str) -> None:
    page = view.page
    page.goto(server.url + "join")
    page.fill("#join-code", server.code.lower())
    page.fill("#join-name", name)
    with page.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST") as response:
        page.click("button[type=submit]")
    assert response.value.status == 200


LEADING_VOWELS = "ເແໂໃໄ"  # written before the consonant they follow in speech: a word never ends with one


def is_whole_word(text: str) -> bool:
    """One word of ICU's Lao dictionary, starting with a letter that can start a syllable, not ending mid-syllable."""
    import unicodedata
    from icu4py.breakers import WordBreaker
    return (len(text) >= 2 and len(list(WordBreaker(text, "lo"))) == 1 and text[-1] not in LEADING_VOWELS
            and unicodedata.category(text[0]) == "Lo" and text[0] not in "ະາຳຽ")


def breaks_inside_a_word(text: str, starts: list[int]) -> list[str]:
    """The line starts that cut a word: not a word boundary of ICU's Lao dictionary, and not a split of a compound
    into two whole words either (Chromium's own copy of the dictionary may break ການຟັງ as ການ + ຟັງ, two words,
    which is right; ຄວາມອ + ົດທົນ, the cut the issue saw, is not)."""
    from icu4py.breakers import WordBreaker
    segments = list(WordBreaker(text, "lo").segments())
    bad = []
    for i in starts[1:]:
        start, end = next((s, e) for s, e in segments if s <= i < e)
        if i == start:
            continue
        if all(is_whole_word(side) for side in (text[start:i], text[i:end])):
            continue
        bad.append(text[max(0, i - 6):i] + "|" + text[i:i + 6])
    return bad


@pytest.mark.parametrize("size", [(390, 844), (1280, 720)], ids=["phone", "projector"])
def test_a_long_lao_paragraph_is_drawn_with_the_course_font_and_wraps_between_words(workshop, offline, size):
    width, height = size
    phone = width < 600
    view = offline(width, height, **({"device_scale_factor": 2, "is_mobile": True, "has_touch": True} if phone else {}))
    join(view, workshop, NAME if phone else "Projector check")
    page = view.page
    if phone:  # the join page greets the trainee by their Lao name, in the course's font
        assert page.inner_text(".course-lead .course-name") == NAME
        assert_drawn_with_the_course_font(view, ".course-lead .course-name")
        page.screenshot(path=screenshot_dir("lao") / "joined-390x844.png")
        page.goto(workshop.url)  # the course map (landing page) names the trainee too
        assert page.inner_text("#course-learner-name") == NAME
        assert_drawn_with_the_course_font(view, "#course-learner-name")
        page.screenshot(path=screenshot_dir("lao") / "landing-390x844.png")
    open_deck(page, workshop.deck("zz-fixture-lao.ipynb"))
    page.wait_for_selector("#lao-paragraph")
    assert_drawn_with_the_course_font(view, "#lao-paragraph")
    starts = page.evaluate(LINE_STARTS, "lao-paragraph")
    assert len(starts) >= (6 if phone else 3), starts  # it wraps onto several lines...
    assert breaks_inside_a_word(PARAGRAPH, starts) == []  # ...and each line starts with a whole word
    measure = page.evaluate("""() => {
        const p = document.getElementById('lao-paragraph'), box = p.getBoundingClientRect();
        return {px: parseFloat(getComputedStyle(p).fontSize) * Reveal.getScale(), right: box.right,
                wide: p.scrollWidth > p.clientWidth + 1, viewport: innerWidth,
                page: document.documentElement.scrollWidth};
    }""")
    assert measure["px"] >= 18 and not measure["wide"], measure
    assert measure["right"] <= measure["viewport"] and measure["page"] <= measure["viewport"], measure
    assert page.evaluate(CLIPPED) == []
    page.screenshot(path=screenshot_dir("lao") / f"lao-paragraph-{width}x{height}.png")
    assert view.external_requests() == []


def test_the_facilitators_pages_show_a_lao_name_in_the_course_font(workshop, offline):
    trainee = offline(390, 844, device_scale_factor=2, is_mobile=True, has_touch=True)
    join(trainee, workshop, OTHER_NAME)
    projector = offline(1280, 720)
    sign_in(projector, workshop, "facilitator")
    page = projector.page
    page.wait_for_selector(".course-roster-table")
    assert OTHER_NAME in page.locator(".course-roster-table").inner_text()
    # The roster redraws itself as trainees come and go: the name's cell is found again before each look.
    mark = ("[...document.querySelectorAll('.course-roster-table td')].filter(td => td.textContent.trim() === "
            + json.dumps(OTHER_NAME, ensure_ascii=False) + ").forEach(td => td.id = 'lao-name-cell')")
    assert_drawn_with_the_course_font(projector, "#lao-name-cell", mark=mark)
    page.screenshot(path=screenshot_dir("lao") / "roster-1280x720.png")
    for path in ("facilitator/dashboard", "facilitator/start"):
        page.goto(workshop.url + path)
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert family.startswith('"Course Lao"'), (path, family)
    assert projector.external_requests() == [] and trainee.external_requests() == []


@pytest.mark.parametrize("size", [(390, 844), (1280, 720)], ids=["phone", "projector"])
def test_the_slide_table_of_prices_shows_kip_in_the_live_deck(workshop, offline, size):
    width, height = size
    phone = width < 600
    view = offline(width, height, **({"device_scale_factor": 2, "is_mobile": True, "has_touch": True} if phone else {}))
    join(view, workshop, f"Kip check {width}")
    page = view.page
    open_deck(page, workshop.deck("04-contingency-and-why.ipynb"))
    page.evaluate("Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => /Work it out/.test(s.innerText)))")
    table = page.locator(".present table").first
    table.wait_for()
    text = table.inner_text()
    assert "12 USD (about 258,000 kip)" in text and "6,000 USD (about 129,000,000 kip)" in text, text
    assert page.evaluate(CLIPPED) == []
    fits = page.evaluate("""() => { const t = document.querySelector('.present table').getBoundingClientRect();
        return {right: t.right, width: innerWidth, px: parseFloat(getComputedStyle(document.querySelector(
        '.present td')).fontSize) * Reveal.getScale()}; }""")
    assert fits["right"] <= fits["width"] and fits["px"] >= 16, fits
    page.screenshot(path=screenshot_dir("lao") / f"kip-table-{width}x{height}.png")
    assert view.external_requests() == []
