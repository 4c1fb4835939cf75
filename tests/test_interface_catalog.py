"""The interface's translation catalog: every message marked in the code has a Lao translation that keeps its
placeholders, the .pot is not stale, a missing translation falls back to English message by message, and the pages
render the reader's language with what fills a placeholder escaped."""
from __future__ import annotations

import io
import shutil

import pytest
from babel.messages.pofile import read_po, write_po

from artisan_course import i18n
from artisan_course.i18n import interface, pages


@pytest.fixture
def lao():
    i18n.use("lo")
    yield
    i18n.use(i18n.DEFAULT)


def test_every_message_of_the_interface_has_a_confirmed_lao_translation():
    cover = interface.coverage("lo")
    assert cover.total > 60
    assert cover.missing == [] and cover.fuzzy == [], cover


def test_no_lao_translation_drops_or_adds_a_placeholder():
    assert interface.placeholder_problems("lo") == []


def test_the_pot_holds_exactly_the_messages_the_code_marks():
    assert interface.stale() == [], "run: python -m artisan_course.i18n.interface extract"


def test_the_lao_catalog_says_it_is_a_draft_for_a_lao_speaking_trainer_to_review():
    with interface.catalog_path("lo").open("rb") as po:
        catalog = read_po(po, locale="lo")
    assert "DRAFT" in catalog.header_comment and "Lao-speaking trainer" in catalog.header_comment
    assert str(catalog.locale) == "lo" and catalog.plural_forms == "nplurals=1; plural=0;"


def test_english_is_the_default_and_lao_is_used_once_chosen(lao):
    assert i18n.gettext_in("en", "Join the course") == "Join the course"
    assert i18n._("Join the course") == "ເຂົ້າຮ່ວມຫຼັກສູດ"
    i18n.use("en")
    assert i18n._("Join the course") == "Join the course"


def test_a_message_the_catalog_lacks_is_shown_in_english(lao):
    assert i18n._("A sentence nobody has translated yet.") == "A sentence nobody has translated yet."
    assert i18n.ngettext("%(n)s new answer", "%(n)s new answers", 2) == "%(n)s new answers"


def test_a_fuzzy_translation_is_not_shown(tmp_path, monkeypatch):
    # A translation whose English changed since (marked fuzzy by extract) is English until a translator confirms it.
    with interface.catalog_path("lo").open("rb") as po:
        catalog = read_po(po, locale="lo")
    catalog.get("Join the course").flags.add("fuzzy")
    folder = tmp_path / "lo" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    out = io.BytesIO()
    write_po(out, catalog)
    (folder / "interface.po").write_bytes(out.getvalue())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    try:
        assert i18n.gettext_in("lo", "Join the course") == "Join the course"
        assert i18n.gettext_in("lo", "Your name") == "ຊື່ຂອງທ່ານ"
        assert any("Join the course" in m for m in interface.coverage("lo").fuzzy)
    finally:
        monkeypatch.undo()
        i18n.translations.cache_clear()


def test_the_check_fails_when_a_translation_drops_a_placeholder(tmp_path):
    with interface.catalog_path("lo").open("rb") as po:
        catalog = read_po(po, locale="lo")
    message = next(m for m in catalog if m.id and "%(name)s" in m.id)
    message.string = message.string.replace("%(name)s", "")
    out = io.BytesIO()
    write_po(out, catalog)
    broken = tmp_path / "interface.po"
    broken.write_bytes(out.getvalue())
    problems = interface.placeholder_problems("lo", broken)
    assert len(problems) == 1 and "%(name)s" in problems[0]


def test_the_check_finds_a_message_the_pot_does_not_have_yet(tmp_path):
    # A copy of the checkout's babel.cfg over a tree with one new marked message: stale, and the .pot's messages
    # that the tiny tree no longer has are reported too.
    shutil.copy(interface.ROOT / "babel.cfg", tmp_path / "babel.cfg")
    package = tmp_path / "src" / "artisan_course"
    package.mkdir(parents=True)
    (package / "new_screen.py").write_text('from .i18n import _\nSAID = _("A brand new status")\n', encoding="utf-8")
    found = interface.stale(tmp_path)
    assert "not in interface.pot yet: 'A brand new status'" in found
    assert any("no longer in the code" in line and "Join the course" in line for line in found)


def test_a_page_speaks_its_readers_language_and_escapes_what_fills_a_placeholder(tmp_path):
    (tmp_path / "page.html").write_text('<p>{% trans %}Hello, <strong class="course-name">{{ name }}</strong>'
                                        '{% endtrans %}</p><p>{{ _("Join") }}</p>', encoding="utf-8")
    env = pages.environment(tmp_path)
    lao = env.get_template("page.html").render(lang="lo", name="<b>ແກ້ວ</b>")
    assert 'ສະບາຍດີ, <strong class="course-name">&lt;b&gt;ແກ້ວ&lt;/b&gt;</strong>' in lao
    assert "ເຂົ້າຮ່ວມ" in lao
    english = env.get_template("page.html").render(lang="en", name="Kham")
    assert 'Hello, <strong class="course-name">Kham</strong>' in english and "<p>Join</p>" in english


def test_the_command_line_checks_the_catalog(capsys):
    assert interface.main(["check"]) == 0
    assert "ລາວ (lo):" in capsys.readouterr().out


def test_every_word_the_reflection_box_script_shows_is_sent_translated(lao):
    import re

    from artisan_course.widgets import reflection
    script = (reflection.FRONTEND / "reflection.js").read_text(encoding="utf-8")
    shown = set(re.findall(r'\bt\((?:n === 1 \? )?"([^"]+)"', script)) | set(re.findall(r': "(\{n\} characters?)"',
                                                                                       script))
    assert shown and shown <= set(reflection.JS_WORDS), shown - set(reflection.JS_WORDS)
    box = reflection.Reflection("catalog-test", "A question?")
    assert box.placeholder == "ພິມຄຳຕອບຂອງທ່ານຢູ່ນີ້. ມັນຈະຖືກບັນທຶກໃນຂະນະທີ່ທ່ານພິມ."
    assert box.words["Saving…"] == "ກຳລັງບັນທຶກ…" and box.words["Saved at {time}"] == "ບັນທຶກແລ້ວເວລາ {time}"
    assert box.message == "ກະລຸນາພິມຊື່ຂອງທ່ານຢູ່ດ້ານເທິງກ່ອນ."


def test_a_tools_save_line_speaks_lao_and_english_by_default():
    from datetime import datetime

    from artisan_course.state.recorder import NO_LEARNER, Saved
    from artisan_course.widgets.kit import save_note
    saved = Saved(True, "", at=datetime(2026, 5, 4, 9, 30))
    assert "Saved at 09:30." in save_note(saved)
    assert "Type your name at the top first" in save_note(Saved(False, NO_LEARNER))
    i18n.use("lo")
    try:
        assert "ບັນທຶກແລ້ວເວລາ 09:30." in save_note(saved)
        assert "ບັນທຶກໃສ່ປຶ້ມບັນທຶກການຮຽນຂອງທ່ານແລ້ວ." in save_note(saved, done="Saved to your journal.")
        assert "ກະລຸນາພິມຊື່ຂອງທ່ານຢູ່ດ້ານເທິງກ່ອນ: ຍັງບໍ່ມີຫຍັງຖືກບັນທຶກ." in save_note(Saved(False, NO_LEARNER))
    finally:
        i18n.use(i18n.DEFAULT)


def test_a_quiz_question_speaks_lao_in_a_lao_kernel_and_still_saves_the_answer(lao, learner_home, monkeypatch):
    from artisan_course.state.session import SESSION
    from artisan_course.state.store import Store
    from artisan_course.widgets.quiz import QuizView
    for name in ("ARTISAN_COURSE_LEARNER", "ARTISAN_COURSE_WORKSHOP"):
        monkeypatch.delenv(name, raising=False)
    SESSION.learner = SESSION.store = SESSION.module = None
    SESSION.listeners.clear()
    try:
        learner = SESSION.set_learner("ນ້ອຍ")
        view = QuizView("fairness-culture", ids=["fairness-culture-because-word"])
        question = view.views[0]
        assert question.check.description == "ກວດ" and question.reveal.description == "ສະແດງຄຳຕອບ"
        assert question.control.placeholder == "ພິມຄຳຕອບຂອງທ່ານ"
        question.control.value = "no idea"
        question.submit()
        assert "✗ ຍັງບໍ່ຖືກປານໃດ. ລອງອີກຄັ້ງ." in question.feedback.value
        assert "ແຫຼ່ງຂໍ້ມູນ: Langer" in question.feedback.value  # "Source:", the bank's own words left as they are
        saved = Store(learner_home).answers(learner_id=learner.id, item="fairness-culture-because-word", kind="quiz")
        assert saved[-1].value["response"] == "no idea"
    finally:
        SESSION.learner = SESSION.store = SESSION.module = None
        SESSION.listeners.clear()


def test_no_marked_message_hides_inside_an_f_string():
    # Babel reads an f-string as one string: a _() inside it never reaches the catalog, so its words stay English.
    import ast
    hidden = []
    for path in sorted((interface.ROOT / "src" / "artisan_course").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                hidden += [f"{path.name}:{call.lineno}" for call in ast.walk(node) if isinstance(call, ast.Call)
                           and getattr(call.func, "id", getattr(call.func, "attr", "")) in interface.KEYWORDS
                           and any(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in call.args)]
    assert hidden == []


def test_every_word_the_deck_script_shows_is_served_translated():
    import re

    from artisan_course import paths
    from artisan_course.serving import deck_words
    script = next(paths.PAGES_DIR.parent.rglob("course-deck.js")).read_text(encoding="utf-8")
    shown = set(re.findall(r'\bt\("([^"]+)"\)', script))
    assert len(shown) >= 15 and shown == set(deck_words.WORDS), shown ^ set(deck_words.WORDS)
