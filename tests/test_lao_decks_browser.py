"""The Lao decks (notebooks/lo/, built from the catalogs) in Chromium, offline, on a phone and on the projector.

Every slide of the Lao decks of modules 00 and 01: its text in Lao, no text under 16 px, nothing cut or off the
screen, every control tall enough to tap on a phone, nothing requested from outside. A trainee writes a reflection
in Lao and answers a Lao quiz in the Lao welcome deck: both are saved, the journal the deck downloads carries them
with the Lao question, and the answers' CSV carries them too; in a workshop, a trainee with a Lao name does the same on
a phone and the facilitator's answers.csv keeps the Lao. The decks' links lead on to the next Lao deck (to the English
one where a deck is not translated). Screenshots: artifacts/screenshots/lao-decks/.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO, SlideServer, free_port, make_course_copy, screenshot_dir
from decks import STDERR_OUTPUTS, deck_url, wait_saved
from test_phone_browser import PHONE, check_slide, current, open_course_deck, open_phone_deck, tap_next

DECKS = {"00-welcome.ipynb": "ຍິນດີຕ້ອນຮັບ", "01-people-and-persuaders.ipynb": "ວິທີໂນ້ມນ້າວ"}
# "Listening and patience matter most with the weavers." (written for the course)
REFLECTION = "ການຟັງ ແລະ ຄວາມອົດທົນ ສຳຄັນທີ່ສຸດກັບຊ່າງຕ່ຳຫູກ <ບໍ່ແມ່ນ HTML> & ຂອບໃຈ"


def lao_course_copy(tmp_path_factory):
    """A copy of the course whose notebooks include the Lao decks."""
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    (root / "notebooks" / "lo").symlink_to(REPO / "notebooks" / "lo")
    return root


@pytest.fixture(scope="module")
def lao_server(tmp_path_factory):
    root = lao_course_copy(tmp_path_factory)
    server = SlideServer(root, tmp_path_factory.mktemp("store"), free_port())
    yield server
    server.stop()


def lao_share(page) -> float:
    """How much of the current slide's letters are Lao (0 to 1)."""
    return page.evaluate("""() => { const t = Reveal.getCurrentSlide().innerText.replace(/[^\\p{L}]/gu, '');
        return t.length ? (t.match(/[\\u0e80-\\u0eff]/g) || []).length / t.length : 1; }""")


@pytest.mark.parametrize("deck", list(DECKS))
def test_a_lao_deck_on_a_phone_is_lao_and_readable_on_every_slide(lao_server, offline, learner, deck):
    view = offline(**PHONE)
    page = view.page
    page.set_default_timeout(20_000)
    total = open_phone_deck(page, deck_url(lao_server, f"lo/{deck}", learner))
    assert page.evaluate(STDERR_OUTPUTS) == []  # every cell ran in the Lao kernel without an error or a warning
    page.evaluate("Reveal.configure({transition: 'none'})")
    shots = screenshot_dir("lao-decks", "390x844")
    shares = []
    for index in range(total):
        check_slide(page, f"lo/{deck} slide {index + 1}", smallest_px=16)
        shares.append(lao_share(page))
        page.screenshot(path=shots / f"{deck[:2]}-{index + 1:02d}.png", scale="css")
        if index < total - 1:
            tap_next(page, f"{index + 2} / {total}")
    assert DECKS[deck] in page.title() or DECKS[deck] in page.locator(".reveal").inner_text()
    # Most slides are mostly Lao (names, sources and the interface's own words may stay English).
    assert sum(share > 0.5 for share in shares) >= 0.6 * total, shares
    assert view.external_requests() == [] and view.console_errors == []


@pytest.mark.parametrize("deck", list(DECKS))
def test_a_lao_deck_on_the_projector_is_readable_on_every_slide(lao_server, offline, learner, deck):
    view = offline(1280, 720)
    page = view.page
    open_course_deck(page, deck_url(lao_server, f"lo/{deck}", learner))
    page.evaluate("Reveal.configure({transition: 'none'})")
    total = page.evaluate("Reveal.getHorizontalSlides().length")
    shots = screenshot_dir("lao-decks", "1280x720")
    for index in range(total):
        page.evaluate(f"Reveal.slide({index}, 0, 99)")
        check_slide(page, f"lo/{deck} slide {index + 1}", smallest_px=24)
        page.screenshot(path=shots / f"{deck[:2]}-{index + 1:02d}.png")
    assert view.external_requests() == [] and view.console_errors == []


def test_a_lao_reflection_and_a_lao_quiz_answer_are_saved_and_exported_in_the_journal_and_the_csv(
        lao_server, offline, learner):
    from artisan_course.documents.room_report import answers_csv
    from artisan_course.state.store import Store

    view = offline(**PHONE)
    page = view.page
    page.set_default_timeout(20_000)
    total = open_phone_deck(page, deck_url(lao_server, "lo/00-welcome.ipynb", learner))
    page.evaluate("Reveal.configure({transition: 'none'})")

    def go_to(selector: str) -> None:
        index = page.locator(selector).first.evaluate(
            "el => Reveal.getHorizontalSlides().findIndex(s => s.contains(el))")
        page.evaluate(f"Reveal.slide({index})")
        page.locator(".course-phone-counter").filter(has_text=f"{index + 1} / {total}").wait_for()

    # The reflection, asked in Lao, answered in Lao.
    go_to(".course-reflection")
    slide = current(page)
    assert "ທັກສະອ່ອນ" in slide.inner_text()
    box = slide.locator(".course-reflection textarea").first
    page.wait_for_function("el => !el.disabled", arg=box.element_handle())
    box.fill(REFLECTION)
    wait_saved(lao_server, learner, lambda row: row.value == REFLECTION, item="welcome-soft-skills")

    # The three-parts question, in Lao: the right option chosen and checked.
    prompt = "ຫຼັກສູດນີ້ມີສາມພາກຫຼັກ"
    question = page.locator(".course-question", has_text=prompt)
    go_to(f".course-question:has-text('{prompt}')")
    right = "ການເຈລະຈາ, ການຈັດການ ແລະ ການສື່ສານ"
    question.locator("label", has_text=right).first.tap()
    question.locator("button").first.tap()
    question.locator(".course-feedback-right").wait_for(state="attached")
    assert "ຖືກຕ້ອງ" in question.inner_text()  # the feedback, in Lao
    wait_saved(lao_server, learner, lambda row: row.score == 1, item="welcome-three-parts", kind="quiz")

    # The journal, downloaded from the Lao deck: the Lao question with the Lao answer, escaped.
    button = page.locator(".course-journal-download .course-download-button").last
    go_to(".course-journal-download")
    with page.expect_download(timeout=60_000) as download:
        button.tap()
    journal = Path(download.value.path()).read_text(encoding="utf-8")
    assert REFLECTION.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in journal
    assert "<ບໍ່ແມ່ນ HTML>" not in journal
    assert "ທ່ານຄິດວ່າທັກສະອ່ອນ" in journal  # the question as the learner read it

    # The answers' CSV (what the facilitator downloads): the Lao words intact, the quiz answer by its option.
    store = Store(lao_server.home)
    try:
        exported = answers_csv(store, names=True)
    finally:
        store.close()
    assert REFLECTION in exported
    row = next(line for line in exported.splitlines() if "welcome-three-parts" in line)
    assert "neg-man-comm" in row and learner in row
    assert view.external_requests() == [] and view.console_errors == []


def test_the_lao_decks_lead_to_the_next_lao_deck(lao_server, offline, learner):
    """Module 00's next link opens the Lao module 01, module 07's the Lao module 08, and 08's back link the Lao 07."""
    view = offline(1280, 720)
    page = view.page
    for deck, neighbour in (("00-welcome.ipynb", "01-people-and-persuaders.ipynb"),
                            ("07-communication.ipynb", "08-wrap-up.ipynb")):
        open_course_deck(page, deck_url(lao_server, f"lo/{deck}", learner))
        href = page.locator(".course-nav-next").last.evaluate("a => a.href")
        assert href.split("?")[0] == f"{lao_server.url}voila/render/lo/{neighbour}", href
        answer = page.request.get(href, timeout=120_000)
        assert answer.status == 200, (href, answer.status)
    open_course_deck(page, deck_url(lao_server, "lo/08-wrap-up.ipynb", learner))
    back = page.locator(".course-nav-prev").last.evaluate("a => a.href")
    assert back.split("?")[0] == f"{lao_server.url}voila/render/lo/07-communication.ipynb"
    assert page.locator(".course-nav-next").count() == 0  # the last module leads nowhere further
    assert view.external_requests() == []


def test_a_lao_deck_whose_neighbour_is_not_translated_links_to_the_english_one(tmp_path, monkeypatch):
    """A language folder that holds only some decks (a translation under way) leads on to the English deck."""
    from artisan_course import i18n
    from artisan_course.widgets.course import nav_html
    (tmp_path / "lo").mkdir()
    for deck in ("00-welcome.ipynb", "01-people-and-persuaders.ipynb", "02-negotiation-process.ipynb"):
        (tmp_path / deck).write_text("{}")
    (tmp_path / "lo" / "01-people-and-persuaders.ipynb").write_text("{}")
    monkeypatch.chdir(tmp_path / "lo")
    monkeypatch.setattr(i18n, "language", lambda: "lo")
    html = nav_html("people-persuaders", None)
    assert "href='../00-welcome.ipynb'" in html and "href='../02-negotiation-process.ipynb'" in html, html
    (tmp_path / "lo" / "02-negotiation-process.ipynb").write_text("{}")
    assert "href='02-negotiation-process.ipynb'" in nav_html("people-persuaders", None)


@pytest.fixture(scope="module")
def lao_workshop(tmp_path_factory):
    from test_workshop_browser import WorkshopServer
    root = lao_course_copy(tmp_path_factory)
    server = WorkshopServer(root, tmp_path_factory.mktemp("store"), free_port())
    yield server
    server.stop()


def test_in_a_workshop_a_trainee_answers_in_the_lao_deck_and_the_facilitators_csv_keeps_the_lao(lao_workshop,
                                                                                                 offline):
    """The room's own path: a trainee with a Lao name joins, writes in the Lao welcome deck on a phone, and the
    facilitator's answers.csv (signed in, over HTTP) carries the Lao words and the name intact."""
    import csv
    import io
    from test_workshop_browser import join, sign_in
    name = f"ນ້ອຍ ແສງດາວ {free_port()}"
    trainee = offline(**PHONE)
    join(trainee, lao_workshop, name)
    page = trainee.page
    page.set_default_timeout(30_000)
    open_course_deck(page, lao_workshop.deck("lo/00-welcome.ipynb"))
    index = page.locator(".course-reflection").first.evaluate(
        "el => Reveal.getHorizontalSlides().findIndex(s => s.contains(el))")
    page.evaluate(f"Reveal.slide({index})")
    slide = current(page)
    assert "ທັກສະອ່ອນ" in slide.inner_text()
    box = slide.locator(".course-reflection textarea").first
    page.wait_for_function("el => !el.disabled", arg=box.element_handle())
    box.fill(REFLECTION)
    slide.locator(".course-reflection .course-status--saved").first.wait_for(state="attached")
    check_slide(page, "lo/00 reflection slide in a workshop", smallest_px=16)

    laptop = offline(1280, 720)
    sign_in(laptop, lao_workshop)
    answer = laptop.context.request.get(lao_workshop.url + "facilitator/answers.csv?names=1")
    assert answer.status == 200
    rows = list(csv.DictReader(io.StringIO(answer.text().lstrip("\ufeff"))))
    mine = [r for r in rows if r["trainee"] == name and r["item"] == "welcome-soft-skills"]
    assert mine and mine[-1]["answer"] == REFLECTION, rows
    assert answer.body()[:3] == b"\xef\xbb\xbf"  # a byte order mark: Excel reads the Lao as UTF-8
    assert trainee.external_requests() == [] and laptop.external_requests() == []


def test_the_lao_sorting_question_shows_lao_categories_and_saves_the_english_ones(lao_server, offline, learner):
    view = offline(1280, 720)
    page = view.page
    open_course_deck(page, deck_url(lao_server, "lo/01-people-and-persuaders.ipynb", learner))
    question = page.locator(".course-question", has_text="ຈັດກຸ່ມແຕ່ລະການກະທຳ. ມັນອົບອຸ່ນ")
    index = question.evaluate("el => Reveal.getHorizontalSlides().findIndex(s => s.contains(el))")
    page.evaluate(f"Reveal.slide({index})")
    menus = question.locator("select")
    assert menus.count() == 6
    assert menus.first.locator("option").all_inner_texts()[1:] == ["ອົບອຸ່ນ", "ໜັກແໜ້ນ", "ທັງສອງຢ່າງ"]
    for i in range(menus.count()):
        menus.nth(i).select_option(label="ອົບອຸ່ນ")
    question.locator("button").first.click()
    question.locator(".course-feedback-partial, .course-feedback-wrong").first.wait_for(state="attached")
    assert "ໜັກແໜ້ນ" in question.inner_text()  # the feedback names the right category in Lao
    saved = wait_saved(lao_server, learner, item="people-persuaders-warm-tough-sort", kind="quiz")
    assert set(saved.value["response"].values()) == {"warm"}  # saved as the English deck saves it
    assert view.external_requests() == [] and view.console_errors == []


def test_a_tool_still_on_its_way_says_so_in_lao_and_is_drawn_when_the_kernel_answers(lao_server, offline, learner):
    """On a slow phone a tool waits for its kernel: in its place the page says "Getting this tool ready…" in the
    deck's language, at reading size (not Voilà's "Loading widget..."), and the tool replaces the words once drawn.
    The kernel's answers are held back (the page's websocket, through Playwright) until the words have been seen."""
    view = offline(**PHONE)
    page = view.page
    holding, held, sockets = [True], [], []

    def relay(socket):
        server = socket.connect_to_server()
        sockets.append(socket)
        server.on_message(lambda message: held.append((socket, message)) if holding[0] else socket.send(message))

    page.route_web_socket(re.compile(r"/api/kernels/[^/]+/channels"), relay)
    page.goto(deck_url(lao_server, "lo/00-welcome.ipynb", learner), timeout=120_000)
    waiting = page.locator(".course-tool-loading").first
    waiting.wait_for(state="attached", timeout=120_000)
    assert waiting.inner_text() == "ກຳລັງກຽມເຄື່ອງມືນີ້…"
    assert float(waiting.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 16
    assert "Loading widget" not in page.locator("body").inner_text()
    page.screenshot(path=str(screenshot_dir("lao-decks") / "tool-getting-ready-phone.png"))
    holding[0] = False
    for socket, message in held:  # the kernel's answers arrive late, in their order
        socket.send(message)
    page.wait_for_function("() => !document.querySelector('.course-tool-loading')"
                           " && document.querySelectorAll('.course-reflection textarea').length > 0", timeout=120_000)
    assert view.external_requests() == []
