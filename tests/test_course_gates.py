"""Course-wide gates: every seed row is taught where the map says, and links between notebooks resolve."""
import json
import re
from pathlib import Path

import pytest

from artisan_course.content.course_map import load_course_map
from artisan_course.content.notebooks import module_calls, module_prompts
from artisan_course.content.quiz_bank import load_bank

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
    from artisan_course.widgets.course import nav_html
    for name in ("SERVER_SOFTWARE", "VOILA_KERNEL_ID"):
        monkeypatch.delenv(name, raising=False)
    ready = [m.notebook for m in READY]
    for i, module in enumerate(READY):
        links = re.findall(r"href='([^']+)'", nav_html(module.id, None))
        expected = ([ready[i - 1]] if i else []) + [ready[0]] + ([ready[i + 1]] if i + 1 < len(ready) else [])
        assert links == expected, module.id


# The interactive piece the brief's seed map asks for, per seed row, and the call that shows it.
SEED_TOOLS = {
    "Pillar 1: People": ["message_drafting"],  # value and respect, practised with a checklist
    "Pillar 4: Tactics (anchoring)": ["show_anchoring_simulator"],
    "Contingency agreement": ["show_contingency_simulator"],
    "Always find out why": ["orange_story", "show_negotiation_simulator"],
    "Fairness": ["show_fairness_simulator"],
    "Because": ["message_drafting"],  # the "because" draft, with feedback
    "Formal documentation": ["show_agreement_builder"],
    "Timeline": ["show_milestone_planner"],
    "Regular check-ins": ["show_milestone_planner"],
    "Communication rules 1-3": ["channel_chooser", "conflict_plan_builder"],
    "Communication rules 4-6": ["message_drafting"],
    "Listen first": ["listening_practice"],
    "Closing": ["action_plan", "journal_download"],
}


def test_every_seed_row_is_taught_in_a_ready_deck_with_the_tool_the_brief_asks_for():
    course = load_course_map()
    ready_rows = {row: m for m in course.ready_modules() for row in m.seed_sections}
    assert [row for row in course.seed_map if row not in ready_rows] == []
    for row, calls in SEED_TOOLS.items():
        module = ready_rows[row]
        for call in calls:
            assert module_calls(module, call), f"{module.notebook} ({row}) does not show {call}()"
