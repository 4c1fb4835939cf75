from artisan_course.serving.workspace import MANIFEST, sync_working_copy, write_lab_settings


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
