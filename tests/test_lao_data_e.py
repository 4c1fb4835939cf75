"""The channel chooser, the conflict plan, the Pillar 4 tactics and the knowledge check in a Lao kernel.

Each test speaks Lao (``i18n.use("lo")``, as a Lao deck's first cell does), builds the tool that shows the data file,
drives it as a trainee would and reads what the screen shows: the Lao of the data file's words, none of their
English, and a saved answer that is the same as the English deck saves."""
from __future__ import annotations

import re

import pytest

from artisan_course import i18n
from conftest import widget_text
from artisan_course.state import recorder
from artisan_course.state.recorder import Kind
from artisan_course.state.session import SESSION

pytestmark = pytest.mark.usefixtures("fresh_session")  # see conftest.py



def _lao(text: str) -> bool:
    return any("\u0e80" <= ch <= "\u0eff" for ch in text)


# -- the channel chooser (data/channels.yaml) --------------------------------------------------------------------
SITUATION = {"smartphone": "some", "internet": "weak", "reading": "no", "travel": "long", "leader": "yes",
             "message": "conflict"}


def _choose(view) -> None:
    for qid, key in SITUATION.items():
        view.controls[qid].value = key
    view.choice.value = "phone"
    view.save_button.click()


def test_the_channel_chooser_shows_its_questions_channels_and_reasons_in_lao(lao, learner_home):
    from artisan_course.widgets.communication import ChannelChooser
    SESSION.set_learner("Noy")
    view = ChannelChooser()
    shown = widget_text(view.widget)
    for lao_words in ("ຊ່າງຫັດຖະກຳສ່ວນຫຼາຍມີສະມາດໂຟນບໍ່?", "ທ່ານຕ້ອງການບອກຫຍັງ?", "ມີ, ສ່ວນຫຼາຍມີ", "1 ຫາ 3 ຊົ່ວໂມງ",
                      "ຄຳສັ່ງຊື້ໃໝ່", "ໄປຢ້ຽມໂດຍກົງ", "ຜ່ານຫົວໜ້າກຸ່ມຜູ້ຜະລິດ",
                      "ບໍ່ວ່າຈະໃຊ້ຊ່ອງທາງໃດ, ໃຫ້ຂຽນສິ່ງທີ່ຕົກລົງກັນໄວ້"):
        assert lao_words in shown, lao_words
    for english in ("Do most of the artisans have a smartphone?", "What do you need to say?", "Yes, most do",
                    "1 to 3 hours", "A new order", "Visit in person", "Through the producer leader",
                    "Whatever the channel", "Face to face", "samples"):
        assert english not in shown, english
    # Every menu's labels are Lao; their values are the file's keys, as in English.
    for qid, control in view.controls.items():
        assert all(_lao(label) for label in control._options_labels), qid
        assert control.value == {"smartphone": "yes", "internet": "good", "reading": "yes", "travel": "medium",
                                 "leader": "yes", "message": "new-order"}[qid]
    assert [key for _, key in view.choice.options] == ["visit", "video", "phone", "voice", "chat", "leader"]
    assert all(_lao(label) for label in view.choice._options_labels)
    # A situation changes the ranking and its reasons, in Lao.
    view.controls["message"].value = "conflict"
    table = view.table.value
    assert "ບັນຫາແກ້ໄຂໄດ້ດີທີ່ສຸດແບບຕໍ່ໜ້າ, ເປັນສ່ວນຕົວ." in table and "face to face" not in table
    assert view.ranking[0].id == "visit"
    view.controls["smartphone"].value = "no"
    assert "ສ່ວນຫຼາຍບໍ່ມີສະມາດໂຟນ, ສະນັ້ນໂທວິດີໂອບໍ່ໄດ້." in view.table.value
    assert "smartphone" not in view.table.value


def test_the_channel_chooser_saves_the_same_in_a_lao_deck_as_in_an_english_one(learner_home):
    from artisan_course.widgets.communication import ChannelChooser
    SESSION.set_learner("Kham")
    english = ChannelChooser()
    _choose(english)
    saved_in_english = recorder.latest_answer(ChannelChooser.ITEM, Kind.SCENARIO).value
    i18n.use("lo")
    try:
        SESSION.set_learner("Noy")
        view = ChannelChooser()
        _choose(view)
        assert "ໂທລະສັບ" in view.table.value and "Phone call" not in view.table.value
        saved = recorder.latest_answer(ChannelChooser.ITEM, Kind.SCENARIO).value
    finally:
        i18n.use("en")
    assert saved == saved_in_english
    assert saved["chosen"] == "phone" and saved["situation"] == SITUATION
    assert saved["summary"].startswith("Chosen channel: Phone call (ranked ")
    assert not any(_lao(r["name"]) or _lao(r["why"]) for r in saved["ranking"])


def test_a_choice_saved_in_english_is_shown_in_lao(learner_home):
    from artisan_course.widgets.communication import ChannelChooser
    SESSION.set_learner("Kham")
    _choose(ChannelChooser())
    i18n.use("lo")
    try:
        view = ChannelChooser()
        SESSION.set_learner("Kham")  # the trainee comes back to a Lao deck
        assert {qid: c.value for qid, c in view.controls.items()} == SITUATION
        assert view.choice.value == "phone" and view.choice.label == "ໂທລະສັບ"
        assert view.controls["message"].label == "ບັນຫາ ຫຼື ຂໍ້ຂັດແຍ່ງ"
    finally:
        i18n.use("en")


# -- the conflict plan (data/conflict_plan.yaml) ---------------------------------------------------------------
def test_the_conflict_plan_starts_from_lao_steps_and_shows_lao_times(lao, learner_home):
    from artisan_course.widgets.communication import ConflictPlanBuilder
    SESSION.set_learner("Noy")
    view = ConflictPlanBuilder()
    first = view.rows[0]
    assert first["text"].value == "ຟັງແຕ່ລະຝ່າຍກ່ອນ, ເທື່ອລະຄົນ, ໂດຍບໍ່ຕັດສິນ."
    assert first["who"].value == "ພະນັກງານທີ່ເບິ່ງແຍງກຸ່ມ"
    assert first["when"].label == "ພາຍໃນ 2 ມື້"
    assert list(first["when"]._options_labels) == ["ມື້ດຽວກັນ", "ພາຍໃນ 2 ມື້", "ພາຍໃນໜຶ່ງອາທິດ", "ພາຍໃນ 2 ອາທິດ",
                                                  "ໃນການໄປຢ້ຽມເທື່ອໜ້າ", "ເມື່ອຈຳເປັນ"]
    shown = widget_text(view.widget)
    for english in ("Listen to each side", "Staff member", "Team manager", "NGO person", "Within 2 days",
                    "The same day", "At the next visit", "When needed"):
        assert english not in shown, english
    assert all(_lao(row["text"].value) and _lao(row["who"].value) for row in view.rows)
    # A new step starts at the first time, shown in Lao.
    view.add.click()
    assert view.rows[-1]["when"].label == "ມື້ດຽວກັນ"


def test_the_conflict_plan_saves_the_english_time_in_a_lao_deck(learner_home, monkeypatch):
    from artisan_course.widgets import communication as com
    SESSION.set_learner("Kham")
    english = com.ConflictPlanBuilder()
    english.rows[0]["when"].value = "The same day"
    saved_in_english = recorder.latest_answer(com.ConflictPlanBuilder.ITEM, Kind.SCENARIO).value
    i18n.use("lo")
    try:
        SESSION.set_learner("Noy")
        view = com.ConflictPlanBuilder()
        view.rows[0]["when"].value = "The same day"
        assert view.rows[0]["when"].label == "ມື້ດຽວກັນ"
        saved = recorder.latest_answer(com.ConflictPlanBuilder.ITEM, Kind.SCENARIO).value
        # The printed plan and its plain-text copy show each time as the deck does.
        printed = {}
        real = com.conflict_plan_text
        monkeypatch.setattr(com, "conflict_plan_text",
                            lambda steps, team="": printed.setdefault("text", real(steps, team)))
        view.offer()
    finally:
        i18n.use("en")
    assert [s["when"] for s in saved["steps"]] == [s["when"] for s in saved_in_english["steps"]]
    assert [s["when"] for s in saved["steps"]] == ["The same day", "Within 2 days", "Within a week", "Within a week",
                                                  "Within 2 weeks", "At the next visit"]
    # The steps' words are the trainee's own plan, in the deck's language: the Lao suggestions as edited.
    assert saved["steps"][0]["text"] == "ຟັງແຕ່ລະຝ່າຍກ່ອນ, ເທື່ອລະຄົນ, ໂດຍບໍ່ຕັດສິນ."
    assert "ມື້ດຽວກັນ" in printed["text"] and "The same day" not in printed["text"]
    assert "ໃນການໄປຢ້ຽມເທື່ອໜ້າ" in printed["text"] and "At the next visit" not in printed["text"]


def test_a_plan_saved_in_lao_comes_back_with_its_times_in_english_and_in_lao(learner_home):
    from artisan_course.widgets.communication import ConflictPlanBuilder
    i18n.use("lo")
    try:
        SESSION.set_learner("Noy")
        view = ConflictPlanBuilder()
        view.rows[2]["when"].value = "When needed"
    finally:
        i18n.use("en")
    english = ConflictPlanBuilder()
    SESSION.set_learner("Noy")
    assert english.rows[2]["when"].value == "When needed" and english.rows[2]["when"].label == "When needed"
    assert english.rows[2]["text"].value == "ລົມກັບຄົນທີ່ກ່ຽວຂ້ອງເປັນສ່ວນຕົວ, ບໍ່ແມ່ນຕໍ່ໜ້າທັງກຸ່ມ."
    i18n.use("lo")
    try:
        again = ConflictPlanBuilder()
        SESSION.set_learner("Noy")
        assert again.rows[2]["when"].value == "When needed" and again.rows[2]["when"].label == "ເມື່ອຈຳເປັນ"
        # Only the times of the file are known: the menu has no extra (English) entry for a saved time.
        assert len(again.rows[2]["when"].options) == 6
    finally:
        i18n.use("en")


# -- the Pillar 4 tactics (data/pillar_tactics.yaml), in the header of modules 03 to 05 ----------------------------
def test_the_pillar_4_line_of_a_lao_module_header_is_lao(lao):
    from artisan_course.widgets.course import _pillar_line
    line = _pillar_line("anchoring")
    assert "<strong>ເສົາຫຼັກທີ 4: ຍຸດທະວິທີ</strong>" in line and "Pillar 4" not in line
    assert "<strong>ຕົວຍຶດ</strong>" in line and "Anchoring" not in line
    assert "ຂໍ້ຕົກລົງແບບມີເງື່ອນໄຂ (04)" in line and "ຄົນໃນກຸ່ມ ແລະ ຄົນນອກກຸ່ມ (05)" in line
    assert "Contingency agreement" not in line and "In-group" not in line
    # The line on the source is Lao around the author, the title and the year, as published.
    assert "Quintin Alexander Rares, Negotiation: Science and Practice (2020)" in line
    assert "ເອົາມາທັງໝົດຈາກ" in line and "takes them all" not in line and "names a study" not in line
    fairness = _pillar_line("fairness-culture")
    assert "<strong>ໃຫ້ເຫດຜົນສະເໝີ: ເພາະວ່າ</strong>" in fairness and "<strong>ອິດທິພົນຂອງວັດທະນະທຳ</strong>" in fairness
    assert "ຕົວຍຶດ (03)" in fairness
    assert _pillar_line("management") == ""


def test_the_lao_tactics_keep_their_modules(lao):
    from artisan_course.content.course_map import load_tactics
    tactics = load_tactics()
    assert [m for _, m in tactics.tactics] == ["anchoring"] + ["contingency-why"] * 2 + ["fairness-culture"] * 4
    assert tactics.taught_in("contingency-why") == ["ຂໍ້ຕົກລົງແບບມີເງື່ອນໄຂ", "ຊອກຫາສາເຫດສະເໝີ ວ່າເປັນຫຍັງ"]


# -- the knowledge check (data/knowledge_check.yaml): its questions are the banks' -----------------------------------
def test_the_knowledge_check_asks_its_questions_in_lao(lao):
    from artisan_course.content.knowledge_check import load_knowledge_check
    from artisan_course.content.quiz_bank import load_bank
    from artisan_course.i18n.content import sources
    check = load_knowledge_check()
    i18n.use("en")
    english = {q.id: q for m in (check.before, check.after) for q in load_bank(m)}
    i18n.use("lo")
    assert load_knowledge_check() == check  # ids only: the same in every language
    assert "knowledge_check" not in sources()  # no words of its own to translate
    banks = {q.id: q for m in (check.before, check.after) for q in load_bank(m)}
    for before, after in check.pairs():
        for qid in (before, after):
            assert _lao(banks[qid]["prompt"]) and banks[qid]["prompt"] != english[qid]["prompt"], qid
            assert banks[qid].data.keys() == english[qid].data.keys(), qid
        assert banks[before]["prompt"] == banks[after]["prompt"]


# -- the catalogs -------------------------------------------------------------------------------------------------
def test_the_channels_keys_stay_english_and_its_answers_are_translated(lao):
    from artisan_course.content.communication import load_data
    from artisan_course.i18n.content import source_units
    from artisan_course import paths
    keys = {u.key for u in source_units(paths.data_dir() / "channels.yaml")}
    assert "questions[message].answers[new-order].text" in keys
    assert not any(k.endswith((".default", ".channel", ".key", ".id")) for k in keys)
    lao_data, english = load_data("channels.yaml"), load_data("channels.yaml", "en")
    for q, e in zip(lao_data["questions"], english["questions"]):
        assert q["default"] == e["default"]
        assert [(a["key"], [(x["channel"], x["points"]) for x in a["effects"]]) for a in q["answers"]] == \
               [(a["key"], [(x["channel"], x["points"]) for x in a["effects"]]) for a in e["answers"]]
    plan = load_data("conflict_plan.yaml")
    assert [s["when"] for s in plan["steps"]] == [s["when"] for s in load_data("conflict_plan.yaml", "en")["steps"]]
    # A quiz bank's typed answers are still not translated (they are matched as written); their feedback is.
    bank_keys = {u.key for u in source_units(paths.data_dir() / "quizzes" / "fairness-culture.yaml")}
    typed = [k for k in bank_keys if re.search(r"\.answers\[[^\]]*\]\.", k)]
    assert typed and not any(k.endswith(".text") for k in typed)
