"""The quiz widgets driven from Python: set values, click Check, read what the learner would see."""
import shutil
from pathlib import Path

import pytest

from artisan_course.state.session import SESSION
from artisan_course.state.store import Store

REPO = Path(__file__).resolve().parents[1]
BANK = """module: fairness-culture
questions:
  - id: fc-split
    type: single
    seed_section: Fairness
    prompt: Which rule splits the profit evenly?
    options:
      - {key: equality, text: Equality, feedback: Equality gives everyone the same share.}
      - {key: equity, text: Equity, feedback: Equity gives more to whoever contributed more.}
      - {key: needs, text: Needs, feedback: Needs gives more to whoever needs it most.}
    answer: equality
    explanation: Equal shares are the equality rule.
  - id: fc-poll
    type: poll
    seed_section: Fairness
    prompt: Which rule feels fairest to you?
    options:
      - {key: equality, text: Equality}
      - {key: equity, text: Equity}
    explanation: Each rule serves a different goal.
"""


@pytest.fixture
def course(tmp_path, monkeypatch, not_voila):
    root = tmp_path / "course"
    (root / "data" / "quizzes").mkdir(parents=True)
    shutil.copy(REPO / "data" / "course_map.yaml", root / "data" / "course_map.yaml")
    (root / "data" / "quizzes" / "fairness-culture.yaml").write_text(BANK)
    (root / "notebooks").mkdir()
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(root))
    fresh_session()
    yield root
    fresh_session()


@pytest.fixture
def not_voila(monkeypatch):
    for name in ("SERVER_SOFTWARE", "VOILA_KERNEL_ID", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)


def fresh_session():
    """What a kernel restart does to the course's in-memory state."""
    SESSION.learner = SESSION.store = SESSION.module = None
    SESSION.listeners.clear()


def test_check_shows_feedback_and_the_first_try_score(course, learner_home):
    from artisan_course.widgets.quiz import QuizView
    SESSION.set_learner("Noy")
    view = QuizView("fairness-culture")
    question = view.views[0]
    question.check.click()
    assert "Please choose an answer first." in question.feedback.value

    question.control.value = "equity"
    question.check.click()
    assert "✗ Not quite. Try again." in question.feedback.value
    assert "Equity gives more to whoever contributed more." in question.feedback.value
    assert question.reveal.layout.display == "none"  # offered only after two wrong tries
    question.control.value = "needs"
    question.check.click()
    assert question.reveal.layout.display == ""
    question.reveal.click()
    assert question.control.value == "equality"
    assert "This question scores 0" in question.feedback.value
    # the poll is not scored
    assert "Module quiz: 1 of 2 answered, 0 right the first time</strong>" in view.summary.value

    store = Store(learner_home)
    attempts = store.answers(kind="quiz", item="fc-split")
    assert [(a.value["response"], a.score, a.value["revealed"]) for a in attempts] == [
        ("equity", 0.0, False), ("needs", 0.0, False), ("equality", 0.0, True)]


def test_a_right_first_try_scores_one_and_survives_a_restart(course):
    from artisan_course.widgets.quiz import QuizView
    SESSION.set_learner("Kham")
    view = QuizView("fairness-culture")
    view.views[0].control.value = "equality"
    view.views[0].check.click()
    assert "✓ Right." in view.views[0].feedback.value
    assert "Module quiz: 1 of 2 answered, 1 right the first time</strong>" in view.summary.value

    fresh_session()  # the kernel restarts; the notebook is run again
    SESSION.set_learner("Kham")
    again = QuizView("fairness-culture")
    assert again.views[0].control.value == "equality"
    assert "✓ Right." in again.views[0].feedback.value
    assert "Module quiz: 1 of 2 answered, 1 right the first time</strong>" in again.summary.value


def test_a_poll_shows_the_rooms_answers_without_names(course):
    from artisan_course.widgets.quiz import QuizView
    for name, choice in [("A", "equity"), ("B", "equity"), ("C", "equality")]:
        fresh_session()
        SESSION.set_learner(name)
        poll = QuizView("fairness-culture", ids=["fc-poll"]).views[0]
        poll.control.value = choice
        poll.check.click()
    shown = poll.feedback.value
    assert "Answers so far from everyone on this computer or server (3)" in shown
    assert "A. Equality" in shown and "</span> 1</td>" in shown and "</span> 2</td>" in shown
    assert "Kham" not in shown and ">A<" not in shown


def test_unknown_question_ids_are_named(course):
    from artisan_course.widgets.quiz import QuizView
    SESSION.set_learner("Noy")
    with pytest.raises(KeyError, match="No question 'nope' in the fairness-culture quiz bank"):
        QuizView("fairness-culture", ids=["nope"])
