"""The USB-stick kit on a computer with no network at all, the way a facilitator uses it.

tests/offline_install/run.sh makes the kit (online) and then runs these tests inside a network
namespace that has only loopback. They skip when the kit is absent, so `make test` passes them by;
CI runs run.sh, where they must run.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import REPO, free_port, screenshot_dir, wait_for_http
from decks import open_deck

KIT = Path(os.environ["ARTISAN_COURSE_KIT"]) if os.environ.get("ARTISAN_COURSE_KIT") else None
OLDER_WHEEL = os.environ.get("ARTISAN_COURSE_OLDER_WHEEL")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(KIT is None, reason="made and run by tests/offline_install/run.sh (root, unshare -n)"),
]

# The first quiz question on a deck that is answered by choosing one option and pressing Check.
GOTO_FIRST_QUESTION = """() => {
  const slides = Reveal.getHorizontalSlides();
  const index = slides.findIndex(s => [...s.querySelectorAll('.course-question')].some(
      q => q.querySelector('input[type=radio]') && [...q.querySelectorAll('button')].some(b => b.innerText.trim() === 'Check')));
  Reveal.slide(index);
  return index;
}"""  # noqa: E501 (JavaScript run in the page, kept as written)


FIGURES = REPO / "artifacts" / "offline-install.json"


def record(**figures) -> None:
    """Keep a measured figure for docs/benchmarks.md (run.sh prints them at the end)."""
    FIGURES.parent.mkdir(exist_ok=True)
    known = json.loads(FIGURES.read_text()) if FIGURES.is_file() else {}
    FIGURES.write_text(json.dumps({**known, **figures}, indent=1))


def _interfaces_and_routes() -> tuple[list[str], list[str]]:
    names = [name for _, name in socket.if_nameindex()]
    with open("/proc/net/route") as handle:  # this network namespace's routing table
        routes = [line.split()[0] for line in handle.read().splitlines()[1:] if line.strip()]
    return names, routes


@pytest.fixture(scope="module", autouse=True)
def no_network():
    FIGURES.unlink(missing_ok=True)
    names, routes = _interfaces_and_routes()
    assert names == ["lo"], f"these tests must run with loopback only, not {names}"
    assert set(routes) <= {"lo"}, f"no route may leave this machine: {routes}"


@pytest.fixture(scope="module")
def machine(tmp_path_factory):
    """A computer that has never had Node.js: npm and node are stand-ins that fail and say they ran."""
    root = tmp_path_factory.mktemp("computer")
    fake_bin, home, store = root / "bin", root / "home", root / "store"
    for folder in (fake_bin, home, store):
        folder.mkdir()
    calls = root / "node-calls.log"
    for tool in ("npm", "node", "npx"):
        (fake_bin / tool).write_text(f"#!/bin/sh\necho \"{tool} $*\" >> '{calls}'\nexit 1\n")
        (fake_bin / tool).chmod(0o755)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PIP_", "JUPYTER", "PYTHON", "VIRTUAL_ENV", "ARTISAN_COURSE", "CONDA"))}
    env.update(PATH=os.pathsep.join([str(fake_bin), env.get("PATH", "/usr/bin:/bin")]), HOME=str(home),
               ARTISAN_COURSE_HOME=str(store), LANG="C.UTF-8")
    return {"root": root, "env": env, "store": store, "calls": calls, "app": root / "course app"}


class Running:
    """A script of the kit that ends by serving the course; stopped with Ctrl-C, as a user would."""

    def __init__(self, command: list[str], env: dict, log: Path, port: int, timeout: float = 600,
                 ready: str = "The course is at"):
        self.log_path, self.url = log, f"http://127.0.0.1:{port}/"
        self.log = open(log, "w")
        started = time.monotonic()
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = started + timeout
        while ready not in log.read_text():
            if self.process.poll() is not None:
                raise AssertionError(f"{' '.join(command[:2])} stopped "
                                     f"({self.process.returncode}):\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"{' '.join(command[:2])} did not start the course in {timeout} "
                                     f"s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        self.seconds = time.monotonic() - started
        wait_for_http(self.url, timeout=60, process=self.process)

    def text(self) -> str:
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def installed(machine):
    """The kit's installer, run into a fresh folder (with a space in its name), ending with the slides."""
    port = free_port()
    running = Running(["bash", str(KIT / "install.sh"), str(machine["app"]), "--", "--no-browser", "--port", str(port)],
                      machine["env"], machine["root"] / "install.log", port)
    yield running
    running.stop()


def app_python(machine, code: str, env: dict | None = None) -> str:
    result = subprocess.run([str(machine["app"] / "venv" / "bin" / "python"), "-c", code], env=env or machine["env"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_kit_installs_into_a_fresh_folder_with_no_network_and_no_node(machine, installed):
    log = installed.text()
    assert "Successfully installed" in log and "The course is installed in" in log
    record(install_and_start_seconds=round(installed.seconds, 1),
           installed_megabytes=round(sum(p.stat().st_size for p in machine["app"].rglob("*") if p.is_file()) / 1e6, 1),
           kit=json.loads((KIT / "kit.json").read_text())["platforms"])

    # The course runs from the installed wheel: its notebooks, data and reveal.js are inside the
    # install, never the checkout's; and no Node.js tool was ever called.
    where = json.loads(app_python(machine, "import json, artisan_course.paths as p; print(json.dumps("
                                           "[p.__file__, str(p.course_root()), str(p.reveal_dist())]))"))
    venv = str(machine["app"] / "venv")
    assert all(path.startswith(venv) for path in where), where
    assert not machine["calls"].exists(), machine["calls"].read_text()
    package = Path(where[1]).parent
    assert not list(package.rglob("*solution*")) and not list(Path(venv).rglob("*.sqlite3"))

    check = subprocess.run([f"{venv}/bin/artisan-course", "check", "--port", str(free_port())], env=machine["env"],
                           capture_output=True, text=True, timeout=180)
    assert "The installation is ready for a workshop." in check.stdout, check.stdout + check.stderr
    assert (machine["app"] / "start-course.sh").is_file() and (machine["app"] / "exercises.sh").is_file()


def test_the_kit_installs_the_lao_word_splitter_and_the_lao_font(machine, installed):
    """Lao answers are split into words, and Lao is drawn with the course's font, from the kit alone."""
    split = json.loads(app_python(machine, "import json, icu4py; from artisan_course.content.words import words, "
                                           "segmenter_available; print(json.dumps([segmenter_available(), "
                                           "icu4py.__file__, words('ການຟັງແລະຄວາມອົດທົນ')], ensure_ascii=False))"))
    assert split[0] and split[1].startswith(str(machine["app"])) and split[2] == ["ການຟັງ", "ແລະ", "ຄວາມອົດທົນ"]
    font = app_python(machine, "from artisan_course import paths; print(paths.lao_font_package())")
    assert font.startswith(str(machine["app"])) and (Path(font) / "LICENSE").is_file()
    with urllib.request.urlopen(f"{installed.url}course/fonts/noto-sans-lao-lao-400-normal.woff2", timeout=30) as got:
        assert got.status == 200 and got.read(4) == b"wOF2"


def test_the_exercises_open_in_jupyterlab_from_the_installed_kit(machine, installed):
    work, port = machine["root"] / "my course work", free_port()
    lab = Running([str(machine["app"] / "exercises.sh"), "--no-browser", "--port", str(port), "--work-dir", str(work)],
                  {**machine["env"], "PYTHONUNBUFFERED": "1"},  # its lines reach the log as they are printed
                  machine["root"] / "lab.log", port, timeout=180, ready="Opening JupyterLab")
    try:
        wait_for_http(f"{lab.url}lab", timeout=120, process=lab.process)
    finally:
        lab.stop()
    assert "course file(s) to your working folder" in lab.text()
    exercises = sorted(p.name for p in (work / "exercises").glob("*.ipynb"))
    assert exercises == sorted(p.name for p in (REPO / "exercises").glob("*.ipynb"))
    assert (work / "notebooks" / "00-welcome.ipynb").is_file()
    assert not [p for p in work.rglob("*") if "solution" in p.name]


@pytest.mark.parametrize("notebook", ["00-welcome.ipynb", "01-people-and-persuaders.ipynb"])
def test_a_deck_shows_its_first_slide_and_a_quiz_answers_offline(machine, installed, offline, notebook):
    course = yaml.safe_load((REPO / "data" / "course_map.yaml").read_text(encoding="utf-8"))
    title = next(m["title"] for m in course["modules"] if m["notebook"] == notebook)
    view = offline()
    page = view.page
    open_deck(page, f"{installed.url}voila/render/{notebook}?learner=Kit%20Learner")
    assert page.evaluate("Reveal.getIndices().h") == 0
    # The first slide is the course header, a widget: wait until it has drawn the module's title.
    page.wait_for_function("t => document.querySelector('.reveal .slides > section.present').innerText.includes(t)",
                           arg=title, timeout=60_000)

    index = page.evaluate(GOTO_FIRST_QUESTION)
    assert index > 0
    question = page.locator(".reveal .slides > section.present .course-question").filter(
        has=page.locator("input[type=radio]")).first
    question.locator("input[type=radio]").first.check()
    question.get_by_role("button", name="Check").click()
    feedback = question.locator(".course-feedback-right, .course-feedback-wrong").first
    feedback.wait_for(timeout=30_000)
    assert feedback.inner_text().strip()
    page.screenshot(path=screenshot_dir("offline-install") / f"{notebook}.png")
    assert view.external_requests() == [], view.external_requests()
    assert view.console_errors == []

    module = next(m["id"] for m in course["modules"] if m["notebook"] == notebook)
    saved = app_python(machine, "from artisan_course.state.store import Store; s = Store(); "
                                f"print(len(s.answers(learner_id=s.find_learner('Kit Learner').id, module={module!r}, "
                                "kind='quiz')))")
    assert int(saved) >= 1


STORE_ROWS = """
import json
from artisan_course.state.store import Store
store = Store()
names = {learner.id: learner.name for learner in store.learners()}
rows = [[names[a.learner_id], a.module, a.item, a.kind, a.value, a.score, a.created_at] for a in store.answers()]
print(json.dumps(rows, ensure_ascii=False))
"""


def store_rows(machine) -> str:
    """Every saved answer, with its learner's name and time, read by the installed course."""
    return app_python(machine, STORE_ROWS)


@pytest.mark.skipif(not OLDER_WHEEL, reason="run.sh builds the older release")
def test_installing_the_kit_over_an_older_course_keeps_every_answer(machine, installed):
    installed.stop()
    venv_python = str(machine["app"] / "venv" / "bin" / "python")
    # The older release, as an earlier kit left it, and answers saved by it.
    subprocess.run([venv_python, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--force-reinstall",
                    OLDER_WHEEL], env=machine["env"], check=True, timeout=300)
    version = "import importlib.metadata as m; print(m.version('artisan-course'))"
    assert app_python(machine, version) == "0.0.1"
    app_python(machine, "from artisan_course.state.store import Store; s = Store(); noy = s.learner('Noy S.'); "
                        "s.record(noy.id, 'welcome', 'welcome-first-thoughts', 'reflection', 'ຂອບໃຈ: written in the "
                        "older course'); s.record(noy.id, 'welcome', 'welcome-three-parts', 'quiz', {'response': 'a', "
                        "'attempt': 1}, score=1.0)")
    before = store_rows(machine)
    assert "written in the older course" in before and "Kit Learner" in before

    port = free_port()
    again = Running(["bash", str(KIT / "install.sh"), str(machine["app"]), "--", "--no-browser", "--port", str(port)],
                    machine["env"], machine["root"] / "update.log", port)
    try:
        record(update_and_start_seconds=round(again.seconds, 1))
        with urllib.request.urlopen(again.url, timeout=30) as response:
            assert response.status == 200
    finally:
        again.stop()
    kit_version = json.loads((KIT / "kit.json").read_text())["course"]["version"]
    assert app_python(machine, version) == kit_version
    assert store_rows(machine) == before

    out = machine["root"] / "journal"
    subprocess.run([str(machine["app"] / "venv" / "bin" / "artisan-course"), "export-journal", "--learner", "Noy S.",
                    "--out", str(out)], env=machine["env"], check=True, timeout=120, capture_output=True)
    assert any("written in the older course" in p.read_text(encoding="utf-8") for p in out.glob("journal-*.md"))

    # On a later day: the start script kept with the course, and the stick's own start script.
    for command in ([str(machine["app"] / "start-course.sh"), "--no-browser", "--port"],
                    ["bash", str(KIT / "start.sh"), str(machine["app"]), "--", "--no-browser", "--port"]):
        port = free_port()
        later = Running([*command, str(port)], machine["env"], machine["root"] / "later.log", port, timeout=120)
        later.stop()
