"""The decks on a trainee's phone and on the projector, offline, in Chromium.

On a phone (390 x 844, touch, device scale 2) each slide is a page of the screen's own size, moved with the
course's bar (Back, the counter, Next) or a sideways swipe. A trainee walks decks 00-08 with that bar alone,
answering and writing on the way, and downloads the journal at the end. On every slide: no text under 16 px,
no control under 44 px tall, nothing off the screen or cut, no hidden sideways scrolling. The same for one
deck at 320 px. On the projector (1280 x 720) the simulator decks keep text at 24 px or more, show each
simulator's chart beside its first controls, and scroll a tall slide with Page Down before moving on.
Screenshots of every slide go to artifacts/screenshots/phone/.
"""
from __future__ import annotations

from pathlib import Path
import time

import pytest

import test_learner_walk_browser as walk
from artisan_course.content.course_map import load_course_map
from conftest import screenshot_dir
from decks import deck_url, open_deck, wait_saved, wait_settled

PHONE = {"width": 390, "height": 844, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
NARROW = dict(PHONE, width=320, height=640)

# One call per slide: what a person would notice on the current slide, in on-screen pixels.
MEASURE = """() => {
  const slide = Reveal.getCurrentSlide();
  const scale = Reveal.getScale();
  const vw = document.documentElement.clientWidth;
  const phone = document.documentElement.classList.contains('course-phone');
  const label = el => el.tagName.toLowerCase() + '.' + String(el.className).split(' ').slice(0, 2).join('.')
      + ' "' + (el.innerText || el.value || '').trim().slice(0, 30) + '"';
  const scrollsSideways = s => ['auto', 'scroll'].includes(s.overflowX);
  const inSidewaysBox = el => { for (let p = el.parentElement; p && p !== slide; p = p.parentElement) {
      if (scrollsSideways(getComputedStyle(p)) && p.scrollWidth > p.clientWidth) return true; } return false; };
  let smallest = {px: Infinity, text: ''};
  const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || !el || el.closest('aside.notes') || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || parseFloat(style.fontSize) === 0) continue;  // 0 px: not shown at all
    const px = parseFloat(style.fontSize) * scale;
    if (px < smallest.px) smallest = {px, text: walker.currentNode.textContent.trim().slice(0, 50)};
  }
  const offScreen = [], cut = [], sideways = [], tiny = [];
  for (const el of [slide, ...slide.querySelectorAll('*')]) {
    if (el.closest('aside.notes') || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.height && (r.left < -1 || r.right > vw + 1) && !inSidewaysBox(el)) offScreen.push(label(el));
    const tall = el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 2;
    const wide = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 2;
    const scrollsY = ['auto', 'scroll'].includes(style.overflowY);
    if ((tall && !scrollsY && style.overflowY !== 'visible') || (wide && !scrollsSideways(style) && style.overflowX !== 'visible')) cut.push(label(el));
    // A box that scrolls sideways hides part of itself without a sign; only tables may (their cut column shows it).
    if (wide && scrollsSideways(style) && el !== slide && !el.closest('table, .course-fairness-table, pre')) sideways.push(label(el));
    if (phone && el.matches('button, select, textarea, input:not([type=radio]):not([type=checkbox]):not([type=hidden]),'
        + ' .noUi-handle, .widget-radio-box label, .widget-checkbox label') && r.height < 43.5) tiny.push(label(el) + ' ' + Math.round(r.height) + 'px');
  }
  return {smallest, offScreen: offScreen.slice(0, 5), cut: cut.slice(0, 5), sideways: sideways.slice(0, 5), tiny: tiny.slice(0, 5)};
}"""  # noqa: E501 (JavaScript run in the page, kept as written)

COUNTER = ".course-phone-counter"

# Every widget of the deck drawn, on hidden slides too: Voilà draws them one by one after the page shows,
# and document.body.innerText (which open_deck reads) skips the slides not on screen.
WIDGETS_DRAWN = """() => !document.querySelector('.course-tool-loading')
    && !Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .some(output => output.textContent.includes('Loading widget'))"""


def open_course_deck(page, url: str) -> None:
    open_deck(page, url)
    page.wait_for_function(WIDGETS_DRAWN, timeout=60_000)


def check_slide(page, where: str, smallest_px: int) -> None:
    """The current slide, at rest, as a person would judge it; and its picture."""
    wait_settled(page)
    found = page.evaluate(MEASURE)
    assert found["smallest"]["px"] >= smallest_px, (where, found["smallest"])
    assert found["offScreen"] == [], (where, "off the screen", found["offScreen"])
    assert found["cut"] == [], (where, "cut off", found["cut"])
    assert found["sideways"] == [], (where, "scrolls sideways", found["sideways"])
    assert found["tiny"] == [], (where, "too small to tap", found["tiny"])


def counter(page) -> str:
    return page.locator(COUNTER).inner_text()


def counter_shows(page, expected: str) -> None:
    """Wait until the counter says ``expected`` (it is written on reveal's slide event, after the move)."""
    page.wait_for_function("t => document.querySelector('.course-phone-counter').innerText === t", arg=expected)


def tap_next(page, expected: str) -> None:
    page.locator(".course-phone-next").tap()
    page.wait_for_function("t => document.querySelector('.course-phone-counter').innerText === t", arg=expected)


def open_phone_deck(page, url: str) -> int:
    """Open a deck on a phone: the phone view, never reveal's scroll view; returns its number of slides."""
    open_course_deck(page, url)
    assert page.evaluate("document.documentElement.classList.contains('course-phone') && !Reveal.isScrollView()")
    assert page.evaluate("Reveal.getScale()") == 1  # laid out at the screen's size, not shrunk
    total = page.evaluate("Reveal.getHorizontalSlides().length")
    page.locator(".course-phone-bar").wait_for()
    assert counter(page) == f"1 / {total}"
    return total


def current(page):
    return page.locator(".reveal .slides > section.present")


def do_the_slide(page, module, written: list[str]) -> None:
    """Everything a trainee does on the current slide: answer, write, plan; with the page's own taps."""
    slide = current(page)
    questions = slide.locator(".course-question")
    for i in range(questions.count()):
        walk.answer(page, questions.nth(i))
    role_plays = slide.locator(".course-role-play")
    for i in range(role_plays.count()):  # the trainee observes the role-play: the checklist opens
        role_plays.nth(i).get_by_role("button", name="Observer").tap()
        role_plays.nth(i).locator(".course-reflection").first.wait_for(state="visible")
    boxes = slide.locator(".course-reflection textarea")
    for i in range(boxes.count()):
        text = f"{module.id} phone note {len(written) + 1}: <b>mine</b> & ຂອບໃຈ"
        walk.write(page, boxes.nth(i), text)
        written.append(text)
        slide.locator(".course-reflection").nth(i).locator(".course-status--saved").wait_for(state="attached")


def test_a_trainee_does_every_deck_on_a_phone_and_downloads_the_journal(slide_server, offline, learner):
    """Decks 00-08 at 390 x 844, slide by slide with the Next button, every slide measured and pictured."""
    course = load_course_map()
    view = offline(**PHONE)
    page = view.page
    page.set_default_timeout(20_000)
    shots = screenshot_dir("phone", "390x844")
    written: list[str] = []
    for module in course.modules:
        total = open_phone_deck(page, deck_url(slide_server, module.notebook, learner))
        page.evaluate("Reveal.configure({transition: 'none'})")
        for index in range(total):
            where = f"{module.notebook} slide {index + 1}"
            check_slide(page, where, smallest_px=16)
            page.screenshot(path=shots / f"{module.number:02d}-{index + 1:02d}.png", scale="css")
            do_the_slide(page, module, written)
            plan = current(page).locator(".course-action-plan")
            if plan.count():
                walk.fill_action_plan(page, plan.first)
                wait_saved(slide_server, learner,
                           lambda row: row.value["commitments"][2]["because"] == "reason 3 & more",
                           item="action-plan", kind="action-plan")
            if index < total - 1:
                tap_next(page, f"{index + 2} / {total}")
        assert page.locator(".course-phone-next").is_disabled()  # the last slide: nowhere further to go

    # Back to the journal's slide with the Back button, and download it with a tap.
    button = page.locator("button", has_text="Download my journal").last
    journal_slide = button.evaluate("el => Reveal.getHorizontalSlides().findIndex(s => s.contains(el))")
    for index in range(total - 1, journal_slide, -1):
        page.locator(".course-phone-prev").tap()
        page.wait_for_function("t => document.querySelector('.course-phone-counter').innerText === t",
                               arg=f"{index} / {total}")
    with page.expect_download(timeout=60_000) as download:
        button.tap()
    journal = Path(download.value.path()).read_text(encoding="utf-8")
    for text in written:
        assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in journal, text
    assert "<b>mine</b>" not in journal
    assert view.external_requests() == [] and view.console_errors == []


def swipe(page, dx: float, dy: float = 0, start=(195, 400)) -> None:
    """A one-finger swipe, as a phone's touch screen sends it: a move over 80 ms, then the finger rests a moment
    before it lifts, so the page does not fling on (a tap during a fling only stops the fling, on a real phone too).
    The times are the events' own time stamps, not waits."""
    session = page.context.new_cdp_session(page)
    x, y = start
    t0 = time.time()
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}], "timestamp": t0})
    for step in range(1, 6):
        session.send("Input.dispatchTouchEvent",
                     {"type": "touchMove", "touchPoints": [{"x": x + dx * step / 5, "y": y + dy * step / 5}],
                      "timestamp": t0 + 0.016 * step})
    end = [{"x": x + dx, "y": y + dy}]
    session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": end, "timestamp": t0 + 0.3})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": [], "timestamp": t0 + 0.32})
    session.detach()


def test_on_a_phone_a_swipe_moves_a_slide_and_a_reload_or_a_shared_link_keeps_the_place(slide_server, offline, learner):
    view = offline(**PHONE)
    page = view.page
    url = deck_url(slide_server, "00-welcome.ipynb", learner)
    total = open_phone_deck(page, url)
    swipe(page, -160)  # to the left: the next slide
    page.wait_for_function("() => Reveal.getIndices().h === 1")
    counter_shows(page, f"2 / {total}")
    swipe(page, 0, -300)  # up and down is a scroll, never a slide change
    swipe(page, -15, -200)
    tap_next(page, f"3 / {total}")
    assert page.evaluate("Reveal.getIndices().h") == 2
    # To the right: back. Slide 3 holds a reflection box lower down, where a swipe is rightly left to the text, so
    # the finger starts near the top of the slide, on its heading.
    swipe(page, 160, start=(195, 120))
    page.wait_for_function("() => Reveal.getIndices().h === 1")
    tap_next(page, f"3 / {total}")
    # The address holds the slide and the learner: a reload, or the link sent to a neighbour, opens slide 3 for them.
    page.wait_for_function("() => /^#\\/2(\\/|$)/.test(location.hash)")  # reveal writes the address just after the move
    address = page.url
    assert f"learner={learner.replace(' ', '%20')}" in address
    page.reload()
    page.wait_for_selector("body[data-deck-ready]")
    counter_shows(page, f"3 / {total}")
    other = offline(**PHONE).page
    other.goto(address)
    other.wait_for_selector("body[data-deck-ready]")
    counter_shows(other, f"3 / {total}")
    assert view.external_requests() == [] and view.console_errors == []


def test_a_name_typed_on_a_phone_stays_after_a_reload(slide_server, offline, learner):
    view = offline(**PHONE)
    page = view.page
    open_phone_deck(page, deck_url(slide_server, "00-welcome.ipynb", learner=None))
    page.get_by_placeholder("Your name").fill(learner)
    page.get_by_role("button", name="Start").tap()
    page.get_by_text("Welcome,").wait_for()
    page.wait_for_function("() => new URLSearchParams(location.search).get('learner') !== null")
    page.reload()
    page.wait_for_selector("body[data-deck-ready]")
    page.locator(".course-learner-name").filter(has_text=learner).wait_for()
    assert view.console_errors == []


# Every button of every tool, on a phone: on screen when scrolled to, and not under the bar.
REACHABLE = """el => {
  el.scrollIntoView({block: 'center'});
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {inside: r.left >= 0 && r.right <= document.documentElement.clientWidth && r.height >= 43.5,
          hit: !!hit && (el === hit || el.contains(hit))};
}"""


@pytest.mark.parametrize("tool", ["anchoring", "fairness", "contingency", "negotiation", "milestones", "agreement",
                                  "channels", "conflict-plan", "messages", "listening", "action-plan"])
def test_every_button_of_a_tool_can_be_tapped_on_a_phone(slide_server, offline, learner, tool):
    view = offline(**PHONE)
    page = view.page
    open_phone_deck(page, deck_url(slide_server, f"zz-fixture-{tool}.ipynb", learner))
    page.locator(".reveal .jupyter-widgets").first.wait_for()
    check_slide(page, tool, smallest_px=16)
    page.screenshot(path=screenshot_dir("phone", "tools") / f"{tool}.png", scale="css")
    buttons = current(page).locator("button:visible, .widget-upload:visible")
    assert buttons.count() > 0
    for i in range(buttons.count()):
        found = buttons.nth(i).evaluate(REACHABLE)
        assert found == {"inside": True, "hit": True}, (tool, buttons.nth(i).inner_text(), found)
    save = current(page).get_by_role("button", name="Save this scenario")
    if save.count():
        save.first.tap()
        current(page).get_by_text("Saved to your journal.").first.wait_for()
    assert view.console_errors == []


def test_a_phone_can_make_the_order_agreement(slide_server, offline, learner):
    """The issue's worst case: "Make the agreement" was never tappable on a phone."""
    view = offline(**PHONE)
    page = view.page
    open_phone_deck(page, deck_url(slide_server, "zz-fixture-agreement.ipynb", learner))
    page.locator(".course-agreement").wait_for()
    from decks import field
    field(page, "Product name").locator("input").fill("Silk scarf")
    field(page, "Price per piece").locator("input").fill("12.50")
    field(page, "Quantity (pieces)").locator("input").fill("120")
    field(page, "Final delivery date").locator("input").fill("2099-06-30")
    page.get_by_role("button", name="Make the agreement").tap()
    link = page.locator("a.course-download", has_text="agreement to print")
    link.wait_for()
    assert link.evaluate(REACHABLE)["hit"]
    assert view.console_errors == []


def test_deck_at_320_px_wide(slide_server, offline, learner):
    """The narrowest phone the course supports: the management deck, with the milestone planner and the agreement."""
    view = offline(**NARROW)
    page = view.page
    total = open_phone_deck(page, deck_url(slide_server, "06-management.ipynb", learner))
    page.evaluate("Reveal.configure({transition: 'none'})")
    shots = screenshot_dir("phone", "320x640")
    for index in range(total):
        check_slide(page, f"06 slide {index + 1} at 320 px", smallest_px=16)
        page.screenshot(path=shots / f"06-{index + 1:02d}.png", scale="css")
        if index < total - 1:
            tap_next(page, f"{index + 2} / {total}")
    assert view.console_errors == []


@pytest.mark.parametrize("notebook",
                         ["03-anchoring.ipynb", "04-contingency-and-why.ipynb", "05-fairness-and-culture.ipynb",
                                      "06-management.ipynb"])
def test_on_the_projector_every_slide_is_readable_and_each_chart_shows_beside_its_controls(slide_server, offline,
                                                                                           learner, notebook):
    view = offline(1280, 720)
    page = view.page
    open_course_deck(page, deck_url(slide_server, notebook, learner))
    assert not page.evaluate("document.documentElement.classList.contains('course-phone')")
    assert page.locator(".course-phone-bar").is_hidden()
    page.evaluate("Reveal.configure({transition: 'none'})")
    total = page.evaluate("Reveal.getHorizontalSlides().length")
    shots = screenshot_dir("phone", "1280x720")
    charts = 0
    for index in range(total):
        page.evaluate(f"Reveal.slide({index}, 0, 99)")
        check_slide(page, f"{notebook} slide {index + 1}", smallest_px=24)
        page.screenshot(path=shots / f"{notebook[:2]}-{index + 1:02d}.png")
        results = current(page).locator(".course-sim-results")
        if results.count():
            charts += 1
            # The simulator's top in view: its chart and its first control are on the screen together.
            page.evaluate("() => { const s = Reveal.getCurrentSlide(); const row = "
                          "s.querySelector('.course-sim-results').parentElement;"
                          " s.scrollTop += row.getBoundingClientRect().top - s.getBoundingClientRect().top - 8; }")
            wait_settled(page)
            box = page.evaluate("""() => { const s = Reveal.getCurrentSlide(), v = s.getBoundingClientRect();
              const chart = s.querySelector('.course-sim-results .course-sim-chart').getBoundingClientRect();
              const control = s.querySelector('.course-sim-results').parentElement.querySelector('.course-sim-field').getBoundingClientRect();
              const seen = r => r.height > 0 && r.top >= v.top - 1 && r.bottom <= v.bottom + 1;
              return {chart: seen(chart), control: seen(control), side: chart.left >= control.right - 1}; }""")  # noqa: E501 (JavaScript run in the page, kept as written)
            assert box == {"chart": True, "control": True, "side": True}, (notebook, index + 1, box)
    assert charts >= 1
    assert view.external_requests() == [] and view.console_errors == []


def test_on_the_projector_page_down_scrolls_a_tall_slide_before_moving_on_and_esc_opens_no_overview(
        slide_server, offline, learner):
    view = offline(1280, 720)
    page = view.page
    open_deck(page, deck_url(slide_server, "zz-fixture-tall.ipynb", learner))
    cue = page.locator(".course-more-below")
    cue.wait_for()  # the slide goes on below the screen, and says so
    page.keyboard.press("Escape")
    assert not page.evaluate("Reveal.isOverview()")
    page.keyboard.press("PageDown")  # what a presentation clicker sends
    page.wait_for_function("Reveal.getCurrentSlide().scrollTop > 0")
    assert page.evaluate("Reveal.getIndices().h") == 0
    last_line = ("Array.from(Reveal.getCurrentSlide().querySelectorAll('p')).find(p => p.innerText === 'The "
                 "last line.').getBoundingClientRect().bottom <= 720")
    where = ("() => { const s = Reveal.getCurrentSlide(); return [s.scrollTop, s.scrollHeight - s.clientHeight, "
             "s.clientHeight]; }")
    for _ in range(5):
        top, end, height = page.evaluate(where)
        if top >= end - 2:
            break
        page.keyboard.press("PageDown")  # each press scrolls most of a screen, smoothly
        # Most of a screen down, or to the end: the end as it is then, since the slide grows taller on the screen
        # once the 'More below' strip goes away.
        target = top + 0.8 * height - 2
        page.wait_for_function("t => { const s = Reveal.getCurrentSlide(); "
                               "return s.scrollTop >= Math.min(t, s.scrollHeight - s.clientHeight - 2); }", arg=target)
    page.wait_for_function(last_line)
    cue.wait_for(state="hidden")
    assert page.evaluate("Reveal.getIndices().h") == 0  # still the tall slide until its end is shown
    page.keyboard.press("PageUp")
    page.wait_for_function("Reveal.getCurrentSlide().scrollTop < Reveal.getCurrentSlide().scrollHeight - 720")
    assert view.console_errors == []


def test_the_quiz_progress_line_counts_the_whole_module_on_every_slide(slide_server, offline, learner):
    view = offline(1280, 720)
    page = view.page
    open_deck(page, deck_url(slide_server, "03-anchoring.ipynb", learner))
    lines = page.locator(".course-quiz .course-score")
    page.wait_for_function("document.querySelectorAll('.course-quiz .course-score').length >= 2")  # several slides
    first, last = page.locator(".course-question").first, page.locator(".course-question").last
    walk.answer(page, first)
    walk.answer(page, last)
    for i in range(lines.count()):
        page.wait_for_function("([i]) => /Module quiz: 2 of \\d+ "
                               "answered/.test(document.querySelectorAll('.course-quiz .course-score')[i].innerText)",
                               arg=[i])
    assert view.console_errors == []


# -- "did it work?": the answer comes into view, and the cue covers nothing -------------------------------------------
# Whether `selector` (inside the current slide's n-th question) is on screen inside the slide and seen, not covered.
SEEN_IN_QUESTION = """([n, selector]) => {
  const slide = Reveal.getCurrentSlide();
  const element = slide.querySelectorAll('.course-question')[n].querySelector(selector);
  if (!element || !element.innerText.trim()) return false;
  const r = element.getBoundingClientRect(), view = slide.getBoundingClientRect();
  if (r.top < Math.max(view.top, 0) - 1 || r.top + Math.min(r.height, 60) > Math.min(view.bottom, innerHeight) + 1) return false;
  const hit = document.elementFromPoint(r.left + 10, r.top + Math.min(r.height, 60) / 2);
  return !!hit && element.contains(hit);
}"""  # noqa: E501 (JavaScript run in the page, kept as written)
# The "More below" cue, when it shows, sits below the slide's scroll box: over nothing the slide shows.
CUE_COVERS_NOTHING = """() => {
  const cue = document.querySelector('.course-more-below');
  if (cue.hidden) return 'hidden';
  const slide = Reveal.getCurrentSlide().getBoundingClientRect(), r = cue.getBoundingClientRect();
  return slide.bottom <= r.top + 1 ? 'clear' : `over the slide by ${Math.round(slide.bottom - r.top)} px`;
}"""


def put_button_at_the_bottom(page, n: int, button: str) -> None:
    """Scroll the slide so that the n-th question's button is the last thing on screen, as after choosing an answer."""
    page.evaluate("""([n, name]) => {
      const slide = Reveal.getCurrentSlide();
      const b = Array.from(slide.querySelectorAll('.course-question')[n].querySelectorAll('button'))
        .find(x => x.innerText.trim() === name);
      slide.scrollTop += b.getBoundingClientRect().bottom - slide.getBoundingClientRect().bottom + 4;
    }""", [n, button])


def test_on_a_phone_after_send_or_check_the_answer_comes_into_view_and_the_cue_covers_nothing(slide_server, offline,
                                                                                               learner):
    view = offline(390, 844, is_mobile=True, has_touch=True)
    page = view.page
    open_phone_deck(page, deck_url(slide_server, "00-welcome.ipynb", learner))
    shots = screenshot_dir("phone")
    for slide_text, button in (("Two quick polls", "Send"), ("A quick check", "Check")):
        page.evaluate("t => Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.innerText.includes(t)))",
                      slide_text)
        wait_settled(page)
        # These slides go on below the screen: the cue shows (once the slide's widgets are laid out), over nothing.
        page.wait_for_function(f"() => ({CUE_COVERS_NOTHING})() === 'clear'", timeout=30_000)
        questions = current(page).locator(".course-question")
        n = questions.count() - 1  # the slide's last question: its answer lands below the screen
        assert n >= 1
        question = questions.nth(n)
        question.locator("input[type=radio]").first.tap()
        put_button_at_the_bottom(page, n, button)
        question.get_by_role("button", name=button).tap()
        # The kernel's answer ("Thank you for answering", or right or not and why) is brought on screen.
        page.wait_for_function(SEEN_IN_QUESTION, arg=[n, ".course-feedback-box"], timeout=30_000)
        wait_settled(page)
        assert page.evaluate(SEEN_IN_QUESTION, [n, ".course-feedback-box"]), slide_text
        assert page.evaluate(CUE_COVERS_NOTHING) in ("clear", "hidden")
        page.screenshot(path=str(shots / f"after-{button.lower()}.png"))
    assert view.external_requests() == [] and view.console_errors == []
