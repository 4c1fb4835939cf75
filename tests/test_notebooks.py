"""Rules every notebook keeps, in notebooks/, exercises/ and solutions/."""
import json
import re
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
# The translated decks (notebooks/lo/, made by `artisan-course build-translations`) keep the same rules.
NOTEBOOKS = sorted(p for folder in ("notebooks", "notebooks/lo", "exercises", "solutions")
                   for p in (REPO / folder).glob("*.ipynb"))
ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])(/(home|root|work|tmp|Users|usr|opt)/|[A-Za-z]:\\\\)")


def ids(paths):
    return [p.relative_to(REPO).as_posix() for p in paths]


def test_there_are_notebooks_to_check():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebook_is_valid_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for index, cell in enumerate(nb.cells):
        where = f"{path.name} cell {index + 1}"
        assert "slide_type" in cell.metadata.get("slideshow", {}), f"{where} has no slide_type"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{where} was committed with outputs"
        assert not ABSOLUTE_PATH.search(cell.source), f"{where} uses an absolute path"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_widget_only_cells_are_collapsed_for_trainees(path):
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "course-widget" in cell.metadata.get("tags", []):
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, f"{path.name} cell {index + 1}"


@pytest.mark.parametrize("path", sorted((REPO / "notebooks").glob("*.ipynb")),
                         ids=ids(sorted((REPO / "notebooks").glob("*.ipynb"))))
def test_decks_use_the_course_template_and_have_speaker_notes(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("voila", {}).get("template") == "artisan"
    notes = [c for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") == "notes"]
    assert notes, "a deck needs speaker notes"
    for cell in notes:
        assert cell.source.startswith("**Facilitator note:**")
        assert re.search(r"\d+ minutes?", cell.source), "each note gives a timing"


def test_every_notebook_cell_calls_the_package_in_one_line():
    """Notebook code cells hold one-line calls; longer logic belongs in the package."""
    for path in (REPO / "notebooks").glob("*.ipynb"):
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                source = "".join(cell["source"]).strip()
                statements = [line for line in source.splitlines() if line and not line.startswith((" ", ")", "#"))]
                assert len(statements) <= 1, f"{path.name}: {source[:60]}"
