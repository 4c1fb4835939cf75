"""A Lao learner's words, saved as typed and carried intact into the journal and the CSV exports.

The journal is a page a learner keeps: its Lao is drawn with the course's own Lao font, carried inside the page.
The CSV files start with a byte order mark, so Excel on Windows reads them as UTF-8 and the Lao stays Lao.
"""
import pytest

from artisan_course.content.course_map import load_course_map
from artisan_course.documents.journal import journal_html, journal_markdown
from artisan_course.documents.page import lao_font_css, print_page
from artisan_course.documents.room_report import answers_csv, roster_csv
from artisan_course.documents.spreadsheet import BOM
from artisan_course.state.session import SESSION
from artisan_course.state.store import Store

NAME = "ນ້ອຍ ແສງດາວ"
# "Listening and patience matter most with the weavers."
REFLECTION = "ການຟັງ ແລະ ຄວາມອົດທົນ ສຳຄັນທີ່ສຸດກັບຊ່າງຕ່ຳຫູກ <ບໍ່ແມ່ນ HTML>"
ANSWER = "ເພາະ ວ່າ"


@pytest.fixture
def lao_learner(learner_home, monkeypatch):
    for name in ("SERVER_SOFTWARE", "VOILA_KERNEL_ID", "QUERY_STRING"):
        monkeypatch.delenv(name, raising=False)
    SESSION.learner = SESSION.store = SESSION.module = None
    SESSION.listeners.clear()
    SESSION.set_learner(NAME)
    yield SESSION.learner
    SESSION.learner = SESSION.store = SESSION.module = None
    SESSION.listeners.clear()


def _answer_the_because_question_in_lao():
    from artisan_course.widgets.quiz import QuizView
    view = QuizView("fairness-culture", ids=["fairness-culture-because-word"])
    question = view.views[0]
    question.control.value = ANSWER
    question.submit()
    return question


def test_a_lao_quiz_answer_is_graded_right_and_saved_as_typed(lao_learner, learner_home):
    question = _answer_the_because_question_in_lao()
    assert "Right" in question.feedback.value
    saved = Store(learner_home).answers(learner_id=lao_learner.id, item="fairness-culture-because-word", kind="quiz")
    assert saved[-1].value["response"] == ANSWER and saved[-1].value["correct"] is True and saved[-1].score == 1.0


def test_a_lao_reflection_and_quiz_answer_reach_the_journal(lao_learner, learner_home):
    from artisan_course.state import recorder
    from artisan_course.state.recorder import Kind
    assert recorder.record("welcome", "welcome-soft-skills", Kind.REFLECTION, REFLECTION).ok
    _answer_the_because_question_in_lao()
    store = Store(learner_home)
    learner = store.find_learner(NAME)
    page = journal_html(store, learner, load_course_map())
    assert "ການຟັງ ແລະ ຄວາມອົດທົນ ສຳຄັນທີ່ສຸດກັບຊ່າງຕ່ຳຫູກ &lt;ບໍ່ແມ່ນ HTML&gt;" in page and NAME in page
    # The Lao font travels inside the page, so it reads well offline on any computer, and nothing is fetched.
    assert "font-family: \"Course Lao\"" in page and "data:font/woff2;base64," in page
    assert "http://" not in page.split("<body>")[0] and "https://" not in page.split("<body>")[0]
    markdown = journal_markdown(store, learner, load_course_map())
    assert REFLECTION in markdown


def test_an_english_page_does_not_carry_the_lao_font():
    assert lao_font_css() and "Course Lao" in print_page("Plain", "<p>Thank you</p>")
    assert "data:font/woff2" not in print_page("Plain", "<p>Thank you</p>")
    assert "data:font/woff2" in print_page("ລາວ", "<p>ຂອບໃຈ</p>")


def test_the_answers_and_roster_csv_keep_lao_intact_for_excel(lao_learner, learner_home):
    from artisan_course.state import recorder
    from artisan_course.state.recorder import Kind
    recorder.record("welcome", "welcome-soft-skills", Kind.REFLECTION, REFLECTION)
    _answer_the_because_question_in_lao()
    store = Store(learner_home)
    for text in (answers_csv(store, names=True), roster_csv(store)):
        data = text.encode("utf-8")
        assert data.startswith(BOM.encode("utf-8"))  # what tells Excel the file is UTF-8
        assert NAME in data.decode("utf-8-sig")
    answers = answers_csv(store, names=True).encode("utf-8").decode("utf-8-sig")
    assert REFLECTION in answers and ANSWER in answers
