"""Kip beside every amount in USD a learner reads: quizzes, role cards, the slides' Markdown, printed materials.

Content writes each amount once, in USD; the rate in data/currency.yaml adds the kip where it is shown.
"""
import html
import re

import nbformat
import pytest

from artisan_course import paths
from artisan_course.content.activities import load_activity
from artisan_course.content.currency import load_currency
from artisan_course.content.quiz_bank import _texts, load_all_banks
from artisan_course.documents.materials import write_materials
from artisan_course.serving.deck_kip import KipInMarkdown
from artisan_course.serving.preview import render_preview
from artisan_course.text import LocalCurrency, usd_without_kip, with_kip

KIP = LocalCurrency("kip", 21500, 500)


def test_an_amount_in_a_sentence_gets_its_kip_once():
    assert with_kip("a 10 USD scarf", KIP) == "a 10 USD (about 215,000 kip) scarf"
    assert with_kip("paid 9 to 11 USD a piece", KIP) == "paid 9 to 11 USD (about 193,500 to 236,500 kip) a piece"
    assert with_kip("| 10 + 2 = 12 USD | 6,000 USD |", KIP) == (
        "| 10 + 2 = 12 USD (about 258,000 kip) | 6,000 USD (about 129,000,000 kip) |")
    already = with_kip("a 10 USD scarf", KIP)
    assert with_kip(already, KIP) == already
    # Maths and code stay as written; the USD after the maths gets its kip.
    assert with_kip("$200 \\times 10$ is 2,000 USD; type `10 USD`", KIP) == (
        "$200 \\times 10$ is 2,000 USD (about 43,000,000 kip); type `10 USD`")
    assert with_kip("a 10 USD scarf", None) == "a 10 USD scarf"  # kip switched off in data/currency.yaml
    assert usd_without_kip("a 10 USD scarf and 9 to 11 USD") == ["10 USD", "9 to 11 USD"]


def test_every_quiz_text_shows_kip_beside_usd():
    assert load_currency() is not None  # the course's setting shows kip
    missing, amounts = [], 0
    for module, questions in load_all_banks().items():
        for q in questions:
            for where, text in _texts(q.data):
                amounts += text.count(" kip)")
                missing += [f"{q.id} {where}: {amount}" for amount in usd_without_kip(text)]
    assert missing == [] and amounts > 20


def test_the_answers_to_type_and_the_units_stay_in_usd():
    banks = load_all_banks()
    numeric = next(q for q in banks["contingency-why"] if q.id == "contingency-why-bonus-total")
    assert numeric["units"] == "USD" and "kip" not in str(numeric.get("answers") or numeric.get("answer"))
    assert "2 USD (about 43,000 kip) extra" in numeric["prompt"]


def test_the_role_cards_show_kip():
    cards = load_activity("role_cards.yaml")["cards"]
    texts = [card[field] for card in cards for field in ("buyer", "leader", "aim", "watch")]
    assert [a for text in texts for a in usd_without_kip(text)] == []
    assert any("9 to 11 USD (about" in text for text in texts)


def _markdown_after_the_slide_server(notebook: str) -> list[str]:
    nb = nbformat.read(paths.notebooks_dir() / notebook, as_version=4)
    nb, _ = KipInMarkdown().preprocess(nb, {})
    return [cell.source for cell in nb.cells if cell.cell_type == "markdown"]


@pytest.mark.parametrize("notebook", sorted(p.name for p in paths.notebooks_dir().glob("*.ipynb")))
def test_every_slide_and_speaker_note_shows_kip_beside_usd(notebook):
    assert [a for text in _markdown_after_the_slide_server(notebook) for a in usd_without_kip(text)] == []


def test_the_slide_table_of_the_contingency_order_shows_kip():
    cells = _markdown_after_the_slide_server("04-contingency-and-why.ipynb")
    table = next(c for c in cells if c.startswith("## Work it out"))
    assert "| Within 4 weeks | 10 + 2 = 12 USD (about 258,000 kip) | 6,000 USD (about 129,000,000 kip) |" in table


def test_the_speaker_views_preview_shows_the_kip_too():
    page = render_preview(paths.notebooks_dir() / "04-contingency-and-why.ipynb")
    assert "6,000 USD (about 129,000,000 kip)" in page


def test_every_printed_page_shows_kip_beside_usd(tmp_path):
    pages = write_materials(tmp_path)
    missing = []
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
        missing += [f"{page.name}: {amount}" for amount in usd_without_kip(text)]
    assert missing == []
    quiz = (tmp_path / "paper-quiz-04.html").read_text(encoding="utf-8")
    assert "12 USD (about 258,000 kip)" in quiz
