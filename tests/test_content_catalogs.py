"""What the course says, translated through catalogs: one PO file per notebook and per data file, kept in step with
the English, and the Lao decks built from them.

The checks a translator and a maintainer rely on: the committed catalogs are sound (no stale entry, no lost number,
price or link), a changed English paragraph makes the check fail until the catalogs are rebuilt (and its translation
is then set aside for review, the deck showing English there), a translation that drops a number or a link fails,
missing entries fall back to English one by one, and the Lao decks in notebooks/lo/ are what the catalogs make.
"""
from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from artisan_course import i18n
from artisan_course.i18n import content

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def english():
    yield
    i18n.use("en")


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A copy of the course's notebooks, data and catalogs that a test may change."""
    root = tmp_path / "course"
    shutil.copytree(REPO / "data", root / "data")
    (root / "notebooks").mkdir()
    for path in (REPO / "notebooks").glob("*.ipynb"):
        shutil.copy(path, root / "notebooks" / path.name)
    shutil.copytree(REPO / "notebooks" / "lo", root / "notebooks" / "lo")
    (root / "node_modules").symlink_to(REPO / "node_modules")  # the slide assets `check` looks for
    locale = tmp_path / "locale"
    shutil.copytree(content.LOCALE_DIR, locale)
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(root))
    monkeypatch.setattr(content, "LOCALE_DIR", locale)
    return root, locale


def edit_po(path: Path, key: str, translation: str) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.context == key:
            message.string = translation
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    path.write_bytes(out.getvalue())


def cell_source(notebook: Path, cell_id: str) -> str:
    cell = next(c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["id"] == cell_id)
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_the_committed_catalogs_are_sound_and_the_lao_decks_are_up_to_date():
    assert content.problems() == []
    assert content.build_decks(check_only=True) == [], "run `artisan-course build-translations` and commit"


def test_every_notebook_and_data_file_has_a_template_and_a_lao_catalog_marked_as_a_draft():
    for name in content.sources():
        assert content.template_path(name).is_file(), name
        po = content.catalog_path(name, "lo")
        assert po.is_file(), name
        head = po.read_text(encoding="utf-8").split("msgid", 1)[0]
        assert "DRAFT" in head and "Lao-speaking trainer" in head, name


def test_a_catalog_round_trips_through_babel_with_every_entry_and_its_key():
    units = content.source_units(REPO / "notebooks" / "00-welcome.ipynb")
    with content.template_path("00-welcome").open("rb") as handle:
        template = read_po(handle)
    assert [(m.context, m.id) for m in template if m.id] == [(u.key, u.text) for u in units]
    out = io.BytesIO()
    write_po(out, template, width=0)
    again = read_po(io.BytesIO(out.getvalue()))
    assert [(m.context, m.id) for m in again if m.id] == [(u.key, u.text) for u in units]
    # Keys are cell ids with a number: stable when another cell is added or moved.
    assert "44d1994c.0" in {u.key for u in units}


def words(block: str) -> str:
    return " ".join(re.sub(r"(?m)^>\s?", "", block).split())


def test_a_deck_rebuilt_with_no_translation_reads_as_its_english_markdown():
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        rebuilt = content.translate_notebook(notebook, "no-such-catalog", "lo")
        for before, after in zip(notebook["cells"], rebuilt["cells"]):
            if before["cell_type"] == "markdown":
                old, new = content._cell_source(before), content._cell_source(after)
                # Same blocks, same words: only the line breaks inside a paragraph (or a quote) may become spaces.
                assert [words(b) for b in old.split("\n\n")] == [words(b) for b in new.split("\n\n")], \
                    (path.name, before["id"])


def test_the_lao_deck_speaks_lao_from_its_first_code_cell_and_keeps_every_id():
    english = json.loads((REPO / "notebooks" / "00-welcome.ipynb").read_text(encoding="utf-8"))
    lao = json.loads((REPO / "notebooks" / "lo" / "00-welcome.ipynb").read_text(encoding="utf-8"))
    first_code = next(c for c in lao["cells"] if c["cell_type"] == "code")
    assert 'use("lo")' in content._cell_source(first_code)
    assert [c["id"] for c in lao["cells"]] == [c["id"] for c in english["cells"]]
    assert [c["metadata"] for c in lao["cells"]] == [c["metadata"] for c in english["cells"]]
    slide = content._cell_source(next(c for c in lao["cells"] if c["id"] == "44d1994c"))
    assert slide.startswith("## ອົບອຸ່ນກັບຄົນ") and "\n1. **ການເຈລະຈາ**" in slide
    # The reflection keeps its item (answers are saved under it) and asks in Lao.
    reflection = content._cell_source(next(c for c in lao["cells"] if c["id"] == "25f4d1e2"))
    assert '"welcome-soft-skills"' in reflection and "ທັກສະ" in reflection
    compile(reflection, "reflection", "exec")


def test_a_changed_english_paragraph_fails_the_check_then_falls_back_to_english_until_reviewed(course):
    root, locale = course
    deck = root / "notebooks" / "00-welcome.ipynb"
    notebook = json.loads(deck.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["id"] == "38d94db7")
    new_english = "There are no wrong answers. After you answer, you see the whole room's answers, without names."
    cell["source"] = "## Two quick polls\n\n" + new_english
    deck.write_text(json.dumps(notebook, indent=1), encoding="utf-8")

    found = content.problems()
    assert any("00-welcome.ipynb: 38d94db7.1: the English changed" in p for p in found), found

    content.update()
    assert content.problems() == []
    with content.catalog_path("00-welcome", "lo").open("rb") as handle:
        entry = next(m for m in read_po(handle) if m.context == "38d94db7.1")
    assert entry.fuzzy and entry.id == new_english and entry.string  # kept for the translator to review
    assert "38d94db7.1" in {m.context for m in read_po(content.template_path("00-welcome").open("rb"))}
    content.build_decks()
    lao = cell_source(root / "notebooks" / "lo" / "00-welcome.ipynb", "38d94db7")
    assert new_english in lao and lao.startswith("## ການສຳຫຼວດ")  # the reviewed title stays Lao
    assert any(r.name == "00-welcome" and r.fuzzy == 1 for r in content.coverage("lo"))


def test_a_translation_that_drops_a_number_a_price_or_a_link_fails_the_check(course):
    root, locale = course
    po = content.catalog_path("00-welcome", "lo")
    edit_po(po, "1417c27f.1", "ປະມານ **260 ລ້ານ** ຄົນທົ່ວໂລກ ເຮັດວຽກຢູ່ເຮືອນ.")   # 7.9% and 2019 lost
    edit_po(po, "aaff581c.5", "ສະໄລ, ໂດຍບໍ່ຕ້ອງໃຊ້ອິນເຕີເນັດ")                    # the command lost
    found = content.problems()
    assert any("1417c27f.1: the number '7.9' is missing" in p for p in found), found
    assert any("1417c27f.1: the number '2019' is missing" in p for p in found), found
    assert any("aaff581c.5: the inline code '`artisan-course slides`' is missing" in p for p in found), found

    assert content.dropped("Pay $12 per scarf.", "ຈ່າຍ 12 ຕໍ່ຜືນ") == []
    assert content.dropped("Pay $12 per scarf.", "ຈ່າຍຕໍ່ຜືນ") == ["the price '12' is missing from the translation"]
    assert content.dropped("See [the map](course-map.html).", "ເບິ່ງແຜນທີ່") == \
        ["the link 'course-map.html' is missing from the translation"]
    assert content.dropped("Hello {name}", "ສະບາຍດີ") == ["the placeholder '{name}' is missing from the translation"]
    assert content.dropped("See [the data](https://wiego.org/stats).", "ເບິ່ງ [ຂໍ້ມູນ](https://wiego.org/stats).") == []


def test_missing_entries_fall_back_to_english_one_by_one_and_the_coverage_says_how_many(course, english):
    root, locale = course
    po = content.catalog_path("quizzes.welcome", "lo")
    edit_po(po, "questions[welcome-three-parts].prompt", "")
    from artisan_course.content.quiz_bank import load_bank
    i18n.use("lo")
    question = next(q for q in load_bank("welcome") if q.id == "welcome-three-parts")
    assert question["prompt"] == "This course has three main parts. Which list shows them?"
    assert question["options"][0]["text"] == "ການເຈລະຈາ, ການຈັດການ ແລະ ການສື່ສານ"
    row = next(r for r in content.coverage("lo") if r.name == "quizzes.welcome")
    assert row.missing == 1
    assert "shown in English" in content.coverage_sentence("lo")


def test_content_loaders_give_lao_in_a_lao_kernel_and_english_by_default(english):
    from artisan_course.content.activities import glossary_terms, load_activity
    from artisan_course.content.quiz_bank import load_bank
    assert i18n.language() == "en"
    three_parts = next(q for q in load_bank("welcome") if q.id == "welcome-three-parts")
    assert three_parts["prompt"].startswith("This course has three main parts")
    i18n.use("lo")
    three_parts = next(q for q in load_bank("welcome") if q.id == "welcome-three-parts")
    assert three_parts["prompt"].startswith("ຫຼັກສູດນີ້ມີສາມພາກຫຼັກ")
    assert three_parts["answer"] == "neg-man-comm"  # keys and answers are never translated
    terms = {t["term"]: t for t in glossary_terms()}
    assert terms["anchor"]["lao"] and "ລາຄາ" in terms["anchor"]["meaning"]
    assert load_activity("glossary.yaml", "en")["terms"][0]["meaning"].startswith("Part of the price")
    # A sorting question shows Lao categories but saves the English ones, so an answer given in the Lao deck is
    # checked the same in the English deck (and the other way round).
    from artisan_course.models.grading import grade
    sort = next(q for q in load_bank("people-persuaders") if q.id == "people-persuaders-warm-tough-sort")
    assert sort["categories"] == ["warm", "tough", "both"] and sort["category_labels"]["warm"] == "ອົບອຸ່ນ"
    right = {item["key"]: item["category"] for item in sort["items"]}
    assert grade(sort, right, None).correct
    from artisan_course.content.course_map import load_course_map
    course = load_course_map()
    module = next(m for m in course.modules if m.id == "people-persuaders")
    assert module.title == "ຄົນ ແລະ ວິທີໂນ້ມນ້າວຫຼັກ" and module.notebook == "01-people-and-persuaders.ipynb"
    assert "Think for a minute" in course.seed_map  # what the banks are checked against never changes
    i18n.use("en")
    assert load_course_map().modules[1].title == "People and key persuaders"
    english_sort = next(q for q in load_bank("people-persuaders") if q.id == "people-persuaders-warm-tough-sort")
    assert grade(english_sort, right, None).correct and "category_labels" not in english_sort.data


def test_the_build_translations_command_checks_without_changing_anything(capsys):
    from artisan_course import cli
    assert cli.main(["build-translations", "--check"]) == 0
    out = capsys.readouterr().out
    assert "Content in ລາວ (lo):" in out and "00-welcome 100%" in out


def test_the_day_before_check_fails_on_a_lost_number_but_only_notes_english_newer_than_its_translation(course,
                                                                                                        capsys):
    from artisan_course import cli
    root, locale = course
    deck = root / "notebooks" / "00-welcome.ipynb"
    deck.write_text(deck.read_text(encoding="utf-8").replace("Two quick polls", "Two short polls"), encoding="utf-8")
    assert cli.main(["check", "--port", "0"]) == 0  # the decks show the new English there: safe for the day
    out = capsys.readouterr().out
    assert "translation entries are older than their English" in out and "Content in ລາວ (lo):" in out

    edit_po(content.catalog_path("00-welcome", "lo"), "1417c27f.1", "ປະມານ **260 ລ້ານ** ຄົນທົ່ວໂລກ ເຮັດວຽກຢູ່ເຮືອນ.")
    assert cli.main(["check", "--port", "0"]) == 1
    assert "lo/content/00-welcome.po: 1417c27f.1: the number '7.9' is missing" in capsys.readouterr().out


def test_the_wheel_carries_every_catalog_and_the_lao_decks(tmp_path):
    import zipfile
    from test_kit import build_wheel
    names = set(zipfile.ZipFile(build_wheel(REPO, tmp_path)).namelist())
    for name in content.sources():
        assert f"artisan_course/locale/content/{name}.pot" in names, name
        assert f"artisan_course/locale/lo/content/{name}.po" in names, name
    for deck in ("00-welcome.ipynb", "01-people-and-persuaders.ipynb"):
        assert f"artisan_course/course/notebooks/lo/{deck}" in names
