"""Who is learning: in JupyterLab the name the learner chose (asked once, not the OS user); in Voilà, the typed one."""
import pytest

from artisan_course.state.learner import os_user
from artisan_course.state.session import Session


@pytest.fixture
def not_voila(monkeypatch):
    for name in ("SERVER_SOFTWARE", "VOILA_KERNEL_ID", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)


def test_jupyterlab_asks_for_a_name_instead_of_taking_the_os_user_and_remembers_it(not_voila):
    first = Session()
    assert first.start() is None  # not "root": the header asks
    assert first.set_learner("ນ້ອຍ").returning is False
    # A new kernel (say, after a restart, or another notebook) starts as the learner chosen last time.
    again = Session().start()
    assert again.name == "ນ້ອຍ" and again.returning is True


def earlier_answers(name: str = None) -> int:
    """Answers saved under the OS user name, as the course kept them before it asked for a name."""
    store = Session().get_store()
    learner = store.learner(name or os_user())
    return store.record(learner.id, "welcome", "welcome-soft-skills", "reflection", "Listening first, from last month")


def test_earlier_answers_under_the_os_user_are_offered_and_carried_on_when_the_learner_says_they_are_theirs(not_voila):
    row = earlier_answers()
    session = Session()
    assert session.start() is None
    assert session.earlier_answers_owner().name == os_user()
    noy = session.set_learner("Noy", keep_earlier=True)
    store = session.get_store()
    assert store.latest(noy.id, "welcome-soft-skills").id == row
    assert noy.returning and store.find_learner(os_user()) is None
    assert Session().earlier_answers_owner() is None  # asked once: the offer does not come back


def test_earlier_answers_join_a_name_that_has_answers_too(not_voila):
    earlier_answers()
    theirs = earlier_answers("Noy")
    session = Session()
    noy = session.set_learner("noy", keep_earlier=True)
    store = session.get_store()
    assert noy.name == "Noy"
    assert {a.value for a in store.answers(learner_id=noy.id)} == {"Listening first, from last month"}
    assert len(store.answers(learner_id=noy.id)) == 2 and store.latest(noy.id, "welcome-soft-skills").id == theirs


def test_earlier_answers_not_taken_stay_under_the_os_user_name_and_can_be_reached(not_voila):
    row = earlier_answers()
    session = Session()
    noy = session.set_learner("Noy")
    store = session.get_store()
    assert store.answers(learner_id=noy.id) == []
    assert store.latest(store.find_learner(os_user()).id, "welcome-soft-skills").id == row
    assert Session().earlier_answers_owner() is None
    assert session.set_learner(os_user()).id == store.find_learner(os_user()).id  # "Change name" back to them


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
    assert s.start() is None  # the course still runs, and asks for a name
    assert s.set_learner("Noy").name == "Noy"
    assert "will not be kept after this session" in s.store_warning


def shown(show):
    """The widget a notebook line puts on screen."""
    import artisan_course.widgets.course as course
    seen = []
    original, course.display = course.display, seen.append
    try:
        show()
    finally:
        course.display = original
    return seen[0]


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def named(box, kind):
    return [w for w in walk(box) if type(w).__name__ == kind]


def test_the_header_asks_once_offers_earlier_answers_and_greets_the_learner_by_the_chosen_name(fresh_session):
    from artisan_course.widgets.course import course_learner
    earlier_answers()
    box = shown(course_learner)
    text = " ".join(w.value for w in named(box, "HTML"))
    assert "Type your name" in text and os_user() not in named(box, "Text")[0].value  # asked, not filled in for them
    assert f"saved on this computer under the name <strong>{os_user()}</strong>" in text
    [name], [keep] = named(box, "Text"), named(box, "Checkbox")
    name.value, keep.value = "Noy", True
    next(b for b in named(box, "Button") if b.description == "Start").click()
    assert "Welcome back, <strong>Noy</strong>." in named(box, "HTML")[0].value  # her earlier answers came with her
    assert fresh_session.learner.name == "Noy"
    assert fresh_session.get_store().latest(fresh_session.learner.id, "welcome-soft-skills") is not None

    fresh_session.learner = None  # a new kernel: the chosen name is known, nothing is asked
    box = shown(course_learner)
    assert named(box, "Text") == []
    assert "Welcome back, <strong>Noy</strong>." in " ".join(w.value for w in named(box, "HTML"))


def test_a_first_learner_with_no_earlier_answers_is_asked_without_any_offer(fresh_session):
    from artisan_course.widgets.course import course_learner
    box = shown(course_learner)
    assert named(box, "Checkbox") == []
    name = named(box, "Text")[0]
    name.value = "  "
    start = next(b for b in named(box, "Button") if b.description == "Start")
    start.click()
    assert "Please type your name first." in named(box, "HTML")[0].value and fresh_session.learner is None
    name.value = "Somphone"
    start.click()
    assert "Welcome, <strong>Somphone</strong>." in named(box, "HTML")[0].value
