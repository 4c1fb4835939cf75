"""The anchoring simulator: ``show_anchoring_simulator()``."""
from __future__ import annotations

from dataclasses import asdict, replace


import ipywidgets as widgets
import numpy as np
from IPython.display import display

from ..content.tables import load_products
from ..models.anchoring import (AnchoringInputError, Product, Scenario, agreement_zone, curve, draws, offer_grid,
                               offer_slider_top, outcome, summary, verdict)
from .plotting import INDIGO, LEAF, MUTED, ROSE, SAFFRON, new_figure, png
from .kit import (show_tool, InputProblem, columns, esc, labelled, message_box, one_update, parse_number, save_button,
                     show_problem)

GRID = 41
ASSUMPTIONS = """<ul class='course-assumptions'>
<li>A first offer pulls the final price toward it; the first offer pulls more than the reply (Tversky &amp; Kahneman 1974; Galinsky &amp; Mussweiler 2001).</li>
<li>If the artisans go first and you focus on your own counter-anchor, their pull is cancelled (Schaerer, Swaab &amp; Galinsky 2015).</li>
<li>Research helps twice: their anchor pulls you less, and your own first offer matches the real market. Without research, naming first is a gamble.</li>
<li>An extreme low offer makes the artisans, the side with less power, more likely to walk away (Schweinsberg et al. 2012).</li>
<li>Their lowest acceptable price is unknown: the band shows the spread over 4,000 possible values.</li>
<li>This is a teaching model with illustrative prices, not a forecast.</li></ul>"""


class AnchoringSimulator:
    def __init__(self, product: str | None = None, first_mover: str = "you", your_offer: float | None = None,
                 their_offer: float | None = None, research: float = 0.5, counter_anchor: bool = False,
                 relationship: float = 0.5):
        self.products = load_products()
        name = product or next(iter(self.products))
        if name not in self.products:
            raise AnchoringInputError(f"No product called '{name}' in data/products.csv. Known: {', '.join(self.products)}.")
        self.product = self.products[name]
        self.u = draws()
        p = self.product
        wide = {"layout": widgets.Layout(width="100%")}
        self.choose = widgets.Dropdown(options=list(self.products), value=name, description="Product", **wide)
        self.mover = widgets.ToggleButtons(options=[("You", "you"), ("The artisans", "artisans")], value=first_mover)
        top = offer_slider_top(p)
        self.yours = widgets.FloatSlider(value=your_offer or p.market_low, min=0, max=top, step=0.5,
                                         description="Your first offer ($)", **wide)
        self.theirs = widgets.FloatSlider(value=their_offer or p.market_high, min=0, max=top, step=0.5,
                                          description="Artisans' first offer ($)", **wide)
        self.research = widgets.FloatSlider(value=research, min=0, max=1, step=0.05, readout_format=".0%",
                                            description="Market research", **wide)
        self.counter = widgets.Checkbox(value=counter_anchor, description="I counter-anchor", indent=False)
        self.relationship = widgets.FloatSlider(value=relationship, min=0, max=1, step=0.05, readout_format=".0%",
                                                description="Weight on the relationship", **wide)
        self.market_low = widgets.Text(value=f"{p.market_low:g}", description="Market minimum ($)", **wide)
        self.market_high = widgets.Text(value=f"{p.market_high:g}", description="Market maximum ($)", **wide)
        self.message = message_box()
        self.numbers = widgets.HTML()
        self.numbers.add_class("course-sim-numbers")
        self.approaches = widgets.HTML()
        self.chart = widgets.Image(format="png")
        self.chart.add_class("course-sim-chart")
        self._build_figure()
        controls = widgets.VBox([
            labelled("Product", self.choose), labelled("Who makes the first offer?", self.mover),
            labelled("Your first offer ($ per piece)", self.yours), labelled("The artisans' first offer ($ per piece)", self.theirs),
            labelled("How well you researched the market", self.research),
            labelled("Focus on your own number when they go first", self.counter),
            labelled("Weight you put on the long-term relationship", self.relationship),
            widgets.HBox([labelled("Market minimum ($)", self.market_low, "48%"),
                          labelled("Market maximum ($)", self.market_high, "48%")],
                         layout=widgets.Layout(justify_content="space-between")),
            self.message])
        results = widgets.VBox([self.numbers, self.chart])
        results.add_class("course-sim-results")  # on a projector it stays in view beside the controls (course-theme.css)
        results.add_class("course-sim-results--chart-first")
        self.widget = widgets.VBox([
            columns(controls, results),
            columns(widgets.VBox([self.approaches, save_button("anchoring", "anchoring", self.snapshot)]),
                    widgets.HTML("<p><strong>What the model assumes</strong></p>" + ASSUMPTIONS)),
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-simulator")
        for control in (self.mover, self.yours, self.theirs, self.research, self.counter, self.relationship):
            control.observe(lambda _: self.update(), "value")
        self.choose.observe(self._new_product, "value")
        for box in (self.market_low, self.market_high):
            box.observe(lambda _: self.update(), "value")
        self.last = None
        self.paused = False
        self.update()

    # -- state -----------------------------------------------------------------------
    def _new_product(self, change) -> None:
        p = self.products[change["new"]]
        with one_update(self):
            self.market_low.value, self.market_high.value = f"{p.market_low:g}", f"{p.market_high:g}"
            top = offer_slider_top(p)
            for slider in (self.yours, self.theirs):
                slider.max = top
            self.yours.value, self.theirs.value = p.market_low, p.market_high

    def read(self) -> tuple[Product, Scenario]:
        base = self.products[self.choose.value]
        low = parse_number(self.market_low.value, "Market minimum")
        high = parse_number(self.market_high.value, "Market maximum")
        product = replace(base, market_low=low, market_high=high)
        scenario = Scenario(self.mover.value, float(self.yours.value), float(self.theirs.value),
                            float(self.research.value), bool(self.counter.value), float(self.relationship.value))
        return product, scenario

    def compute(self, product: Product, scenario: Scenario):
        result = outcome(product, scenario, self.u)
        offers = offer_grid(product, GRID)
        band = curve(product, scenario, offers, self.u)
        approach_1 = outcome(product, replace(scenario, first_mover="artisans", counter_anchor=True), self.u)
        approach_2 = outcome(product, replace(scenario, first_mover="you"), self.u)
        return result, offers, band, approach_1, approach_2

    def update(self) -> None:
        if self.paused:
            return
        try:
            product, scenario = self.read()
            computed = self.compute(product, scenario)
        except (InputProblem, AnchoringInputError) as problem:
            show_problem(self.message, problem)
            return
        show_problem(self.message, None)
        self.last = (product, scenario, computed[0])
        self._show(product, scenario, *computed)

    def snapshot(self) -> dict:
        product, scenario, result = self.last
        return {"summary": summary(product, scenario, result), "product": product.name, "settings": asdict(scenario), "results": asdict(result)}

    # -- drawing --------------------------------------------------------------------------
    def _build_figure(self) -> None:
        self.figure = new_figure(6.4, 4.6)
        ax = self.axes = self.figure.axes[0]
        self.zone = ax.axhspan(0, 1, color=LEAF, alpha=0.12, label="zone of possible agreement")
        (self.fair_line,) = ax.plot([], [], color=ROSE, linestyle="--", linewidth=1.6, label="fair-price line")
        self.band = None
        (self.line,) = ax.plot([], [], color=INDIGO, linewidth=2.4, label="expected price if a deal is made")
        (self.marker,) = ax.plot([], [], "o", color=SAFFRON, markersize=11, label="your choice", zorder=5)
        ax.set_xlabel("Your first offer ($ per piece)")
        ax.set_ylabel("Final price ($ per piece)")
        self.chance_axes = ax.twinx()
        (self.chance,) = self.chance_axes.plot([], [], color=MUTED, linestyle=":", linewidth=2, label="chance of a deal (right)")
        self.chance_axes.set_ylim(0, 105)
        self.chance_axes.set_ylabel("Chance of a deal (%)")
        self.chance_axes.grid(False)
        handles = [self.zone, self.fair_line, self.line, self.marker, self.chance]
        self.figure.legend(handles, [h.get_label() for h in handles], loc="outside upper center", ncols=2,
                           frameon=False, fontsize=10)

    def _show(self, product, scenario, result, offers, band, approach_1, approach_2) -> None:
        mean, low, high, chance = band
        ax = self.axes
        self.zone.remove()
        self.zone = ax.axhspan(*agreement_zone(product), color=LEAF, alpha=0.12)
        if self.band is not None:
            self.band.remove()
        self.band = ax.fill_between(offers, low, high, color=INDIGO, alpha=0.15, linewidth=0)
        self.line.set_data(offers, mean)
        self.chance.set_data(offers, chance * 100)
        self.fair_line.set_data([offers[0], offers[-1]], [product.fair_price] * 2)
        y = result.settlement if np.isfinite(result.settlement) else product.fair_price
        self.marker.set_data([scenario.your_offer], [y])
        ax.set_xlim(offers[0], offers[-1])
        ax.set_ylim(0, product.market_high * 1.1)
        ax.set_title(f"{product.name}: {'you name' if scenario.first_mover == 'you' else 'the artisans name'} the first price",
                     fontsize=12)
        self.chart.value = png(self.figure)

        money = lambda v: "no deal" if not np.isfinite(v) else f"${v:,.2f}"  # noqa: E731
        state = "course-good" if result.success else "course-warn"
        self.numbers.value = (
            f"<table class='course-sim-table'>"
            f"<tr><td>Expected price</td><td class='sim-settlement'>{money(result.settlement)} per {esc(product.unit)}</td></tr>"
            f"<tr><td>Chance of a deal</td><td class='sim-deal'>{result.deal_probability:.0%}</td></tr>"
            f"<tr><td>Artisans' margin over cost</td><td class='sim-margin'>"
            f"{'—' if not np.isfinite(result.margin) else f'{result.margin:.0%}'}</td></tr>"
            f"<tr><td>Trust</td><td class='sim-trust'>{result.trust:.0f} / 100</td></tr></table>"
            f"<p class='course-verdict {state}'>{esc(verdict(product, result))}</p>")
        row = lambda label, r: (f"<tr><td>{label}</td><td>{money(r.settlement)}</td><td>{r.deal_probability:.0%}</td>"  # noqa: E731
                                f"<td>{r.trust:.0f}</td><td>{'yes' if r.success else 'no'}</td></tr>")
        self.approaches.value = (
            "<p><strong>The deck's two approaches, with your research level</strong></p>"
            "<table class='course-sim-table'><tr><th></th><th>Price</th><th>Deal</th><th>Trust</th><th>Success</th></tr>"
            + row("1. Wait, research, counter-anchor", approach_1) + row("2. Name your price first", approach_2)
            + "</table><p class='course-small'>Naming first works when you know the market. "
              "Move the research slider down and watch approach 2.</p>")


def show_anchoring_simulator(**preset) -> None:
    """Show the anchoring simulator. Keyword arguments preset a scenario for a slide."""
    show_tool(lambda: AnchoringSimulator(**preset), "The anchoring simulator")
