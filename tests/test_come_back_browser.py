""""It's me": a trainee who never saw (or lost) their PIN gets back in with one tap of the facilitator (issue 26).

In Chromium, on one workshop server on 127.0.0.1: the name's first device, a new device of the same trainee, a
classmate who tries the same name, and the projector's start page signed in as the facilitator. The server decides
everything, and each refusal is checked by its HTTP status:

- a trainee (even the asking one) who posts the facilitator's "Let in" gets 403, and nobody is let in;
- the facilitator's tap lets only the asking browser in, once; a second tap is 409, an unknown request 404;
- a classmate's request that the facilitator refuses signs nobody in (403 on the asking page);
- a request nobody answers expires (410), on a server whose requests wait 2 seconds.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from conftest import free_port, make_course_copy, screenshot_dir, wait_until
from room import RoomServer, Trainee
from test_workshop_browser import WorkshopServer, join, sign_in

pytestmark = pytest.mark.browser

PHONE = dict(width=390, height=844, device_scale_factor=2, is_mobile=True, has_touch=True)
TRAINEE_COOKIE = "artisan_course_trainee"


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    server = WorkshopServer(root, tmp_path_factory.mktemp("store"), free_port())
    yield server
    server.stop()


def signed_in(view) -> bool:
    return any(c["name"] == TRAINEE_COOKIE for c in view.context.cookies())


def xsrf(view) -> str:
    return next(c["value"] for c in view.context.cookies() if c["name"] == "_xsrf")


def ask(view, server, name: str) -> str:
    """On a new device: the name is taken (409), so ask the facilitator; the code the page shows."""
    join(view, server, name, expect=409)
    with view.page.expect_response(lambda r: r.url.endswith("/join/ask") and r.request.method == "POST") as asked:
        view.page.get_by_role("button", name="Ask the facilitator").click()
    assert asked.value.status == 200
    view.page.locator("#ask-code").wait_for()
    assert view.page.inner_text("#ask-name") == name
    return view.page.inner_text("#ask-code")


def request_row(projector, name: str):
    return projector.page.locator(".course-come-back-item").filter(has_text=name)


def answer(view, server, action: str, request_id: str) -> int:
    """Post the facilitator's button as this browser would (its own cookies and XSRF token); the status."""
    return view.context.request.post(server.url + f"facilitator/requests/{action}", max_redirects=0,
                                     form={"_xsrf": xsrf(view), "request": request_id,
                                           "next": "/facilitator/start"}).status


def test_the_facilitator_lets_a_trainee_without_a_pin_back_in_with_one_tap(workshop, offline):
    shots = screenshot_dir("come-back")
    name = f"Noy {free_port()}"
    owner = offline(**PHONE)
    join(owner, workshop, name)  # the first device, which was shown the PIN

    newcomer = offline(**PHONE)  # the same trainee on a borrowed phone: no PIN
    join(newcomer, workshop, name, expect=409)
    newcomer.page.get_by_role("button", name="Ask the facilitator").scroll_into_view_if_needed()
    newcomer.page.screenshot(path=str(shots / "phone-name-in-use-390x844.png"))
    code = ask(newcomer, workshop, name)
    assert not signed_in(newcomer)
    newcomer.page.screenshot(path=str(shots / "phone-asking-390x844.png"))

    projector = offline(1280, 720)
    sign_in(projector, workshop, "facilitator/start")
    row = request_row(projector, name)
    row.wait_for(timeout=15_000)  # the start page shows it by itself
    assert row.locator(".course-come-back-code").inner_text() == code  # the same code on both screens
    request_id = row.get_attribute("data-request")
    assert projector.page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    assert projector.page.locator("#join-code").bounding_box()["y"] + 40 < 720
    projector.page.screenshot(path=str(shots / "projector-start-page-request-1280x720.png"))

    # A trainee cannot answer it: not the name's owner, not the asking device. Nothing changes.
    assert answer(owner, workshop, "let-in", request_id) == 403
    assert answer(newcomer, workshop, "let-in", request_id) == 403
    assert newcomer.context.request.get(workshop.url + "join/ask/status").json()["state"] == "waiting"
    assert not signed_in(newcomer)

    # One tap: the asking phone goes on into the course by itself, as that trainee.
    with projector.page.expect_response(lambda r: r.url.endswith("/facilitator/requests/let-in")) as tapped:
        row.get_by_role("button", name="Let in").click()
    assert tapped.value.status == 303
    newcomer.page.locator("#course-learner-name").wait_for(timeout=20_000)
    assert newcomer.page.inner_text("#course-learner-name") == name and signed_in(newcomer)
    assert request_row(projector, name).count() == 0
    newcomer.page.screenshot(path=str(shots / "phone-let-in-390x844.png"))
    # Answered once only, and a request that is not there is not found.
    assert answer(projector, workshop, "let-in", request_id) == 409
    assert answer(projector, workshop, "refuse", "no-such-request") == 404
    # The answer was for the asking browser alone: another browser that asks about it learns nothing.
    other = offline(**PHONE)
    assert other.context.request.get(workshop.url + "join/ask/status").json()["state"] == "none"
    assert other.context.request.get(workshop.url + "join/ask", max_redirects=0).status == 404
    assert not signed_in(other)

    # A classmate who tries the name: the facilitator sees a code that is not on the person's phone, and says no.
    classmate = offline(**PHONE)
    ask(classmate, workshop, name)
    projector.page.goto(workshop.url + "facilitator/start")
    row = request_row(projector, name)
    row.wait_for(timeout=15_000)
    classmate_request = row.get_attribute("data-request")
    row.get_by_role("button", name="Not them").click()
    classmate.page.get_by_text("The facilitator did not let this device in.").wait_for(timeout=20_000)
    assert classmate.context.request.get(workshop.url + "join/ask", max_redirects=0).status == 403
    assert answer(projector, workshop, "let-in", classmate_request) == 409  # no second chance for it
    assert not signed_in(classmate)
    course = classmate.context.request.get(workshop.url, max_redirects=0)
    assert course.status == 302 and "/join" in course.headers["location"]
    for view in (owner, newcomer, classmate, other):
        # The join page itself answers 409 for a name in use (the browser logs it); nothing else may fail.
        assert view.external_requests() == [] and [e for e in view.console_errors if "409" not in e] == []


def test_a_request_nobody_answers_expires(tmp_path):
    server = RoomServer(make_course_copy(tmp_path / "course"), tmp_path / "store", free_port(), "--ask-seconds", "2",
                        log_name="ask.log")
    try:
        owner, newcomer = Trainee(server, f"Keo {free_port()}"), Trainee(server, "")
        assert owner.join() == 200
        newcomer.name = owner.name
        assert newcomer.join() == 409
        assert newcomer.post("join/ask", {"code": server.code, "name": owner.name}) == 200
        facilitator = Trainee(server, "projector")
        assert facilitator.sign_in(server.key) == 303

        def waiting():
            request = urllib.request.Request(server.url + "facilitator/api/requests")
            with facilitator.opener.open(request, timeout=30) as response:
                import json
                return json.loads(response.read())

        request_id = wait_until(lambda: [r["id"] for r in waiting() if r["name"] == owner.name], 30,
                                "the request to be waiting")[0]
        time.sleep(2.5)
        assert waiting() == []
        assert facilitator.post("facilitator/requests/let-in", {"request": request_id}) == 410
        try:
            with newcomer.direct.open(server.url + "join/ask", timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        assert status == 410 and newcomer.cookie(TRAINEE_COOKIE) is None
    finally:
        server.stop()


def test_a_name_nobody_has_taken_is_not_asked_for_and_a_wrong_code_is_refused(workshop, offline):
    view = offline(**PHONE)
    view.page.goto(workshop.url + "join")
    form = {"_xsrf": xsrf(view), "code": workshop.code, "name": f"Nobody {free_port()}", "next": "/"}
    assert view.context.request.post(workshop.url + "join/ask", form=form).status == 404
    assert view.context.request.post(workshop.url + "join/ask", form=form | {"code": "ZZZZ"}).status == 403
    assert not signed_in(view)
    assert urllib.parse.urlsplit(workshop.url).hostname == "127.0.0.1"
