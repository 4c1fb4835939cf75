"""The multi-issue negotiation simulator: ``show_negotiation_simulator()``."""
from __future__ import annotations

import io

import ipywidgets as widgets
import matplotlib
import numpy as np
from IPython.display import display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from ..content.negotiation import NegotiationDataError, load_game
from ..i18n import _
from ..models.negotiation import (TYPES, Game, Negotiation, NegotiationInputError, number, points_text,
                                  type_name)
from .plotting import INDIGO, LEAF, MUTED, ROSE, SAFFRON, STYLE, legend, new_figure, raise_small_text
from .kit import InputProblem, columns, esc, labelled, message_box, one_update, parse_number, save_button, show_problem

HISTORY_ROWS = 6
BUTTON = {"layout": widgets.Layout(width="auto", align_self="flex-start")}


def assumptions_html() -> str:
    """What the model assumes, in the kernel's language (read when the simulator is built)."""
    items = [
        _("The order, the options and all the points are made up for this exercise. They are not research data."),
        _("Each side gives points to each option. A package is worth the sum of its points. If you type a price (or "
          "an advance) between two listed options, its points are in between too."),
        _("You always see your own points. You see the artisans' total for a package, as you would see it in their "
          "reaction. You learn how much each issue matters to them only when you ask why. Their limit shows after a "
          "deal."),
        _("The artisans say yes when a package gives them at least their limit and no other package is better for "
          "both of you."),
        _("Otherwise they answer with a package of their own: the nearest one to yours that no other package beats "
          "for both sides. It gives them a little more than their limit. If yours wastes value, theirs is better for "
          "both of you."),
        _("You cannot propose a package below your own limit: no deal would be better for you."),
    ]
    return "<ul class='course-assumptions'>\n" + "\n".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>"


def sources_html() -> str:
    title = _("Sources.")
    text = _("Asking why, as in the orange story, is popularised by Fisher &amp; Ury, <em>Getting to Yes</em> (1981). "
             "Follett, \"Constructive Conflict\" (1925), names three ways to deal with conflict: domination, "
             "compromise and integration. Negotiators often miss compatible issues (Thompson &amp; Hrebec 1996). The "
             "WFTO principles ask for at least 50% pre-payment, free of interest, when producers request it.")
    return f"<p class='course-note'><strong>{title}</strong> {text}</p>"


def answer_word(answer: str) -> str:
    """A history row's answer (kept in English in the saved history) in the reader's language."""
    return {"their first position": _("their first position"), "yes, a deal": _("yes, a deal"), "no": _("no"),
            "counter": _("counter")}.get(answer, answer)


class NegotiationSimulator:
    def __init__(self, path=None, asked=(), **package):
        self.game: Game = load_game(path)
        game = self.game
        unknown = set(package) - {issue.key for issue in game.issues}
        if unknown:
            raise KeyError(f"No issue called '{sorted(unknown)[0]}' in {game.path}. "
                           f"Known: {', '.join(i.key for i in game.issues)}.")
        start = game.values(game.split())
        start.update(package)
        self.rounds = Negotiation(game, asked)
        self.controls: dict[str, widgets.Widget] = {}
        self.ask_buttons: dict[str, widgets.Button] = {}
        self.why: dict[str, widgets.HTML] = {}
        issue_boxes = []
        for issue in game.issues:
            if issue.control == "typed":
                value = start[issue.key]
                control = widgets.Text(value=number(float(value)) if isinstance(value, (int, float)) else str(value),
                                       continuous_update=False)
                hint = _("{issue}, from {low} to {high}").format(issue=issue.name, low=issue.label(min(issue.levels)),
                                                                high=issue.label(max(issue.levels)))
            else:
                control = widgets.Dropdown(options=issue.choices(), value=start[issue.key])
                hint = issue.name
            control.observe(lambda _: self.update(), "value")
            ask = widgets.Button(description=_("Ask why"), **BUTTON)
            ask.on_click(lambda _, key=issue.key: self.ask_why(key))
            why = widgets.HTML()
            why.add_class("neg-why")
            self.controls[issue.key], self.ask_buttons[issue.key], self.why[issue.key] = control, ask, why
            why.layout.flex = "1 1 auto"
            said = widgets.HBox([why, ask], layout=widgets.Layout(width="100%", align_items="flex-start"))
            said.add_class("neg-said")
            box = widgets.VBox([labelled(hint, control), said], layout=widgets.Layout(width="100%"))
            box.add_class("neg-issue")
            box.add_class(f"neg-issue-{issue.key}")
            issue_boxes.append(box)

        self.propose_button = widgets.Button(description=_("Propose"), button_style="primary", **BUTTON)
        self.propose_button.on_click(lambda _: self.propose())
        self.use_counter = widgets.Button(description=_("Use their counter"), **BUTTON)
        self.use_counter.on_click(lambda _: self.take_counter())
        self.restart = widgets.Button(description=_("Start again"), **BUTTON)
        self.restart.on_click(lambda _: self.start_again())
        self.message = message_box()
        self.scores = widgets.HTML()
        self.scores.add_class("course-sim-numbers")
        self.answer = widgets.HTML()
        self.answer.add_class("neg-answer")
        self.chart = widgets.Image(format="png")
        self.chart.add_class("course-sim-chart")
        self.chart.add_class("course-sim-pinned")  # on a phone it stays on screen while the controls move
        self.history_box = widgets.HTML()
        self.history_box.add_class("neg-history")
        self.tables = widgets.HTML()
        self.tables.add_class("neg-tables")

        kinds = [(_("Choose a type"), "")] + [(type_name(t), t) for t in TYPES]
        self.type_choices = {issue.key: widgets.Dropdown(options=kinds,
                                                         value="")
                             for issue in game.issues}
        self.type_marks = {issue.key: widgets.HTML() for issue in game.issues}
        for key, mark in self.type_marks.items():
            mark.add_class(f"neg-mark-{key}")
        self.check_button = widgets.Button(description=_("Check"), icon="check", **BUTTON)
        self.check_button.on_click(lambda _: self.check_types())
        self.marks: dict[str, bool | None] = {}
        type_rows = [widgets.VBox([labelled(_("{issue}: which type?").format(issue=issue.name),
                                            self.type_choices[issue.key]),
                                   self.type_marks[issue.key]],
                                  layout=widgets.Layout(width="100%")) for issue in game.issues]

        propose, ask = esc(_("Propose")), esc(_("Ask why"))
        how = esc(_("Choose one option for each issue, then click {propose}. The artisans answer. Click {ask} to learn "
                    "the reason behind what they say.")).format(propose=f"<strong>{propose}</strong>",
                                                                ask=f"<strong>{ask}</strong>")
        header = widgets.HTML(f"<p class='neg-order'><strong>{esc(game.title)}.</strong> {esc(game.order)}</p>"
                              f"<p>{how}</p>")
        controls = widgets.VBox(issue_boxes)
        buttons = widgets.HBox([self.propose_button, self.use_counter, self.restart],
                               layout=widgets.Layout(flex_flow="row wrap"))
        buttons.add_class("neg-buttons")
        pie_text = _("Splitting every issue in the middle is a compromise. Trading across issues is integration "
                     "(Follett 1925): you both get more.")
        pie = widgets.HTML(f"<p class='course-small'>{esc(pie_text)}</p>")
        results = widgets.VBox([buttons, self.message, self.answer, self.scores, self.chart, pie])
        # on a projector it stays in view beside the controls (course-theme.css)
        results.add_class("course-sim-results")
        results.add_class("course-sim-results--chart-first")
        classify = widgets.VBox([
            widgets.HTML("<p><strong>{}</strong> {}</p>".format(
                esc(_("Close: what kind of issue is each one?")),
                esc(_("Distributive: one side's gain is the other's loss. Integrative: it matters more to one side, so "
                      "you can trade. Compatible: you both want the same thing.")))),
            *type_rows, self.check_button])
        self.play_save = save_button("negotiation", "contingency-why", self.snapshot)  # hidden when both parts show
        # Two parts, so a deck can show the play on one slide and the close on the next
        # (see show_negotiation_simulator).
        self.play = widgets.VBox([
            header,
            columns(controls, results),
            self.history_box,
            self.tables,
            self.play_save,
        ], layout=widgets.Layout(width="100%"))
        assumes = esc(_("What the model assumes"))
        self.close = widgets.VBox([
            columns(classify, widgets.VBox([save_button("negotiation", "contingency-why", self.snapshot),
                                            widgets.HTML(f"<p><strong>{assumes}</strong></p>"
                                                         + assumptions_html()),
                                            widgets.HTML(sources_html())])),
        ], layout=widgets.Layout(width="100%"))
        self.widget = widgets.VBox([self.play, self.close], layout=widgets.Layout(width="100%"))
        for box in (self.play, self.close, self.widget):
            box.add_class("course-simulator")
            box.add_class("neg-simulator")

        self.paused = False
        self.last_valid_values, self.current = self.read()  # a bad preset stops here, with a clear message
        self._build_figure()
        self.start_again()

    # -- state ----------------------------------------------------------------------------------------------------
    def read(self) -> tuple[dict, tuple[float, ...]]:
        values = {}
        for issue in self.game.issues:
            control = self.controls[issue.key]
            if issue.control == "typed":
                text = str(control.value)
                for mark in (issue.prefix.strip(), issue.suffix.strip()):  # "$10" and "50%" are fine too
                    text = text.replace(mark, "") if mark else text
                values[issue.key] = parse_number(text, issue.name)
            else:
                values[issue.key] = control.value
        return values, self.game.package(values)

    # The negotiation's state lives in the model; these names keep the view short.
    asked = property(lambda self: self.rounds.asked)
    history = property(lambda self: self.rounds.history)
    counter = property(lambda self: self.rounds.counter)
    deal = property(lambda self: self.rounds.deal)

    def start_again(self) -> None:
        self.rounds.start_again()
        opening = _("The artisans open with their first position (in the history below). Make your proposal.")
        self.answer.value = f"<p>{esc(opening)}</p>"
        self.propose_button.disabled = False
        self.update()

    def _take_package(self) -> bool:
        """Read the controls into the current package; on bad input say why and keep the last valid one."""
        try:
            values, package = self.read()
        except (InputProblem, NegotiationInputError) as problem:
            show_problem(self.message, problem)
            return False
        show_problem(self.message, None)
        self.current, self.last_valid_values = package, values
        return True

    def update(self) -> None:
        if self.paused or not self._take_package():
            return
        self._show()

    def ask_why(self, key: str) -> None:
        self.rounds.ask_why(key)
        self._show()

    def propose(self) -> None:
        if self.deal is not None or not self._take_package():
            return
        answer = self.rounds.propose(self.current, self.last_valid_values)
        if answer.status == "your-limit":
            below = _("This package gives you {you} points, below your own limit of {limit}. No deal would be better "
                      "for you. Change the package first.").format(you=points_text(answer.you),
                                                                   limit=points_text(self.game.limit_you))
            self.answer.value = f"<p class='course-warning neg-verdict'>{esc(below)}</p>"
            self._show()
            return
        if answer.status == "deal":
            self.propose_button.disabled = True
            best = self.game.best_joint()
            together = _("Together you have {joint} points, of {best} possible. Their limit was {limit} points. All "
                         "their points are now shown below.").format(joint=points_text(answer.you + answer.artisans),
                                                                     best=points_text(best),
                                                                     limit=points_text(self.game.limit_artisans))
            said = _(answer.message)  # marked with N_ in the model, kept English in the history
            self.answer.value = f"<p class='course-feedback-right neg-verdict'>{esc(said)} {esc(together)}</p>"
        else:
            title = _("Their counter:")
            points = _("{package}. You {you}, they {they} points.").format(
                package=self.game.describe(answer.counter), you=points_text(answer.counter_you),
                they=points_text(answer.counter_artisans))
            said = _(answer.message)  # marked with N_ in the model, kept English in the history
            self.answer.value = (
                f"<p class='neg-verdict'>{esc(said)}</p><p class='neg-counter'><strong>{esc(title)}"
                f"</strong> {esc(points)}</p>")
        self._show()

    def take_counter(self) -> None:
        """Put the artisans' last counter into the controls."""
        values = self.game.values(self.counter)
        with one_update(self):
            for issue in self.game.issues:
                value = values[issue.key]
                self.controls[issue.key].value = number(float(value)) if issue.control == "typed" else value

    def check_types(self) -> None:
        marks = self.game.check_types({key: choice.value for key, choice in self.type_choices.items()})
        self.marks = {key: right for key, (right, _) in marks.items()}
        for key, (right, line) in marks.items():
            css = {True: "course-feedback-right", False: "course-feedback-wrong", None: "course-hints"}[right]
            self.type_marks[key].value = f"<p class='{css}'>{esc(line)}</p>"

    def snapshot(self) -> dict:
        you, them = self.game.score(self.current)
        return {"summary": self.rounds.summary(self.current, self.marks), "order": self.game.order,
                "package": self.last_valid_values, "package_text": self.game.describe(self.current),
                "scores": {"you": you, "artisans": them, "joint": you + them},
                "asked_why": list(self.asked), "history": self.history, "deal": self.deal,
                "types": {"answers": {k: c.value for k, c in self.type_choices.items()}, "right": self.marks}}

    # -- drawing ----------------------------------------------------------------------------------------------------
    def _revealed(self, key: str) -> bool:
        return self.rounds.revealed(key)

    def _show(self) -> None:
        game = self.game
        you, them = game.score(self.current)
        title, yours, theirs, joint = (_("Points for the package on the left"), _("Your points"),
                                       _("The artisans' points"), _("Joint value (both together)"))
        self.scores.value = (
            f"<p><strong>{esc(title)}</strong></p><table class='course-sim-table'>"
            f"<tr><td>{esc(yours)}</td><td class='neg-you'>{points_text(you)}</td></tr>"
            f"<tr><td>{esc(theirs)}</td><td class='neg-artisans'>{points_text(them)}</td></tr>"
            f"<tr><td>{esc(joint)}</td><td "
            f"class='neg-joint'>{points_text(you + them)}</td></tr></table>")
        for issue in game.issues:
            they_say = _("They say: \u201c{position}\u201d").format(position=issue.position)
            said = f"<p>{esc(they_say)}</p>"
            if self._revealed(issue.key):
                worth = _("It is worth up to {theirs} of their points (up to {yours} of yours).").format(
                    theirs=points_text(issue.weight("artisans")), yours=points_text(issue.weight("you")))
                why = _("Why?")
                said += (f"<p class='neg-reason'><strong>{esc(why)}</strong> \u201c{esc(issue.why)}\u201d "
                         f"{esc(worth)}</p>")
            self.why[issue.key].value = said
            self.ask_buttons[issue.key].disabled = issue.key in self.asked
        who = {"you": _("You"), "artisans": _("Artisans")}
        rows = "".join(
            f"<tr class='neg-{h['who']}'><td>{esc(who['you'] if h['who'] == 'you' else who['artisans'])}</td>"
            f"<td>{esc(h['package'])}</td>"
            f"<td>{points_text(h['you'])}</td><td>{points_text(h['artisans'])}</td>"
            f"<td>{esc(answer_word(h['answer']))}</td></tr>"
            for h in self.history[-HISTORY_ROWS:])
        heads = "".join(f"<th>{esc(head)}</th>" for head in (_("Who"), _("Package"), _("You"), _("They"), _("Answer")))
        title, kind = _("History"), _("(the last few moves)")
        self.history_box.value = (f"<p><strong>{esc(title)}</strong> {esc(kind)}</p><table class='course-sim-table'>"
                                  f"<tr>{heads}</tr>{rows}</table>")
        widest = max(issue.size for issue in game.issues)
        you_word, they_word = esc(_("you")), esc(_("they"))
        table_rows = []
        for issue, place in zip(game.issues, self.current):
            cells = []
            for i in range(issue.size):
                theirs = points_text(issue.artisans[i]) if self._revealed(issue.key) else "?"
                chosen = " class='neg-chosen'" if abs(place - i) < 1e-9 else ""
                cells.append(f"<td{chosen}><strong>{esc(issue.label(issue.value_at(i)))}</strong><br>{you_word} "
                             f"{points_text(issue.you[i])}<br>{they_word} <span "
                             f"class='neg-their-{issue.key}'>{theirs}</span></td>")
            cells += ["<td></td>"] * (widest - issue.size)
            table_rows.append(f"<tr><th>{esc(issue.name)}</th>{''.join(cells)}</tr>")
        title = _("Points for each option")
        kind = _("yours, and theirs once you have asked why (your current choice is shaded)")
        self.tables.value = (f"<p><strong>{esc(title)}</strong>: {esc(kind)}</p>"
                             f"<table class='course-sim-table neg-points'>{''.join(table_rows)}</table>")
        self._draw(you, them)

    def _build_figure(self) -> None:
        game = self.game
        self.figure = new_figure(6.4, 5.0)
        ax = self.axes = self.figure.axes[0]
        gx, gy = game.grid_points
        pairs = np.unique(np.column_stack([gx, gy]), axis=0)
        ax.scatter(pairs[:, 0], pairs[:, 1], s=9, color=MUTED, alpha=0.18, linewidths=0, label=_("all packages"),
                   rasterized=True)
        front = np.unique(np.column_stack([gx[game.frontier], gy[game.frontier]]), axis=0)
        ax.plot(front[:, 0], front[:, 1], color=INDIGO, linewidth=2.4, label=_("best for both sides"))
        split, trade = game.split(), game.trade()
        (sx, sy), (tx, ty) = game.score(split), game.score(trade)
        ax.plot([sx], [sy], "s", color=MUTED, markersize=10, label=_("split in the middle"))
        ax.plot([tx], [ty], "D", color=LEAF, markersize=10, label=_("trade across issues"))
        ax.axvline(game.limit_you, color=SAFFRON, linestyle="--", linewidth=1.4, label=_("your limit"))
        self.their_limit = ax.axhline(game.limit_artisans, color=ROSE, linestyle="--", linewidth=1.4,
                                      label=_("their limit (after a deal)"))
        (self.counter_marker,) = ax.plot([], [], "^", color=ROSE, markersize=13, label=_("their last counter"),
                                         zorder=5)
        (self.you_marker,) = ax.plot([], [], "o", color=SAFFRON, markersize=13, label=_("your package now"), zorder=6,
                                     markeredgecolor="#1b1f2a")
        for marker in (self.counter_marker, self.you_marker):
            marker.set_animated(True)  # drawn on top of the saved background, see _draw
        ax.set_xlim(-2, 102)
        ax.set_ylim(-2, 102)
        ax.set_xlabel(_("Your points"))
        ax.set_ylabel(_("The artisans' points"))
        split_line = _("Split every issue: {points} points together.").format(points=points_text(sx + sy))
        trade_line = _("Trade across issues: {points}. The pie gets bigger.").format(points=points_text(tx + ty))
        ax.set_title(f"{split_line}\n{trade_line}", fontsize=15)
        handles, labels = ax.get_legend_handles_labels()
        legend(self.figure, handles, labels)
        raise_small_text(self.figure)
        self.canvas = FigureCanvasAgg(self.figure)
        self._background = None

    def _draw(self, you: float, them: float) -> None:
        """Blitting: the faint packages, the frontier and the legend are drawn once; each update draws the two
        markers on a copy of that background (about ten times faster than drawing the whole chart again)."""
        self.you_marker.set_data([you], [them])
        cx, cy = self.game.score(self.counter)
        self.counter_marker.set_data([cx], [cy])
        limit_shown = self.deal is not None
        if self._background is None or self.their_limit.get_visible() != limit_shown:
            self.their_limit.set_visible(limit_shown)
            with matplotlib.rc_context(STYLE):
                self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.canvas.restore_region(self._background)
        self.axes.draw_artist(self.counter_marker)
        self.axes.draw_artist(self.you_marker)
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", compress_level=3)
        self.chart.value = buffer.getvalue()


PARTS = ("all", "play", "close")
_on_this_page: NegotiationSimulator | None = None


def show_negotiation_simulator(part: str = "all", **preset) -> None:
    """Show the multi-issue negotiation simulator. Keyword arguments preset a package (issue key = value),
    ``asked`` (issues already asked about) or ``path`` (another negotiation file).

    ``part="play"`` shows the issues, proposals and chart; a later ``part="close"`` on the same page shows the
    classification of the issues for that same negotiation. The default shows both together.
    """
    global _on_this_page
    if part not in PARTS:
        wrong = _("The part '{part}' does not exist. Use one of: {parts}.").format(part=part, parts=", ".join(PARTS))
        display(widgets.HTML(f"<p class='course-warning'>{esc(wrong)}</p>"))
        return
    try:
        if part != "close" or _on_this_page is None:
            _on_this_page = NegotiationSimulator(**preset)
        simulator = _on_this_page
    except (NegotiationDataError, NegotiationInputError, InputProblem) as problem:  # a broken data file or a bad preset
        display(widgets.HTML(f"<p class='course-warning'>{esc(problem)}</p>"))
        return
    simulator.play_save.layout.display = "none" if part == "all" else None  # one Save button when both parts show
    display({"all": simulator.widget, "play": simulator.play, "close": simulator.close}[part])
