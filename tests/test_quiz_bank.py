"""Every question bank validates; each kind of broken bank gets an error naming the file, question and problem."""
from collections import Counter
from pathlib import Path

import pytest

from artisan_course.content.course_map import load_course_map
from artisan_course.content.knowledge_check import load_knowledge_check
from artisan_course.content.quiz_bank import TYPES, QuizBankError, load_all_banks, parse_bank

GOOD = """module: {module}
questions:
  - id: q-one
    type: single
    seed_section: Fairness
    prompt: Which rule splits evenly?
    options:
      - key: equality
        text: Equality
        feedback: It splits evenly.
      - key: equity
        text: Equity
        feedback: It splits by contribution.
    answer: equality
    explanation: Equality means equal shares.
"""


def test_every_bank_validates_and_the_course_has_enough_questions():
    banks = load_all_banks()
    course = load_course_map()
    assert set(banks) == {m.id for m in course.modules}
    total = sum(len(v) for v in banks.values())
    assert total >= 70
    assert set(Counter(q.type for v in banks.values() for q in v)) == set(TYPES)
    for module in course.modules:
        if module.id not in ("welcome", "wrap-up"):
            assert len(banks[module.id]) >= 8, module.id


def test_questions_serve_their_modules_seed_rows_and_cover_every_quizzed_row():
    banks = load_all_banks()
    course = load_course_map()
    check = load_knowledge_check()
    knowledge = set(check.before_ids()) | set(check.after_ids())
    covered = set()
    for module in course.modules:
        earlier = {row for m in course.modules[:module.number] for row in m.seed_sections}
        for q in banks[module.id]:
            if module.id == "wrap-up" or q.id in knowledge:
                pass  # the final quiz and the knowledge check span the course
            elif "-recall-" in q.id:
                # spaced recall: a question on an earlier module's row, asked again at the start of a later one
                assert q["seed_section"] in earlier, f"{q.id}: a recall question asks about an earlier module"
            else:
                assert q["seed_section"] in module.seed_sections, q.id
            covered.add(q["seed_section"])
    # Rows the brief's seed map asks to be quizzed (the rest are reflections or exercises).
    quizzed = {"Pillar 1: People", "Pillar 2: Key persuaders", "Pillar 3: Process", "Pillar 4: Tactics (anchoring)",
               "Contingency agreement", "Cultural influence", "Management rules", "Communication rules 4-6"}
    assert quizzed - covered == set()


def test_every_option_has_feedback_and_every_question_an_explanation():
    for questions in load_all_banks().values():
        for q in questions:
            assert q["explanation"].strip()
            if q.type not in ("poll", "truefalse", "numeric", "text"):
                assert all(o["feedback"].strip() for o in q.get("options") or q.get("items"))


def bank(tmp_path: Path, text: str, name: str = "fairness-culture") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.format(module=name) if "{module}" in text else text, encoding="utf-8")
    return path


@pytest.mark.parametrize("change, expected", [
    (lambda t: t.replace("prompt: Which rule", "prompt: [Which rule"), "not valid YAML"),
    (lambda t: t.replace("type: single", "type: essay"), "question 'q-one': unknown question type 'essay'"),
    (lambda t: t.replace("        feedback: It splits evenly.\n", ""),
     "question 'q-one': options.0: feedback is missing"),
    (lambda t: t + GOOD.split("questions:\n")[1], "question 'q-one': this id is used twice"),
    (lambda t: t.replace("answer: equality", "answer: needs"),
     "question 'q-one': the answer 'needs' is not among the options"),
    (lambda t: t.replace("seed_section: Fairness", "seed_section: Pillar 9"), "seed_section 'Pillar 9' is not a row"),
])
def test_a_broken_bank_names_the_file_the_question_and_the_problem(tmp_path, change, expected):
    path = bank(tmp_path, change(GOOD.format(module="fairness-culture")))
    with pytest.raises(QuizBankError) as caught:
        parse_bank(path, load_course_map().seed_map)
    assert str(path) in str(caught.value)
    assert expected in str(caught.value)


def test_a_good_bank_parses(tmp_path):
    questions = parse_bank(bank(tmp_path, GOOD), load_course_map().seed_map)
    assert [q.id for q in questions] == ["q-one"]
