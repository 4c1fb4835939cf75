"""Course-wide gates: every seed row is taught where the map says, and links between notebooks resolve."""
import json
import re
from pathlib import Path

import pytest

from artisan_course.course_map import load_course_map
from artisan_course.journal import module_calls, module_prompts
from artisan_course.quizzes.bank import load_bank

REPO = Path(__file__).resolve().parents[1]
READY = [m for m in load_course_map().ready_modules()]


@pytest.mark.parametrize("module", READY, ids=[m.id for m in READY])
def test_every_seed_row_of_a_ready_module_is_served_by_quiz_ids_its_deck_shows(module):
    bank = {q.id: q for q in load_bank(module.id)}
    shown = set()
    for args in module_calls(module, "quiz"):
        assert args[0] == module.id, f"{module.notebook} shows another module's quiz"
    notebook = json.loads((REPO / "notebooks" / module.notebook).read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            shown.update(re.findall(r'"([a-z0-9-]+)"', source) if source.startswith("quiz(") else [])
    missing = set(bank) - shown
    assert missing == set(), f"{module.notebook} never shows these quiz questions: {sorted(missing)}"
    assert shown - set(bank) - {module.id} == set(), "the deck names quiz ids that do not exist"
    served = {q["seed_section"] for q in bank.values()}
    assert set(module.seed_sections) - served == set(), "a seed row of this module has no question in its deck"


@pytest.mark.parametrize("module", READY, ids=[m.id for m in READY])
def test_every_ready_module_has_reflections_with_unique_ids(module):
    prompts = module_prompts(module)
    assert prompts, f"{module.notebook} has no reflection"
    assert all(p.item.startswith(module.id) for p in prompts)
    assert len({p.item for p in prompts}) == len(prompts)


def test_links_between_notebooks_resolve():
    for folder in ("notebooks", "exercises", "solutions"):
        for path in (REPO / folder).glob("*.ipynb"):
            for cell in json.loads(path.read_text())["cells"]:
                for target in re.findall(r"\]\(([^)#?]+\.ipynb)", "".join(cell["source"])):
                    assert (path.parent / target).resolve().is_file(), f"{path.name} links to missing {target}"


def test_navigation_is_generated_from_the_course_map(monkeypatch):
    """Outside Voilà: previous, the course map (the welcome notebook), next, in reading order."""
    from artisan_course.course_widgets import nav_html
    for name in ("SERVER_SOFTWARE", "VOILA_KERNEL_ID"):
        monkeypatch.delenv(name, raising=False)
    ready = [m.notebook for m in READY]
    for i, module in enumerate(READY):
        links = re.findall(r"href='([^']+)'", nav_html(module.id, None))
        expected = ([ready[i - 1]] if i else []) + [ready[0]] + ([ready[i + 1]] if i + 1 < len(ready) else [])
        assert links == expected, module.id
