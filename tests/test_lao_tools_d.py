"""Deck 07's tools, the quiz, the room and the course header and map in a Lao kernel: a Lao reader sees Lao.

Each test speaks Lao (``i18n.use("lo")``, as a Lao deck's first cell does), drives a tool as a trainee would and reads
what the screen shows: the Lao words, and none of the English ones they replace."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import widget_text
from test_room_store import store, workshop_kernel  # noqa: F401 (fixtures: a workshop kernel's learner)
from artisan_course.state.session import SESSION

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("fresh_session")  # see conftest.py



# -- deck 07 ----------------------------------------------------------------------------------------------------
def test_the_channel_chooser_speaks_lao(lao, learner_home):
    from artisan_course.widgets.communication import ChannelChooser
    SESSION.set_learner("Noy")
    view = ChannelChooser()
    shown = widget_text(view.widget)
    assert "ຊ່ອງທາງສຳລັບສະຖານະການນີ້, ອັນທີ່ດີທີ່ສຸດກ່ອນ" in shown and "best first" not in shown
    assert "ຊ່ອງທາງທີ່ຂ້ອຍຈະໃຊ້" in shown and "The channel I will use" not in shown
    assert view.save_button.description == "ບັນທຶກການເລືອກຂອງຂ້ອຍ"
    view.controls["smartphone"].value = "no"  # the app channels no longer fit: the table says so
    assert "(ບໍ່ເໝາະກັບສະຖານະການນີ້)" in view.table.value and "not a good fit" not in view.table.value
    view.save_button.click()
    assert "ບັນທຶກແລ້ວເວລາ" in view.note.value and "Saved" not in view.note.value
    # What is saved stays English keys, as the English deck saves it.
    assert view.snapshot()["situation"]["smartphone"] == "no"


def test_the_conflict_plan_builder_speaks_lao(lao, learner_home):
    from artisan_course.widgets.communication import ConflictPlanBuilder
    SESSION.set_learner("Noy")
    view = ConflictPlanBuilder()
    before = len(view.rows)
    view.add.click()
    assert len(view.rows) == before + 1
    shown = widget_text(view.widget)
    for lao_words in ("ຂັ້ນຕອນ, ຕາມລຳດັບ.", "ແກ້ໄຂຂໍ້ຄວາມໃດກໍໄດ້", "ທີມ ຫຼື ວິສາຫະກິດຂອງທ່ານ", "ຕົວຢ່າງ: ທີມຕ່ຳແຜ່ນລາວ",
                      "ສິ່ງທີ່ຕ້ອງເຮັດ", "ໃຜຮັບຜິດຊອບ", "ໄວປານໃດ", "ຍ້າຍຂັ້ນຕອນນີ້ຂຶ້ນ", "ລຶບຂັ້ນຕອນນີ້ອອກ"):
        assert lao_words in shown, lao_words
    for english in ("The steps, in order", "Edit any text", "What to do", "Who is responsible", "How soon",
                    "Move this step", "Remove", "Add a step", "Download to share", "For example"):
        assert english not in shown, english
    assert [view.add.description, view.download.description] == ["ເພີ່ມຂັ້ນຕອນ", "ດາວໂຫຼດເພື່ອແບ່ງປັນໃຫ້ພະນັກງານ"]
    last = view.rows[-1]
    last["text"].value = "ຟັງທັງສອງຝ່າຍກ່ອນ"
    assert "ບັນທຶກແລ້ວເວລາ" in view.status.value
    view.offer()
    assert "ແຜນສຳລັບພິມ (ໜ້າເວັບ)" in view.links.value and "Printable plan" not in view.links.value
    assert "ຂໍ້ຄວາມທຳມະດາ (ສຳລັບສົ່ງເປັນຂໍ້ຄວາມ)" in view.links.value and "Plain text" not in view.links.value


def test_the_listening_practice_speaks_lao(lao, learner_home):
    from artisan_course.widgets.communication import ListeningPractice
    SESSION.set_learner("Phet")
    view = ListeningPractice()
    view.choose.value = "late-scarves"
    speaker = view.statement["speaker"]
    assert "ເວົ້າວ່າ:" in view.card.value and "says:" not in view.card.value
    assert view.compare_button.description == "ປຽບທຽບ"
    draft = view.draft("late-scarves")
    assert draft.prompt.startswith(f"ສະຫຼຸບສິ່ງທີ່ {speaker} ເວົ້າ") and "Summarise" not in draft.prompt
    assert draft.hints == ["ເວົ້າຄືນຄືກັບທີ່ທ່ານຈະເວົ້າກັບລາວ: ປະໂຫຍກສັ້ນໆ, ໃຊ້ຄຳເວົ້າຂອງລາວ."]
    assert draft.placeholder == "ພິມບົດສະຫຼຸບຂອງທ່ານຢູ່ນີ້. ມັນຈະຖືກບັນທຶກໃນຂະນະທີ່ທ່ານພິມ."
    view.compare_button.click()
    assert "ພິມບົດສະຫຼຸບຂອງທ່ານກ່ອນ, ແລ້ວຈຶ່ງປຽບທຽບ." in view.result.value and "Type your summary" not in view.result.value
    draft.value = "ລາວເວົ້າວ່າ ຜ້າພັນຄໍຈະມາຊ້າ."
    view.compare_button.click()
    shown = view.result.value
    assert "ບົດສະຫຼຸບຂອງທ່ານມີ" in shown and "ຈຸດສຳຄັນ." in shown and "Your summary has" not in shown
    assert "ບົດສະຫຼຸບຕົວຢ່າງ" in shown and "ຈາກນັ້ນ, ກັບຊ່າງຫັດຖະກຳ:" in shown
    assert ("✓ ພົບ:" in shown or "✗ ບໍ່ພົບ:" in shown) and "Found:" not in shown and "A rough guide" not in shown
    assert "A model summary" not in shown and "Then, with the artisan" not in shown


def test_a_broken_communication_file_says_so_in_lao(lao, tmp_path, monkeypatch):
    from artisan_course.widgets import communication as com
    root = tmp_path / "course"
    shutil.copytree(REPO / "data", root / "data")
    (root / "data" / "listening.yaml").write_text("statements: [\n")
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(root))
    shown = []
    monkeypatch.setattr(com, "display", shown.append)
    com.listening_practice()
    assert "ກິດຈະກຳນີ້ເລີ່ມບໍ່ໄດ້:" in shown[0].value and "This activity cannot start" not in shown[0].value


# -- the quiz ------------------------------------------------------------------------------------------------------
BANK = """module: fairness-culture
questions:
  - id: fc-order
    type: ordering
    seed_section: Fairness
    prompt: Put the steps of a fair split in order.
    items:
      - {key: agree, text: Agree the rule, feedback: First.}
      - {key: count, text: Count the hours, feedback: Second.}
      - {key: pay, text: Pay each share, feedback: Third.}
    explanation: Agree first, then count, then pay.
  - id: fc-number
    type: numeric
    seed_section: Fairness
    prompt: How many hours did the group work?
    answer: 12
    tolerance: 0
    units: hours
    feedback: {correct: Right., low: Too low., high: Too high.}
    explanation: Twelve hours.
"""


@pytest.fixture
def bank(tmp_path, monkeypatch, learner_home):
    root = tmp_path / "course"
    (root / "data" / "quizzes").mkdir(parents=True)
    shutil.copy(REPO / "data" / "course_map.yaml", root / "data" / "course_map.yaml")
    (root / "data" / "quizzes" / "fairness-culture.yaml").write_text(BANK)
    (root / "notebooks").mkdir()
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(root))
    return root


def test_the_quiz_speaks_lao_around_its_questions(lao, bank):
    from artisan_course.widgets.quiz import QuizView
    view = QuizView("fairness-culture")
    order, number = view.views
    order.check.click()  # no learner yet
    assert "ກະລຸນາພິມຊື່ຂອງທ່ານຢູ່ດ້ານເທິງກ່ອນ, ເພື່ອໃຫ້" in order.feedback.value
    assert "Type your name" not in order.feedback.value
    SESSION.set_learner("Noy")
    shown = widget_text(order.widget)
    assert "ຂັ້ນຕອນ, ແບບສັບສົນລຳດັບ:" in shown and "ຈັດລຽງຕາມລຳດັບ:" in shown
    assert "mixed order" not in shown and "Put them in order" not in shown
    assert [slot.description for slot in order.slots] == ["ທີ 1", "ທີ 2", "ທີ 3"]
    assert order.slots[0].options[0] == ("ເລືອກຂັ້ນຕອນ", None)
    order.check.click()
    assert "ກະລຸນາວາງທຸກຂັ້ນຕອນໃສ່ບ່ອນຂອງມັນກ່ອນ." in order.feedback.value and "Please" not in order.feedback.value
    number.number.value = "many"
    number.check.click()
    assert "&#x27;many&#x27; ບໍ່ແມ່ນຕົວເລກ." in number.feedback.value and "is not a number" not in number.feedback.value
    number.number.value = "12"
    number.check.click()
    assert "ແບບທົດສອບຂອງບົດ: ຕອບແລ້ວ 1 ຈາກ 2, ຖືກໃນຄັ້ງທຳອິດ 1" in view.summary.value
    assert "ນັບສະເພາະຄຳຕອບທຳອິດຂອງທ່ານ." in view.summary.value and "Module quiz" not in view.summary.value


def test_the_quiz_keeps_its_english_in_an_english_kernel(bank):
    from artisan_course.widgets.quiz import QuizView
    SESSION.set_learner("Noy")
    order, number = QuizView("fairness-culture").views
    assert [slot.description for slot in order.slots] == ["1st", "2nd", "3rd"]
    number.number.value = "many"
    number.check.click()
    assert "&#x27;many&#x27; is not a number. Please type digits only" in number.feedback.value


# -- the course header and map --------------------------------------------------------------------------------------
def test_the_course_map_and_progress_speak_lao(lao, learner_home):
    from artisan_course.content.course_map import load_course_map
    from artisan_course.state.progress import module_progress
    from artisan_course.widgets.course import course_map_html, progress_text
    learner = SESSION.set_learner("Noy")
    shown = course_map_html(learner)
    for lao_words in ("<th>ບົດ</th>", "<th>ເວລາ</th>", "<th>ທ່ານ</th>", " ນາທີ</td>", "ທັງໝົດປະມານ", "ຍັງບໍ່ທັນເລີ່ມ"):
        assert lao_words in shown, lao_words
    for english in ("<th>Module</th>", "<th>Time</th>", " min</td>", "in all", "not started"):
        assert english not in shown, english
    module = load_course_map().module("communication")
    said = progress_text(module_progress(SESSION.get_store(), learner, module))
    assert said.startswith("ຍັງບໍ່ທັນເຂົ້າເບິ່ງ") and "visited" not in said and "quiz" not in said


def test_the_progress_line_keeps_the_journal_s_english_in_english(learner_home):
    from artisan_course.content.course_map import load_course_map
    from artisan_course.state.progress import module_progress
    from artisan_course.widgets.course import progress_text
    learner = SESSION.set_learner("Noy")
    for module in load_course_map().modules:
        progress = module_progress(SESSION.get_store(), learner, module)
        assert progress_text(progress) == progress.summary()


def test_the_course_header_speaks_lao(lao, learner_home, monkeypatch):
    from artisan_course.widgets import course
    shown = []
    monkeypatch.setattr(course, "display", shown.append)
    course.course_header("communication")
    title = shown[0].children[0].value
    assert "ບົດທີ 07 · ປະມານ" in title and "ທ່ານຈະສາມາດ:" in title
    assert "about" not in title and "You will be able to" not in title


# -- the room ---------------------------------------------------------------------------------------------------------
def poll_views():
    from artisan_course.widgets.quiz import QuizView
    return QuizView("welcome", ["welcome-soft-skill-poll"]).views


def test_the_room_speaks_lao_to_the_facilitator_and_the_trainees(lao, workshop_kernel):  # noqa: F811
    workshop_kernel("Noy")
    trainee = poll_views()[0]
    trainee.control.value = "listening"
    trainee.check.click()
    assert "ຜົນຂອງຫ້ອງຈະປາກົດຢູ່ນີ້" in trainee.room.widget.value and "when the facilitator" not in trainee.room.widget.value

    workshop_kernel("Facilitator", facilitator=True)
    panel = poll_views()[0].room
    assert "1</span> ຄົນຕອບແລ້ວ." in panel.status.value and "has answered" not in panel.status.value
    assert "ການສຳຫຼວດຂອງຫ້ອງ: ເປີດ, ເຊື່ອງຜົນໄວ້." in panel.status.value and "Room poll" not in panel.status.value
    assert [panel.reveal.description, panel.openness.description, panel.names.description] == [
        "ສະແດງຜົນ", "ປິດການສຳຫຼວດ", "ສະແດງຊື່"]
    panel.reveal.click()
    panel.openness.click()
    assert [panel.reveal.description, panel.openness.description] == ["ເຊື່ອງຜົນ", "ເປີດການສຳຫຼວດຄືນ"]
    panel.clear.click()
    assert "ເລີ່ມນັບໃໝ່ຈາກ 0 ບໍ?" in panel.confirm.value and panel.yes_clear.description == "ແມ່ນ, ລຶບການນັບ"
    assert panel.keep.description == "ນັບຕໍ່"

    workshop_kernel("Keo")
    keo = poll_views()[0]
    shown = keo.room.widget.value
    assert "ຄຳຕອບຂອງຫ້ອງ (1), ບໍ່ມີຊື່:" in shown and "ວິທະຍາກອນໄດ້ປິດຄຳຖາມນີ້ແລ້ວ." in shown
    assert "The room's answers" not in shown and "closed this question" not in shown
    keo.control.value = "trust"
    keo.submit()
    assert "ວິທະຍາກອນໄດ້ປິດຄຳຖາມນີ້ແລ້ວ." in keo.feedback.value and "facilitator" not in keo.feedback.value


def test_the_room_s_cards_speak_lao(lao, workshop_kernel, store):  # noqa: F811
    from artisan_course.widgets.room import TextPanel, _room_reflection_part
    for name, text in (("Noy", "ຄວາມໄວ້ໃຈ"), ("Keo", "ຄວາມອົດທົນ")):
        store.record(store.learner(name).id, "welcome", "room-words", "reflection", text)
    workshop_kernel("Facilitator", facilitator=True)
    panel = TextPanel("room-words", "ຄູ່ຮ່ວມງານທີ່ດີ?")
    assert "2</span> ຄຳຕອບ, ສະແດງແລ້ວ 0." in panel.status.value and "answers" not in panel.status.value
    assert "ຄຳຖາມຂອງຫ້ອງ: ເປີດ." in panel.status.value and "Room question" not in panel.status.value
    assert [panel.next_card.description, panel.as_cloud.description, panel.reveal.description] == [
        "ບັດຕໍ່ໄປ", "ກຸ່ມຄຳ", "ສະແດງທັງໝົດ"]
    panel.as_cloud.click()
    assert "ຍັງບໍ່ໄດ້ສະແດງຄຳໃດເທື່ອ." in panel.body.value and panel.as_cloud.description == "ບັດ"
    panel.reveal.click()
    assert panel.reveal.description == "ເຊື່ອງທັງໝົດ" and "No words" not in panel.body.value
    workshop_kernel("Noy")
    box = _room_reflection_part("room-words", "ຄູ່ຮ່ວມງານທີ່ດີ?", None, "welcome")
    assert "ວິທະຍາກອນອາດສະແດງຄຳຕອບຂອງທ່ານເທິງຈໍສາຍພາບ" in box.privacy and "projector" not in box.privacy
