"""The anchoring simulator: ``show_anchoring_simulator()``."""
from __future__ import annotations

from dataclasses import asdict, replace


import ipywidgets as widgets
import numpy as np

from ..content.currency import load_currency, rate_note
from ..content.tables import load_products
from ..models.anchoring import (FAIR_BAND, AnchoringInputError, Product, Scenario, agreement_zone, curve, draws,
                               extreme_below, fair_band, fair_floor, offer_grid, offer_slider_top, outcome, summary,
                               verdict, verdict_key)
from .plotting import INDIGO, LEAF, MUTED, ROSE, SAFFRON, legend, new_figure, png
from ..i18n import _
from .kit import (show_tool, InputProblem, columns, esc, labelled, message_box, one_update, parse_number, save_button,
                     show_problem)

GRID = 41
# Credit beside the simulator, in three kinds, so that no model choice is passed off as a research finding.
# Functions, not constants: the wording is read in the kernel's language when the simulator is built.
def _items(items) -> str:
    return "<ul class='course-assumptions'>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "</ul>"


def research_html() -> str:
    title, kind = _("What research found"), _("(the direction of each effect, not its size)")
    return f"<p><strong>{title}</strong> {kind}</p>\n" + _items([
        _("First offers pull the counter-offers and the final price toward them (Tversky &amp; Kahneman 1974; "
          "Galinsky &amp; Mussweiler 2001)."),
        _("Focusing on your own counter-anchor cancels the pull of the other side's anchor (Schaerer, Swaab &amp; "
          "Galinsky 2015)."),
        _("Extreme first offers can offend and end the talk; the side with less power, often the artisans, walked "
          "away (Schweinsberg, Ku, Wang &amp; Pillutla 2012)."),
    ])


def assumptions_html() -> str:
    title, kind = _("What this model assumes"), _("(the course's own choices, not research numbers)")
    return f"<p><strong>{title}</strong> {kind}</p>\n" + _items([
        _("The first offer weighs 0.6 and the reply 0.4; with a counter-anchor both weigh the same."),
        _("Full research makes the artisans' anchor pull 30% less. Without research, what you believe their usual "
          "price is can be off by a quarter, so naming first is a gamble."),
        _("An offer more than 15% below the artisans' usual price is extreme: the further below, the likelier they "
          "walk away, and trust falls."),
        _("Their lowest acceptable price is unknown: somewhere between just above their cost and their usual price. "
          "The band shows the spread over 4,000 possible values."),
        _("The weight you put on the relationship is how much of the gap up to the fair price you choose to close "
          "(all of it from 67%), within your limit."),
        _("Fair is a band: a price within 3% of the fair-price line counts as fair, since a real talk ends on round "
          "numbers."),
        _("The prices are made up for teaching (data/products.csv). This is a teaching model, not a forecast."),
    ])


def guidance_html() -> str:
    title = _("Course guidance")
    text = _("(the course's own reading of the deck and the research, not a finding): naming the first price works "
             "when you know the market; when you do not, let them go first, then counter-anchor. Move the research "
             "slider down and watch approach 2.")
    return f"<p class='course-small'><strong>{title}</strong> {text}</p>"


VERDICT_CLASS = {"success": "course-good"}


class AnchoringSimulator:
    def __init__(self, product: str | None = None, first_mover: str = "you", your_offer: float | None = None,
                 their_offer: float | None = None, research: float = 0.5, counter_anchor: bool = False,
                 relationship: float = 0.5, limit: float | None = None, usual_price: float | None = None):
        self.products = load_products()
        name = product or next(iter(self.products))
        if name not in self.products:
            raise AnchoringInputError(f"No product called '{name}' in data/products.csv. Known: "
                                      f"{', '.join(self.products)}.")
        self.product = self.products[name]
        self.u = draws()
        self.local = load_currency()
        self.rate_note = rate_note()
        p = self.product
        wide = {"layout": widgets.Layout(width="100%")}
        self.choose = widgets.Dropdown(options=list(self.products), value=name, description=_("Product"), **wide)
        self.mover = widgets.ToggleButtons(options=[(_("You"), "you"), (_("The artisans"), "artisans")],
                                           value=first_mover)
        top = offer_slider_top(p)
        self.yours = widgets.FloatSlider(value=your_offer or p.usual_price, min=0, max=top, step=0.5,
                                         description=_("Your first offer ($)"), **wide)
        self.theirs = widgets.FloatSlider(value=their_offer or p.market_low, min=0, max=top, step=0.5,
                                          description=_("Artisans' first offer ($)"), **wide)
        self.research = widgets.FloatSlider(value=research, min=0, max=1, step=0.05, readout_format=".0%",
                                            description=_("Market research"), **wide)
        self.counter = widgets.Checkbox(value=counter_anchor, description=_("I counter-anchor"), indent=False)
        self.relationship = widgets.FloatSlider(value=relationship, min=0, max=1, step=0.05, readout_format=".0%",
                                                description=_("Weight on the relationship"), **wide)
        self.limit = widgets.Text(value=f"{limit or p.buyer_limit:g}", description=_("Your limit ($)"), **wide)
        self.usual = widgets.Text(value=f"{usual_price or p.usual_price:g}",
                                  description=_("The artisans' usual price ($)"),
                                  **wide)
        self.prices = widgets.HTML()
        self.prices.add_class("course-sim-prices")
        self.message = message_box()
        self.numbers = widgets.HTML()
        self.numbers.add_class("course-sim-numbers")
        self.approaches = widgets.HTML()
        self.chart = widgets.Image(format="png")
        self.chart.add_class("course-sim-chart")
        self.chart.add_class("course-sim-pinned")  # on a phone it stays on screen while the controls move
        self._build_figure()
        controls = widgets.VBox([
            labelled(_("Product"), self.choose), labelled(_("Who makes the first offer?"), self.mover),
            labelled(_("Your first offer ($ per piece)"), self.yours),
            labelled(_("The artisans' first offer ($ per piece)"), self.theirs),
            labelled(_("How well you researched the market"), self.research),
            labelled(_("Focus on your own number when they go first"), self.counter),
            labelled(_("Weight you put on the long-term relationship"), self.relationship),
            widgets.HBox([labelled(_("Your limit: the most you can pay ($)"), self.limit, "48%"),
                          labelled(_("The artisans' usual price ($)"), self.usual, "48%")],
                         layout=widgets.Layout(justify_content="space-between")),
            self.message, self.prices])  # the meaning of each number, under the controls that set them
        results = widgets.VBox([self.numbers, self.chart])
        # on a projector it stays in view beside the controls (course-theme.css)
        results.add_class("course-sim-results")
        results.add_class("course-sim-results--chart-first")
        self.widget = widgets.VBox([
            columns(controls, results),
            columns(widgets.VBox([self.approaches, save_button("anchoring", "anchoring", self.snapshot)]),
                    widgets.HTML(research_html() + assumptions_html())),
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-simulator")
        for control in (self.mover, self.yours, self.theirs, self.research, self.counter, self.relationship):
            control.observe(lambda _: self.update(), "value")
        self.choose.observe(self._new_product, "value")
        for box in (self.limit, self.usual):
            box.observe(lambda _: self.update(), "value")
        self.last = None
        self.paused = False
        self.update()

    # -- state -----------------------------------------------------------------------
    def _new_product(self, change) -> None:
        p = self.products[change["new"]]
        with one_update(self):
            self.limit.value, self.usual.value = f"{p.buyer_limit:g}", f"{p.usual_price:g}"
            top = offer_slider_top(p)
            for slider in (self.yours, self.theirs):
                slider.max = top
            self.yours.value, self.theirs.value = p.usual_price, p.market_low

    def read(self) -> tuple[Product, Scenario]:
        base = self.products[self.choose.value]
        limit = parse_number(self.limit.value, _("Your limit"))
        usual = parse_number(self.usual.value, _("The artisans' usual price"))
        product = replace(base, buyer_limit=limit, usual_price=usual)
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
        return {"summary": summary(product, scenario, result), "product": product.name, "settings": asdict(scenario),
                "results": asdict(result)}

    # -- drawing --------------------------------------------------------------------------
    def _build_figure(self) -> None:
        self.figure = new_figure(6.4, 4.6)
        ax = self.axes = self.figure.axes[0]
        self.zone = ax.axhspan(0, 1, color=LEAF, alpha=0.12, label=_("zone of agreement"))
        (self.fair_line,) = ax.plot([], [], color=ROSE, linestyle="--", linewidth=1.6, label=_("fair price"))
        self.fair_band = ax.axhspan(0, 1, color=ROSE, alpha=0.14)
        self.band = None
        (self.line,) = ax.plot([], [], color=INDIGO, linewidth=2.4, label=_("expected price"))
        (self.marker,) = ax.plot([], [], "o", color=SAFFRON, markersize=11, label=_("your choice"), zorder=5)
        self.extreme = ax.axvline(0, color=MUTED, linestyle="-.", linewidth=1.6,
                                  label=_("extreme offer (left)"))
        ax.set_xlabel(_("Your first offer ($ per piece)"))
        ax.set_ylabel(_("Final price ($ per piece)"))
        self.chance_axes = ax.twinx()
        (self.chance,) = self.chance_axes.plot([], [], color=MUTED, linestyle=":", linewidth=2,
                                               label=_("chance of a deal (right)"))
        self.chance_axes.set_ylim(0, 105)
        self.chance_axes.set_ylabel(_("Chance of a deal (%)"))
        self.chance_axes.grid(False)
        handles = [self.zone, (self.fair_band, self.fair_line), self.line, self.marker, self.chance, self.extreme]
        within = _("fair price, and within {share} of it").format(share=f"{FAIR_BAND:.0%}")
        legend(self.figure, handles, [self.zone.get_label(), within,
                                      self.line.get_label(), self.marker.get_label(), self.chance.get_label(),
                                      self.extreme.get_label()])

    def _show(self, product, scenario, result, offers, band, approach_1, approach_2) -> None:
        mean, low, high, chance = band
        ax = self.axes
        self.zone.remove()
        self.zone = ax.axhspan(*agreement_zone(product), color=LEAF, alpha=0.12)
        self.fair_band.remove()
        self.fair_band = ax.axhspan(*fair_band(product), color=ROSE, alpha=0.14)
        if self.band is not None:
            self.band.remove()
        self.band = ax.fill_between(offers, low, high, color=INDIGO, alpha=0.15, linewidth=0)
        self.line.set_data(offers, mean)
        self.chance.set_data(offers, chance * 100)
        self.fair_line.set_data([offers[0], offers[-1]], [product.fair_price] * 2)
        y = result.settlement if np.isfinite(result.settlement) else product.fair_price
        self.marker.set_data([scenario.your_offer], [y])
        self.extreme.set_xdata([extreme_below(product)] * 2)
        ax.set_xlim(offers[0], offers[-1])
        ax.set_ylim(0, max(product.buyer_limit, product.fair_price, product.usual_price) * 1.25)
        title = (_("{product}: you name the first price") if scenario.first_mover == "you"
                 else _("{product}: the artisans name the first price")).format(product=product.name)
        ax.set_title(title, fontsize=15)
        self.chart.value = png(self.figure)

        money = self.money
        key = verdict_key(result)
        state = VERDICT_CLASS.get(key, "course-warn")
        expected, deal, margin, trust = (_("Expected price"), _("Chance of a deal"), _("Artisans' margin over cost"),
                                         _("Trust (the model's score)"))
        per_unit = esc(_("per {unit}").format(unit=product.unit))
        self.numbers.value = (
            f"<table class='course-sim-table'>"
            f"<tr><td>{esc(expected)}</td><td class='sim-settlement'>{money(result.settlement)} {per_unit}</td></tr>"
            f"<tr><td>{esc(deal)}</td><td class='sim-deal'>{result.deal_probability:.0%}</td></tr>"
            f"<tr><td>{esc(margin)}</td><td class='sim-margin'>"
            f"{'—' if not np.isfinite(result.margin) else f'{result.margin:.0%}'}</td></tr>"
            f"<tr><td>{esc(trust)}</td><td class='sim-trust'>{result.trust:.0f} / 100</td></tr></table>"
            f"<p class='course-verdict {state} verdict-{key}'>{esc(verdict(product, result, self.price_text))}</p>")
        self.prices.value = self.price_table(product, scenario)
        yes, no = _("yes"), _("no")
        row = lambda label, r: (f"<tr><td>{esc(label)}</td><td>{money(r.settlement)}</td>"  # noqa: E731
                                f"<td>{r.deal_probability:.0%}</td>"
                                f"<td>{r.trust:.0f}</td><td>{yes if r.success else no}</td></tr>")
        heads = "".join(f"<th>{esc(head)}</th>" for head in (_("Price"), _("Deal"), _("Trust"), _("Success")))
        title = _("The deck's two approaches, with your research level")
        self.approaches.value = (
            f"<p><strong>{esc(title)}</strong></p>"
            f"<table class='course-sim-table'><tr><th></th>{heads}</tr>"
            + row(_("1. Wait, research, counter-anchor"), approach_1) + row(_("2. Name your price first"), approach_2)
            + "</table>" + guidance_html())

    # -- prices, labelled so that each reads right ------------------------------------------------------------
    def price_text(self, value: float) -> str:
        """$18.00 (about 387,000 kip): plain text, for sentences."""
        kip = (" " + _("(about {amount})").format(amount=self.local.amount(value))) if self.local else ""
        return f"${value:,.2f}{kip}"

    def money(self, value: float) -> str:
        """A price for a table cell: dollars, then kip in smaller type; "no deal" when there is none."""
        if not np.isfinite(value):
            return esc(_("no deal"))
        about = _("(about {amount})").format(amount=self.local.amount(value)) if self.local else ""
        kip = f" <span class='course-kip'>{esc(about)}</span>" if self.local else ""
        return f"${value:,.2f}{kip}"

    def price_table(self, product: Product, scenario: Scenario) -> str:
        """What each number in the scenario means, in the order a trainee meets them."""
        slider = _("set with its slider")
        rows = [
            (_("Your first offer"), scenario.your_offer, slider),
            (_("The artisans' first offer"), scenario.their_offer, slider),
            (_("The artisans' cost"), product.cost, _("materials and their time at a basic wage")),
            (_("The artisans' usual price"), product.usual_price,
             _("what they are usually paid; a first offer under {price} is extreme").format(
                 price=self.price_text(extreme_below(product)))),
            (_("The fair-price line"), product.fair_price,
             _("covers their cost and a fair margin; from {price} counts as fair").format(
                 price=self.price_text(fair_floor(product)))),
            (_("Your limit"), product.buyer_limit, _("the most you can pay and still resell at a profit")),
        ]
        body = "".join(f"<tr><td>{esc(label)}</td><td>{self.money(value)}</td><td "
                       f"class='course-small'>{esc(note)}</td></tr>"
                       for label, value, note in rows)
        span = _("{low} to {high}").format(low=f"${product.market_low:,.2f}", high=f"${product.market_high:,.2f}")
        resale_label = _("Your resale price")
        resale_note = _("what your customers pay you; transport, the shop and unsold stock take the difference")
        resale = (f"<tr><td>{esc(resale_label)}</td><td>{esc(span)}</td>"
                  f"<td class='course-small'>{esc(resale_note)}</td></tr>")
        note = f"<p class='course-small'>{esc(self.rate_note)}</p>" if self.rate_note else ""
        title = _("The numbers in this scenario")
        kind = _("(per {unit}; the product's prices are made up for teaching)").format(unit=product.unit)
        return (f"<p><strong>{esc(title)}</strong> {esc(kind)}</p>"
                f"<table class='course-sim-table'>{body}{resale}</table>{note}")


def show_anchoring_simulator(**preset) -> None:
    """Show the anchoring simulator. Keyword arguments preset a scenario for a slide."""
    show_tool(lambda: AnchoringSimulator(**preset), _("The anchoring simulator"))
