"""Choosing a language, in Chromium: the join page, the course map and the roster in English (the default) or Lao,
the choice remembered in the browser and, in a workshop, with the trainee (their other device speaks it too), the
course map linking a Lao reader to the Lao deck where there is one; on a phone (390x844) and the projector
(1280x720), text at least 16 px, nothing wider than the screen, nothing fetched from the internet.
Screenshots: artifacts/screenshots/languages/.
"""
from __future__ import annotations

import json
import shutil
import urllib.request

import pytest

from conftest import free_port, make_course_copy, screenshot_dir
from decks import CLIPPED, open_deck
from room import RoomServer

from artisan_course import i18n
from artisan_course.content.course_map import load_course_map
from test_workshop_browser import sign_in

NAME = "ແກ້ວ ມະນີວົງ"
PHONE = {"device_scale_factor": 2, "is_mobile": True, "has_touch": True}

# Every element that draws text of its own, and how big: none may be under 16 px; and the page is not wider than
# the screen.
MEASURE = """() => {
  const small = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim());
    const box = el.getBoundingClientRect();
    if (!own || !box.width || getComputedStyle(el).visibility === 'hidden') continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 16) small.push(el.tagName + ' ' + px + ' ' + el.textContent.trim().slice(0, 30));
  }
  return {small, wide: document.documentElement.scrollWidth > innerWidth + 1, lang: document.documentElement.lang};
}"""


@pytest.fixture(scope="module")
def course_root(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    first = load_course_map().ready_modules()[0].notebook
    (root / "notebooks" / "lo").mkdir(exist_ok=True)
    shutil.copy(root / "notebooks" / first, root / "notebooks" / "lo" / first)  # a Lao deck for the first module
    (root / "notebooks" / "lo" / "zz-fixture-widgets.ipynb").write_text(json.dumps(LAO_WIDGET_DECK, ensure_ascii=False),
                                                                       encoding="utf-8")
    return root


# A Lao deck as the Lao decks start: its first code cell makes the kernel speak Lao, then a reflection box.
LAO_WIDGET_DECK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}}, "source": "## ຄຳຖາມ"},
        {"cell_type": "code", "metadata": {"slideshow": {"slide_type": "-"}}, "execution_count": None, "outputs": [],
         "source": "from artisan_course import i18n, reflect\ni18n.use('lo')\n"
                   "reflect('zz-lao-box', 'ທ່ານຄິດແນວໃດ?')"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def workshop(course_root, tmp_path_factory):
    server = RoomServer(course_root, tmp_path_factory.mktemp("store"), free_port())
    yield server
    server.stop()


def view_of(offline, size):
    width, height = size
    return offline(width, height, **(PHONE if width < 600 else {}))


def assert_readable(page, lang: str) -> None:
    # Measure the page the reader sees: once its stylesheets have arrived (on a busy laptop a POST's answer is
    # parsed, and its text found, before course-pages.css has loaded, and a button then has the browser's 13 px).
    page.wait_for_load_state("load")
    measure = page.evaluate(MEASURE)
    assert measure["lang"] == lang, measure
    assert measure["small"] == [] and not measure["wide"], measure
    for link in page.locator("#course-languages a").all():  # the chooser's links are big enough to tap
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, box


def choose(page, lang: str) -> None:
    with page.expect_navigation():
        page.click(f"#course-languages a[data-lang={lang}]")


@pytest.mark.parametrize("size", [(390, 844), (1280, 720)], ids=["phone", "projector"])
def test_a_trainee_chooses_lao_on_the_join_page_and_the_course_map_follows(workshop, offline, size):
    view = view_of(offline, size)
    page = view.page
    page.goto(workshop.url + "join")
    assert page.inner_text("h1") == "Join the course"  # English by default
    assert page.locator("#course-languages a[aria-current]").inner_text() == "English"
    assert_readable(page, "en")
    choose(page, "lo")
    assert page.inner_text("h1") == "ເຂົ້າຮ່ວມຫຼັກສູດ"
    assert page.inner_text("label[for=join-name]").startswith("ຊື່ຂອງທ່ານ")
    assert page.locator("#course-languages a[aria-current]").inner_text() == "ລາວ"
    assert_readable(page, "lo")
    page.screenshot(path=screenshot_dir("languages") / f"join-lo-{size[0]}x{size[1]}.png")
    cookies = {c["name"]: c["value"] for c in view.context.cookies()}
    assert cookies[i18n.COOKIE] == "lo"
    page.goto(workshop.url + "join")  # remembered: no ?lang= in the address any more
    assert page.inner_text("h1") == "ເຂົ້າຮ່ວມຫຼັກສູດ"
    page.fill("#join-code", workshop.code)
    page.fill("#join-name", f"{NAME} {size[0]}")
    page.click("button[type=submit]")
    page.wait_for_selector("#course-pin")
    assert page.inner_text("h1") == "ທ່ານເຂົ້າຮ່ວມແລ້ວ"
    assert page.locator("#course-languages").count() == 0  # the PIN is shown once: no link away from it
    assert_readable(page, "lo")
    page.click("#join-continue")
    page.wait_for_selector("#course-landing")
    assert page.inner_text("#learner-signed-in").startswith("ກຳລັງຮຽນໃນນາມ")
    assert_readable(page, "lo")
    page.screenshot(path=screenshot_dir("languages") / f"landing-lo-{size[0]}x{size[1]}.png", full_page=True)
    # A Lao reader opens the Lao deck where there is one, else the English deck.
    modules = load_course_map().ready_modules()
    links = [page.locator(f"li[data-module='{m.id}'] a.course-module__link").get_attribute("href") for m in modules]
    assert links[0].endswith(f"voila/render/lo/{modules[0].notebook}"), links[0]
    assert all(link.endswith(f"voila/render/{m.notebook}") for link, m in zip(links[1:], modules[1:])), links
    choose(page, "en")  # and back to English, on the course map itself
    assert page.inner_text("#learner-signed-in").startswith("Learning as")
    assert page.locator(f"li[data-module='{modules[0].id}'] a.course-module__link").get_attribute(
        "href").endswith(f"voila/render/{modules[0].notebook}")
    assert_readable(page, "en")
    assert view.external_requests() == []


def test_the_trainees_choice_is_kept_with_them_for_their_other_device(workshop, offline):
    phone = view_of(offline, (390, 844))
    page = phone.page
    page.goto(workshop.url + "join?lang=lo")
    page.fill("#join-code", workshop.code)
    page.fill("#join-name", "Somchai K")
    page.click("button[type=submit]")
    pin = page.inner_text("#course-pin")
    page.goto(workshop.url)
    assert page.locator("html[lang=lo]").count() == 1
    # A new phone (no cookie) that joins as the same trainee with the PIN gets English on the join page (nobody is
    # known yet), then Lao once it is the trainee's.
    other = view_of(offline, (390, 844))
    second = other.page
    second.goto(workshop.url + "join")
    assert second.inner_text("h1") == "Join the course"
    second.fill("#join-code", workshop.code)
    second.fill("#join-name", "Somchai K")
    with second.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST") as response:
        second.click("button[type=submit]")
    assert response.value.status == 409  # the name is in use: is it you?
    second.fill("#join-pin", pin)
    with second.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST") as response:
        second.click("#pin-form button[type=submit]")
    assert response.value.status in (200, 303)
    second.goto(workshop.url)
    assert second.inner_text("#learner-signed-in").startswith("ກຳລັງຮຽນໃນນາມ")
    assert phone.external_requests() == [] and other.external_requests() == []


def test_english_stays_the_default_and_an_unknown_language_is_ignored(workshop):
    with urllib.request.urlopen(workshop.url + "join?lang=xx") as answer:
        body = answer.read().decode()
        assert i18n.COOKIE not in (answer.headers.get("Set-Cookie") or "")
    assert '<html lang="en">' in body and "Join the course" in body
    request = urllib.request.Request(workshop.url + "join", headers={"Cookie": f"{i18n.COOKIE}=lo"})
    with urllib.request.urlopen(request) as answer:
        assert "ເຂົ້າຮ່ວມຫຼັກສູດ" in answer.read().decode()


def test_a_workshop_started_with_lang_lo_speaks_lao_to_a_new_browser(course_root, tmp_path_factory, offline):
    server = RoomServer(course_root, tmp_path_factory.mktemp("store"), free_port(), "--lang", "lo",
                        log_name="room-lo.log")
    try:
        view = view_of(offline, (1280, 720))
        view.page.goto(server.url + "join")
        assert view.page.inner_text("h1") == "ເຂົ້າຮ່ວມຫຼັກສູດ"
        assert_readable(view.page, "lo")
        choose(view.page, "en")  # a trainee's own choice wins over the server's
        assert view.page.inner_text("h1") == "Join the course"
        assert view.external_requests() == []
    finally:
        server.stop()


@pytest.mark.parametrize("size", [(390, 844), (1280, 720)], ids=["phone", "projector"])
def test_the_facilitator_reads_the_roster_in_lao_and_its_answers_come_in_lao(workshop, offline, size):
    trainee = view_of(offline, (390, 844))
    trainee.page.goto(workshop.url + "join")
    trainee.page.fill("#join-code", workshop.code)
    trainee.page.fill("#join-name", f"Noy {size[0]}")
    trainee.page.click("button[type=submit]")
    trainee.page.wait_for_selector("#course-pin")
    view = view_of(offline, size)
    sign_in(view, workshop, "facilitator")
    page = view.page
    assert page.inner_text("h1") == "Roster"  # the trainee's Lao is theirs: the facilitator's browser chose nothing
    choose(page, "lo")
    assert page.inner_text("h1") == "ລາຍຊື່ຜູ້ເຂົ້າຮ່ວມ"
    assert page.locator(".course-roster-table th").all_text_contents()[:3] == ["ຊື່", "ຄຳຕອບ", "ອຸປະກອນ"]
    assert_readable(page, "lo")
    page.screenshot(path=screenshot_dir("languages") / f"roster-lo-{size[0]}x{size[1]}.png", full_page=True)
    box = page.locator(f"input[aria-label='ຊື່ໃໝ່ສຳລັບ Noy {size[0]}']")  # "New name for ...", in Lao
    box.fill(f"Noy K {size[0]}")
    with page.expect_navigation():
        page.locator("form[action$='facilitator/rename']", has=box).locator("button").click()
    # The server's own answer to the action, in the facilitator's language, the names escaped and kept as typed.
    assert page.inner_text("#roster-message") == f"ຕອນນີ້ 'Noy {size[0]}' ມີຊື່ວ່າ 'Noy K {size[0]}'."
    assert_readable(page, "lo")
    for path, title in (("facilitator/dashboard", "ໜ້າສະຫຼຸບ"), ("facilitator/start", "ເຂົ້າຮ່ວມຫຼັກສູດ")):
        page.goto(workshop.url + path)  # the facilitator's other pages follow the same choice
        assert page.inner_text("h1") == title
        assert page.locator("html[lang=lo]").count() == 1
    assert view.external_requests() == [] and trainee.external_requests() == []


@pytest.mark.parametrize("size", [(390, 844), (1280, 720)], ids=["phone", "projector"])
def test_a_lao_decks_reflection_box_speaks_lao_and_saves_what_is_typed(workshop, offline, size):
    view = view_of(offline, size)
    page = view.page
    page.goto(workshop.url + "join")
    page.fill("#join-code", workshop.code)
    page.fill("#join-name", f"Kham {size[0]}")
    page.click("button[type=submit]")
    page.wait_for_selector("#course-pin")
    open_deck(page, workshop.deck("lo/zz-fixture-widgets.ipynb"))
    box = page.locator(".course-reflection-text")
    box.wait_for()
    page.wait_for_function("() => !document.querySelector('.course-reflection-text').disabled")
    assert box.get_attribute("placeholder") == "ພິມຄຳຕອບຂອງທ່ານຢູ່ນີ້. ມັນຈະຖືກບັນທຶກໃນຂະນະທີ່ທ່ານພິມ."
    assert page.locator(".course-reflection .course-status").inner_text() == "ຍັງບໍ່ທັນຂຽນ."  # "Not written yet."
    box.fill("ການຟັງ ແລະ ຄວາມອົດທົນ")
    saved = page.locator(".course-reflection .course-status--saved")
    saved.wait_for(timeout=30_000)
    assert saved.inner_text().startswith("ບັນທຶກແລ້ວເວລາ ")  # "Saved at 12:05"
    assert page.locator(".course-reflection").inner_text().count("ຕົວອັກສອນ") >= 1  # "20 characters"
    sizes = page.evaluate("""() => [...document.querySelectorAll('.course-reflection *')].filter(
        e => [...e.childNodes].some(n => n.nodeType === 3 && n.data.trim()) && e.getBoundingClientRect().width)
        .map(e => parseFloat(getComputedStyle(e).fontSize) * Reveal.getScale())""")
    assert sizes and min(sizes) >= 16, sizes
    assert page.evaluate(CLIPPED) == []
    if size[0] < 600:  # the deck's own phone bar, from /course/words.js, in the deck's language
        assert page.locator(".course-phone-prev").inner_text() == "‹ ກັບຄືນ"
        assert page.locator(".course-phone-next").get_attribute("aria-label") == "ສະໄລຕໍ່ໄປ"
    page.screenshot(path=screenshot_dir("languages") / f"lao-reflection-{size[0]}x{size[1]}.png")
    assert view.external_requests() == []


def test_a_wrong_join_code_is_refused_in_the_readers_language(workshop, offline):
    view = view_of(offline, (390, 844))
    page = view.page
    page.goto(workshop.url + "join?lang=lo")
    page.fill("#join-code", "ZZZZ" if workshop.code != "ZZZZ" else "YYYY")
    page.fill("#join-name", "Bounmy S")
    with page.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST") as response:
        page.click("button[type=submit]")
    assert response.value.status == 403  # refused by the server, whatever the language
    assert page.inner_text("#join-message") == "ລະຫັດເຂົ້າຮ່ວມນັ້ນບໍ່ຖືກຕ້ອງ. ມັນຢູ່ເທິງຈໍສາຍພາບ."
    assert_readable(page, "lo")
    assert view.external_requests() == []
