"""The milestone planner: ``show_milestone_planner()``."""
from __future__ import annotations

from datetime import date, timedelta

import ipywidgets as widgets
from matplotlib.dates import AutoDateLocator, DateFormatter, date2num

from ..documents.downloads import Download, offer_html
from ..i18n import N_, _, ngettext
from ..models.milestones import (MAX_MILESTONES, MODES, RECOMMENDED, PlanInput, ScheduleInputError, default_modes,
                                 handoff_value, plan, verdict)
from ..documents.milestones import to_csv, to_ics
from ..text import short_date, weekday_date
from .plotting import INDIGO, LEAF, MUTED, ROSE, SAFFRON, new_figure, png
from ..state.session import SESSION
from ..state import handoff
from .kit import (show_tool, InputProblem, columns, esc, labelled, message_box, one_update, parse_number, save_button,
                     show_problem)

INK = "#1b1f2a"
MARKERS = {"in person": "o", "video": "s", "producer lead": "^"}
REST_OPTIONS = [(N_("None: work every day"), 0), (N_("1 day (Sunday)"), 1), (N_("2 days (Saturday and Sunday)"), 2)]
# The check-in modes as a reader sees them; the value kept and compared stays the English key.
MODE_NAMES = {"in person": N_("in person"), "video": N_("video"), "producer lead": N_("producer lead")}
SHAPES = {"in person": "&#9679;", "video": "&#9632;", "producer lead": "&#9650;"}


def _swatch(style: str, text: str) -> str:
    return (f"<span class='course-ms-key'><span style='display:inline-block;width:1.4em;height:0.8em;"
            f"vertical-align:middle;margin-right:0.3em;{style}'></span>{text}</span>")


def mode_name(mode: str) -> str:
    """A check-in mode in the kernel's language (the mode itself stays the English key)."""
    return _(MODE_NAMES[mode]) if mode in MODE_NAMES else mode


def batch_name(number: int) -> str:
    """ "Batch 2" in the kernel's language (the model's own name stays English, for the files)."""
    return _("Batch {number}").format(number=number)


def _title(text: str) -> widgets.HTML:
    """A part's title in bold (``text`` already in the kernel's language)."""
    return widgets.HTML(f"<p><strong>{esc(text)}</strong></p>")


def legend() -> str:
    """The chart's key, in the kernel's language."""
    check_in = esc(_("Check-in:"))
    return ("<p class='course-ms-legend'>"
            + " ".join([_swatch(f"background:{INDIGO}", esc(_("making"))),
                        _swatch(f"background:{SAFFRON}", esc(_("check"))),
                        _swatch(f"background:{LEAF}", esc(_("feedback"))),
                        _swatch("background:#f3dadf", esc(_("buffer"))),
                        _swatch(f"border-left:4px dashed {ROSE};width:0.2em", esc(_("deadline")))])
            + f"<br>{check_in} "
            + " ".join(f"<span class='course-ms-key'>{SHAPES[m]}&nbsp;{esc(mode_name(m))}</span>" for m in MODES)
            + "</p>")


ASSUMPTIONS = (
    N_("Batch, check, feedback, then the next batch: the next batch starts only after feedback on the one before. "
       "This is the deck's advice, with 3-4 milestones and a longer lead time."),
    N_("Batches are as equal as possible and add up to the order. Extra pieces go to the last batches, so the first "
       "batch is never the biggest: problems show up early, when they cost least."),
    N_("Output per day = pieces per artisan per day × artisans. A part day counts as a full working day."),
    N_("Rest days are days with no production (Sunday first, then Saturday). Checking and feedback are counted in "
       "calendar days."),
    N_("One check-in per batch, on the first day of its check. Default: the first and the last in person, the ones "
       "between by video. If you cannot go or call, the producer lead checks the members and reports back to you."),
    N_("Buffer days are a safety margin before the buyer's deadline. A plan that ends inside the buffer is tight; "
       "after the deadline, it is late."),
)


def assumptions() -> str:
    """What the planner assumes, as a list in the kernel's language."""
    return ("<ul class='course-assumptions'>\n"
            + "\n".join(f"<li>{esc(_(line))}</li>" for line in ASSUMPTIONS) + "</ul>")


def _text(value) -> widgets.Text:
    return widgets.Text(value=f"{value:g}" if isinstance(value, (int, float)) else str(value),
                        layout=widgets.Layout(width="100%"))


def _pair(a: widgets.Widget, b: widgets.Widget) -> widgets.Widget:
    row = widgets.HBox([a, b], layout=widgets.Layout(width="100%", justify_content="space-between"))
    row.add_class("course-ms-pair")
    return row


class MilestonePlanner:
    def __init__(self, quantity: int = 240, per_artisan_per_day: float = 2, artisans: int = 6,
                 start: date | None = None, deadline: date | None = None, milestones: int = 3, check_days: int = 3,
                 feedback_days: int = 2, buffer_days: int = 7, rest_days: int = 1, order: str = "Woven scarves",
                 modes: list[str] | tuple[str, ...] | None = None):
        if rest_days not in dict(REST_OPTIONS).values():
            raise ValueError(f"rest_days must be 0, 1 or 2 in the planner, not {rest_days!r}.")
        today = date.today()
        self.order = _text(order)
        self.quantity = _text(quantity)
        self.rate = _text(per_artisan_per_day)
        self.artisans = _text(artisans)
        self.start = widgets.DatePicker(value=start or today + timedelta(days=7), layout=widgets.Layout(width="100%"))
        self.deadline = widgets.DatePicker(value=deadline or today + timedelta(days=63),
                                           layout=widgets.Layout(width="100%"))
        self.count = widgets.IntSlider(value=milestones, min=1, max=MAX_MILESTONES, layout=widgets.Layout(width="100%"))
        self.count_hint = widgets.HTML()
        self.dates_note = widgets.HTML()  # the dates in words: a date box may show 12/04 for 4 December
        self.check_days = _text(check_days)
        self.feedback_days = _text(feedback_days)
        self.buffer_days = _text(buffer_days)
        self.rest = widgets.Dropdown(options=[(_(label), days) for label, days in REST_OPTIONS], value=rest_days,
                                     layout=widgets.Layout(width="100%"))
        self.message = message_box()
        self.verdict = widgets.HTML()
        self.verdict.add_class("course-ms-verdict")
        self.chart = widgets.Image(format="png")
        self.chart.add_class("course-sim-chart")
        self.table = widgets.HTML()
        self.table.add_class("course-ms-table")
        # One dropdown per possible check-in; only the first ``count`` are shown.
        self.mode_labels = [widgets.HTML() for _ in range(MAX_MILESTONES)]
        self.modes = [widgets.Dropdown(options=[(mode_name(m), m) for m in MODES], layout=widgets.Layout(width="auto"))
                      for _ in range(MAX_MILESTONES)]
        self.mode_rows = []
        for label, dropdown in zip(self.mode_labels, self.modes):
            row = widgets.HBox([label, dropdown], layout=widgets.Layout(width="100%", align_items="center",
                                                                         justify_content="space-between"))
            row.add_class("course-ms-checkin")
            self.mode_rows.append(row)
        self.checkins = widgets.VBox()
        self.reset_modes = widgets.Button(description=_("Use the default rule"),
                                          layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.reset_modes.on_click(lambda _: self._set_modes(default_modes(self.count.value)))
        self.make_files = widgets.Button(description=_("Make the files: table (CSV) and calendar (.ics)"),
                                         icon="download",
                                         layout=widgets.Layout(width="auto", align_self="flex-start"))
        self.make_files.on_click(self._offer_files)
        self.files = widgets.HTML()
        self.files.add_class("course-ms-files")
        self._build_figure()

        controls = widgets.VBox([
            labelled(_("Order name (for the calendar)"), self.order),
            _pair(labelled(_("Order quantity (pieces)"), self.quantity, "48%"),
                  labelled(_("Number of artisans"), self.artisans, "48%")),
            labelled(_("Pieces per artisan per day"), self.rate),
            _pair(labelled(_("Start date"), self.start, "48%"), labelled(_("Buyer's deadline"), self.deadline, "48%")),
            self.dates_note,
            labelled(_("Number of milestones (batches)"), self.count), self.count_hint,
            _pair(labelled(_("Days for checking"), self.check_days, "48%"),
                  labelled(_("Days for feedback"), self.feedback_days, "48%")),
            labelled(_("Buffer days before the deadline"), self.buffer_days),
            labelled(_("Rest days per week (no production)"), self.rest),
            self.message])
        chart = widgets.VBox([self.chart, widgets.HTML(legend())])  # the chart with its key, kept together
        chart.add_class("course-sim-pinned")  # on a phone it stays on screen while the controls move
        results = widgets.VBox([self.verdict, chart])
        # on a projector it stays in view beside the controls (course-theme.css)
        results.add_class("course-sim-results")
        best = _("In person is best, then video. If you cannot go or call, ask the producer lead to check the members "
                 "and report back to you.")
        checkin_box = widgets.VBox([
            _title(_("Check-ins: how will you check each batch?")),
            self.checkins, self.reset_modes,
            widgets.HTML(f"<p class='course-small'>{esc(best)}</p>")])
        take_away = widgets.VBox([
            _title(_("Take the plan with you")), self.make_files, self.files,
            save_button("milestone-plan", "management", self.snapshot)])
        self.widget = widgets.VBox([
            columns(controls, results),
            _title(_("The milestones")), self.table,
            columns(checkin_box, take_away),
            _title(_("What the planner assumes")), widgets.HTML(assumptions()),
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-simulator")
        self.widget.add_class("course-milestones")

        for control in (self.order, self.quantity, self.rate, self.artisans, self.start, self.deadline,
                        self.check_days, self.feedback_days, self.buffer_days, self.rest, *self.modes):
            control.observe(lambda _: self.update(), "value")
        self.count.observe(self._new_count, "value")
        self.last = None
        self.paused = False
        self._set_modes(list(modes) if modes and len(modes) == milestones else default_modes(milestones))

    # -- state -----------------------------------------------------------------------------
    def _set_modes(self, modes: list[str]) -> None:
        with one_update(self):
            for dropdown, mode in zip(self.modes, modes):
                dropdown.value = mode
            self.checkins.children = self.mode_rows[:len(modes)]

    def _new_count(self, change) -> None:
        # A new number of batches: the check-ins follow the default rule again.
        self._set_modes(default_modes(change["new"]))

    def read(self) -> PlanInput:
        whole = lambda box, label: parse_number(box.value, label)  # noqa: E731  (the model checks whole numbers)
        count = int(self.count.value)
        return PlanInput(
            quantity=whole(self.quantity, _("Order quantity")),
            per_artisan_per_day=parse_number(self.rate.value, _("Pieces per artisan per day")),
            artisans=whole(self.artisans, _("Number of artisans")),
            start=self.start.value, deadline=self.deadline.value, milestones=count,
            check_days=whole(self.check_days, _("Days for checking")),
            feedback_days=whole(self.feedback_days, _("Days for feedback")),
            buffer_days=whole(self.buffer_days, _("Buffer days")),
            rest_days=int(self.rest.value),
            modes=tuple(d.value for d in self.modes[:count]),
            order=self.order.value.strip() or "Order",
        )

    def update(self) -> None:
        if self.paused:
            return
        try:
            result = plan(self.read())
        except (InputProblem, ScheduleInputError) as problem:
            show_problem(self.message, problem)
            return
        show_problem(self.message, None)
        self.last = result
        self._show(result)
        handoff.publish(handoff.PLAN, handoff_value(result))

    def snapshot(self) -> dict:
        return handoff_value(self.last)

    def _offer_files(self, button=None) -> None:
        if self.last is None:
            return
        learner = SESSION.learner or SESSION.start()
        items = [Download("milestone-plan.csv", "text/csv", to_csv(self.last), _("Download the table (CSV)")),
                 Download("milestone-plan.ics", "text/calendar", to_ics(self.last), _("Download the calendar (.ics)"))]
        calendar = _("The calendar file opens in Google Calendar, Outlook and phone calendars: import it there.")
        self.files.value = (offer_html(items, learner.name if learner else None)
                            + f"<p class='course-small'>{esc(calendar)}</p>")

    # -- showing ---------------------------------------------------------------------------
    def _show(self, result) -> None:
        s = result.settings
        low, high = RECOMMENDED
        hint = (_("{low}-{high} milestones are recommended: fewer checks find problems late.") if s.milestones < low
                else _("{low}-{high} milestones are recommended: more checks make a longer plan."))
        self.count_hint.value = ("" if low <= s.milestones <= high else
                                 f"<p class='course-small course-ms-hint'>{esc(hint.format(low=low, high=high))}</p>")
        state = {"late": "course-warning course-ms-late", "tight": "course-warning course-ms-tight",
                 "on time": "course-ms-ontime"}[result.status]
        fix_title = _("What would fix it (any one of these):")
        fixes = ("" if not result.fixes else
                 f"<p class='course-ms-fixes-title'>{esc(fix_title)}</p><ul "
                 "class='course-ms-fixes'>"
                 + "".join(f"<li>{esc(fix)}</li>" for fix in result.fixes) + "</ul>")
        output = _("Output: {count} pieces per working day.").format(count=f"{result.per_day:g}")
        self.verdict.value = (f"<div class='{state}'><p class='sim-verdict'><strong>{esc(verdict(result))}</strong></p>"
                              f"{fixes}</div><p class='sim-output'>{esc(output)}</p>")
        # data-label: on a phone each batch is a card of its own, every value beside its column's name
        # (course-theme.css).
        head = {key: esc(_(key)) for key in (N_("Batch"), N_("Pieces"), N_("Making"), N_("Check"), N_("Feedback"),
                                             N_("Check-in"), N_("Total"), N_("Ends"))}
        rows = "".join(
            f"<tr><td data-label='{head['Batch']}'>{esc(batch_name(m.number))}</td>"
            f"<td data-label='{head['Pieces']}' class='sim-pieces'>{m.pieces}</td>"
            f"<td data-label='{head['Making']}'>{short_date(m.batch_start)} – {short_date(m.batch_end)}</td>"
            f"<td data-label='{head['Check']}'>{short_date(m.check_start)} – {short_date(m.check_end)}</td>"
            f"<td data-label='{head['Feedback']}'>"
            + ("—" if m.feedback_start is None else f"{short_date(m.feedback_start)} – {short_date(m.feedback_end)}")
            + "</td>"
            f"<td data-label='{head['Check-in']}'>{short_date(m.checkin_date)}, {esc(mode_name(m.checkin_mode))}</td>"
            "</tr>"
            for m in result.milestones)
        ends = _("Plan ends {end}; deadline {deadline}").format(end=weekday_date(result.finish),
                                                               deadline=weekday_date(s.deadline))
        columns_row = "".join(f"<th>{head[key]}</th>"
                              for key in ("Batch", "Pieces", "Making", "Check", "Feedback", "Check-in"))
        self.table.value = (
            f"<table class='course-sim-table sim-milestones course-reflow'><thead><tr>{columns_row}</tr></thead>"
            f"<tbody>{rows}"
            f"<tr class='sim-total'><td data-label=''>{head['Total']}</td>"
            f"<td data-label='{head['Pieces']}'>{sum(m.pieces for m in result.milestones)}</td>"
            f"<td colspan='4' data-label='{head['Ends']}'>{esc(ends)}</td></tr></tbody></table>")
        days = (s.deadline - s.start).days
        dates = ngettext("Start {start}; deadline {deadline} ({days} day later).",
                         "Start {start}; deadline {deadline} ({days} days later).", days).format(
                             start=weekday_date(s.start), deadline=weekday_date(s.deadline), days=days)
        self.dates_note.value = f"<p class='course-small'>{esc(dates)}</p>"
        for label, m in zip(self.mode_labels, result.milestones):
            check_in = _("Check-in {number}: {date}").format(number=m.number, date=weekday_date(m.checkin_date))
            label.value = f"<span class='course-ms-checkin-label'>{esc(check_in)}</span>"
        if self.files.value and "course-download" in self.files.value:
            changed = _("The plan changed: make the files again.")
            self.files.value = f"<p class='course-small'>{esc(changed)}</p>"
        self._draw(result)

    def _build_figure(self) -> None:
        self.figure = new_figure(5.6, 4.2)
        ax = self.axes = self.figure.axes[0]
        ax.xaxis.set_major_formatter(DateFormatter("%d %b"))
        ax.grid(axis="y", visible=False)
        ax.set_axisbelow(True)  # grid lines behind the bars
        self.dynamic = []

    def _draw(self, result) -> None:
        ax = self.axes
        for artist in self.dynamic:
            artist.remove()
        self.dynamic = []
        s = result.settings
        n = len(result.milestones)
        day = lambda d: date2num(d)  # noqa: E731  (a bar covers whole days: from its first day to the day after its last)
        one = timedelta(days=1)
        end_of_deadline = day(s.deadline + one)
        if s.buffer_days:
            self.dynamic.append(ax.axvspan(end_of_deadline - s.buffer_days, end_of_deadline, color=ROSE, alpha=0.12,
                                           linewidth=0))
        self.dynamic.append(ax.axvline(end_of_deadline, color=ROSE, linestyle="--", linewidth=2))
        for i, m in enumerate(result.milestones):
            y = n - 1 - i
            phases = [(m.batch_start, m.batch_end, INDIGO), (m.check_start, m.check_end, SAFFRON)]
            if m.feedback_start is not None:
                phases.append((m.feedback_start, m.feedback_end, LEAF))
            self.dynamic.append(ax.broken_barh([(day(a), day(b + one) - day(a)) for a, b, _ in phases], (y - 0.25, 0.5),
                                               facecolors=[c for _, _, c in phases]))
            (marker,) = ax.plot([day(m.checkin_date) + 0.5], [y + 0.38], marker=MARKERS[m.checkin_mode], color=INK,
                                markersize=9, linestyle="none")
            self.dynamic.append(marker)
        ax.set_yticks(range(n), [batch_name(m.number) + "\n"
                                 + ngettext("{count} piece", "{count} pieces", m.pieces).format(count=m.pieces)
                                 for m in reversed(result.milestones)])
        ax.set_ylim(-0.7, n - 0.3)
        left, right = day(s.start) - 1, max(end_of_deadline, day(result.finish + one)) + 2
        ax.set_xlim(left, right)
        ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=6))
        title = {"late": ngettext("{days} day late", "{days} days late", result.days_late),
                 "tight": _("On time, but inside the buffer"),
                 "on time": _("On time, buffer kept")}[result.status].format(days=result.days_late)
        ax.set_title(title, color=ROSE if result.status != "on time" else LEAF, fontsize=17, fontweight="bold")
        ax.set_xlabel(_("Deadline {date} (dashed line)").format(date=short_date(s.deadline)), color=MUTED)
        self.chart.value = png(self.figure)


def show_milestone_planner(**preset) -> None:
    """Show the milestone planner. Keyword arguments preset a plan for a slide."""
    show_tool(lambda: MilestonePlanner(**preset), _("The milestone planner"))
