"""The fairness and contingency simulators, the action plan and the evaluation speak Lao in a Lao kernel.

Each test builds a tool with ``i18n.use("lo")``, drives it as a trainee would, and checks what a Lao reader sees:
the Lao words are there and the English ones are not, while what is saved stays English (the Lao and the English
decks save the same answers)."""
from __future__ import annotations

import warnings
from datetime import date, timedelta

import pytest

from artisan_course.state.session import SESSION
from artisan_course.state.store import Store

pytestmark = pytest.mark.usefixtures("fresh_session")  # see conftest.py



def chart_texts(figure) -> list[str]:
    texts = [t.get_text() for ax in figure.axes for t in (ax.xaxis.label, ax.yaxis.label)]
    for legend in figure.legends + [ax.get_legend() for ax in figure.axes if ax.get_legend()]:
        texts += [t.get_text() for t in legend.get_texts()]
    return texts


def test_the_contingency_simulator_speaks_lao(lao):
    from artisan_course.widgets.contingency import ContingencySimulator
    order = date.today()
    view = ContingencySimulator(order_date=order)
    page = " ".join(w.value for w in (view.numbers, view.advice, view.clause, view.assumptions))
    assert "ໂອກາດສົ່ງທັນເວລາ" in view.numbers.value and "Chance of delivery" not in view.numbers.value
    assert "ມີຂໍ້ກຳນົດ" in view.numbers.value and "With the clause" not in view.numbers.value
    assert "ຂໍ້ກຳນົດເພີ່ມໂອກາດສົ່ງທັນເວລາ" in view.advice.value and "The clause raises" not in view.advice.value
    assert "ສິ່ງທີ່ແບບຈຳລອງສົມມຸດ" in view.assumptions.value and "What the model assumes" not in page
    assert "Bazerman &amp; Gillespie (1999)" in view.assumptions.value  # names and sources stay as they are
    labels = [box.children[0].value for box in view.widget.children[0].children[0].children[0].children[1].children]
    assert "ຈຳນວນສັ່ງຊື້ (ຊິ້ນ)" in labels[0] and "Order size" not in labels[0]
    texts = chart_texts(view.figure)
    assert "ຈຳນວນມື້ ນັບແຕ່ມື້ສັ່ງຊື້ ຮອດຊິ້ນສຸດທ້າຍ" in texts and "ບໍ່ມີຂໍ້ກຳນົດ" in texts
    assert not any("clause" in t or "Days from" in t for t in texts)
    # A trainee makes the deduction larger than the price: the reason is in Lao too.
    view.deduction.value = "15"
    assert "ຫຼາຍກວ່າລາຄາ" in view.message.value and "larger than the price" not in view.message.value
    view.deduction.value = "2"
    view.set_values(best=10, likely=12, worst=14, effort=0.0)
    assert "ຖ້າບໍ່ມີຄວາມພະຍາຍາມເພີ່ມ" in view.advice.value and "With no extra effort" not in view.advice.value
    # What is saved and handed on is the same as in the English deck.
    snapshot = view.snapshot()
    assert snapshot["clause"].startswith("Delivery clause for the order of 500 pieces")
    assert "On time:" in snapshot["summary"]


def test_the_fairness_simulator_speaks_lao(lao):
    from artisan_course.widgets.fairness import FairnessSimulator
    view = FairnessSimulator()
    assert view.add.description == "ເພີ່ມສະມາຊິກ"
    assert [label for label, _key in view.preset.options][0] == "ຄວາມສະເໝີພາບ: ທຸກຄົນໄດ້ເທົ່າກັນ"
    assert "ສ່ວນແບ່ງນ້ອຍທີ່ສຸດ" in view.summary.value and "Smallest share" not in view.summary.value
    assert "<th>ສະມາຊິກ</th>" in view.shares.value and "Your blend" not in view.shares.value
    assert "<th>ເທົ່າກັນ</th>" in view.shares.value and "<th>Equal</th>" not in view.shares.value
    assert view.because.value.startswith("ພວກເຮົາສະເໜີໃຫ້ແບ່ງກຳໄລຕາມຄວາມສະເໝີພາບ")
    # The trainee blends two rules with the sliders.
    view.sliders["equality"].value = 0.5
    view.sliders["needs"].value = 0.5
    assert view.preset.value == "blend"
    assert "ນ້ຳໜັກທີ່ໃຊ້" in view.rescaled.value and "ຄວາມຕ້ອງການ 50%" in view.rescaled.value
    assert "Weights used" not in view.rescaled.value
    assert "ຄວາມສະເໝີພາບ ແລະ ຄວາມຕ້ອງການ" in view.because.value and "We suggest" not in view.because.value
    # Nobody has hours: the rule falls back, and says so in Lao.
    for row in view.rows:
        row["cells"]["hours"].value = "0"
    view.preset.value = "equity_hours"
    assert "ຍັງບໍ່ມີໃຜມີຊົ່ວໂມງເຮັດວຽກ" in view.summary.value and "Nobody has" not in view.summary.value
    view.add.click()
    assert view.rows[-1]["cells"]["name"].value == f"ສະມາຊິກ {len(view.rows)}"
    view.rows[0]["cells"]["quality"].value = "3"
    assert "ຄຸນນະພາບແມ່ນຄະແນນແຕ່ 0 ຫາ 1" in view.message.value and "Quality is a score" not in view.message.value
    view.rows[0]["cells"]["quality"].value = "1"
    texts = chart_texts(view.figure)
    assert "ສ່ວນແບ່ງ ($)" in texts and "ເທົ່າກັນ" in texts and "ແບບປະສົມຂອງທ່ານ" in texts
    assert not any(t in ("Share ($)", "Equal", "Your blend") for t in texts)
    # The journal keeps its English summary and the rules' keys.
    snapshot = view.snapshot()
    assert snapshot["summary"].startswith("A profit of") and set(snapshot["weights"]) == {
        "equality", "equity_hours", "equity_pieces", "equity_quality", "needs"}


def test_the_action_plan_speaks_lao_and_saves_the_same_plan(lao, learner_home):
    from artisan_course.widgets import action_plan as ap
    today = date(2026, 3, 10)
    SESSION.set_learner("Noy")
    view = ap.ActionPlan(today=today)
    assert view.download.description == "ດາວໂຫຼດແຜນຂອງຂ້ອຍ"
    assert "ຄຳໝັ້ນສັນຍາທີ 1" in view.widget.children[1].children[0].value
    assert "ພ້ອມແລ້ວ 0 ໃນ 3 ຄຳໝັ້ນສັນຍາ" in view.status.value and "commitments ready" not in view.status.value
    view.fields[0]["action"].value = "ໂທຫາເອື້ອຍເພັດ"
    note = view.fields[0]["note"].value
    assert "ເພີ່ມເຫດຜົນ" in note and "ເລືອກວັນທີ." in note and "Add a reason" not in note
    view.fields[0]["because"].value = "ກຸ່ມຕ້ອງການຮູ້"
    view.fields[0]["date"].value = today + timedelta(days=7)
    assert "ພ້ອມແລ້ວ." in view.fields[0]["note"].value and "Ready" not in view.fields[0]["note"].value
    assert "ພ້ອມແລ້ວ 1 ໃນ 3 ຄຳໝັ້ນສັນຍາ" in view.status.value
    saved = Store(learner_home).answers(learner_id=SESSION.learner.id, item="action-plan", kind="action-plan")
    assert saved[-1].value["summary"].startswith("1 of 3 commitments ready.")  # the saved summary stays English
    view.download.click()
    assert "ແຜນຂອງຂ້ອຍ (ໜ້າເວັບ, ພິມໄດ້)" in view.links.value and "ວັນທີສຳລັບປະຕິທິນຂອງຂ້ອຍ" in view.links.value
    assert "My plan" not in view.links.value
    from artisan_course.documents.action_plan import plan_html
    page = plan_html(view.commitments(), "Noy", today)
    assert "ແຜນປະຕິບັດງານຂອງຂ້ອຍ: Noy" in page and "ຄຳໝັ້ນສັນຍາທີ 1" in page and "ຂ້ອຍຈະ:" in page
    assert "My action plan" not in page and "I will:" not in page


def test_the_evaluation_speaks_lao_and_saves_english_answers(lao, learner_home):
    from artisan_course.widgets.evaluation import Evaluation
    SESSION.set_learner("Noy")
    form = Evaluation()
    assert form.button.description == "ສົ່ງການປະເມີນຂອງຂ້ອຍ"
    rating = next(iter(form.ratings.values()))
    assert [label for label, _value in rating.options] == ["ບໍ່ເລີຍ", "ໜ້ອຍໜຶ່ງ", "ສ່ວນຫຼາຍ", "ເຕັມທີ່"]
    assert [label for label, _value in form.pace.options] == ["ຊ້າເກີນໄປ", "ພໍດີ", "ໄວເກີນໄປ"]
    form.save()
    assert "ກະລຸນາເລືອກຄຳຕອບສຳລັບຄຳຖາມທີ 1." in form.result.value and "Please choose" not in form.result.value
    for widget in form.ratings.values():
        widget.value = "Mostly"  # the button a trainee taps shows ສ່ວນຫຼາຍ; the value saved is English
    assert rating.label == "ສ່ວນຫຼາຍ"
    form.pace.value = "About right"
    form.save()
    assert "ຂອບໃຈ" in form.result.value and "Thank you" not in form.result.value
    saved = Store(learner_home).latest(SESSION.learner.id, "end-of-day-evaluation", kind="evaluation").value
    assert saved["pace"] == "About right" and set(saved["ratings"].values()) == {"Mostly"}


def test_the_lao_charts_have_every_glyph(lao):
    """Matplotlib warns "Glyph ... missing from font(s)" when a chart's fonts have no Lao letters: that is a failure.
    (The style's font list falls back per glyph; whichever of its fonts has the Lao letters, none may be missing.)"""
    from artisan_course.widgets.contingency import ContingencySimulator
    from artisan_course.widgets.fairness import FairnessSimulator
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        contingency = ContingencySimulator()
        contingency.likely.value = 25  # redraws the chart, its legend's dates too
        fairness = FairnessSimulator()
        fairness.sliders["needs"].value = 0.5
    assert any("ບໍ່ມີຂໍ້ກຳນົດ" in t for t in chart_texts(contingency.figure))  # the charts did draw Lao text
    assert any("ແບບປະສົມຂອງທ່ານ" in t for t in chart_texts(fairness.figure))
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
