"""`artisan-course lab`: the trainee's working copy opens in JupyterLab, offline, on the welcome notebook alone.

It asks the learner's name once, forms come back with their saved answers after a restart, a notebook that was only
opened and run is not left marked unsaved, and stopping the command stops JupyterLab and every kernel it started.
"""
import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import free_port, make_course_copy, screenshot_dir, wait_until

# Generous deadlines, for a loaded machine: each page load starts JupyterLab's front end anew, each notebook
# its own kernel, and a notebook's first cell imports the course (pandas, matplotlib, ipywidgets).
LAB_LOADS_MS = 120_000
KERNEL_STARTS_MS = 120_000
CELLS_RUN_MS = 240_000


class Lab:
    """A real ``artisan-course lab`` process on a free port, with its log and its address (token included)."""

    def __init__(self, tmp_path: Path, env: dict):
        self.port = free_port()
        self.work = tmp_path / "work"
        self.log_path = tmp_path / "lab.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "artisan_course.cli", "lab", "--no-browser", "--port", str(self.port),
             "--work-dir", str(self.work)],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        try:
            self.url = wait_until(self._address, 120, "JupyterLab to print its address", interval=0.5)
        except AssertionError:
            pytest.fail("JupyterLab did not start:\n" + self.log_path.read_text()[-2000:])
        self.token = self.url.rsplit("token=", 1)[1]

    def _address(self):
        if self.process.poll() is not None:
            pytest.fail("JupyterLab exited:\n" + self.log_path.read_text()[-2000:])
        match = re.search(rf"http://127\.0\.0\.1:{self.port}/\S*token=\w+", self.log_path.read_text())
        return match.group(0) if match else None

    def api(self, path: str, body: dict | None = None):
        """JupyterLab's REST API, as the page uses it."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/{path}", method="POST" if body is not None else "GET",
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read() or b"null")

    def stop(self) -> None:
        """Stop the command's process group, even if the command itself has exited (as it did before a fix)."""
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture
def lab_course(tmp_path):
    """The course JupyterLab is opened from: the repository's notebooks and data, and the fixture decks. A test
    file that needs other content defines its own ``lab_course``."""
    return make_course_copy(tmp_path / "course")


@pytest.fixture
def lab_env(lab_course, tmp_path, learner_home, monkeypatch):
    """The environment of a trainee's ``artisan-course lab``: a course copy, the test's store, and a Jupyter
    configuration folder of the test's own, standing for the ``~/.jupyter`` every other JupyterLab here uses."""
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(lab_course))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "jupyter-config"))
    return dict(os.environ)


@pytest.fixture
def lab(tmp_path, lab_env):
    server = Lab(tmp_path, lab_env)
    yield server
    server.stop()


@pytest.fixture
def lab_server(lab):
    return lab.work, lab.url


def choose_name(learner_home: Path, name: str) -> None:
    """The learner chose their name before (in a course header, on an earlier day)."""
    from artisan_course.state.session import LAB_LEARNER_SETTING
    from artisan_course.state.store import Store
    store = Store(learner_home)
    store.set_setting(LAB_LEARNER_SETTING, store.learner(name).name)


# Run All has finished in the notebook in front. JupyterLab's execution indicator in the notebook's toolbar
# counts the cells Run All scheduled: "Executed 3/8 cells" while they run, then "Executed 8 cells" (after
# a run of a second or more) once the last has replied, with the kernel idle. The cells' own [n] prompts
# cannot tell: a cell whose input is collapsed, as a trainee sees most cells, shows no prompt.
RUN_ALL_FINISHED = """cells => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const indicator = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
  if (!indicator) return false;
  const text = indicator.textContent;
  if (text.includes(`/${cells} cells`)) window.__courseRunSeen = true;  // this run, under way
  return indicator.dataset.status === 'idle' && (window.__courseRunSeen || text.includes(`Executed ${cells} cell`));
}"""


def run_all(page, notebook: Path) -> None:
    """Run All Cells in ``notebook``, once its own kernel is idle, and wait until every cell has run.

    The status bar names the kernel of the notebook in front. Until this notebook's tab is in front, it
    may speak of another one, such as a notebook restored from the last visit, whose kernel is long idle.
    """
    tab = page.get_by_role("tab", name=re.compile(re.escape(notebook.name)), selected=True)
    tab.wait_for(timeout=LAB_LOADS_MS)
    status = page.locator("#jp-main-statusbar").get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle"))
    status.wait_for(timeout=KERNEL_STARTS_MS)
    cells = sum(cell.cell_type == "code" for cell in nbformat.read(notebook, as_version=4).cells)
    page.evaluate("window.__courseRunSeen = false")
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()
    page.wait_for_function(RUN_ALL_FINISHED, arg=cells, timeout=CELLS_RUN_MS)


def look(page, element, name: str) -> None:
    """A screenshot of ``element`` in view, once the browser has drawn it (JupyterLab skips cells out of view)."""
    element.scroll_into_view_if_needed()
    page.wait_for_function("""el => { const r = el.getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight && r.width > 0; }""", arg=element.element_handle())
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.screenshot(path=screenshot_dir("lab") / name)


def document_tabs(page) -> list[str]:
    """The documents open in JupyterLab's main area, by tab title."""
    return page.locator("#jp-main-dock-panel .lm-TabBar-tab .lm-TabBar-tabLabel").all_inner_texts()


def marked_unsaved(page, name: str) -> bool:
    """JupyterLab marks a document with unsaved changes on its tab (a dot instead of the close button)."""
    tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab", has=page.get_by_text(name, exact=True))
    return "jp-mod-dirty" in (tab.get_attribute("class") or "")


def restart_and_run_all(page) -> None:
    """What a trainee does the next day, or after the kernel died: restart the kernel and run every cell again."""
    page.get_by_role("menuitem", name="Kernel", exact=True).click()
    page.get_by_text("Restart Kernel and Run All Cells…", exact=True).click()
    page.get_by_role("button", name="Confirm Kernel Restart").click()


FOREIGN_WORKSPACE = {
    # What another JupyterLab on this computer left in ~/.jupyter/lab/workspaces: three notebooks open.
    "data": {"layout-restorer:data": {"main": {"dock": {"type": "tab-area", "currentIndex": 2, "widgets": [
        "notebook:exercises/01-people-and-persuaders.ipynb", "notebook:exercises/02-negotiation-process.ipynb",
        "notebook:notebooks/03-anchoring.ipynb"]}}},
        **{f"notebook:{path}": {"data": {"path": path, "factory": "Notebook"}} for path in (
            "exercises/01-people-and-persuaders.ipynb", "exercises/02-negotiation-process.ipynb",
            "notebooks/03-anchoring.ipynb")}},
    "metadata": {"id": "default"},
}


def test_lab_opens_on_the_welcome_notebook_alone_asks_the_name_and_leaves_nothing_unsaved(lab, offline, learner_home,
                                                                                       tmp_path):
    work, url = lab.work, lab.url
    assert (work / "notebooks" / "00-welcome.ipynb").is_file()
    # Another JupyterLab here left its workspace where every JupyterLab keeps it; the course's is its own.
    shared = tmp_path / "jupyter-config" / "lab" / "workspaces"
    shared.mkdir(parents=True)
    (shared / "default-37a8.jupyterlab-workspace").write_text(json.dumps(FOREIGN_WORKSPACE))
    # An older course kept this learner's answers under the computer's user name.
    from artisan_course.state.learner import os_user
    from artisan_course.state.store import Store
    store = Store(learner_home)
    earlier = store.learner(os_user())
    store.record(earlier.id, "welcome", "welcome-soft-skills", "reflection", "Listening first, from last month")
    view = offline(1280, 720)
    page = view.page
    page.goto(url)
    page.get_by_role("tab", name=re.compile("00-welcome.ipynb")).wait_for(timeout=LAB_LOADS_MS)
    # Before anything runs, the first thing a trainee reads says what to do.
    page.locator(".jp-RenderedMarkdown strong", has_text="Start here.").wait_for()
    page.locator("#jp-main-statusbar").get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).wait_for(
        timeout=KERNEL_STARTS_MS)
    assert document_tabs(page) == ["00-welcome.ipynb"]
    assert len(lab.api("sessions")) == 1  # one notebook, one kernel
    assert not marked_unsaved(page, "00-welcome.ipynb")  # opened, its kernel started: nothing changed yet
    page.screenshot(path=screenshot_dir("lab") / "welcome-before-run.png")

    run_all(page, work / "notebooks" / "00-welcome.ipynb")
    header = page.locator(".course-learner")
    header.get_by_text("Type your name so the course can keep your answers.").wait_for(timeout=30_000)
    assert "Welcome" not in header.text_content() and header.get_by_role("textbox").input_value() == ""  # asked
    assert f"saved on this computer under the name {os_user()}." in header.text_content()  # offered, not assumed
    look(page, header, "name-asked-1280x720.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()  # the file list folds away
    look(page, header, "name-asked-390x844.png")
    page.set_viewport_size({"width": 1280, "height": 720})
    header.get_by_role("textbox").fill("Noy")
    header.get_by_role("checkbox", name="They are mine: keep them").check()
    header.get_by_role("button", name="Start").click()
    header.get_by_text("Welcome back,").wait_for(timeout=30_000)
    assert "Welcome back, Noy." in header.text_content()  # her earlier answers came with her

    # The reflection box saves in JupyterLab too, under the chosen name.
    box = page.locator(".course-reflection textarea")
    box.scroll_into_view_if_needed()
    page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
    page.wait_for_function("el => el.value === 'Listening first, from last month'", arg=box.element_handle(),
                           timeout=30_000)
    box.fill("")
    box.press_sequentially("Saved from JupyterLab", delay=5)
    page.locator(".course-reflection .course-status--saved").wait_for(timeout=15_000)
    noy = store.find_learner("Noy")
    wait_until(lambda: store.latest(noy.id, "welcome-soft-skills").value == "Saved from JupyterLab", 30,
               "the reflection to be saved under Noy")
    assert store.find_learner(os_user()) is None and noy.id == earlier.id

    # Run and answered: within seconds it is saved, so it is not left marked unsaved, and the saved file keeps no
    # widget views (they would be errors once this kernel has stopped).
    page.wait_for_function("() => !document.querySelector('#jp-main-dock-panel .lm-TabBar-tab.jp-mod-dirty')",
                           timeout=60_000)
    saved = json.loads((work / "notebooks" / "00-welcome.ipynb").read_text())
    assert not [o for c in saved["cells"] if c["cell_type"] == "code" for o in c["outputs"]
                if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert saved["metadata"]["kernelspec"]["name"] == "python3"

    # The next day (a new kernel): the name is known, and the learner is greeted by it.
    header.evaluate("el => el.dataset.before = 'restart'")  # the new kernel draws a new header
    restart_and_run_all(page)
    header = page.locator(".course-learner:not([data-before])")
    header.get_by_text("Welcome back,").wait_for(timeout=CELLS_RUN_MS)
    assert "Welcome back, Noy." in header.text_content()
    look(page, header, "name-known-1280x720.png")
    page.set_viewport_size({"width": 390, "height": 844})
    look(page, header, "name-known-390x844.png")

    # No "receive news?" pop-up, nothing fetched from outside, and nothing written where every JupyterLab looks.
    assert page.get_by_text("official Jupyter news").count() == 0
    assert view.external_requests() == []
    assert [p.name for p in shared.iterdir()] == ["default-37a8.jupyterlab-workspace"]
    assert list((work / ".jupyter-lab-workspaces").glob("*.jupyterlab-workspace"))


def test_an_exercise_form_comes_back_with_the_saved_answer_after_a_kernel_restart(lab, offline, learner_home):
    choose_name(learner_home, "Noy")
    notebook = lab.work / "exercises" / "05-fairness-and-culture.ipynb"
    view = offline(1280, 720)
    page = view.page
    page.goto(lab.url.replace("notebooks/00-welcome.ipynb", "exercises/05-fairness-and-culture.ipynb"))
    run_all(page, notebook)
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.get_by_text("Welcome back,").wait_for(timeout=30_000)
    form = panel.locator(".jupyter-widgets.widget-vbox", has=page.get_by_role("button", name="Check my choice")).last
    form.locator("select").select_option(label="Needs: by household dependants")
    why = "Because Bee cares for three children, ນ້ອຍ says the needs rule is fair."
    form.locator("textarea").fill(why)
    form.get_by_role("button", name="Check my choice").click()
    form.get_by_text("What your rule does").wait_for(timeout=30_000)
    from artisan_course.state.store import Store
    store = Store(learner_home)
    assert store.latest(store.find_learner("Noy").id, "fairness-rule").value == {"rule": "needs", "why": why}

    restart_and_run_all(page)
    restored = panel.locator(".course-restored")
    restored.wait_for(timeout=CELLS_RUN_MS)
    assert re.fullmatch(r"Your answer saved on \d{1,2} \w+, \d\d:\d\d is back\.", restored.text_content().strip())
    form = panel.locator(".jupyter-widgets.widget-vbox", has=page.get_by_role("button", name="Check my choice")).last
    assert form.locator("textarea").input_value() == why
    chosen = form.locator("select").evaluate("s => s.options[s.selectedIndex].text")
    assert chosen.replace("\xa0", " ") == "Needs: by household dependants"
    assert "What your rule does" in form.text_content()  # and the feedback it had
    look(page, form, "exercise-restored-1280x720.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").click()
    look(page, form, "exercise-restored-390x844.png")
    assert view.external_requests() == []


def lab_kernels(lab) -> list:
    """The kernel processes this JupyterLab started (each in a session of its own, so not in its process group)."""
    import psutil
    ids = {kernel["id"] for kernel in lab.api("kernels")}
    found = []
    for process in psutil.process_iter(["cmdline"]):
        command = " ".join(process.info["cmdline"] or [])
        if "ipykernel_launcher" in command and any(kernel_id in command for kernel_id in ids):
            found.append(process)
    return found


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=["SIGTERM", "window closed (SIGHUP)", "Ctrl-C with no terminal (SIGINT)"])
def test_stopping_artisan_course_lab_stops_jupyterlab_and_every_kernel(lab, stop):
    import psutil
    for name in ("notebooks/00-welcome.ipynb", "exercises/01-people-and-persuaders.ipynb"):
        lab.api("sessions", {"path": name, "type": "notebook", "name": name, "kernel": {"name": "python3"}})
    kernels = wait_until(lambda: (found := lab_kernels(lab)) and len(found) == 2 and found, 120, "two kernels")
    lab.process.send_signal(stop)  # to the command alone, as a service manager or the closing terminal does
    lab.process.wait(60)

    def gone(process) -> bool:
        try:
            return process.status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    wait_until(lambda: all(gone(k) for k in kernels), 30, "every kernel to stop")
    assert lab.process.returncode == 0  # it stopped as asked, not killed by the signal


def test_the_anchoring_simulator_works_in_jupyterlab(lab_server, offline):
    work, url = lab_server
    view = offline(1280, 900)
    page = view.page
    page.goto(url.replace("00-welcome.ipynb", "zz-fixture-anchoring.ipynb"))
    run_all(page, work / "notebooks" / "zz-fixture-anchoring.ipynb")
    price = page.locator(".sim-settlement")
    price.wait_for(timeout=30_000)
    before, chart = price.inner_text(), page.locator(".course-sim-chart").get_attribute("src")
    field = page.locator(".course-sim-field").filter(has=page.locator("label", has_text="Your first offer"))
    field.locator(".noUi-handle, [role=slider]").first.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("b => document.querySelector('.sim-settlement').innerText !== b", arg=before)
    page.wait_for_function("b => document.querySelector('.course-sim-chart').src !== b", arg=chart)
    page.screenshot(path=screenshot_dir("lab") / "anchoring-simulator.png")
    assert view.external_requests() == []


def test_every_exercise_runs_in_jupyterlab_with_widgets_and_no_errors(lab_server, offline, learner_home):
    work, url = lab_server
    choose_name(learner_home, "Noy")
    view = offline(1280, 900)
    page = view.page
    exercises = sorted(p.name for p in (work / "exercises").glob("*.ipynb"))
    assert len(exercises) >= 5
    for name in exercises:
        page.goto(url.replace("notebooks/00-welcome.ipynb", f"exercises/{name}"))
        run_all(page, work / "exercises" / name)
        panel = page.locator(".jp-NotebookPanel:visible")
        panel.get_by_text("Welcome back, Noy.").wait_for(timeout=30_000)
        panel.locator(".jupyter-widgets button.mod-primary").first.wait_for(timeout=30_000)
        assert panel.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0, name
        assert "Traceback" not in panel.text_content(), name
        page.screenshot(path=screenshot_dir("lab") / f"exercise-{name.removesuffix('.ipynb')}.png")
    assert view.external_requests() == []


TOOLS_NOTEBOOK = {
    "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source}
              for source in [
                  "from artisan_course import *",
                  "show_contingency_simulator()", "show_negotiation_simulator()", "show_milestone_planner()",
                  "show_agreement_builder()", "channel_chooser()", "conflict_plan_builder()",
                  "message_drafting('gratitude')", "listening_practice()", "action_plan()"]],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def test_the_order_tools_work_together_in_jupyterlab(lab_server, offline):
    """Every tool of modules 04-08 in one notebook: no errors, and the agreement takes the planner's milestones and
    the clause."""
    import json
    work, url = lab_server
    (work / "notebooks" / "all-tools.ipynb").write_text(json.dumps(TOOLS_NOTEBOOK))
    view = offline(1280, 900)
    page = view.page
    page.goto(url.replace("00-welcome.ipynb", "all-tools.ipynb"))
    run_all(page, work / "notebooks" / "all-tools.ipynb")
    for selector in (".course-contingency", ".course-milestones", ".course-agreement", ".course-channel-chooser",
                     ".course-conflict-plan", ".course-message-drafting", ".course-listening", ".course-action-plan"):
        page.locator(selector).first.wait_for(state="attached", timeout=30_000)
    panel = page.locator(".jp-NotebookPanel:visible")
    assert panel.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert "Traceback" not in panel.text_content()
    agreement = page.locator(".course-agreement")
    agreement.get_by_role("button", name="Take from the milestone planner").click()
    milestones = agreement.locator(".course-sim-field").filter(
        has=page.locator("label", has_text="Milestones (one per line)")).locator("textarea")
    page.wait_for_function("el => el.value.includes('Batch 1')", arg=milestones.element_handle(), timeout=30_000)
    agreement.get_by_role("button", name="Take from the contingency simulator").click()
    clause = (agreement.locator(".course-sim-field")
              .filter(has=page.locator("label", has_text="Contingency clause")).locator("textarea"))
    page.wait_for_function("el => /2 USD/.test(el.value)", arg=clause.element_handle(), timeout=30_000)
    agreement.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir("lab") / "order-tools.png")
    assert view.external_requests() == []
