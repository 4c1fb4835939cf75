"""The course on JupyterHub, on this machine (deploy/jupyterhub/jupyterhub_config.py through `artisan-course hub`):
trainees sign in over HTTP with the workshop code, each gets a server of their own whose learner is their hub user and
whose database role is their own; the facilitator is the hub's admin. Bounded: one hub, three trainees."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import psutil
import psycopg
import pytest
import requests

from conftest import REPO, free_port, in_ci, screenshot_dir, wait_for_http, wait_until
from decks import open_deck

CODE = "KTRW"
FACILITATOR_PASSWORD = "the facilitator's own password"
TRAINEES = ("Noy", "Keo", "Bounmy")


def proxy_command() -> str:
    found = os.environ.get("ARTISAN_COURSE_HUB_PROXY") or shutil.which("configurable-http-proxy")
    if found:
        return found
    if in_ci():
        pytest.fail("CI=true and configurable-http-proxy is missing: .ci/run installs it from npm and sets "
                    "ARTISAN_COURSE_HUB_PROXY.")
    pytest.skip("no configurable-http-proxy here (npm install configurable-http-proxy; set ARTISAN_COURSE_HUB_PROXY)")


@pytest.fixture
def hub(postgres_schema, tmp_path):
    admin_url, store_url, schema = postgres_schema
    port = free_port()
    env = dict(os.environ, ARTISAN_COURSE_DATABASE_URL=store_url, ARTISAN_COURSE_HUB_CODE=CODE,
               ARTISAN_COURSE_HUB_FACILITATOR_PASSWORD=FACILITATOR_PASSWORD, ARTISAN_COURSE_HUB_PROXY=proxy_command(),
               ARTISAN_COURSE_HUB_API_PORT=str(free_port()), ARTISAN_COURSE_HUB_PROXY_API_PORT=str(free_port()),
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    log = open(tmp_path / "hub.log", "w")
    process = subprocess.Popen([sys.executable, "-m", "artisan_course.cli", "hub", "--port", str(port), "--home",
                                str(tmp_path / "hub")], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/hub/login", 60, process)
        yield base, process, admin_url, schema
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        owner = psycopg.connect(admin_url, autocommit=True)
        for (role,) in owner.execute(f"SELECT role FROM {schema}.learner_roles").fetchall():
            owner.execute(f'DROP OWNED BY "{role}"')
            owner.execute(f'DROP ROLE "{role}"')
        owner.close()


def sign_in(base: str, name: str, password: str) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    form = session.get(base + "/hub/login", timeout=30)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
    answer = session.post(base + "/hub/login", data={"username": name, "password": password, "_xsrf": xsrf},
                          allow_redirects=False, timeout=30)
    return session, answer


def server_ready(base: str, session: requests.Session, user: str) -> dict:
    """Wait for the user's own server, through the hub's sign-in (OAuth), and return its status."""
    session.get(f"{base}/hub/spawn", timeout=60)

    def status():
        session.get(f"{base}/user/{user}/lab", timeout=60)  # a page: the hub signs the browser in to the server
        answer = session.get(f"{base}/user/{user}/api/status", timeout=30)
        return answer.json() if answer.status_code == 200 and "started" in answer.text else None
    return wait_until(status, 150, f"{user}'s server on the hub", interval=1)


def single_user_environment(process, user: str) -> dict:
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            if "jupyterhub-singleuser" in " ".join(child.cmdline()) and child.environ().get("JUPYTERHUB_USER") == user:
                return child.environ()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    raise AssertionError(f"no server process for {user}")


# Run in a kernel of the trainee's own server: save a reflection through the course, then try at the other rows.
KERNEL_CODE = """
import json, os, psycopg
from artisan_course.state import recorder
from artisan_course.state.session import SESSION
me = SESSION.start()
saved = recorder.record("welcome", "welcome-soft-skills", recorder.Kind.REFLECTION, f"{me.name}'s own words")
with psycopg.connect(os.environ["ARTISAN_COURSE_DATABASE_URL"], autocommit=True) as conn:
    seen = [r[0] for r in conn.execute("SELECT value FROM answers")]
    deleted = conn.execute("DELETE FROM answers WHERE value <> %s", (json.dumps(f"{me.name}'s own words"),)).rowcount
    changed = conn.execute("UPDATE answers SET value = '\\"changed\\"'").rowcount
answer = {"response": "b", "attempt": 1, "correct": None, "revealed": False, "score": None}
polled = recorder.record("welcome", "hub-poll", recorder.Kind.QUIZ, answer)
print(json.dumps({"me": me.name, "saved": saved.ok and polled.ok, "seen": seen, "changed": changed,
                  "deleted": deleted}))
"""
# Run in a kernel of the facilitator's own server: what the room's views read (the roster, a poll's count).
FACILITATOR_CODE = """
import json
from artisan_course.state.session import SESSION
store = SESSION.get_store()
print(json.dumps({"trainees": sorted(l.name for l in store.learners()),
                  "poll": len(store.latest_per_learner("hub-poll", "quiz"))}))
"""


def run_in_kernel(base: str, session: requests.Session, user: str, code: str) -> str:
    """Start a kernel in the user's server (Jupyter's REST API and websocket, as JupyterLab does) and run ``code``."""
    import asyncio
    import json
    import uuid

    import websockets

    xsrf = session.cookies.get("_xsrf", path=f"/user/{user}/") or session.cookies.get("_xsrf")
    kernel = session.post(f"{base}/user/{user}/api/kernels", json={"name": "python3"},
                          headers={"X-XSRFToken": xsrf}, timeout=60)
    assert kernel.status_code == 201, kernel.text[:300]
    kernel_id = kernel.json()["id"]
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    msg_id = uuid.uuid4().hex

    async def run() -> str:
        url = base.replace("http", "ws") + f"/user/{user}/api/kernels/{kernel_id}/channels"
        async with websockets.connect(url, additional_headers={"Cookie": cookies}, max_size=None) as ws:
            await ws.send(json.dumps({
                "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex,
                           "msg_type": "execute_request", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                            "allow_stdin": False}}))
            out = []
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 90))
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if message["msg_type"] == "stream":
                    out.append(message["content"]["text"])
                elif message["msg_type"] == "error":
                    raise AssertionError("\n".join(message["content"]["traceback"]))
                elif message["msg_type"] == "execute_reply":
                    return "".join(out)
    try:
        # In its own thread: in the whole suite a browser test's Playwright loop may be running in this one.
        with ThreadPoolExecutor(1) as thread:
            return thread.submit(asyncio.run, run()).result()
    finally:
        session.delete(f"{base}/user/{user}/api/kernels/{kernel_id}", headers={"X-XSRFToken": xsrf}, timeout=60)


def test_three_trainees_sign_in_with_the_code_and_each_server_has_only_its_own_learner_and_role(hub, offline):
    base, process, admin_url, schema = hub
    _, refused = sign_in(base, "Intruder", "WRONG")
    assert refused.status_code == 403

    sessions = {}
    for name in TRAINEES:
        session, answer = sign_in(base, name, CODE.lower())  # the code as a phone keyboard may type it
        assert answer.status_code == 302, answer.text[:300]
        sessions[name.lower()] = session
    with ThreadPoolExecutor(len(sessions)) as pool:  # the three servers start at once
        statuses = dict(zip(sessions, pool.map(lambda user: server_ready(base, sessions[user], user), sessions)))
    assert all(status["started"] for status in statuses.values())

    with psycopg.connect(admin_url) as owner:
        learners = dict(owner.execute(f"SELECT name, id FROM {schema}.learners").fetchall())
        roles = dict(owner.execute(f"SELECT learner_id, role FROM {schema}.learner_roles").fetchall())
    assert sorted(learners) == sorted(sessions)
    owner_password = psycopg.conninfo.conninfo_to_dict(admin_url)["password"]
    for user in sessions:
        env = single_user_environment(process, user)
        # The learner is the hub user, set by the hub; the database role is the trainee's own; no owner password.
        assert env["ARTISAN_COURSE_LEARNER_ID"] == str(learners[user]) and env["ARTISAN_COURSE_HUB"] == "1"
        given = psycopg.conninfo.conninfo_to_dict(env["ARTISAN_COURSE_DATABASE_URL"])
        assert given["user"] == roles[learners[user]] and given["password"] != owner_password
        assert owner_password not in " ".join(env.values())
        with psycopg.connect(env["ARTISAN_COURSE_DATABASE_URL"]) as conn:  # what code in that server can see
            assert [r[0] for r in conn.execute("SELECT name FROM learners")] == [user]

    # In each trainee's own kernel, in turn: the course saves their reflection as their learner; their code sees only
    # their own row, and changes and deletes nothing of anyone else's.
    for user in sessions:
        result = json.loads(run_in_kernel(base, sessions[user], user, KERNEL_CODE).strip().splitlines()[-1])
        assert result["me"] == user and result["saved"] is True
        assert result["seen"] == [json.dumps(f"{user}'s own words")]
        assert result["changed"] == 1 and result["deleted"] == 0  # the one it changed is its own
    with psycopg.connect(admin_url) as owner:
        rows = owner.execute(f"SELECT l.name, a.value FROM {schema}.answers a JOIN {schema}.learners l"
                             " ON l.id = a.learner_id ORDER BY a.id").fetchall()
    reflections = [row for row in rows if "response" not in row[1]]
    assert reflections == [(user, '"changed"') for user in sessions]  # each changed by its own trainee only, none gone

    # A trainee is not the hub's admin; the facilitator is, and sees every trainee's server.
    noy = sessions["noy"]
    assert noy.get(f"{base}/hub/admin", timeout=30, allow_redirects=False).status_code == 403
    facilitator, answer = sign_in(base, "facilitator", FACILITATOR_PASSWORD)
    assert answer.status_code == 302
    assert facilitator.get(f"{base}/hub/admin", timeout=30).status_code == 200
    server_ready(base, facilitator, "facilitator")
    room = json.loads(run_in_kernel(base, facilitator, "facilitator", FACILITATOR_CODE).strip().splitlines()[-1])
    assert room == {"trainees": sorted(sessions), "poll": 3}
    _, refused = sign_in(base, "facilitator", CODE)  # the workshop code is not the facilitator's password
    assert refused.status_code == 403

    # A trainee in Chromium: the hub's sign-in, their server opens on the course map, a deck through Voilà in their own
    # server (the course's template, offline), and the reflection they type is saved, as theirs, in PostgreSQL.
    view = offline(390, 844)
    page = view.page
    page.goto(f"{base}/hub/login")
    page.fill("#username_input", "Keo")
    page.fill("#password_input", CODE)
    with page.expect_navigation(url=re.compile(r"/user/keo/course/"), timeout=120_000):
        page.click("#login_submit")
    first = page.locator(".course-module__link").first
    assert first.get_attribute("href") == "/user/keo/voila/render/00-welcome.ipynb"
    open_deck(page, f"{base}/user/keo/voila/render/00-welcome.ipynb")
    box = page.locator(".course-reflection textarea")
    box.wait_for(state="attached")
    page.evaluate("Reveal.slide(Reveal.getHorizontalSlides().findIndex(s => s.querySelector('.course-reflection')))")
    page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
    words = "Listen first, then agree the price together. ຟັງກ່ອນ"
    box.fill("")
    box.press_sequentially(words, delay=5)
    page.locator(".course-reflection .course-status--saved").wait_for(timeout=30_000)
    page.screenshot(path=str(screenshot_dir("hub") / "keo-saved-phone.png"))
    with psycopg.connect(admin_url) as owner:
        latest = owner.execute(f"SELECT l.name, a.value FROM {schema}.answers a JOIN {schema}.learners l"
                               " ON l.id = a.learner_id WHERE a.item = 'welcome-soft-skills' ORDER BY a.id").fetchall()
    assert (latest[-1][0], json.loads(latest[-1][1])) == ("keo", words)
    assert view.external_requests() == [] and view.console_errors == [], (view.external_requests(), view.console_errors)

    # Refused by the trainee's server, whatever a page shows: with no sign-in the deck is not sent (the hub's sign-in
    # page instead), and another trainee's sign-in does not open Keo's deck.
    deck = f"{base}/user/keo/voila/render/00-welcome.ipynb"
    stranger = requests.get(deck, timeout=30, allow_redirects=False)
    assert stranger.status_code == 302 and "course-reflection" not in stranger.text
    followed = requests.get(deck, timeout=30)
    assert "/hub/login" in followed.url and "course-reflection" not in followed.text
    other = sessions["noy"].get(deck, timeout=30)
    assert other.status_code == 403 and "course-reflection" not in other.text
