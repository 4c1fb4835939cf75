import json

from artisan_course.serving.workspace import (MANIFEST, forget_widget_views, fresh_workspaces, kernel_language_info,
                                              match_kernel_language, sync_working_copy, write_lab_settings)


def _course(root, text="v1"):
    (root / "notebooks").mkdir(parents=True, exist_ok=True)
    (root / "exercises").mkdir(exist_ok=True)
    (root / "notebooks" / "00-welcome.ipynb").write_text(text)
    return root


def test_first_start_copies_the_course(tmp_path):
    course = _course(tmp_path / "course")
    report = sync_working_copy(tmp_path / "work", course)
    assert (tmp_path / "work" / "notebooks" / "00-welcome.ipynb").read_text() == "v1"
    assert report.added == ["notebooks/00-welcome.ipynb"]
    assert (tmp_path / "work" / MANIFEST).exists()


def test_an_update_replaces_untouched_files(tmp_path):
    course = _course(tmp_path / "course")
    work = tmp_path / "work"
    sync_working_copy(work, course)
    _course(course, "v2")
    report = sync_working_copy(work, course)
    assert report.updated == ["notebooks/00-welcome.ipynb"]
    assert (work / "notebooks" / "00-welcome.ipynb").read_text() == "v2"


def test_an_update_never_overwrites_the_trainees_work(tmp_path):
    course = _course(tmp_path / "course")
    work = tmp_path / "work"
    sync_working_copy(work, course)
    (work / "notebooks" / "00-welcome.ipynb").write_text("my answers")
    _course(course, "v2")
    report = sync_working_copy(work, course)
    assert (work / "notebooks" / "00-welcome.ipynb").read_text() == "my answers"
    assert (work / "notebooks" / "00-welcome (course update).ipynb").read_text() == "v2"
    assert any("beside your copy" in s for s in report.sentences())
    # The same update is not offered again on the next start.
    assert sync_working_copy(work, course).side_by_side == []


def test_lab_settings_turn_off_news(tmp_path):
    write_lab_settings(tmp_path)
    text = (tmp_path / "@jupyterlab/apputils-extension/notification.jupyterlab-settings").read_text()
    assert '"fetchNews": "false"' in text and '"checkForUpdates": false' in text


# -- a notebook that was only run is not "changed by the trainee" ------------------------------------------
def _notebook(cells, outputs=None, language=None):
    return json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None if outputs is None else 1, "id": f"c{i}",
                   "metadata": {}, "outputs": outputs or [], "source": source} for i, source in enumerate(cells)],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
                     "language_info": language or {"name": "python"}},
        "nbformat": 4, "nbformat_minor": 5}, indent=1)


def _course_notebook(root, cells):
    (root / "exercises").mkdir(parents=True, exist_ok=True)
    (root / "notebooks").mkdir(exist_ok=True)
    (root / "exercises" / "01.ipynb").write_text(_notebook(cells))
    return root / "exercises" / "01.ipynb"


RUN_OUTPUT = [{"output_type": "display_data", "metadata": {}, "data": {"text/plain": ["VBox()"]}}]


def test_a_notebook_that_was_only_run_and_saved_still_takes_the_course_update(tmp_path):
    course, work = tmp_path / "course", tmp_path / "work"
    _course_notebook(course, ["warm_tough_task()"])
    sync_working_copy(work, course)
    # JupyterLab saved it after a run: outputs, counts, the kernel's language details, its own formatting.
    (work / "exercises" / "01.ipynb").write_text(
        _notebook(["warm_tough_task()"], RUN_OUTPUT, {"name": "python", "version": "3.11.7"}).replace(" ", "  "))
    _course_notebook(course, ["course_learner()", "warm_tough_task()"])
    report = sync_working_copy(work, course)
    assert report.updated == ["exercises/01.ipynb"] and report.side_by_side == []
    assert "course_learner()" in (work / "exercises" / "01.ipynb").read_text()


def test_a_notebook_the_trainee_wrote_in_keeps_their_words(tmp_path):
    course, work = tmp_path / "course", tmp_path / "work"
    _course_notebook(course, ["styles = None"])
    sync_working_copy(work, course)
    (work / "exercises" / "01.ipynb").write_text(_notebook(["styles = pd.Series({'logic': 4})"], RUN_OUTPUT))
    _course_notebook(course, ["styles = None  # a score per style"])
    report = sync_working_copy(work, course)
    assert report.side_by_side == ["exercises/01.ipynb"]
    assert "'logic': 4" in (work / "exercises" / "01.ipynb").read_text()
    assert sync_working_copy(work, course).side_by_side == []  # offered once


def test_a_working_copy_from_before_cell_hashes_still_updates_untouched_files(tmp_path):
    course, work = tmp_path / "course", tmp_path / "work"
    _course(course)
    sync_working_copy(work, course)
    manifest = json.loads((work / MANIFEST).read_text())
    old = {path: entry["file"] if isinstance(entry, dict) else entry for path, entry in manifest.items()}
    (work / MANIFEST).write_text(json.dumps(old))  # as an older course wrote it: one hash of the whole file
    _course(course, "v2")
    assert sync_working_copy(work, course).updated == ["notebooks/00-welcome.ipynb"]


def test_an_older_working_copy_given_the_kernels_language_details_still_takes_updates(tmp_path):
    course, work = tmp_path / "course", tmp_path / "work"
    _course_notebook(course, ["warm_tough_task()"])
    sync_working_copy(work, course)
    manifest = json.loads((work / MANIFEST).read_text())
    (work / MANIFEST).write_text(json.dumps({path: entry["file"] for path, entry in manifest.items()}))
    sync_working_copy(work, course)  # the first start of the new course: nothing to update
    match_kernel_language(work, {"name": "python", "version": "3.11.7"})  # then the copy's metadata changes
    _course_notebook(course, ["course_learner()", "warm_tough_task()"])
    report = sync_working_copy(work, course)
    assert report.updated == ["exercises/01.ipynb"] and report.side_by_side == []


# -- JupyterLab: nothing marked unsaved that the trainee did not change -----------------------------------
def test_the_working_copy_carries_what_this_computers_kernel_reports():
    """JupyterLab writes the kernel's language details into a notebook when its kernel starts: they must match."""
    from jupyter_client.manager import start_new_kernel
    manager, client = start_new_kernel(kernel_name="python3")
    try:
        reply = client.kernel_info(reply=True, timeout=60)["content"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert kernel_language_info() == reply["language_info"]


def test_notebooks_get_the_kernels_language_details_and_nothing_else_changes(tmp_path):
    work = tmp_path / "work"
    (work / "exercises").mkdir(parents=True)
    (work / "notebooks").mkdir()
    path = work / "exercises" / "01.ipynb"
    path.write_text(_notebook(["styles = pd.Series({'logic': 4})"]))
    (work / "notebooks" / "broken.ipynb").write_text("{ not json")
    language = {"name": "python", "version": "3.11.7", "file_extension": ".py"}
    assert match_kernel_language(work, language) == ["exercises/01.ipynb"]
    notebook = json.loads(path.read_text())
    assert notebook["metadata"]["language_info"] == language
    assert notebook["cells"][0]["source"] == "styles = pd.Series({'logic': 4})"
    assert (work / "notebooks" / "broken.ipynb").read_text() == "{ not json"
    assert match_kernel_language(work, language) == []  # the next start writes nothing


def test_a_saved_notebook_keeps_no_widget_views_but_keeps_every_other_output():
    view = {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "ab12", "version_major": 2},
                     "text/plain": "VBox()"}}
    table = {"output_type": "execute_result", "execution_count": 3, "metadata": {}, "data": {"text/html": "<table>"}}
    model = {"type": "notebook", "content": json.loads(_notebook(["warm_tough_task()", "check(styles)"]))}
    model["content"]["cells"][0].update(outputs=[view], execution_count=2)
    model["content"]["cells"][1].update(outputs=[view, table], execution_count=3)
    forget_widget_views(model=model, path="exercises/01.ipynb", contents_manager=None)
    first, second = model["content"]["cells"]
    assert (first["outputs"], first["execution_count"]) == ([], None)
    assert (second["outputs"], second["execution_count"]) == ([table], 3)
    text = {"type": "file", "content": "application/vnd.jupyter.widget-view+json"}
    forget_widget_views(model=text, path="notes.txt", contents_manager=None)
    assert text["content"] == "application/vnd.jupyter.widget-view+json"


def test_each_start_opens_the_course_alone_and_saves_a_run_notebook_within_seconds(tmp_path):
    workspaces = tmp_path / ".jupyter-lab-workspaces"
    workspaces.mkdir()
    (workspaces / "default-37a8.jupyterlab-workspace").write_text('{"data": {}, "metadata": {"id": "default"}}')
    (workspaces / "notes.txt").write_text("not a workspace")
    fresh_workspaces(workspaces)
    assert [p.name for p in workspaces.iterdir()] == ["notes.txt"]
    write_lab_settings(tmp_path / "settings")
    docmanager = tmp_path / "settings" / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings"
    docmanager = json.loads(docmanager.read_text())
    assert docmanager["autosave"] is True and docmanager["autosaveInterval"] <= 10
