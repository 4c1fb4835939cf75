"""The contingency-agreement simulator: ``show_contingency_simulator()``."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date, timedelta

import ipywidgets as widgets
import numpy as np

from ..models.contingency import (DEFAULT_BONUS_DAYS, DEFAULT_DEDUCTION_DAYS, DRAWS, SEED, ContingencyInputError,
                                  Delivery, Terms, advice, clause_text, delivery_days, outcome, summary)
from ..i18n import N_, _
from ..text import long_date
from .plotting import INDIGO, LEAF, MUTED, ROSE, legend, new_figure, png
from ..state import handoff
from .kit import (show_tool, kip_note, InputProblem, columns, esc, labelled, message_box, one_update, parse_number,
                  save_button,
                     show_problem)

MAX_DAYS = 180
SOURCE = N_("Why a clause helps: it turns a difference of opinion about the date into the deal itself, and it "
            "motivates both sides to perform. Source: Bazerman & Gillespie (1999), \"Betting on the Future\", "
            "Harvard Business Review.")


def _as_date(value, default: date) -> date:
    if value is None:
        return default
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _field(label: str, control: widgets.Widget, width: str = "100%") -> widgets.Widget:
    box = labelled(label, control, width)
    control.layout.width = "auto"  # fills the field; "100%" plus the widget's margin would be cut at the right edge
    return box


def _side_by_side(*fields: widgets.Widget) -> widgets.Widget:
    # Inputs line up at the bottom even when one label takes two lines.
    return widgets.HBox(list(fields), layout=widgets.Layout(width="100%", justify_content="space-between",
                                                            align_items="flex-end"))


class ContingencySimulator:
    def __init__(self, pieces: int = 500, price: float = 10.0, bonus: float = 2.0, deduction: float = 2.0,
                 bonus_date=None, deduction_date=None, best: int = 20, likely: int = 30, worst: int = 55,
                 effort: float = 0.10, seed: int = SEED, order_date=None):
        self.order_date = _as_date(order_date, date.today())
        self.seed = int(seed)
        self.pieces = widgets.Text(value=f"{pieces:g}")
        self.price = widgets.Text(value=f"{price:g}")
        self.bonus = widgets.Text(value=f"{bonus:g}")
        self.deduction = widgets.Text(value=f"{deduction:g}")
        self.bonus_date = widgets.DatePicker(
            value=_as_date(bonus_date, self.order_date + timedelta(days=DEFAULT_BONUS_DAYS)))
        self.deduction_date = widgets.DatePicker(
            value=_as_date(deduction_date, self.order_date + timedelta(days=DEFAULT_DEDUCTION_DAYS)))
        days = {"min": 1, "max": MAX_DAYS, "step": 1}
        self.best = widgets.IntSlider(value=best, **days)
        self.likely = widgets.IntSlider(value=likely, **days)
        self.worst = widgets.IntSlider(value=worst, **days)
        self.effort = widgets.FloatSlider(value=effort, min=0, max=0.3, step=0.01, readout_format=".0%")
        self.message = message_box()
        self.numbers = widgets.HTML()
        self.numbers.add_class("course-sim-numbers")
        self.advice = widgets.HTML()
        self.chart = widgets.Image(format="png",
                                   layout=widgets.Layout(width="100%", height="auto", object_fit="contain"))
        self.chart.add_class("course-sim-chart")
        self.chart.add_class("course-sim-pinned")  # on a phone it stays on screen while the controls move
        self.clause = widgets.HTML()
        self.assumptions = widgets.HTML()
        self._build_figure()

        # Each control keeps its own Layout (set by _field): one Layout shared by several controls changes them all.
        half = "48%"
        order_title = _("The order and the clause")
        ordered = _("ordered today, {date}").format(date=long_date(self.order_date))
        how_long = _("How long the artisans take")
        days_note = _("days from the order to the last piece")
        terms = widgets.VBox([
            widgets.HTML(f"<p><strong>{esc(order_title)}</strong> ({esc(ordered)})</p>"),
            _side_by_side(_field(_("Order size (pieces)"), self.pieces, half),
                          _field(_("Price per piece (USD)"), self.price, half)),
            _side_by_side(_field(_("Bonus per piece (USD)"), self.bonus, half),
                          _field(_("Deduction per piece (USD)"), self.deduction, half)),
            _side_by_side(_field(_("Bonus if delivered on or before"), self.bonus_date, half),
                          _field(_("Deduction if delivered after"), self.deduction_date, half)),
        ])
        spread = widgets.VBox([
            widgets.HTML(f"<p><strong>{esc(how_long)}</strong> ({esc(days_note)})</p>"),
            _field(_("Best case (days)"), self.best), _field(_("Most likely (days)"), self.likely),
            _field(_("Worst case (days)"), self.worst),
            _field(_("Extra effort the bonus draws out"), self.effort)])
        self.save = save_button("contingency-clause", "contingency-why", self.snapshot)
        # The controls beside the chart and its numbers, so a projector shows them together.
        results = widgets.VBox([self.numbers, self.chart])
        # on a projector it stays in view beside the controls (course-theme.css)
        results.add_class("course-sim-results")
        results.add_class("course-sim-results--chart-first")
        self.widget = widgets.VBox([
            columns(widgets.VBox([terms, spread, self.message]), results),
            columns(widgets.VBox([self.advice]), widgets.VBox([self.clause, self.save])),
            self.assumptions,
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-simulator")
        self.widget.add_class("course-contingency")
        for control in (self.pieces, self.price, self.bonus, self.deduction, self.bonus_date, self.deduction_date,
                        self.best, self.likely, self.worst, self.effort):
            control.observe(lambda _: self.update(), "value")
        self.last = None
        self.problem = None
        self.paused = False
        self.update()
        if self.last is None:
            raise ValueError(f"The preset is not a valid scenario: {self.problem}")

    # -- state ------------------------------------------------------------------------------
    def read(self) -> tuple[Terms, Delivery]:
        pieces = parse_number(self.pieces.value, "Order size")
        pieces = int(pieces) if pieces.is_integer() else pieces
        terms = Terms(order_date=self.order_date, bonus_date=self.bonus_date.value,
                      deduction_date=self.deduction_date.value, pieces=pieces,
                      price=parse_number(self.price.value, "Price per piece"),
                      bonus=parse_number(self.bonus.value, "Bonus per piece"),
                      deduction=parse_number(self.deduction.value, "Deduction per piece"))
        delivery = Delivery(best=int(self.best.value), likely=int(self.likely.value), worst=int(self.worst.value),
                            effort=float(self.effort.value))
        return terms, delivery

    def set_values(self, **values) -> None:
        """Change several controls and redraw once, for example ``set_values(best=10, likely=15)``."""
        with one_update(self):
            for name, value in values.items():
                getattr(self, name).value = value

    def update(self) -> None:
        if self.paused:
            return
        try:
            terms, delivery = self.read()
            result = outcome(terms, delivery, seed=self.seed)
        except (InputProblem, ContingencyInputError) as problem:
            self.problem = problem
            show_problem(self.message, problem)
            return
        self.problem = None
        show_problem(self.message, None)
        self.last = (terms, delivery, result, clause_text(terms))
        self._show(terms, delivery, result)
        handoff.publish(handoff.CLAUSE, self.snapshot())

    def snapshot(self) -> dict:
        terms, delivery, result, text = self.last
        settings = {"order_date": terms.order_date.isoformat(), "bonus_date": terms.bonus_date.isoformat(),
                    "deduction_date": terms.deduction_date.isoformat(), "bonus_day": terms.bonus_day,
                    "deduction_day": terms.deduction_day, "pieces": terms.pieces, "price": terms.price,
                    "bonus": terms.bonus, "deduction": terms.deduction, "currency": "USD", **asdict(delivery),
                    "seed": result.seed, "draws": result.draws}
        r = asdict(result)
        return {"summary": summary(terms, result), "clause": text, "settings": settings, "results": r}

    # -- drawing ----------------------------------------------------------------------------------
    def _build_figure(self) -> None:
        # A small figure with large type: the image is shown at about its own size, so the text stays readable.
        self.figure = new_figure(5.2, 4.1)
        ax = self.axes = self.figure.axes[0]
        edges = np.arange(0, 2)
        self.bars_without = ax.stairs([0], edges, fill=True, color=MUTED, alpha=0.3, label=_("without clause"))
        self.bars_with = ax.stairs([0], edges, color=INDIGO, linewidth=2.5, label=_("with clause"))
        self.bonus_line = ax.axvline(0, color=LEAF, linewidth=3, label=_("bonus date"))
        self.deduction_line = ax.axvline(0, color=ROSE, linewidth=3, linestyle="--", label=_("deduction after"))
        ax.set_xlabel(_("Days from the order to the last piece"))
        ax.set_ylabel(_("Share of deliveries (%)"))
        handles = [self.bars_without, self.bars_with, self.bonus_line, self.deduction_line]
        self.legend = legend(self.figure, handles, [h.get_label() for h in handles])

    def _histogram(self, delivery: Delivery, with_clause: bool, top: int) -> np.ndarray:
        days = np.ceil(delivery_days(delivery, with_clause, self.seed)).astype(int)  # counted by calendar day
        return np.bincount(np.clip(days, 0, top), minlength=top + 1)[1:] * 100 / days.size

    def _show(self, terms: Terms, delivery: Delivery, result) -> None:
        pct = lambda value: f"{value:.0%}"  # noqa: E731
        whole = lambda value: f"{value:,.0f} USD{kip_note(value)}"  # noqa: E731
        on_time = _("Chance of delivery on time (on or before {date})").format(date=long_date(terms.bonus_date))
        deducted = _("Chance of a deduction (delivery after {date})").format(date=long_date(terms.deduction_date))
        none_late = _("none ({share} late)").format(share=pct(result.late_without))
        seed = _("Random seed {seed}; same seed, same numbers.").format(seed=result.seed)
        with_title, without_title = _("With the clause"), _("Without")
        cost, earned = _("Expected cost to you, the buyer"), _("Expected income to the artisans")
        assumes = _("What the model assumes")
        income = _("The artisans' income is what the buyer pays for the order.")
        draws = _("{draws} possible deliveries.").format(draws=f"{result.draws:,}")
        self.numbers.value = (
            "<table class='course-sim-table course-contingency-table'>"
            f"<tr><th></th><th>{esc(with_title)}</th><th>{esc(without_title)}</th></tr>"
            f"<tr><td>{esc(on_time)}</td>"
            f"<td class='sim-ontime-with'>{pct(result.on_time_with)}</td>"
            f"<td class='sim-ontime-without'>{pct(result.on_time_without)}</td></tr>"
            f"<tr><td>{esc(deducted)}</td>"
            f"<td class='sim-deduction'>{pct(result.deduction_with)}</td>"
            f"<td class='sim-late-without'>{esc(none_late)}</td></tr>"
            f"<tr><td>{esc(cost)}</td><td class='sim-cost-with "
            f"sim-money'>{whole(result.cost_with)}</td>"
            f"<td class='sim-cost-without sim-money'>{whole(result.cost_without)}</td></tr>"
            f"<tr><td>{esc(earned)}</td><td class='sim-income-with "
            f"sim-money'>{whole(result.income_with)}</td>"
            f"<td class='sim-income-without sim-money'>{whole(result.income_without)}</td></tr></table>"
            f"<p class='course-small'>{esc(income)} "
            f"<span class='sim-seed'>{esc(seed)}</span> {esc(draws)}</p>")
        self.advice.value = "<ul class='course-advice'>" + "".join(
            f"<li>{esc(point)}</li>" for point in advice(terms, result)) + "</ul>"
        text = self.last[3]
        ready = _("The clause, ready to copy")
        how = _("select the text, then Ctrl+C")
        self.clause.value = (f"<p><strong>{esc(ready)}</strong> ({esc(how)})</p>"
                             f"<pre class='course-clause'>{esc(text)}</pre>")
        points = [
            _("The order is placed today, {date}. Delivery is the day the last piece arrives.").format(
                date=long_date(terms.order_date)),
            _("Without the clause, delivery takes {best} to {worst} days, most often about {likely}. Times near "
              "{likely} days are the most common; the best and worst cases are rare.").format(
                best=f"{delivery.best:g}", worst=f"{delivery.worst:g}", likely=f"{delivery.likely:g}"),
            _("With the clause, the bonus draws out extra effort: every delivery time is {effort} shorter. This "
              "number is an assumption for teaching, not a research result. Set it to 0% to see the clause "
              "alone.").format(effort=f"{delivery.effort:.0%}"),
            _("The same {draws} possible delivery times are used with and without the clause, so the two columns "
              "differ only because of the clause.").format(draws=f"{DRAWS:,}"),
            _("The artisans' income is what you pay. Their costs are not in the model. The price is made up."),
        ]
        self.assumptions.value = (
            f"<p><strong>{esc(assumes)}</strong></p><ul class='course-assumptions'>"
            + "".join(f"<li>{esc(point)}</li>" for point in points)
            + f"</ul><p class='course-small'>{esc(_(SOURCE))}</p>")
        self._draw(terms, delivery)

    def _draw(self, terms: Terms, delivery: Delivery) -> None:
        top = int(max(delivery.worst, terms.deduction_day) + 5)
        edges = np.arange(0, top + 1)
        without = self._histogram(delivery, False, top)
        with_clause = self._histogram(delivery, True, top)
        self.bars_without.set_data(without, edges)
        self.bars_with.set_data(with_clause, edges)
        self.bonus_line.set_xdata([terms.bonus_day] * 2)
        self.deduction_line.set_xdata([terms.deduction_day] * 2)
        texts = self.legend.get_texts()
        texts[2].set_text(_("bonus: by {date}").format(date=f"{terms.bonus_date.day} {terms.bonus_date:%b}"))
        texts[3].set_text(_("deduction: after {date}").format(
            date=f"{terms.deduction_date.day} {terms.deduction_date:%b}"))
        ax = self.axes
        ax.set_xlim(0, top)
        ax.set_ylim(0, max(1.0, float(max(without.max(), with_clause.max()))) * 1.12)
        self.chart.value = png(self.figure)


def show_contingency_simulator(**preset) -> None:
    """Show the contingency-agreement simulator. Keyword arguments preset a scenario for a slide."""
    show_tool(lambda: ContingencySimulator(**preset), _("The contingency simulator"))
