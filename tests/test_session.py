"""Who is learning: the OS user in JupyterLab, the typed name in Voilà."""
import pytest

from artisan_course.state.learner import os_user
from artisan_course.state.session import Session


@pytest.fixture
def not_voila(monkeypatch):
    for name in ("SERVER_SOFTWARE", "VOILA_KERNEL_ID", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)


def test_jupyterlab_defaults_to_the_os_user_and_remembers_a_change(not_voila):
    first = Session()
    assert first.start().name == os_user()
    first.set_learner("ນ້ອຍ")
    # A new kernel (say, after a restart) starts as the learner chosen last time.
    assert Session().start().name == "ນ້ອຍ"


def test_voila_never_defaults_to_the_os_user(monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv("QUERY_STRING", "")
    assert Session().start() is None


def test_voila_takes_the_name_from_the_page_address(monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    monkeypatch.setenv("QUERY_STRING", "learner=%E0%BA%99%E0%BB%89%E0%BA%AD%E0%BA%8D&x=1")
    learner = Session().start()
    assert learner.name == "ນ້ອຍ" and learner.returning is False
    assert Session().start().returning is True


def test_an_unwritable_store_still_runs_and_says_answers_will_not_be_kept(tmp_path, monkeypatch, not_voila):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("ARTISAN_COURSE_HOME", str(blocker / "store"))
    s = Session()
    assert s.start() is not None
    assert "will not be kept after this session" in s.store_warning
