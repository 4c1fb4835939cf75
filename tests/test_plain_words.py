"""Plain English for trainees who read English as a second language, and for their interpreters.

What a trainee or facilitator reads (slides, speaker notes, question banks, activity data, the simulators' notes,
the guide) avoids the words the course replaced: "illustrative" (say "made up"), the jargon "frontier",
"triangular spread" and "placebo", and a "ship" in landlocked Laos. On-screen sentences stay under 40 words; the
four-corners activity has no "Threat" corner; every reflection asks for no real names of artisans.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from artisan_course.content.activities import load_activity
from artisan_course.content.course_map import load_course_map
from artisan_course.content.notebooks import module_prompts, module_slides
from artisan_course.widgets.reflection import Reflection

REPO = Path(__file__).resolve().parents[1]
AVOID = re.compile(r"\b(illustrative|frontier|triangular|placebo|ship|ships|shipped|shipping)\b", re.IGNORECASE)
MAX_WORDS = 40


def notebook_text(path: Path, notes: bool):
    for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
        is_notes = cell["metadata"].get("slideshow", {}).get("slide_type") == "notes"
        if cell["cell_type"] == "markdown" and is_notes == notes:
            yield f"{path.name} cell {index + 1}", "".join(cell["source"])


def data_text():
    for path in sorted((REPO / "data").rglob("*.yaml")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
        yield path.relative_to(REPO).as_posix(), "\n".join(lines)


def widget_strings():
    """String constants in the views: the simulators' on-screen notes and labels (CSS and docstrings left out)."""
    for path in sorted((REPO / "src" / "artisan_course" / "widgets").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and "{" not in node.value[:40]
                    and id(node) not in docstrings):
                yield f"{path.name} line {node.lineno}", node.value


def everything_read():
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        yield from notebook_text(path, notes=False)
        yield from notebook_text(path, notes=True)
    yield from data_text()
    yield from widget_strings()
    for name in ("docs/facilitator-guide.md", "README.md"):
        yield name, (REPO / name).read_text(encoding="utf-8")


def test_the_replaced_words_do_not_come_back():
    found = [(where, m.group(0)) for where, text in everything_read() for m in AVOID.finditer(text)]
    assert found == [], "use plain words: 'made up' for 'illustrative'; no jargon; Laos has no sea port"


def sentences(text: str):
    text = re.sub(r"<[^>]+>", " ", text)
    for block in re.split(r"\n\s*\n|\n\s*[-*]\s+|\n\s*\d+\.\s+|\n\s*\|", text):
        if block.lstrip().startswith(("|", "#", "```")):
            continue
        for sentence in re.split(r"(?<=[.!?:;])\s+", " ".join(block.split())):
            yield sentence


def test_on_screen_sentences_are_short():
    on_screen = [item for path in sorted((REPO / "notebooks").glob("*.ipynb"))
                 for item in notebook_text(path, notes=False)]
    on_screen += list(widget_strings())
    long = [(where, len(s.split()), s[:80]) for where, text in on_screen for s in sentences(text)
            if len(s.split()) > MAX_WORDS]
    assert long == [], f"sentences of more than {MAX_WORDS} words on screen"


def test_the_four_corners_have_no_threat_corner():
    styles = load_activity("persuader_styles.yaml")["styles"]
    assert all(style["name"].lower() != "threat" for style in styles.values())
    notes = " ".join(s.note for s in module_slides(load_course_map().module("people-persuaders")))
    corners = re.search(r"Name the corners ([^:.]+)", notes)
    assert corners and "Threat" not in corners.group(1) and "Alternatives" in corners.group(1)


@pytest.mark.parametrize("module", load_course_map().ready_modules(), ids=lambda m: m.id)
def test_every_reflection_asks_for_no_real_names(module):
    for prompt in module_prompts(module):
        shown = Reflection(prompt.item, prompt.text, module=module.id)
        assert "no real names or private details" in shown.privacy, prompt.item
