"""`artisan-course lab`: the trainee's working copy opens in JupyterLab, offline, on the welcome notebook."""
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import free_port, make_course_copy, screenshot_dir, wait_until

# Generous deadlines, for a loaded machine: each page load starts JupyterLab's front end anew, each notebook
# its own kernel, and a notebook's first cell imports the course (pandas, matplotlib, ipywidgets).
LAB_LOADS_MS = 120_000
KERNEL_STARTS_MS = 120_000
CELLS_RUN_MS = 240_000


@pytest.fixture
def lab_course(tmp_path):
    """The course JupyterLab is opened from: the repository's notebooks and data, and the fixture decks. A test
    file that needs other content defines its own ``lab_course``."""
    return make_course_copy(tmp_path / "course")


@pytest.fixture
def lab_server(lab_course, tmp_path, learner_home, monkeypatch):
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(lab_course))
    port = free_port()
    work = tmp_path / "work"
    log_path = tmp_path / "lab.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "artisan_course.cli", "lab", "--no-browser", "--port", str(port), "--work-dir", str(work)],
        stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ), start_new_session=True,
    )

    def address():
        """JupyterLab's address with its token, once the server has printed it."""
        if process.poll() is not None:
            pytest.fail("JupyterLab exited:\n" + log_path.read_text()[-2000:])
        match = re.search(rf"http://127\.0\.0\.1:{port}/\S*token=\w+", log_path.read_text())
        return match.group(0) if match else None

    try:
        url = wait_until(address, 120, "JupyterLab to print its address", interval=0.5)
    except AssertionError:
        pytest.fail("JupyterLab did not start:\n" + log_path.read_text()[-2000:])
    yield work, url
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(30)
    log.close()


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


def test_lab_opens_the_working_copy_on_the_welcome_notebook(lab_server, offline, learner_home):
    work, url = lab_server
    assert (work / "notebooks" / "00-welcome.ipynb").is_file()
    view = offline(1280, 800)
    page = view.page
    page.goto(url)
    page.get_by_role("tab", name=re.compile("00-welcome.ipynb")).wait_for(timeout=LAB_LOADS_MS)
    # Before anything runs, the first thing a trainee reads says what to do.
    page.locator(".jp-RenderedMarkdown strong", has_text="Start here.").wait_for()
    page.screenshot(path=screenshot_dir("lab") / "welcome-before-run.png")
    run_all(page, work / "notebooks" / "00-welcome.ipynb")
    page.locator(".course-header h1").wait_for(timeout=30_000)
    page.get_by_text("Learning as").wait_for(timeout=30_000)
    page.screenshot(path=screenshot_dir("lab") / "welcome-after-run.png")

    # The reflection box saves in JupyterLab too, under the computer's user name.
    box = page.locator(".course-reflection textarea")
    box.scroll_into_view_if_needed()
    page.wait_for_function("!document.querySelector('.course-reflection textarea').disabled")
    box.click()
    box.press_sequentially("Saved from JupyterLab", delay=5)
    page.locator(".course-reflection .course-status--saved").wait_for(timeout=15_000)
    from artisan_course.state.learner import os_user
    from artisan_course.state.store import Store
    store = Store(learner_home)
    assert store.latest(store.find_learner(os_user()).id, "welcome-soft-skills").value == "Saved from JupyterLab"

    # No "receive news?" pop-up, and nothing fetched from outside.
    assert page.get_by_text("official Jupyter news").count() == 0
    assert view.external_requests() == []


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


def test_every_exercise_runs_in_jupyterlab_with_widgets_and_no_errors(lab_server, offline):
    work, url = lab_server
    view = offline(1280, 900)
    page = view.page
    exercises = sorted(p.name for p in (work / "exercises").glob("*.ipynb"))
    assert len(exercises) >= 5
    for name in exercises:
        page.goto(url.replace("notebooks/00-welcome.ipynb", f"exercises/{name}"))
        run_all(page, work / "exercises" / name)
        panel = page.locator(".jp-NotebookPanel:visible")
        panel.locator(".jupyter-widgets button.mod-primary").first.wait_for(timeout=30_000)
        assert panel.locator("[data-mime-type='application/vnd.jupyter.stderr']").count() == 0, name
        assert "Traceback" not in panel.inner_text(), name
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
    """Every tool of modules 04-08 in one notebook: no errors, and the agreement takes the planner's milestones and the clause."""
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
    assert "Traceback" not in panel.inner_text()
    agreement = page.locator(".course-agreement")
    agreement.get_by_role("button", name="Take from the milestone planner").click()
    milestones = agreement.locator(".course-sim-field").filter(
        has=page.locator("label", has_text="Milestones (one per line)")).locator("textarea")
    page.wait_for_function("el => el.value.includes('Batch 1')", arg=milestones.element_handle(), timeout=30_000)
    agreement.get_by_role("button", name="Take from the contingency simulator").click()
    clause = agreement.locator(".course-sim-field").filter(has=page.locator("label", has_text="Contingency clause")).locator("textarea")
    page.wait_for_function("el => /2 USD/.test(el.value)", arg=clause.element_handle(), timeout=30_000)
    agreement.scroll_into_view_if_needed()
    page.screenshot(path=screenshot_dir("lab") / "order-tools.png")
    assert view.external_requests() == []
