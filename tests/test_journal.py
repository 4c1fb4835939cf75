"""Progress, the journal export and the certificate."""
import subprocess
from datetime import date
import sys
from pathlib import Path

import pytest
import yaml

from artisan_course.content.course_map import load_course_map, parse_course_map
from artisan_course.content.notebooks import module_prompts
from artisan_course.documents.journal import certificate_html, journal_html, journal_markdown
from artisan_course.models.progress import course_complete
from artisan_course.state.progress import course_progress, module_progress
from artisan_course.state.store import Store

REPO = Path(__file__).resolve().parents[1]
HARD_TEXT = "<script>alert('x')</script> & <b>bold</b> 🙏🧵 ຂອບໃຈຫຼາຍໆ\nsecond line"


@pytest.fixture
def store(learner_home):
    return Store(learner_home)


def welcome():
    return load_course_map().module("welcome")


def answer_quiz(store, learner, module_id="welcome"):
    from artisan_course.content.quiz_bank import load_bank
    for q in load_bank(module_id):
        store.record(learner.id, module_id, q.id, "quiz", {"response": None, "revealed": False}, score=1.0)


def test_prompts_are_read_from_the_notebook():
    prompts = module_prompts(welcome())
    assert [p.item for p in prompts] == ["welcome-soft-skills"]
    assert prompts[0].text.startswith("Which soft skills")


def test_a_module_is_complete_when_visited_and_every_reflection_is_written(store):
    noy = store.learner("Noy")
    progress = module_progress(store, noy, welcome())
    assert not progress.visited and not progress.complete
    store.record(noy.id, "welcome", "welcome:visit", "visit", True)
    assert not module_progress(store, noy, welcome()).complete  # the reflection is still empty
    store.record(noy.id, "welcome", "welcome-soft-skills", "reflection", "   ")
    assert not module_progress(store, noy, welcome()).complete  # blank does not count
    store.record(noy.id, "welcome", "welcome-soft-skills", "reflection", "Patience")
    assert not module_progress(store, noy, welcome()).complete  # the quiz is not answered yet
    answer_quiz(store, noy)
    progress = module_progress(store, noy, welcome())
    assert progress.complete
    # Ten questions, two of them polls: the eight scored ones were all right at the first try.
    assert progress.summary() == ("visited · reflections 1 of 1 · quiz 10 of 10 answered, 8 right the first time "
                                  "· complete")


def test_the_journal_holds_every_word_exactly_and_escapes_it_in_html(store):
    noy = store.learner("ນ້ອຍ <Noy>")
    long_text = HARD_TEXT + " " + "x" * 100_000
    store.record(noy.id, "welcome", "welcome-soft-skills", "reflection", long_text)
    markdown = journal_markdown(store, noy)
    assert "> " + HARD_TEXT.splitlines()[0] in markdown and "x" * 100_000 in markdown
    page = journal_html(store, noy)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt; 🙏🧵 ຂອບໃຈຫຼາຍໆ" in page
    assert "ນ້ອຍ &lt;Noy&gt;" in page
    assert "http" not in page.lower()  # no external assets, not even a link to one
    assert store.latest(noy.id, "welcome-soft-skills").value == long_text


def test_an_empty_journal_says_there_is_nothing_yet(store):
    noy = store.learner("Noy")
    assert "Nothing is written in this journal yet." in journal_markdown(store, noy)
    assert "Nothing is written in this journal yet." in journal_html(store, noy)


def test_no_certificate_until_every_module_is_complete(store):
    noy = store.learner("Noy")
    store.record(noy.id, "welcome", "welcome:visit", "visit", True)
    store.record(noy.id, "welcome", "welcome-soft-skills", "reflection", "Patience")
    # Modules still being written cannot be complete, so the course is not.
    assert certificate_html(store, noy) is None


def test_a_certificate_when_the_whole_course_is_complete(store, tmp_path):
    raw = yaml.safe_load((REPO / "data" / "course_map.yaml").read_text())
    raw["modules"] = [m for m in raw["modules"] if m["id"] == "welcome"]
    raw["seed_map"] = ["Think for a minute"]
    path = tmp_path / "course_map.yaml"
    path.write_text(yaml.safe_dump(raw))
    course = parse_course_map(path)
    noy = store.learner("Noy <b>")
    store.record(noy.id, "welcome", "welcome:visit", "visit", True)
    store.record(noy.id, "welcome", "welcome-soft-skills", "reflection", "Patience")
    answer_quiz(store, noy)
    assert course_complete(course_progress(store, noy, course))
    certificate = certificate_html(store, noy, course)
    assert "Certificate of completion" in certificate and "Noy &lt;b&gt;" in certificate


def test_export_journal_command_writes_markdown_and_html(store, tmp_path, learner_home):
    noy = store.learner("Noy")
    store.record(noy.id, "welcome", "welcome-soft-skills", "reflection", HARD_TEXT)
    store.close()
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "artisan_course.cli", "export-journal", "--learner", "noy",
                             "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    files = sorted(p.suffix for p in out.iterdir())
    assert files == [".html", ".md"]
    assert HARD_TEXT.splitlines()[1] in next(out.glob("*.md")).read_text()


def test_export_journal_on_an_empty_store_succeeds_and_says_so(tmp_path):
    result = subprocess.run([sys.executable, "-m", "artisan_course.cli", "export-journal", "--learner", "Nobody",
                             "--out", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0
    assert "There is nothing in Nobody's journal yet" in result.stdout
    assert "Nothing is written" in next(tmp_path.glob("*.html")).read_text()


PLAN = {"commitments": [
    {"action": "Visit the weavers in Ban Phanom", "date": "2027-01-15", "because": "they asked to meet the buyer"},
    {"action": "Pay the advance <b>on time</b>", "date": "2027-01-20", "because": "they buy thread first"},
    {"action": "Agree a check-in plan", "date": "2027-02-01", "because": "late news costs both of us"},
]}


def test_an_action_plan_counts_only_with_three_full_commitments():
    from artisan_course.models.action_plan import plan_ready
    written = date(2027, 1, 10)
    assert plan_ready(PLAN, written)
    missing_reason = {"commitments": [*PLAN["commitments"][:2], {**PLAN["commitments"][2], "because": "  "}]}
    assert not plan_ready(missing_reason, written)
    assert not plan_ready({"commitments": PLAN["commitments"][:2]}, written)
    assert not plan_ready(None, written)


def test_the_journal_and_the_plan_widget_agree_on_a_plan_that_is_not_ready(store):
    """Regression: the journal once accepted any text as a date, so "0 of 3 ready" could still complete the course."""
    from artisan_course.models.action_plan import from_value, status_line
    noy = store.learner("Noy")
    module = load_course_map().module("wrap-up")
    not_dates = {"commitments": [{**c, "date": when} for c, when in zip(PLAN["commitments"],
                                                                    ("soon", "next week", "2020-01-01"))]}
    store.record(noy.id, "wrap-up", "action-plan", "action-plan", not_dates)
    assert status_line(from_value(not_dates), date.today()) == "0 of 3 commitments ready"
    progress = module_progress(store, noy, module)
    assert progress.plan_needed and not progress.plan_ready


def test_the_wrap_up_is_complete_only_with_the_action_plan(store):
    from artisan_course.content.quiz_bank import load_bank
    module = load_course_map().module("wrap-up")
    noy = store.learner("Noy")
    store.record(noy.id, "wrap-up", "wrap-up:visit", "visit", True)
    for prompt in module_prompts(module):
        store.record(noy.id, "wrap-up", prompt.item, "reflection", "Written")
    answer_quiz(store, noy, "wrap-up")
    assert load_bank("wrap-up")
    progress = module_progress(store, noy, module)
    assert progress.plan_needed and not progress.complete
    assert "action plan not finished" in progress.summary()
    store.record(noy.id, "wrap-up", "action-plan", "action-plan", PLAN)
    assert module_progress(store, noy, module).complete


def test_the_journal_shows_the_plan_and_scenarios_as_sentences_escaped(store):
    noy = store.learner("Noy")
    store.record(noy.id, "welcome", "welcome:visit", "visit", True)
    store.record(noy.id, "wrap-up", "wrap-up:visit", "visit", True)
    store.record(noy.id, "wrap-up", "action-plan", "action-plan", PLAN)
    store.record(noy.id, "wrap-up", "milestone-plan", "scenario",
                 {"summary": "Three batches of 100 <scarves>, ending 2027-03-01.", "milestones": [{"name": "Batch 1"}]})
    markdown = journal_markdown(store, noy)
    assert "1. Visit the weavers in Ban Phanom (by 15 January 2027), because they asked to meet the buyer" in markdown
    assert "**My milestone plan**\n\nThree batches of 100 <scarves>, ending 2027-03-01." in markdown
    page = journal_html(store, noy)
    assert "Pay the advance &lt;b&gt;on time&lt;/b&gt;" in page and "<b>on time</b>" not in page
    assert "Three batches of 100 &lt;scarves&gt;" in page
    assert "{'" not in page and "{'" not in markdown  # no raw Python dictionaries


def test_every_simulators_saved_scenario_reads_as_a_sentence_in_the_journal(store):
    from artisan_course.widgets.anchoring import AnchoringSimulator
    from artisan_course.widgets.contingency import ContingencySimulator
    from artisan_course.widgets.fairness import FairnessSimulator
    from artisan_course.widgets.milestones import MilestonePlanner
    from artisan_course.widgets.negotiation import NegotiationSimulator
    noy = store.learner("Noy")
    tools = {"anchoring": AnchoringSimulator, "contingency-why": ContingencySimulator,
             "fairness-culture": FairnessSimulator,
             "management": MilestonePlanner, "people-persuaders": NegotiationSimulator}
    for module, tool in tools.items():
        store.record(noy.id, module, tool.__name__.lower(), "scenario", tool().snapshot())
    markdown = journal_markdown(store, noy)
    assert "with the clause" in markdown and "Expected cost to the buyer" in markdown
    assert "chance of a deal" in markdown and "A profit of 1,000 shared" in markdown
    assert "pieces in 3 batches" in markdown and "Your points 54, the artisans' 60" in markdown
    assert "{'" not in markdown and "{'" not in journal_html(store, noy)


def test_the_journal_holds_the_order_agreement_and_the_milestone_plan_the_slide_promises(store):
    """Module 06's last slide says "your plan and your agreement are saved under your name": the journal shows both."""
    from artisan_course.models import agreement as ag
    from artisan_course.widgets.milestones import MilestonePlanner
    noy = store.learner("Noy")
    store.record(noy.id, "management", "management:visit", "visit", True)
    plan = MilestonePlanner().snapshot()
    store.record(noy.id, "management", "milestone-plan", "scenario", plan)
    fields = ag.empty_fields() | {"product": "Silk <scarf>", "price": "12.5", "quantity": "120",
                                  "delivery": date(2030, 5, 1).isoformat(), "buyer": "Lao Crafts"}
    store.record(noy.id, "management", "order-agreement", "draft", ag.draft_value(fields, []))
    page = journal_html(store, noy)
    assert "My milestone plan" in page and plan["summary"].split(" from ")[0] in page
    first = plan["milestones"][0]
    assert f"<td>{first['name']}</td><td>{first['pieces']}</td>" in page  # the batches as a table, in words
    assert "My order agreement: what we agreed" in page
    assert "Lao Crafts orders 120 pieces of Silk &lt;scarf&gt;" in page and "<scarf>" not in page
    assert "1,500 USD for 120 pieces" in page
    markdown = journal_markdown(store, noy)
    assert "**My order agreement: what we agreed**" in markdown and "- Price: 12.50 USD per piece" in markdown


def test_a_draft_agreement_is_in_the_journal_as_written_so_far_and_defaults_alone_are_not(store):
    from artisan_course.models import agreement as ag
    noy = store.learner("Noy")
    store.record(noy.id, "management", "order-agreement", "draft", ag.draft_value(ag.empty_fields(), []))
    assert "order agreement" not in journal_html(store, noy).lower()  # the builder's defaults are not the learner's
    fields = ag.empty_fields() | {"product": "Baskets", "price": "abc"}
    store.record(noy.id, "management", "order-agreement", "draft", ag.draft_value(fields, []))
    page = journal_html(store, noy)
    assert "My order agreement (not finished yet)" in page
    assert "<p>Product: Baskets</p>" in page and "<p>Price per piece: abc</p>" in page


def test_after_one_right_answer_the_journal_says_answered_and_right_never_a_share_of_the_module(store):
    from artisan_course.content.quiz_bank import load_bank
    noy = store.learner("Noy")
    store.record(noy.id, "anchoring", "anchoring:visit", "visit", True)
    first = next(q for q in load_bank("anchoring") if q.type != "poll")
    store.record(noy.id, "anchoring", first.id, "quiz", {"response": None, "attempt": 1, "revealed": False},
                 score=1.0)
    summary = module_progress(store, noy, load_course_map().module("anchoring")).summary()
    assert f"quiz 1 of {len(load_bank('anchoring'))} answered, 1 right the first time" in summary
    assert "%" not in summary and "%" not in journal_html(store, noy).split("<h2>", 1)[1]


def test_the_downloaded_journal_ends_with_the_certificate_once_it_is_earned(store, tmp_path):
    raw = yaml.safe_load((REPO / "data" / "course_map.yaml").read_text())
    raw["modules"] = [m for m in raw["modules"] if m["id"] == "welcome"]
    raw["seed_map"] = ["Think for a minute"]
    path = tmp_path / "course_map.yaml"
    path.write_text(yaml.safe_dump(raw))
    course = parse_course_map(path)
    noy = store.learner("Noy")
    store.record(noy.id, "welcome", "welcome:visit", "visit", True)
    assert "Certificate of completion" not in journal_html(store, noy, course, with_certificate=True)
    store.record(noy.id, "welcome", "welcome-soft-skills", "reflection", "Patience")
    answer_quiz(store, noy)
    page = journal_html(store, noy, course, with_certificate=True)
    assert page.index("Patience") < page.index("Certificate of completion")
    assert "Certificate of completion" not in journal_html(store, noy, course)
