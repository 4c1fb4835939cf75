"""The slides in real Chromium, offline: every request that is not to localhost is aborted."""
from __future__ import annotations

import urllib.request

import pytest

from artisan_course.state.store import Store
from conftest import REPO, SlideServer, expected_slide_count, free_port, make_course_copy, screenshot_dir, wait_until
from decks import (CLIPPED, PLAIN_OUTPUTS, SMALLEST_TEXT, STDERR_OUTPUTS, current_index, deck_url, open_deck, poll,
                   ready_notebooks, server_children, wait_settled)


def assert_clean(view):
    assert view.external_requests() == []
    assert view.console_errors == []


def test_landing_page_lists_the_modules_in_reading_order(slide_server, offline):
    from artisan_course.content.course_map import load_course_map
    view = offline()
    view.page.goto(slide_server.url)
    course = load_course_map()
    titles = view.page.locator(".course-module__head").all_inner_texts()
    assert [t.split("\n")[0] for t in titles] == [m.title for m in course.modules]
    minutes = view.page.locator(".course-minutes").all_inner_texts()
    assert minutes == [f"{m.minutes} min" for m in course.modules]
    # Ready modules are links; the name typed on the page travels in them.
    view.page.fill("#learner-name", "ນ້ອຍ Noy")
    href = view.page.locator("a.course-module__link").first.get_attribute("href")
    assert href.startswith("/voila/render/00-welcome.ipynb?learner=")
    assert "Noy" in urllib.request.unquote(href)
    view.page.screenshot(path=screenshot_dir("landing") / "landing.png", full_page=True)
    assert_clean(view)


@pytest.mark.parametrize("path", ["voila/tree", "voila/render/no-such-deck.ipynb", "nowhere"])
def test_other_pages_load_nothing_from_outside(slide_server, offline, path):
    view = offline()
    response = view.page.goto(slide_server.url + path)
    assert response is not None
    html = view.page.content()
    assert "fontawesome" not in html.lower() and "font-awesome" not in html.lower()
    assert view.external_requests() == []


@pytest.mark.parametrize("notebook", ready_notebooks())
def test_each_deck_works_offline_and_moves_with_the_arrow_keys(slide_server, offline, notebook, learner):
    view = offline()
    open_deck(view.page, deck_url(slide_server, notebook, learner))
    page = view.page
    total = expected_slide_count(REPO / "notebooks" / notebook)
    assert page.evaluate("Reveal.getHorizontalSlides().length") == total
    # No code on the slides, and no warning or error printed by a cell.
    assert page.locator(".reveal .jp-CodeCell .jp-InputArea:visible").count() == 0
    assert page.evaluate(STDERR_OUTPUTS) == []
    assert page.evaluate(PLAIN_OUTPUTS) == []
    # The walk measures each slide at rest; the fade between slides is not what it checks.
    page.evaluate("Reveal.configure({transition: 'none'})")

    folder = screenshot_dir(notebook.removesuffix(".ipynb"))
    smallest = []
    for index in range(total):
        assert current_index(page) == index
        wait_settled(page)  # the fade has finished: measure and take the picture
        smallest.append((index, page.evaluate(SMALLEST_TEXT)))
        assert page.evaluate(CLIPPED) == [], f"slide {index + 1} clips content"
        page.screenshot(path=folder / f"slide-{index + 1:02d}.png")
        if index < total - 1:
            # One press per fragment on this slide, then one more moves on.
            fragments = page.evaluate("Reveal.getCurrentSlide().querySelectorAll('.fragment').length")
            for _ in range(fragments + 1):
                before = page.evaluate("JSON.stringify(Reveal.getIndices())")
                page.keyboard.press("ArrowRight")  # shows the next fragment, or the next slide
                page.wait_for_function("b => JSON.stringify(Reveal.getIndices()) !== b", arg=before)
            page.wait_for_function(f"Reveal.getIndices().h === {index + 1}")
    # The slide is kept in the address (written about a second after each move, so checked once, at the end).
    page.wait_for_function(f"location.hash.startsWith('#/{total - 1}')")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"Reveal.getIndices().h === {total - 2}")

    too_small = [(i + 1, s) for i, s in smallest if s["px"] < 24]
    assert too_small == [], f"text under 24 px on screen: {too_small}"
    assert_clean(view)


@pytest.mark.parametrize("notebook", ready_notebooks())
def test_no_slide_clips_content_at_common_screen_sizes(slide_server, offline, notebook, learner):
    view = offline(1024, 768)
    open_deck(view.page, deck_url(slide_server, notebook, learner))
    total = view.page.evaluate("Reveal.getHorizontalSlides().length")
    view.page.evaluate("Reveal.configure({transition: 'none'})")  # only the layout matters here, not the fade
    # 1280 x 720, the projector, is measured on every slide by the arrow-key walk above.
    for width, height in [(1024, 768), (1920, 1080)]:
        view.page.set_viewport_size({"width": width, "height": height})
        view.page.evaluate("Reveal.layout()")
        for index in range(total):
            view.page.evaluate(f"Reveal.slide({index})")
            wait_settled(view.page)
            assert view.page.evaluate(CLIPPED) == [], f"slide {index + 1} clips content at {width}x{height}"


def test_arrow_keys_in_a_focused_slider_move_the_slider_not_the_slide(slide_server, offline, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-slider.ipynb", learner))
    handle = page.locator(".noUi-handle, [role=slider]").first
    handle.focus()
    before = page.locator(".widget-readout").first.inner_text()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"document.querySelector('.widget-readout').innerText !== '{before}'")
    assert int(page.locator(".widget-readout").first.inner_text()) == int(before) + 1
    assert current_index(page) == 0
    # Esc hands the keys back to the slides.
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("Reveal.getIndices().h === 1")
    assert_clean(view)


def test_welcome_asks_for_a_name_and_saves_the_opening_answer(slide_server, offline, learner):
    name = f"ນ້ອຍ Noy {learner}"  # Lao script, and a name this test's own
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "00-welcome.ipynb", learner=None))
    page.get_by_placeholder("Your name").fill(name)
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Welcome,").wait_for()
    assert name in page.locator(".course-learner-name").inner_text()

    # The navigation now carries the learner's name.
    page.wait_for_function("document.querySelector('a.course-nav-contents').href.includes('learner=')")

    answer = "Patience, <b>respect</b> and listening 🙏"
    box = page.locator(".course-reflection textarea")
    box.wait_for(state="attached")
    page.evaluate("Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.querySelector('.course-reflection')))")
    box.click()
    box.press_sequentially(answer, delay=5)
    # Arrow keys inside the text box move the caret, not the slide.
    slide = current_index(page)
    page.keyboard.press("ArrowLeft")
    assert current_index(page) == slide
    page.locator(".course-reflection .course-status--saved").wait_for(timeout=10_000)
    assert "Saved at" in page.locator(".course-reflection .course-status").inner_text()

    store = Store(slide_server.home)
    found = store.find_learner(name.upper())  # one learner, however the name is typed
    assert found is not None
    assert store.latest(found.id, "welcome-soft-skills").value == answer

    # Opening the deck again, the answer is back and the learner is welcomed back.
    again = offline()
    open_deck(again.page, deck_url(slide_server, "00-welcome.ipynb", learner=name))
    again.page.wait_for_function("document.querySelector('.course-reflection textarea')?.value.length > 0")
    assert again.page.locator(".course-reflection textarea").input_value() == answer
    assert "Welcome back" in again.page.locator(".course-learner-name").inner_text()
    assert_clean(view)
    assert_clean(again)


def test_the_speaker_view_starts_no_kernels(slide_server, offline, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "00-welcome.ipynb", learner))
    page.evaluate("Reveal.slide(1)")

    def kernels() -> set[int]:
        # By process, not by count: the server may shut down an earlier test's kernel meanwhile (its page is gone).
        return {p.pid for p, command in server_children(slide_server.process.pid) if "ipykernel" in command}

    before = kernels()
    asked = []  # every address the speaker window and its frames ask for
    view.context.on("request", lambda request: asked.append((request.frame.page, request.url)))
    with view.context.expect_page() as popup_info:
        page.keyboard.press("s")
    popup = popup_info.value
    poll(popup, "document.querySelectorAll('iframe').length >= 2 && "
                "Array.from(document.querySelectorAll('iframe')).every(f => f.src.includes('/course/preview/'))")
    # The preview frame shows the slide the room sees.
    title = page.evaluate("Reveal.getCurrentSlide().querySelector('h2').innerText")
    poll(popup, """t => {
          const w = document.querySelector('#current-slide iframe').contentWindow;
          return w.Reveal && w.Reveal.isReady() && w.Reveal.getCurrentSlide().querySelector('h2')?.innerText === t;
        }""", title)
    # Both frames have loaded in full, so every page they asked for has been served: a kernel that
    # serving them started would be counted now. And none of them asked for a Voila page or a kernel.
    poll(popup, "Array.from(document.querySelectorAll('iframe')).every(f => f.contentDocument?.readyState "
                "=== 'complete' && f.contentWindow.Reveal?.isReady())")
    assert [url for source, url in asked if source == popup and ("/voila/render/" in url
                                                                 or "/api/kernels" in url)] == []
    assert any(source == popup and "/course/preview/" in url for source, url in asked)
    assert kernels() - before == set()  # no kernel started for the speaker view
    # The speaker notes are shown to the facilitator.
    poll(popup, "document.querySelector('.speaker-controls-notes .value').innerText.includes('Facilitator note')")
    popup.screenshot(path=screenshot_dir("speaker-view") / "welcome.png")
    assert view.external_requests() == []


def test_ctrl_c_stops_the_server_and_its_kernels(tmp_path, offline, learner):
    import psutil
    root = make_course_copy(tmp_path / "course")
    server = SlideServer(root, tmp_path / "store", free_port())
    try:
        view = offline()
        open_deck(view.page, deck_url(server, "zz-fixture-empty.ipynb", learner))
        assert server.kernels() == 1
        kernels = [p for p, command in server_children(server.process.pid) if "ipykernel" in command]
        assert kernels
    finally:
        server.stop()
    assert server.process.returncode is not None
    gone, alive = psutil.wait_procs(kernels, timeout=15)
    assert alive == []


def test_a_slide_too_tall_for_the_screen_scrolls_inside_itself(slide_server, offline, learner):
    view = offline()
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-tall.ipynb", learner))
    section = "Reveal.getCurrentSlide()"
    assert page.evaluate(f"{section}.scrollHeight > {section}.clientHeight")
    assert page.evaluate(f"getComputedStyle({section}).overflowY") == "auto"
    last_line_bottom = ("Array.from(Reveal.getCurrentSlide().querySelectorAll('p'))"
                        ".find(p => p.innerText === 'The last line.').getBoundingClientRect().bottom")
    assert page.evaluate(last_line_bottom) > 720  # below the screen at first
    page.mouse.move(640, 360)
    page.mouse.wheel(0, 3000)
    page.wait_for_function(f"{section}.scrollTop > 0")
    page.wait_for_function(f"{last_line_bottom} <= 720")  # the wheel scrolls smoothly: wait for the end of it
    assert_clean(view)


def test_the_server_shows_notebooks_only_never_solutions(slide_server):
    import urllib.error
    for path in ["voila/render/../solutions/secret-solution.ipynb",
                 "voila/render/%2E%2E/solutions/secret-solution.ipynb",
                 "voila/files/../solutions/secret-solution.ipynb",
                 "course/preview/..%2Fsolutions%2Fsecret-solution.ipynb"]:
        try:
            with urllib.request.urlopen(slide_server.url + path, timeout=30) as response:
                body = response.read().decode()
        except urllib.error.HTTPError as exc:
            assert exc.code in (403, 404), path
            continue
        assert "Empty" not in body, path  # the solution's content never reaches the browser


def test_idle_kernels_are_shut_down(tmp_path, offline, learner):
    root = make_course_copy(tmp_path / "course")
    server = SlideServer(root, tmp_path / "store", free_port(), "--idle-seconds", "4")
    try:
        view = offline()
        open_deck(view.page, deck_url(server, "zz-fixture-empty.ipynb", learner))
        assert server.kernels() == 1
        view.close()  # the trainee closes the tab without the page saying goodbye
        wait_until(lambda: server.kernels() == 0, 40, "the idle kernel to be shut down", interval=1)
    finally:
        server.stop()


def test_serving_on_the_network_warns_that_there_is_no_login(tmp_path):
    import subprocess
    import sys
    root = make_course_copy(tmp_path / "course")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "artisan_course.cli", "slides", "--host", "0.0.0.0", "--port", str(port),
         "--no-browser"],
        env=dict(__import__("os").environ, ARTISAN_COURSE_ROOT=str(root)), stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True)
    try:
        line = process.stderr.readline()
        assert line.startswith("WARNING: serving on 0.0.0.0 lets anyone on this network open the course.")
        assert "no login" in line
    finally:
        process.send_signal(__import__("signal").SIGINT)
        process.wait(30)


def test_closing_a_deck_shuts_its_kernel_down(tmp_path, offline, learner):
    root = make_course_copy(tmp_path / "course")
    server = SlideServer(root, tmp_path / "store", free_port())
    try:
        view = offline()
        open_deck(view.page, deck_url(server, "zz-fixture-empty.ipynb", learner))
        view.page.wait_for_function("document.cookie.includes('_xsrf=')")
        assert server.kernels() == 1
        view.page.close(run_before_unload=True)
        wait_until(lambda: server.kernels() == 0, 20, "the closed deck's kernel to be shut down")
        assert view.console_errors == []
    finally:
        server.stop()
