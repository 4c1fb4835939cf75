"""The listening practice (data/listening.yaml) and the negotiation simulator (data/negotiation.yaml) in a Lao deck.

Each test speaks Lao (``i18n.use("lo")``, as a Lao deck's first cell does), loads the file through its loader, builds
the tool that shows it, drives it as a trainee would and reads the screen: the Lao of the file's catalog, none of the
English it replaces, and what is saved the same as an English deck saves for the same moves."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from artisan_course import i18n
from artisan_course.i18n import content
from artisan_course.state.session import SESSION
from artisan_course.state.store import Store

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("fresh_session")  # see conftest.py

ENGLISH_LISTENING = yaml.safe_load((REPO / "data" / "listening.yaml").read_text(encoding="utf-8"))
ENGLISH_NEGOTIATION = yaml.safe_load((REPO / "data" / "negotiation.yaml").read_text(encoding="utf-8"))
# A trainee's summary of Ms. Dara's statement (late-payment), in Lao: "Last month the payment was two weeks late, and
# some members borrowed money from a neighbour to buy rice. They like working with us but are worried. They ask to be
# paid on the day they deliver; otherwise they will go to another buyer who pays cash."
LAO_SUMMARY = ("ເດືອນແລ້ວ ເງິນມາຊ້າສອງອາທິດ, ສະມາຊິກບາງຄົນຕ້ອງຢືມເງິນເພື່ອນບ້ານ ເພື່ອຊື້ເຂົ້າ. "
               "ເຂົາເຈົ້າມັກເຮັດວຽກກັບພວກເຮົາ ແຕ່ເປັນຫ່ວງ. ເຂົາເຈົ້າຂໍໃຫ້ຈ່າຍໃນມື້ທີ່ສົ່ງເຄື່ອງ; "
               "ຖ້າບໍ່ໄດ້ ຈະໄປຫາຜູ້ຊື້ຄົນອື່ນທີ່ຈ່າຍເງິນສົດ.")



def saved(home, item, kind):
    return Store(home).answers(learner_id=SESSION.learner.id, item=item, kind=kind)


def english_statement(sid: str) -> dict:
    return next(s for s in ENGLISH_LISTENING["statements"] if s["id"] == sid)


# -- the catalogs --------------------------------------------------------------------------------------------------
def test_both_files_have_a_lao_catalog_with_every_entry_translated_and_no_key_word_in_it():
    rows = {r.name: r for r in content.coverage("lo")}
    assert rows["listening"].total == rows["listening"].translated == 33
    assert rows["negotiation"].total == rows["negotiation"].translated == 21
    listening = {u.key for u in content.source_units(REPO / "data" / "listening.yaml")}
    negotiation = {u.key for u in content.source_units(REPO / "data" / "negotiation.yaml")}
    # The key words are matched against what a trainee types: never translated (their Lao stands beside them).
    assert not any("keywords" in key for key in listening) and "check_note" in listening
    # What the simulator saves as it shows it stays English: the order's sentence, the options, the weeks and scarves.
    assert not any(k == "order" or "options" in k or k.endswith(".suffix") or k.endswith(".control")
                   for k in negotiation)
    assert {"title", "issues[delivery].why", "issues[quality].reason"} <= negotiation


# -- the listening practice ------------------------------------------------------------------------------------------
def test_the_listening_practice_shows_its_statements_points_and_summaries_in_lao(lao, learner_home):
    from artisan_course.widgets.communication import ListeningPractice
    SESSION.set_learner("Phet")
    view = ListeningPractice()
    titles = [label for label, _ in view.choose.options]
    assert titles[0] == "ຊ່າງຕ່ຳຄົນໜຶ່ງ ອະທິບາຍເລື່ອງການສົ່ງຊ້າ"
    assert not any(s["title"] in titles for s in ENGLISH_LISTENING["statements"])
    view.choose.value = "late-payment"
    card = view.card.value
    assert "<strong>ນາງດາຣາ</strong>, ຫົວໜ້າກຸ່ມຫຍິບເຄື່ອງ, ເວົ້າວ່າ:" in card
    assert "ເດືອນແລ້ວ ເງິນຄ່າຈ້າງມາຊ້າສອງອາທິດ." in card and "Last month" not in card and "Ms. Dara" not in card
    assert view.draft("late-payment").prompt.startswith("ສະຫຼຸບສິ່ງທີ່ ນາງດາຣາ ເວົ້າ")
    # Before writing, the trainee reads how the check reads a Lao summary.
    note = view.check_note.value
    assert "ພາສາອັງກິດ ແລະ ພາສາລາວ" in note and "ແຍກເປັນຄຳ" in note and "key words" not in note

    view.draft("late-payment").value = LAO_SUMMARY
    points = view.compare()
    assert [ok for _, ok in points] == [True] * 5, points
    shown = view.result.value
    assert "✓ ພົບ: ເດືອນແລ້ວ ການຈ່າຍເງິນຊ້າສອງອາທິດ." in shown
    assert "✓ ພົບ: ເຂົາເຈົ້າຂໍໃຫ້ຈ່າຍເງິນໃນມື້ທີ່ເຂົາເຈົ້າສົ່ງເຄື່ອງ." in shown
    assert "ຂໍເວົ້າຄືນເດີ້." in shown and "ເວົ້າບົດສະຫຼຸບຂອງທ່ານຄືນໃຫ້ຜູ້ເວົ້າຟັງ" in shown
    english = english_statement("late-payment")
    for text in [p["text"] for p in english["points"]] + [english["model_summary"]] + ENGLISH_LISTENING["advice"]:
        assert text not in shown, text
    assert "Not checked" not in shown and "ບໍ່ໄດ້ກວດ" not in shown  # every point has Lao key words


def test_a_lao_summary_that_misses_a_point_says_not_found_in_lao(lao, learner_home):
    from artisan_course.widgets.communication import ListeningPractice
    SESSION.set_learner("Phet")
    view = ListeningPractice()
    view.choose.value = "rejected-baskets"
    view.draft("rejected-baskets").value = "ຝົນຕົກຫຼາຍ ໄມ້ໄຜ່ຈຶ່ງປຽກ."  # only the rain and the wet bamboo
    points = view.compare()
    assert [ok for _, ok in points] == [False, True, False, False]
    shown = view.result.value
    assert "✓ ພົບ: ຝົນເຮັດໃຫ້ໄມ້ໄຜ່ປຽກ, ສະນັ້ນກະຕ່າບາງໜ່ວຍຈຶ່ງບໍ່ຊື່." in shown
    assert "✗ ບໍ່ພົບ: ຮູບ ແລະ ຕົວຢ່າງສິນຄ້າ ບໍ່ຄືກັນ." in shown and "The photo" not in shown


def test_the_lao_model_summaries_hold_every_point_by_their_lao_key_words(lao):
    from artisan_course.content.communication import load_data
    from artisan_course.content.words import words
    from artisan_course.models.communication import listening_points
    for statement in load_data("listening.yaml")["statements"]:
        assert statement["model_summary"] != english_statement(statement["id"])["model_summary"]
        found = listening_points(statement, statement["model_summary"], words)
        assert all(ok for _, ok in found), (statement["id"], found)


def test_a_lao_deck_saves_the_listening_result_an_english_deck_saves(learner_home):
    from artisan_course.widgets.communication import ListeningPractice
    results = {}
    for lang, learner in (("lo", "Phet"), ("en", "Noy")):
        i18n.use(lang)
        try:
            SESSION.set_learner(learner)
            view = ListeningPractice()
            view.choose.value = "late-scarves"
            view.draft("late-scarves").value = "ລູກຊາຍບໍ່ສະບາຍ ແລະ ສີຍ້ອມໝົດ."  # the son and the dye only
            view.compare()
            results[lang] = saved(learner_home, "listening-late-scarves", "scenario")[-1].value
        finally:
            i18n.use("en")
    assert results["lo"] == results["en"]
    english = [p["text"] for p in english_statement("late-scarves")["points"]]
    assert results["lo"]["found"] == english[:2] and results["lo"]["missing"] == english[2:]
    assert results["lo"]["summary"].startswith('Listening practice, "A weaver explains a delay": 2 of 5 points found.')


# -- the negotiation simulator -------------------------------------------------------------------------------------
def test_the_negotiation_loader_gives_the_kernels_language_and_english_on_request(lao):
    from artisan_course.content.negotiation import load_game
    shown, english = load_game(), load_game(lang="en")
    assert shown.title == "ຫ້າປະເດັນ, ຄຳສັ່ງຊື້ດຽວ" and english.title == ENGLISH_NEGOTIATION["title"]
    assert [i.name for i in shown.issues][:2] == ["ລາຄາຕໍ່ຜືນ", "ວັນສົ່ງ (ຈຳນວນອາທິດຫຼັງການສັ່ງຊື້)"]
    # The same game to play: keys, points, limits and the options' labels (saved as shown) are the English ones.
    assert shown.order == english.order == ENGLISH_NEGOTIATION["order"]
    assert [(i.key, i.you, i.artisans, i.type, i.levels, i.options, i.suffix) for i in shown.issues] == \
        [(i.key, i.you, i.artisans, i.type, i.levels, i.options, i.suffix) for i in english.issues]
    assert (shown.limit_you, shown.limit_artisans, shown.margin) == (english.limit_you, english.limit_artisans,
                                                                     english.margin)


def test_another_negotiation_file_is_read_as_written_in_a_lao_deck(lao, tmp_path):
    from artisan_course.content.negotiation import load_game
    other = tmp_path / "negotiation.yaml"
    shutil.copy(REPO / "data" / "negotiation.yaml", other)
    assert load_game(other).title == ENGLISH_NEGOTIATION["title"]


def test_the_negotiation_simulator_shows_what_the_artisans_say_and_why_in_lao(lao):
    from artisan_course.widgets.negotiation import NegotiationSimulator
    sim = NegotiationSimulator()
    header = sim.play.children[0].value
    assert "ຫ້າປະເດັນ, ຄຳສັ່ງຊື້ດຽວ" in header and "Five issues, one order" not in header
    said = sim.why["delivery"].value
    assert "ພວກເຮົາຕ້ອງການ 12 ອາທິດ." in said and "We need 12 weeks." not in said
    sim.ask_why("delivery")
    said = sim.why["delivery"].value
    assert "ການເກັບກ່ຽວເຂົ້າ ພາພວກເຮົາໄປຢູ່ນາສາມອາທິດ" in said and "rice harvest" not in said
    tables = sim.tables.value
    assert "<th>ການກວດຄຸນນະພາບ</th>" in tables and "<th>Quality checks</th>" not in tables
    sim.type_choices["quality"].value = "compatible"
    sim.check_types()
    line = sim.type_marks["quality"].value
    assert "ທັງສອງຝ່າຍມັກການກວດຮ່ວມກັນ" in line and "(Thompson &amp; Hrebec 1996)" in line
    assert ENGLISH_NEGOTIATION["issues"][4]["reason"].split(":")[0] not in line


def play(sim) -> dict:
    """A trainee's moves: ask why on delivery and advance, propose a trade, take the counter if any, classify."""
    sim.ask_why("delivery")
    sim.ask_why("advance")
    for key, value in {"price": "10", "delivery": 8.0, "advance": "50", "volume": 200.0,
                       "quality": "milestones"}.items():
        sim.controls[key].value = value
    sim.propose()
    if sim.deal is None:
        sim.take_counter()
        sim.propose()
    for key, kind in {"price": "distributive", "delivery": "integrative", "quality": "compatible"}.items():
        sim.type_choices[key].value = kind
    sim.check_types()
    return sim.snapshot()


def test_a_lao_deck_saves_the_negotiation_an_english_deck_saves():
    from artisan_course.widgets.negotiation import NegotiationSimulator
    snapshots = {}
    for lang in ("lo", "en"):
        i18n.use(lang)
        try:
            snapshots[lang] = play(NegotiationSimulator())
        finally:
            i18n.use("en")
    assert snapshots["lo"] == snapshots["en"]
    assert snapshots["lo"]["deal"] is not None and snapshots["lo"]["order"] == ENGLISH_NEGOTIATION["order"]
    assert "Checked together at each milestone" in snapshots["lo"]["package_text"]
