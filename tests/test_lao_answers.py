"""Answers written in Lao: split into whole words, counted, checked, graded and shown in the projector's word cloud.

Lao is written without spaces between words, and its vowel and tone marks are not letters to a plain regular
expression. These tests use sentences written for the course (the message and listening activities' own topics).
"""
import re

import pytest

from artisan_course.content import communication as content
from artisan_course.content import words as lao
from artisan_course.content.quiz_bank import load_bank
from artisan_course.content.reader import ContentError
from artisan_course.models import communication as rules
from artisan_course.models.grading import grade
from artisan_course.state.session import SESSION
from artisan_course.widgets import communication as com

pytestmark = pytest.mark.usefixtures("fresh_session")  # see conftest.py

# "We ask to move the basket delivery from 10 May to 5 May, because the buyer's truck leaves earlier than before;
# if we are late, we lose this order. We can pay in advance and help with the transport. What do you think, is
# that possible?"
LAO_BECAUSE = ("ສະບາຍດີ ກຸ່ມແມ່ຍິງບ້ານນາ. ພວກເຮົາຂໍເລື່ອນວັນສົ່ງກະຕ່າຈາກວັນທີ 10 ພຶດສະພາ ເປັນວັນທີ 5 ພຶດສະພາ "
               "ເພາະວ່າລົດບັນທຸກຂອງຜູ້ຊື້ຈະອອກໄວກວ່າເກົ່າ ຖ້າບໍ່ທັນ ພວກເຮົາຈະເສຍອໍເດີນີ້. "
               "ພວກເຮົາສາມາດຈ່າຍເງິນລ່ວງໜ້າ ແລະ ຊ່ວຍຄ່າຂົນສົ່ງ. ເຈົ້າຄິດແນວໃດ ໄດ້ບໍ່?")
# Half English, half Lao, as trainees write: the reason and the question in Lao.
HALF_LAO_BECAUSE = ("Could you deliver the baskets on 5 May instead of 10 May? "
                    "ເພາະວ່າລົດບັນທຸກຂອງຜູ້ຊື້ຈະອອກໄວກວ່າເກົ່າ. We can pay an advance. ເຈົ້າຄິດແນວໃດ?")
# A summary of Mrs. Phet's delay (data/listening.yaml, late-scarves), in Lao.
LAO_SUMMARY = ("ລູກຊາຍຂອງເຈົ້າບໍ່ສະບາຍ ແລະ ສີຍ້ອມຄາມໝົດຢູ່ຕະຫຼາດ. ເຈົ້າເຮັດຜ້າພັນຄໍສຳເລັດແລ້ວ 20 ຜືນ ຈາກ 30 ຜືນ. "
               "ເຈົ້າຢາກສົ່ງ 20 ຜືນກ່ອນ ແລະ ອີກ 10 ຜືນໃນສອງອາທິດ, ແລະ ຂໍເງິນລ່ວງໜ້າໜ້ອຍໜຶ່ງເພື່ອຊື້ສີ.")


# -- splitting ------------------------------------------------------------------------------------------------
def test_lao_words_are_whole_and_a_phrase_is_several_words():
    assert lao.segmenter_available()
    # The examples: a plain pattern cut these after their first vowel or tone mark.
    assert lao.words("ການຟັງ ແລະ ຄວາມອົດທົນ") == ["ການຟັງ", "ແລະ", "ຄວາມອົດທົນ"]
    # Written without a space, "we ask to move the delivery date because" is eight words, not one.
    assert lao.words("ພວກເຮົາຂໍເລື່ອນວັນສົ່ງສິນຄ້າເພາະວ່າ")[-4:] == ["ວັນ", "ສົ່ງ", "ສິນຄ້າ", "ເພາະວ່າ"]
    assert len(lao.words("ພວກເຮົາຂໍເລື່ອນວັນສົ່ງສິນຄ້າເພາະວ່າ")) >= 7
    # ໆ repeats the word before it and stays with it; digits typed against Lao letters are a word of their own.
    assert "ຫຼາຍໆ" in lao.words("ຂອບໃຈຫຼາຍໆ")
    assert lao.words("ວັນທີ15ເພາະວ່າ") == ["ວັນທີ", "15", "ເພາະວ່າ"]
    assert lao.words("Thank you, ຂອບໃຈ! long-term") == ["thank", "you", "ຂອບໃຈ", "long", "term"]


def test_the_two_ways_keyboards_type_some_lao_letters_give_the_same_words():
    # ສຳ / ສໍາ, ໜ / ຫນ; a zero-width space between words is a space.
    assert lao.words("ສໍາຄັນ") == lao.words("ສຳຄັນ") == ["ສຳຄັນ"]
    assert lao.words("ລ່ວງຫນ້າ") == lao.words("ລ່ວງໜ້າ") == ["ລ່ວງໜ້າ"]
    assert lao.words("ເພາະ\u200bວ່າ") == ["ເພາະ", "ວ່າ"]


# -- the word cloud -------------------------------------------------------------------------------------------
def test_the_word_cloud_of_lao_answers_shows_whole_words_and_no_stop_words():
    from artisan_course.widgets.room import cloud_html
    answers = ["ການຟັງ ແລະ ຄວາມອົດທົນ", "ການຟັງແລະຄວາມເຄົາລົບ", "ຄວາມອົດທົນ ແລະ ການຟັງ ແມ່ນສຳຄັນທີ່ສຸດ", "Listening and trust"]
    html = cloud_html(answers)
    shown = re.findall(r"<span[^>]*>([^<]*)</span>", html)
    assert {"ການຟັງ", "ຄວາມອົດທົນ", "ຄວາມເຄົາລົບ", "ສຳຄັນ", "listening", "trust"} <= set(shown)
    assert "ການຟັງ" in html and "title='3'>ການຟັງ<" in html  # counted once in each of three answers
    assert "ແລະ" not in shown and "and" not in shown and "ແມ່ນ" not in shown
    assert "ການຟ<" not in html and "ຄວາມອ<" not in html


def test_the_stop_words_are_a_file_a_facilitator_edits(tmp_path):
    stops = lao.stop_words()
    assert {"ແລະ", "the", "ເພາະວ່າ"} <= stops
    # A Lao stop word the dictionary splits (ພວກເຮົາ: ພວກ + ເຮົາ) leaves out each piece.
    assert {"ພວກ", "ເຮົາ"} <= stops
    edited = tmp_path / "stop_words.txt"
    edited.write_text("# mine\nຄວາມອົດທົນ\n", encoding="utf-8")
    assert lao.cloud_counts(["ຄວາມອົດທົນ ແລະ ການຟັງ"], lao.stop_words(edited)) == {"ແລະ": 1, "ການຟັງ": 1}
    edited.write_text("ok\nການ ຟັງ\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"stop_words.txt: line 2 \('ການ ຟັງ'\) holds more than one word"):
        lao.stop_words(edited)


# -- the message checklists and the listening check ------------------------------------------------------------
@pytest.mark.parametrize("draft", [LAO_BECAUSE, HALF_LAO_BECAUSE], ids=["lao", "half-lao"])
def test_a_lao_because_message_meets_its_checklist(draft):
    points = content.load_data("message_checklists.yaml")["because"]["points"]
    found = rules.check_draft(points, draft, lao.words)
    assert found == {p["id"]: True for p in points}, found
    assert 20 <= len(lao.words(draft)) <= 150  # counted in words, not in runs of letters between spaces
    assert rules.english_only_points(points, draft, found) == []


def test_an_empty_lao_reason_is_not_a_real_reason():
    points = content.load_data("message_checklists.yaml")["because"]["points"]
    empty = "ພວກເຮົາຂໍເລື່ອນວັນສົ່ງເປັນວັນທີ 5 ພຶດສະພາ ເພາະວ່າມັນຈຳເປັນ. ເຈົ້າຄິດແນວໃດ?"
    found = rules.check_draft(points, empty, lao.words)
    assert found["because"] and found["ask"] and not found["real"]


def test_every_checklist_point_with_words_has_lao_words_too():
    for kind, spec in content.load_data("message_checklists.yaml").items():
        for point in spec["points"]:
            lists = [point["check"][k] for k in ("any", "none") if k in point["check"]]
            assert not lists or not all(rules.english_only(words) for words in lists), f"{kind}: {point['id']}"
    for statement in content.load_data("listening.yaml")["statements"]:
        for point in statement["points"]:
            assert not rules.english_only(point["keywords"]), f"{statement['id']}: {point['text']}"


def test_a_point_with_english_words_only_says_so_to_a_lao_draft(learner_home):
    SESSION.set_learner("Noy")
    view = com.MessageDrafting("because")
    view.points = [dict(p, check={"any": ["truck"]}) if p["id"] == "real" else p for p in view.points]
    found = view.check(LAO_BECAUSE)
    assert not found["real"] and "knows only English words" in view.notes["real"].value
    assert "did not find" not in view.notes["real"].value
    assert f"found {len(view.points) - 1} of {len(view.points) - 1} points" in view.result.value


def test_without_the_lao_splitter_a_lao_draft_is_said_to_be_checked_in_english_only(learner_home, monkeypatch):
    # Python 3.10, where icu4py has no wheel: the words and their number cannot be judged, and the screen says so.
    monkeypatch.setattr(lao, "_breaker", lambda: None)
    SESSION.set_learner("Noy")
    view = com.MessageDrafting("because")
    view.check(LAO_BECAUSE)
    assert "knows only English words" in view.notes["length"].value and "did not find" not in view.result.value
    listening = com.ListeningPractice()
    listening.choose.value = "late-scarves"
    listening.draft("late-scarves").value = LAO_SUMMARY
    listening.compare()
    assert listening.result.value.count("Not checked") >= 3 and "✗ Not found" not in listening.result.value


def test_check_my_draft_reads_a_lao_draft(learner_home):
    SESSION.set_learner("Noy")
    view = com.MessageDrafting("because")
    view.draft.value = LAO_BECAUSE
    found = view.check()
    assert all(found.values()) and all(box.value for box in view.boxes.values())
    assert f"found {len(view.points)} of {len(view.points)} points" in view.result.value


def test_the_listening_check_finds_the_points_of_a_lao_summary(learner_home):
    SESSION.set_learner("Phet")
    view = com.ListeningPractice()
    view.choose.value = "late-scarves"
    view.draft("late-scarves").value = LAO_SUMMARY
    points = view.compare()
    assert all(ok for _, ok in points), points
    assert "Your summary has 5 of 5 key points" in view.result.value


def test_a_half_lao_summary_is_checked_in_both_languages():
    statement = next(s for s in content.load_data("listening.yaml")["statements"] if s["id"] == "late-payment")
    summary = "The payment was two weeks late. ສະມາຊິກບາງຄົນຕ້ອງຢືມເງິນເພື່ອນບ້ານ ແລະ ເປັນຫ່ວງ. They want cash."
    found = dict(rules.listening_points(statement, summary, lao.words))
    assert [ok for ok in found.values()] == [True, True, True, False, True]


# -- the free-text "because" question --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def because_word():
    return next(q for q in load_bank("fairness-culture") if q.id == "fairness-culture-because-word")


@pytest.mark.parametrize("typed", ["ເພາະວ່າ", "  ເພາະວ່າ ", "ເພາະ ວ່າ", "ເພາະ\u200bວ່າ", "'ເພາະວ່າ'.", "ເພາະ",
                                   "ຍ້ອນວ່າ", "ຍ້ອນ ວ່າ", "ຄຳວ່າ ເພາະວ່າ", "ແມ່ນຄຳວ່າເພາະວ່າ", "because", "'because'"])
def test_the_because_word_is_right_in_lao_with_or_without_spaces_and_inside_a_sentence(because_word, typed):
    assert grade(because_word, typed, lao.words).correct


@pytest.mark.parametrize("typed", ["ຂໍໂທດ", "ກະລຸນາ", "please", "ວ່າ", "ເພາະປູກ"])
def test_other_words_are_not_the_because_word(because_word, typed):
    # ເພາະປູກ ("to grow crops") starts with the letters of ເພາະ but is another word.
    assert not grade(because_word, typed, lao.words).correct
