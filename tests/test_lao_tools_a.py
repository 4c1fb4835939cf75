"""The anchoring simulator (deck 03) and the negotiation simulator (deck 04) speak Lao in a Lao kernel, and their
charts draw Lao labels with a font that has the glyphs (Noto Sans Lao, in plotting.STYLE's font list)."""
from __future__ import annotations

import re
import warnings

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg

from artisan_course import i18n
from artisan_course.widgets.plotting import STYLE, new_figure, png

LAO = re.compile("[\u0e80-\u0eff]")



def html_of(widget) -> str:
    """Every HTML text inside a widget tree, joined (what a reader sees, with its tags)."""
    found = []

    def walk(w):
        if type(w).__name__ == "HTML":
            found.append(w.value)
        for child in getattr(w, "children", ()):
            walk(child)
    walk(widget)
    return "\n".join(found)


def glyph_warnings(draw) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def chart_texts(figure) -> list[str]:
    texts = [t.get_text() for lg in figure.legends for t in lg.get_texts()]
    for ax in figure.axes:
        texts += [ax.title.get_text(), ax.xaxis.label.get_text(), ax.yaxis.label.get_text()]
    return [t for t in texts if t.strip()]


def test_a_chart_with_a_lao_label_draws_every_glyph():
    figure = new_figure()
    ax = figure.axes[0]
    ax.plot([0, 1], [0, 1], label="ລາຄາທີ່ຄາດໄວ້")
    ax.set_xlabel("ຂໍ້ສະເໜີທຳອິດຂອງທ່ານ ($ ຕໍ່ຊິ້ນ)")
    ax.set_title("ຊ່າງຫັດຖະກຳບອກລາຄາກ່ອນ")
    assert "Noto Sans Lao" in STYLE["font.family"]
    assert glyph_warnings(lambda: png(figure)) == []
    # the font that draws a Lao letter is Noto Sans Lao, the first in the list that has it (Noto Sans has none)
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties
    from matplotlib.ft2font import FT2Font
    with matplotlib.rc_context(STYLE):
        paths = font_manager.fontManager._find_fonts_by_props(FontProperties(family=STYLE["font.family"]))
    drawing = next(path for path in paths if FT2Font(str(path)).get_char_index(ord("ລ")))
    assert "NotoSansLao" in str(drawing), paths
    # and a list with no font for Lao does warn: the check above can fail
    from matplotlib.figure import Figure
    alone = dict(STYLE, **{"font.family": ["Noto Sans"]})
    with matplotlib.rc_context(alone):
        bare = Figure(figsize=(6, 4.2), dpi=110)
        bare.add_subplot().set_xlabel("ຂໍ້ສະເໜີທຳອິດ")

    def draw_bare():
        with matplotlib.rc_context(alone):
            FigureCanvasAgg(bare).draw()
    assert glyph_warnings(draw_bare) != []


def test_the_anchoring_simulator_speaks_lao_in_a_lao_deck(lao):
    from artisan_course.widgets.anchoring import AnchoringSimulator

    sim = AnchoringSimulator()
    shown = html_of(sim.widget)
    for lao_text in ("ໃຜເຮັດຂໍ້ສະເໜີທຳອິດ?", "ຂໍ້ສະເໜີທຳອິດຂອງທ່ານ ($ ຕໍ່ຊິ້ນ)", "ນ້ຳໜັກທີ່ທ່ານໃຫ້ຕໍ່ຄວາມສຳພັນໄລຍະຍາວ",
                     "ລາຄາທີ່ຄາດໄວ້", "ໂອກາດທີ່ຈະໄດ້ຂໍ້ຕົກລົງ", "ຄວາມໄວ້ວາງໃຈ (ຄະແນນຂອງແບບຈຳລອງ)",
                     "ຕົວເລກໃນສະຖານະການນີ້", "ຕົ້ນທຶນຂອງຊ່າງຫັດຖະກຳ", "ສິ່ງທີ່ການຄົ້ນຄວ້າພົບ", "ສິ່ງທີ່ແບບຈຳລອງນີ້ສົມມຸດ",
                     "1. ລໍຖ້າ, ຄົ້ນຄວ້າ, ໃຫ້ຕົວຍຶດຕອບໂຕ້", "ຄຳແນະນຳຂອງຫຼັກສູດ", "Tversky &amp; Kahneman 1974"):
        assert lao_text in shown, lao_text
    for english in ("Who makes the first offer", "Expected price", "Chance of a deal", "The numbers in this scenario",
                    "What research found", "Wait, research", "Course guidance", "set with its slider", " per piece",
                    "Success", "(about "):
        assert english not in shown, english
    assert [label for label, _ in sim.mover.options] == ["ທ່ານ", "ຊ່າງຫັດຖະກຳ"]
    assert "ເນັ້ນຕົວເລກຂອງທ່ານເອງ ເມື່ອເຂົາເຈົ້າເວົ້າກ່ອນ" in shown  # the counter-anchor box's label

    # a trainee moves the controls: the verdict and the chart follow, in Lao
    sim.mover.value = "artisans"
    sim.counter.value = True
    sim.research.value = 1.0
    sim.relationship.value = 1.0
    verdict = sim.numbers.value
    assert "ສຳເລັດ: ໄດ້ຂໍ້ຕົກລົງ" in verdict and "Success" not in verdict and "verdict-success" in verdict
    assert sim.axes.get_title().endswith(": ຊ່າງຫັດຖະກຳບອກລາຄາກ່ອນ")
    sim.mover.value = "you"
    sim.yours.value = 5.0  # an extreme first offer
    verdict = sim.numbers.value
    assert "ສ່ຽງ: ຊ່າງຫັດຖະກຳອາດຖອນຕົວ" in verdict and "Risky" not in verdict
    assert sim.axes.get_title().endswith(": ທ່ານບອກລາຄາກ່ອນ")
    texts = chart_texts(sim.figure)
    assert "ເຂດຕົກລົງກັນໄດ້" in texts and "ລາຄາສຸດທ້າຍ ($ ຕໍ່ຊິ້ນ)" in texts and "ໂອກາດທີ່ຈະໄດ້ຂໍ້ຕົກລົງ (%)" in texts
    assert not [t for t in texts if re.search(r"\b(price|offer|deal|zone|choice)\b", t)], texts
    assert glyph_warnings(lambda: png(sim.figure)) == []

    # what is saved stays English, as the English deck saves it
    saved = sim.snapshot()
    assert saved["summary"].startswith(f"{sim.product.name}: You named the first price")
    assert saved["settings"]["first_mover"] == "you"


def test_the_negotiation_simulator_speaks_lao_in_a_lao_deck(lao):
    from artisan_course.widgets.negotiation import NegotiationSimulator

    sim = NegotiationSimulator()
    assert sim.propose_button.description == "ສະເໜີ"
    assert sim.use_counter.description == "ໃຊ້ຂໍ້ສະເໜີຕອບຂອງເຂົາເຈົ້າ"
    assert sim.restart.description == "ເລີ່ມໃໝ່"
    assert all(b.description == "ຖາມວ່າເປັນຫຍັງ" for b in sim.ask_buttons.values())
    first = next(iter(sim.type_choices.values()))
    assert [label for label, _ in first.options] == ["ເລືອກປະເພດ", "ແບ່ງປັນ", "ແລກປ່ຽນ", "ຕ້ອງການຄືກັນ"]
    shown = html_of(sim.widget)
    for lao_text in ("ຄລິກ <strong>ສະເໜີ</strong>", "ຄະແນນຂອງທ່ານ", "ຄຸນຄ່າຮ່ວມ (ທັງສອງຝ່າຍລວມກັນ)", "ປະຫວັດ",
                     "<th>ໃຜ</th>", "ຈຸດຢືນທຳອິດຂອງເຂົາເຈົ້າ", "ຄະແນນຂອງແຕ່ລະທາງເລືອກ", "ເຂົາເຈົ້າເວົ້າວ່າ:",
                     "ສະຫຼຸບ: ແຕ່ລະປະເດັນແມ່ນປະເພດໃດ?", "ສິ່ງທີ່ແບບຈຳລອງສົມມຸດ", "ແຫຼ່ງຂໍ້ມູນ.", "ການປະນີປະນອມ"):
        assert lao_text in shown, lao_text
    for english in ("Choose one option", "Your points", "Joint value", "History", "their first position",
                    "Points for each option", "They say:", "what kind of issue", "What the model assumes",
                    "Sources.", "<br>you ", "is a compromise"):
        assert english not in shown, english

    # ask why: the reason shows, in Lao around the artisans' words
    key = next(iter(sim.ask_buttons))
    sim.ask_buttons[key].click()
    assert "<strong>ເປັນຫຍັງ?</strong>" in sim.why[key].value and "ມັນມີຄ່າເຖິງ" in sim.why[key].value
    assert "Why?" not in sim.why[key].value and "It is worth" not in sim.why[key].value

    # propose the split: the artisans answer with a counter, in Lao
    sim.propose_button.click()
    answer = sim.answer.value
    assert "ຂໍ້ສະເໜີຕອບຂອງເຂົາເຈົ້າ:" in answer and "Their counter" not in answer
    assert LAO.search(answer.split("</p>")[0])  # the artisans' reply itself
    assert "ທ່ານ" in answer and " they " not in answer
    history = sim.history_box.value
    assert "ສະເໜີຕອບ" in history and ">counter<" not in history and ">Artisans<" not in history
    assert sim.history[-1]["answer"] == "counter"  # the saved history keeps its English words

    # take their counter and propose it: a deal, in Lao
    sim.use_counter.click()
    sim.propose_button.click()
    answer = sim.answer.value
    assert "ຊ່າງຫັດຖະກຳຕອບຕົກລົງ" in answer and "ລວມກັນທ່ານມີ" in answer
    assert "say yes" not in answer and "Together you have" not in answer
    assert "ຕົກລົງ" in sim.history_box.value and "yes, a deal" not in sim.history_box.value
    assert sim.snapshot()["history"][-1]["answer"] == "yes, a deal"

    # the close: choose a type and check
    keys = list(sim.type_choices)
    sim.type_choices[keys[0]].value = "distributive"
    sim.check_button.click()
    mark = sim.type_marks[keys[0]].value
    assert mark.startswith("<p class='course-feedback-") and ("ຖືກ: " in mark or "ຍັງບໍ່ຖືກປານໃດ" in mark)
    assert "Right:" not in mark and "Not quite" not in mark
    assert "ເລືອກປະເພດກ່ອນ" in sim.type_marks[keys[1]].value

    texts = chart_texts(sim.figure)
    for lao_text in ("ຄະແນນຂອງທ່ານ", "ຄະແນນຂອງຊ່າງຫັດຖະກຳ", "ດີທີ່ສຸດສຳລັບທັງສອງຝ່າຍ", "ຊຸດຂໍ້ສະເໜີຂອງທ່ານຕອນນີ້"):
        assert lao_text in texts, lao_text
    assert "ແບ່ງເຄິ່ງທຸກປະເດັນ" in sim.axes.get_title()
    assert not [t for t in texts if re.search(r"\b(points|limit|packages|issues|counter)\b", t)], texts

    def draw():
        with matplotlib.rc_context(STYLE):
            FigureCanvasAgg(sim.figure).draw()
    assert glyph_warnings(draw) == []


def plot_height(figure) -> float:
    """The axes' share of the figure's height, once drawn (a tall legend or title leaves the plot less)."""
    with matplotlib.rc_context(STYLE):
        FigureCanvasAgg(figure).draw()
    return figure.axes[0].get_position().height


def test_the_simulators_charts_keep_their_lao_text_inside_the_picture():
    from artisan_course.widgets.anchoring import AnchoringSimulator
    from artisan_course.widgets.negotiation import NegotiationSimulator

    makers = (AnchoringSimulator, lambda: AnchoringSimulator(first_mover="artisans"), NegotiationSimulator)
    english = [plot_height(make().figure) for make in makers]
    i18n.use("lo")
    try:
        for make, english_height in zip(makers, english):
            figure = make().figure
            canvas = FigureCanvasAgg(figure)
            with matplotlib.rc_context(STYLE):
                canvas.draw()
            renderer = canvas.get_renderer()
            box = figure.bbox
            texts = [t for lg in figure.legends for t in lg.get_texts()]
            for ax in figure.axes:
                texts += [ax.title, ax.xaxis.label, ax.yaxis.label]
            assert any(LAO.search(t.get_text()) for t in texts)
            cut = []
            for t in texts:
                if not t.get_text().strip():
                    continue
                e = t.get_window_extent(renderer)
                if e.x0 < box.x0 - 1 or e.x1 > box.x1 + 1 or e.y0 < box.y0 - 1 or e.y1 > box.y1 + 1:
                    cut.append(t.get_text())
            assert cut == [], cut
            # the Lao legend fits its columns as the English one does: the plot is not squeezed under a tall legend
            assert plot_height(figure) >= 0.9 * english_height, (plot_height(figure), english_height)
    finally:
        i18n.use("en")
