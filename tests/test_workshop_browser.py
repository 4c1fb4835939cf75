"""Workshop mode in Chromium, with several trainees' browsers open at once against one `artisan-course workshop`.

Each browser context is one device. The server binds 127.0.0.1 only, and every request that tries to leave this
machine is aborted and asserted.
"""
from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from artisan_course.state.learner import unique_file_stem
from artisan_course.state.store import Store
from conftest import free_port, make_course_copy, screenshot_dir, wait_for_http
from decks import open_deck

pytestmark = pytest.mark.browser

WAIT_SECONDS = 2  # the first wait after five wrong tries (30 s in a real workshop)
REFLECTION_SLIDE = "Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.querySelector('.course-reflection')))"
SCRIPT_NAME = "<script>window.pwned=1</script><b>Bo</b>"


class WorkshopServer:
    def __init__(self, root: Path, home: Path, port: int):
        self.root, self.home, self.port = root, home, port
        self.url = f"http://127.0.0.1:{port}/"
        env = dict(os.environ, ARTISAN_COURSE_ROOT=str(root), ARTISAN_COURSE_HOME=str(home))
        self.log_path = root / "workshop.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "artisan_course.cli", "workshop", "--port", str(port), "--host", "127.0.0.1",
             "--no-browser", "--wait-seconds", str(WAIT_SECONDS)],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for_http(self.url + "join", timeout=90, process=self.process)
        printed = self.log_path.read_text()
        self.code = re.search(r"^Join code: (\w+)$", printed, re.MULTILINE).group(1)
        self.key = re.search(r"^Facilitator key: (\S+)", printed, re.MULTILINE).group(1)
        self.printed = printed

    def deck(self, notebook: str, query: str = "") -> str:
        return f"{self.url}voila/render/{quote(notebook)}{query}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    home = tmp_path_factory.mktemp("store")
    server = WorkshopServer(root, home, free_port())
    yield server
    server.stop()


def stored(server, name: str, item: str = "welcome-soft-skills"):
    store = Store(server.home)
    try:
        found = store.find_learner(name)
        answer = store.latest(found.id, item) if found else None
        return answer.value if answer else None
    finally:
        store.close()


def join(view, server, name: str, pin: str | None = None, expect: int = 200):
    """Fill the join page as a trainee would; returns the response status and the page."""
    page = view.page
    page.goto(server.url + "join")
    page.fill("#join-code", server.code.lower())
    page.fill("#join-name", name)
    with page.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST") as response:
        page.click("button[type=submit]")
    status = response.value.status
    if pin is not None and status == 409:
        page.fill("#join-pin", pin)
        with page.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST") as response:
            page.click("#pin-form button[type=submit]")
        status = response.value.status
    assert status == expect, page.content()[:2000]
    return status


def sign_in(view, server, path: str = "facilitator") -> None:
    """Open a facilitator page and type the key the terminal showed, as the facilitator does on this laptop."""
    page = view.page
    page.goto(server.url + path)
    page.fill("#facilitator-key", server.key)
    with page.expect_response(lambda r: r.url.endswith("/facilitator/sign-in") and r.request.method == "POST") as done:
        page.click("#sign-in-form button[type=submit]")
    assert done.value.status == 303
    page.wait_for_url(server.url + path)


def pin_of(view) -> str:
    return view.page.locator("#course-pin").inner_text().replace(" ", "")


def open_reflection(view, url: str):
    open_deck(view.page, url)
    box = view.page.locator(".course-reflection textarea")
    box.wait_for(state="attached")
    view.page.evaluate(REFLECTION_SLIDE)
    box.wait_for()
    view.page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
    return box


def kernel_id(page) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def trainee_cookie(view):
    return [c for c in view.context.cookies() if c["name"] == "artisan_course_trainee"]


def assert_offline(*views):
    for view in views:
        assert view.external_requests() == []


# -- two trainees at once ----------------------------------------------------------------------------
def test_a_second_trainee_cannot_see_overwrite_or_download_anothers_answers(workshop, offline):
    noy, keo = offline(), offline()
    join(noy, workshop, "Noy")
    cookie = trainee_cookie(noy)[0]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and len(cookie["value"]) >= 40
    assert noy.page.evaluate("document.cookie").find(cookie["value"]) == -1  # page scripts cannot read it
    words = "The weaver and her daughter are ill, so we moved the date"  # no characters the journal escapes
    box = open_reflection(noy, workshop.deck("00-welcome.ipynb"))
    box.click()
    box.press_sequentially(words, delay=2)
    noy.page.locator(".course-reflection .course-status--saved").wait_for(timeout=15_000)
    assert stored(workshop, "Noy") == words
    noy_kernel = kernel_id(noy.page)

    # Keo types Noy's name, in another case and spacing: asked for another name or the PIN, shown nothing of Noy's.
    join(keo, workshop, "  nOY ", expect=409)
    assert "Someone has already joined" in keo.page.inner_text("body")
    assert trainee_cookie(keo) == [] and words not in keo.page.content()
    join(keo, workshop, "Keo")

    # A crafted address naming Noy still opens Keo's own page: empty box, Keo's name, Keo's rows.
    box = open_reflection(keo, workshop.deck("00-welcome.ipynb", "?learner=Noy"))
    assert box.input_value() == ""
    assert "Keo" in keo.page.locator(".course-learner-name").inner_text()
    assert "Noy" not in keo.page.inner_text("body")
    box.click()
    box.press_sequentially("Keo own words", delay=2)
    keo.page.locator(".course-reflection .course-status--saved").wait_for(timeout=15_000)
    assert stored(workshop, "Noy") == words and stored(workshop, "Keo") == "Keo own words"

    # The room's poll waits for the facilitator to show the results (test_room_browser.py), and never shows names.
    page = keo.page
    page.evaluate("Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.innerText.includes('Two quick polls')))")
    poll = page.locator(".course-question", has_text="matters most").first
    poll.locator("input[type=radio]").first.check()
    poll.get_by_role("button", name="Send").click()
    poll.locator(".course-room-wait").wait_for(timeout=15_000)
    assert "Noy" not in page.inner_text("body")

    # Downloads and the kernel's own routes answer only the owner.
    journal = keo.context.request.get(workshop.url + "course/my-journal?learner=Noy")
    assert journal.status == 200 and "Keo own words" in journal.text() and words not in journal.text()
    assert keo.context.request.get(f"{workshop.url}api/kernels/{noy_kernel}").status == 403
    assert noy.context.request.get(f"{workshop.url}api/kernels/{noy_kernel}").status == 200
    xsrf = next(c["value"] for c in keo.context.cookies() if c["name"] == "_xsrf")
    assert keo.context.request.post(f"{workshop.url}voila/api/shutdown/{noy_kernel}",
                                    headers={"X-XSRFToken": xsrf}).status == 403
    socket = keo.page.evaluate("""id => new Promise(done => {
        const ws = new WebSocket(location.origin.replace('http', 'ws') + '/api/kernels/' + id + '/channels');
        ws.onopen = () => { ws.close(); done('open'); };
        ws.onerror = () => done('refused');
    })""", noy_kernel)
    assert socket == "refused"
    assert noy.page.locator(".course-reflection textarea").input_value() == words  # Noy's page still works
    assert_offline(noy, keo)


def test_the_pin_carries_a_trainee_to_a_second_device(workshop, offline):
    phone, laptop = offline(), offline()
    join(phone, workshop, "Lan P.")
    pin = pin_of(phone)
    assert re.fullmatch(r"\d{6}", pin)
    store = Store(workshop.home)
    store.record(store.find_learner("Lan P.").id, "welcome", "welcome-soft-skills", "reflection", "Lan's words")
    store.close()
    # The phone dies; the laptop joins with the same name and the PIN, and carries on.
    join(laptop, workshop, "lan p.", pin=pin, expect=303)
    box = open_reflection(laptop, workshop.deck("00-welcome.ipynb"))
    assert box.input_value() == "Lan's words"
    assert "Lan P." in laptop.page.locator(".course-learner-name").inner_text()
    assert_offline(phone, laptop)


def test_a_name_saved_before_workshop_mode_is_claimed_by_the_first_device(workshop, offline):
    store = Store(workshop.home)
    old = store.learner("Saved With Slides")
    store.record(old.id, "welcome", "welcome-soft-skills", "reflection", "words from before")
    store.close()
    first, second = offline(), offline()
    join(first, workshop, "saved with slides")
    assert "Welcome back" in first.page.inner_text("h1") and pin_of(first)
    first.page.click("#join-continue")
    first.page.wait_for_url(workshop.url)
    assert first.page.inner_text("#course-learner-name") == "Saved With Slides"
    assert stored(workshop, "Saved With Slides") == "words from before"
    join(second, workshop, "Saved With Slides", expect=409)  # after the claim, the name needs the PIN


# -- the facilitator ----------------------------------------------------------------------------------
FACILITATOR_ONLY = ["facilitator", "facilitator/start", "facilitator/export", "facilitator/evaluation",
                    "facilitator/api/roster", "facilitator/roster.csv"]


def test_without_the_key_the_facilitators_pages_and_exports_are_refused(workshop, offline):
    stranger, trainee, facilitator = offline(), offline(), offline()
    join(trainee, workshop, SCRIPT_NAME)
    victim = Store(workshop.home)
    victim_id = victim.find_learner(SCRIPT_NAME).id
    victim.close()
    for view in (stranger, trainee):
        for path in FACILITATOR_ONLY:
            assert view.context.request.get(workshop.url + path).status == 403, path
            assert view.context.request.get(f"{workshop.url}{path}?key=not-the-key").status == 403, path
        for action in ("forget", "rename", "merge", "reassign"):
            response = view.context.request.post(f"{workshop.url}facilitator/{action}",
                                                 form={"learner": str(victim_id), "name": "x", "into": "1"})
            assert response.status == 403, action
        assert view.context.request.get(workshop.url + "facilitator",
                                        headers={"X-Facilitator-Key": "guess"}).status == 403
    stranger.page.goto(workshop.url + "facilitator")
    assert "This page is for the facilitator" in stranger.page.inner_text("h1")
    check = Store(workshop.home)
    assert check.learner_by_id(victim_id).name == SCRIPT_NAME  # nothing was forgotten, renamed or merged
    check.close()
    # A wrong key typed on the sign-in form is refused, and says so.
    stranger.page.fill("#facilitator-key", "not the key")
    with stranger.page.expect_response(lambda r: r.url.endswith("/facilitator/sign-in")) as refused:
        stranger.page.click("#sign-in-form button[type=submit]")
    assert refused.value.status == 403 and "not the facilitator key" in stranger.page.inner_text("#sign-in-message")

    # With the key from the terminal, typed once: the browser gets a session of its own, never the key itself.
    page = facilitator.page
    sign_in(facilitator, workshop)
    assert workshop.key not in page.url
    session = [c for c in facilitator.context.cookies() if c["name"] == "artisan_course_facilitator"][0]
    assert session["httpOnly"] and session["value"] != workshop.key and workshop.key not in session["value"]
    roster = page.locator(".course-roster-table").inner_text()
    assert SCRIPT_NAME in roster and page.evaluate("window.pwned") is None
    export = facilitator.context.request.get(workshop.url + "facilitator/export")
    assert export.status == 200 and export.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(export.body()))
    names = archive.namelist()
    assert f"journal-{unique_file_stem(SCRIPT_NAME)}.html" in names
    assert "&lt;script&gt;" in archive.read(f"journal-{unique_file_stem(SCRIPT_NAME)}.html").decode()
    assert all(re.fullmatch(r"(journal|certificate)-[a-z0-9-]+\.(html|md)", n) for n in names)
    evaluation = facilitator.context.request.get(workshop.url + "facilitator/evaluation")
    assert evaluation.status == 200 and evaluation.headers["content-type"].startswith("text/csv")
    # The byte-order mark first, so that Excel reads Lao text right.
    assert evaluation.text().startswith("\ufeffquestion,answer,count") and SCRIPT_NAME not in evaluation.text()
    roster_csv = facilitator.context.request.get(workshop.url + "facilitator/roster.csv")
    assert roster_csv.status == 200 and roster_csv.text().startswith("\ufefftrainee,answers")
    assert "&lt;" not in roster_csv.text() and SCRIPT_NAME in roster_csv.text()  # names as typed: a CSV is not HTML
    roster_json = facilitator.context.request.get(workshop.url + "facilitator/api/roster")
    assert roster_json.status == 200 and SCRIPT_NAME in [r["name"] for r in roster_json.json()]
    # A script with the key in a header works too (no cookie, no form).
    assert stranger.context.request.get(workshop.url + "facilitator/api/roster",
                                        headers={"X-Facilitator-Key": workshop.key}).status == 200

    # Rename from the roster page (a real form post with its XSRF field).
    row = page.locator(f"tr[data-learner='{victim_id}']")
    row.locator("input[name=name]").fill("Renamed Trainee")
    with page.expect_response(lambda r: r.url.endswith("/facilitator/rename")) as response:
        row.get_by_role("button", name="Rename").click()
    assert response.value.status == 200 and "is now called 'Renamed Trainee'" in page.inner_text("#roster-message")
    assert SCRIPT_NAME in page.inner_text("#roster-message") and page.evaluate("window.pwned") is None
    assert_offline(stranger, trainee, facilitator)


def test_the_projector_start_page_shows_address_qr_and_code_in_big_type(workshop, offline):
    projector = offline(1280, 720)
    page = projector.page
    page.goto(workshop.url + "facilitator/start")
    page.screenshot(path=screenshot_dir("workshop") / "facilitator-sign-in-1280x720.png")
    small = offline(390, 844, device_scale_factor=2, is_mobile=True, has_touch=True)
    small.page.goto(workshop.url + "facilitator/dashboard")
    fits = small.page.evaluate("""() => ({wide: document.documentElement.scrollWidth <= innerWidth,
        button: document.querySelector('#sign-in-form button').getBoundingClientRect().height,
        input: parseFloat(getComputedStyle(document.getElementById('facilitator-key')).fontSize)})""")
    assert fits["wide"] and fits["button"] >= 44 and fits["input"] >= 16, fits
    small.page.screenshot(path=screenshot_dir("workshop") / "facilitator-sign-in-390x844.png")
    sign_in(projector, workshop, "facilitator/start")
    assert page.inner_text("#join-code") == workshop.code
    assert page.inner_text("#join-address") == f"{workshop.url}join"
    qr = page.locator(".course-start__qr svg").bounding_box()
    assert qr["height"] >= 0.6 * 720 and qr["y"] >= 0 and qr["y"] + qr["height"] <= 720
    sizes = page.evaluate("""() => ({
        code: parseFloat(getComputedStyle(document.getElementById('join-code')).fontSize),
        address: parseFloat(getComputedStyle(document.getElementById('join-address')).fontSize),
        overflow: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth,
        bottom: document.getElementById('join-code').getBoundingClientRect().bottom })""")  # noqa: E501 (JavaScript run in the page, kept as written)
    assert sizes["code"] >= 96 and sizes["address"] >= 32 and not sizes["overflow"] and sizes["bottom"] <= 720
    page.screenshot(path=screenshot_dir("workshop") / "projector-start-1280x720.png")
    assert_offline(projector)


# -- shared devices, names as text ------------------------------------------------------------------------
def phone(offline):
    return offline(390, 844, device_scale_factor=2, is_mobile=True, has_touch=True)


def test_a_shared_phone_does_not_hand_the_next_person_the_last_trainees_identity(workshop, offline):
    shared = phone(offline)
    page = shared.page
    page.goto(workshop.url + "join")
    page.screenshot(path=screenshot_dir("workshop") / "join-phone-390x844.png")
    fits = page.evaluate("""() => ({
        wide: document.documentElement.scrollWidth <= innerWidth,
        smallest: Math.min(...[...document.querySelectorAll('label, input, button, p')].map(
            e => parseFloat(getComputedStyle(e).fontSize))),
        button: document.querySelector('button[type=submit]').getBoundingClientRect().height })""")
    assert fits["wide"] and fits["smallest"] >= 16 and fits["button"] >= 44
    join(shared, workshop, "Somchai K.")
    page.screenshot(path=screenshot_dir("workshop") / "join-pin-phone-390x844.png")
    old_token = trainee_cookie(shared)[0]
    page.click("#join-continue")
    page.wait_for_url(workshop.url)
    assert page.inner_text("#course-learner-name") == "Somchai K."
    page.evaluate("localStorage.setItem('artisan-course:id-1:x', 'a draft'); "
                  "localStorage.setItem('artisan-course-learner', 'Somchai K.')")

    page.get_by_text("Not you? Leave").tap()
    with page.expect_response(lambda r: r.url.endswith("/leave") and r.request.method == "POST") as response:
        page.tap("#leave-button")
    assert response.value.status == 200 and trainee_cookie(shared) == []
    page.locator("h1", has_text="You have left").wait_for()
    page.wait_for_function("Object.keys(localStorage).filter(k => k.startsWith('artisan-course')).length === 0")

    # The next person: the course map and the decks send them to an empty join form.
    for address in (workshop.url, workshop.deck("00-welcome.ipynb")):
        page.goto(address)
        page.wait_for_url(re.compile(r"/join\?next="))
        assert page.input_value("#join-name") == "" and "Somchai" not in page.content()
    assert shared.context.request.get(workshop.url + "course/preview/00-welcome.ipynb").status == 403
    # The old token no longer works, even if a copy of it is put back.
    shared.context.add_cookies([{k: old_token[k] for k in ("name", "value", "domain", "path")}])
    page.goto(workshop.url)
    page.wait_for_url(re.compile(r"/join\?next="))
    assert_offline(shared)


def test_a_script_name_is_shown_as_text_everywhere(workshop, offline):
    first, second = offline(), offline()
    name = SCRIPT_NAME + " 2"
    join(first, workshop, name)
    assert first.page.inner_text(".course-name") == name
    first.page.click("#join-continue")
    first.page.wait_for_url(workshop.url)
    assert first.page.inner_text("#course-learner-name") == name
    open_deck(first.page, workshop.deck("00-welcome.ipynb"))
    assert name in first.page.locator(".course-learner-name").inner_text()
    join(second, workshop, name, expect=409)
    assert second.page.inner_text("#pin-form .course-name") == name
    for view in (first, second):
        assert view.page.evaluate("window.pwned") is None
        assert view.page.locator(".course-name b, .course-learner-name b").count() == 0
    assert_offline(first, second)


# -- guessing (last: it slows this test machine's one client address down) --------------------------------
def test_a_wrong_pin_is_refused_and_repeated_guesses_are_slowed(workshop, offline):
    owner, guesser = offline(), offline()
    join(owner, workshop, "Guarded")
    pin = pin_of(owner)
    wrong = "000000" if pin != "000000" else "111111"
    request = guesser.context.request
    token = request.get(workshop.url + "join")  # sets the _xsrf cookie
    xsrf = next(c["value"] for c in guesser.context.cookies() if c["name"] == "_xsrf")
    assert token.status == 200

    def attempt(pin_typed):
        return request.post(workshop.url + "join", max_redirects=0, form={
            "_xsrf": xsrf, "code": workshop.code, "name": "Guarded", "pin": pin_typed})

    for _ in range(4):
        assert attempt(wrong).status == 403
    fifth = attempt(wrong)
    assert fifth.status == 403 and "must wait" in fifth.text()
    refused = attempt(pin)  # even the right PIN waits
    assert refused.status == 429 and 0 < int(refused.headers["retry-after"]) <= WAIT_SECONDS
    assert "Too many wrong tries" in refused.text()
    # The wait ends; then one more wrong guess earns twice the wait.
    deadline = time.monotonic() + 10 * WAIT_SECONDS
    while (status := attempt(wrong).status) == 429:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert status == 403
    again = attempt(pin)
    assert again.status == 429 and int(again.headers["retry-after"]) > WAIT_SECONDS
    # A browser typing the right PIN gets in once the wait is over.
    deadline = time.monotonic() + 20 * WAIT_SECONDS
    while (status := attempt(pin).status) == 429:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert status == 303
    assert_offline(owner, guesser)
