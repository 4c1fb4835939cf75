"""The fairness-rule simulator: ``show_fairness_simulator()``."""
from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import numpy as np
import pandas as pd

from ..content.tables import load_group
from ..i18n import N_, _
from ..models.fairness_rules import (COLUMN_WORDS, COLUMNS, RULE_NAMES, RULES, FairnessInputError, because_sentence,
                                    share_profit, summary)
from .plotting import SERIES, STYLE, legend, new_figure, png
from .kit import (show_tool, kip_note, InputProblem, columns, esc, labelled, message_box, one_update, parse_number,
                  save_button,
                     show_problem)

# English, marked for the catalog; shown with _() when the simulator is built, in the kernel's language.
ASSUMPTIONS = [
    N_("Equality: the same share for everyone. Equity: shares in proportion to hours, pieces, or pieces that passed "
       "the quality check. Needs: in proportion to need, counted as 1 for the member plus 1 per dependant."),
    N_("Deutsch (1975) links equality to good relationships, equity to productivity and need to welfare."),
    N_("Shares are rounded to the cent so they always add up to the total."),
    N_("The group and its numbers are made up."),
]
LEUNG_BOND_TITLE = N_("In-group and out-group.")
LEUNG_BOND = N_("In a study by Leung & Bond (1984), people from a collectivist culture preferred equality with "
                "members of their own group, and equity with outsiders. Inside a producer group, equal shares may "
                "feel right; you, from the social enterprise, may be seen as an outsider at first. A later study "
                "(Leung & Iwawaki 1988) found this only in part.")
FIELDS = [("name", N_("Name"), "230px"), ("hours", N_("Hours"), "120px"), ("pieces", N_("Pieces"), "120px"),
          ("quality", N_("Quality 0-1"), "150px"), ("dependants", N_("Dependants"), "160px")]
SHORT = {"equality": N_("Equal"), "equity_hours": N_("Hours"), "equity_pieces": N_("Pieces"),
         "equity_quality": N_("Quality"), "needs": N_("Needs")}
# What nobody in the group has when a rule falls back to equal shares.
NOTHING = {"equity_hours": N_("hours worked"), "equity_pieces": N_("pieces made"),
           "equity_quality": N_("quality-weighted pieces"), "needs": N_("household dependants")}


def assumptions_html() -> str:
    items = "".join(f"<li>{esc(_(point))}</li>" for point in ASSUMPTIONS)
    return f"<ul class='course-assumptions'>{items}</ul>"


def leung_bond_html() -> str:
    return f"<p class='course-note'><strong>{esc(_(LEUNG_BOND_TITLE))}</strong> {esc(_(LEUNG_BOND))}</p>"


class FairnessSimulator:
    def __init__(self, total: float = 1000.0, rule: str = "equality", weights: dict | None = None,
                 members: pd.DataFrame | None = None):
        members = load_group() if members is None else members
        self.rows: list[dict[str, widgets.Text]] = []
        self.table_box = widgets.VBox()
        self.table_box.add_class("course-fairness-table")  # on a phone it scrolls sideways (course-theme.css)
        self.add = widgets.Button(description=_("Add member"), icon="plus")
        self.add.on_click(lambda _click: self._add_row({
            "name": _("Member {number}").format(number=len(self.rows) + 1), "hours": 0, "pieces": 0, "quality": 1,
            "dependants": 0}))
        wide = {"layout": widgets.Layout(width="100%")}
        self.total = widgets.Text(value=f"{total:g}", **wide)
        self.preset = widgets.Dropdown(options=[(_(label), key) for key, label in RULES.items()]
                                       + [(_("A blend of rules"), "blend")],
                                       value=rule if not weights else "blend", **wide)
        start = weights or {rule: 1.0}
        self.sliders = {key: widgets.FloatSlider(value=float(start.get(key, 0.0)), min=0, max=1, step=0.05, **wide)
                        for key in RULES}
        self.rescaled = widgets.HTML()
        self.message = message_box()
        self.summary = widgets.HTML()
        self.summary.add_class("course-sim-numbers")
        self.shares = widgets.HTML()
        self.chart = widgets.Image(format="png")
        self.chart.add_class("course-sim-chart")
        self.chart.add_class("course-sim-pinned")  # on a phone it stays on screen while the controls move
        self.because = widgets.Textarea(layout=widgets.Layout(width="100%", height="90px"))
        self.figure = new_figure(5.8, 4.4)
        for _i, row in members.iterrows():
            self._add_row(row.to_dict(), refresh=False)
        group_title, edit = _("The producer group"), _("edit any cell")
        group = widgets.VBox([widgets.HTML(f"<p><strong>{esc(group_title)}</strong> ({esc(edit)})</p>"),
                              self.table_box,
                              self.add, self.message])
        mix = _("Or mix rules with the weights:")
        rules = widgets.VBox([labelled(_("Total profit of the order ($)"), self.total),
                              labelled(_("Rule"), self.preset),
                              widgets.HTML(f"<p class='course-small'>{esc(mix)}</p>"),
                              *[labelled(_(RULE_NAMES[key]), slider) for key, slider in self.sliders.items()],
                              self.rescaled])
        results = widgets.VBox([self.summary, self.chart])
        # on a projector it stays in view beside the controls (course-theme.css)
        results.add_class("course-sim-results")
        results.add_class("course-sim-results--chart-first")
        because, assumes = _('A "because" sentence to adapt'), _("What the model assumes")
        self.widget = widgets.VBox([
            group,
            columns(rules, results),
            self.shares,
            columns(widgets.VBox([widgets.HTML(f"<p><strong>{esc(because)}</strong></p>"), self.because,
                                  save_button("fairness", "fairness-culture", self.snapshot)]),
                    widgets.VBox([widgets.HTML(leung_bond_html()),
                                  widgets.HTML(f"<p><strong>{esc(assumes)}</strong></p>" + assumptions_html())])),
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-simulator")
        self.preset.observe(self._preset, "value")
        for slider in self.sliders.values():
            slider.observe(lambda _change: self.update(), "value")
        self.total.observe(lambda _change: self.update(), "value")
        self.last = None
        self.paused = False
        self.following = False
        self.update()

    # -- the member table ---------------------------------------------------------------
    def _add_row(self, values: dict, refresh: bool = True) -> None:
        cells = {key: widgets.Text(value=str(values.get(key, "")), placeholder=_(label),
                                   layout=widgets.Layout(width="100%"))
                 for key, label, width in FIELDS}
        remove = widgets.Button(description=_("Remove"), layout=widgets.Layout(width="auto"))
        remove.add_class("course-fairness-remove")
        # Each cell carries its own label: the header row names the columns on a projector; on a phone, where a
        # member's row becomes a small card of its own (course-theme.css), the cells' labels do.
        boxes = []
        for key, label, width in FIELDS:
            name = widgets.HTML(f"<label class='course-fairness-label'>{esc(_(label))}</label>")
            cell = widgets.VBox([name, cells[key]], layout=widgets.Layout(width=width))
            cell.add_class("course-fairness-cell")
            cell.add_class(f"course-fairness-{key}")
            boxes.append(cell)
        box = widgets.HBox([*boxes, remove])
        box.add_class("course-fairness-row")
        row = {"cells": cells, "box": box}
        remove.on_click(lambda _click: self._remove_row(row))
        for cell in cells.values():
            cell.observe(lambda _change: self.update(), "value")
        self.rows.append(row)
        self._layout_rows(refresh)

    def _remove_row(self, row) -> None:
        self.rows.remove(row)
        self._layout_rows(True)

    def _layout_rows(self, refresh: bool) -> None:
        header = widgets.HBox([widgets.HTML(f"<strong>{esc(_(label))}</strong>", layout=widgets.Layout(width=width))
                               for _key, label, width in FIELDS])
        header.add_class("course-fairness-header")
        self.table_box.children = [header] + [row["box"] for row in self.rows]
        if refresh:
            self.update()

    def members(self) -> pd.DataFrame:
        records = []
        for row in self.rows:
            record = {"name": row["cells"]["name"].value.strip() or _("(no name)")}
            for key in COLUMNS[1:]:
                record[key] = parse_number(row["cells"][key].value, f"{record['name']}, {_(COLUMN_WORDS[key])}")
            records.append(record)
        return pd.DataFrame(records, columns=COLUMNS)

    # -- rules ------------------------------------------------------------------------------
    def _preset(self, change) -> None:
        if change["new"] == "blend" or self.following:
            return
        with one_update(self):
            for key, slider in self.sliders.items():
                slider.value = 1.0 if key == change["new"] else 0.0

    def _follow_weights(self, weights: dict[str, float]) -> None:
        """The "Rule" list says what the sliders make: one rule when only its weight is above 0, else a blend."""
        used = [key for key, weight in weights.items() if weight > 0]
        rule = used[0] if len(used) == 1 else "blend"
        if self.preset.value != rule:
            self.following = True  # naming the rule the sliders already make must not move them
            try:
                self.preset.value = rule
            finally:
                self.following = False

    def weights(self) -> dict[str, float]:
        return {key: float(slider.value) for key, slider in self.sliders.items()}

    # -- update -------------------------------------------------------------------------------
    def update(self) -> None:
        if self.paused:
            return
        try:
            total = parse_number(self.total.value, _("Total profit"))
            result = share_profit(self.members(), total, self.weights())
        except (InputProblem, FairnessInputError) as problem:
            show_problem(self.message, problem)
            return
        show_problem(self.message, None)
        self.last = result
        self._follow_weights(result.weights)
        self._show(result)

    def snapshot(self) -> dict:
        result = self.last
        ind = result.indicators()
        return {"summary": summary(result), "total": result.total, "weights": result.weights,
                "shares": result.shares.to_dict(orient="records"), "indicators": ind}

    def _show(self, result) -> None:
        used = ", ".join(f"{_(RULE_NAMES[k])} {w:.0%}" for k, w in result.weights.items() if w > 0)
        rescaled = _("Weights used (rescaled to add up to 1): {weights}").format(weights=used)
        self.rescaled.value = f"<p class='course-small'>{esc(rescaled)}</p>"
        notes = "".join(
            "<p class='course-warning'>" + esc(_('Nobody has any {what} yet, so "{rule}" falls back to equal '
                                                 'shares.').format(what=_(NOTHING[r]), rule=_(RULE_NAMES[r])))
            + "</p>" for r in result.fallbacks if result.weights.get(r, 0) > 0)
        ind = result.indicators()
        ratio = "—" if not np.isfinite(ind["ratio"]) else _("{ratio} times").format(ratio=f"{ind['ratio']:.1f}")
        smallest, compared = _("Smallest share"), _("Largest share compared with the smallest")
        # The Gini index, in plain words: the name means nothing to most trainees.
        unequal = _("How unequal the shares are (0: all the same; near 1: one member gets almost all)")
        self.summary.value = (
            "<table class='course-sim-table'>"
            f"<tr><td>{esc(smallest)}</td><td "
            f"class='sim-smallest'>${ind['smallest']:,.2f}{kip_note(ind['smallest'])}</td></tr>"
            f"<tr><td>{esc(compared)}</td><td class='sim-ratio'>{esc(ratio)}</td></tr>"
            f"<tr><td>{esc(unequal)}</td>"
            f"<td class='sim-gini'>{ind['gini']:.2f}</td></tr></table>" + notes)
        shares = result.shares
        member, blend = esc(_("Member")), esc(_("Your blend"))
        short = {k: esc(_(SHORT[k])) for k in RULES}
        header = "".join(f"<th>{short[k]}</th>" for k in RULES) + f"<th>{blend}</th>"
        rows = "".join(
            f"<tr><td data-label='{member}'>{esc(r['name'])}</td>"
            + "".join(f"<td data-label='{short[k]}'>${r[k]:,.2f}</td>" for k in RULES)
            + f"<td data-label='{blend}' class='course-highlight'><strong>${r['blend']:,.2f}</strong>"
            f"{kip_note(r['blend'])}</td></tr>"
            for _i, r in shares.iterrows())
        title = _("Each member's share under every rule")
        key = _("Equal = equality; Hours, Pieces, Quality = equity by what is counted; Needs = by dependants")
        self.shares.value = (f"<p><strong>{esc(title)}</strong> ({esc(key)})</p>"
                             "<table class='course-sim-table course-shares course-reflow'>"
                             f"<thead><tr><th>{member}</th>{header}</tr>"
                             f"</thead><tbody>{rows}</tbody></table>")
        self.because.value = because_sentence(result)
        self._draw(shares)

    def _draw(self, shares: pd.DataFrame) -> None:
        with matplotlib.rc_context(STYLE):  # clearing and new ticks take the style in force
            self._draw_bars(shares)
        self.chart.value = png(self.figure)

    def _draw_bars(self, shares: pd.DataFrame) -> None:
        ax = self.figure.axes[0]
        ax.clear()
        columns = list(RULES) + ["blend"]
        x = np.arange(len(shares))
        width = 0.8 / len(columns)
        for i, column in enumerate(columns):
            is_blend = column == "blend"
            ax.bar(x + (i - (len(columns) - 1) / 2) * width, shares[column], width,
                   color="#1b1f2a" if is_blend else SERIES[i % len(SERIES)], alpha=1 if is_blend else 0.55,
                   label=_("your blend") if is_blend else _(RULE_NAMES[column]))
        ax.set_xticks(x, [str(n)[:18].replace(" ", "\n", 1) for n in shares["name"]], rotation=0)
        ax.set_ylabel(_("Share ($)"))
        if not self.figure.legends:  # the table's short names (Equal, Hours, ...), each with its colour
            handles, _labels = ax.get_legend_handles_labels()
            legend(self.figure, handles, [_(SHORT[c]) if c in SHORT else _("Your blend") for c in columns], columns=3)


def show_fairness_simulator(**preset) -> None:
    """Show the fairness-rule simulator. Keyword arguments preset a scenario for a slide."""
    show_tool(lambda: FairnessSimulator(**preset), _("The fairness simulator"))
