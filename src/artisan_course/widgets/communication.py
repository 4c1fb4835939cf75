"""Module 07, communication: four interactive pieces, each shown by a one-line call in the notebook.

- ``channel_chooser()``: rank six channels for the artisans' situation (rule 1: a channel they are comfortable with);
- ``conflict_plan_builder()``: an ordered conflict-resolution plan to share with all staff (rule 2);
- ``message_drafting(kind)``: draft a thank-you ("gratitude") or a long-term "vision" message (rules 4 and 5);
- ``listening_practice()``: summarise what an artisan said, then compare (listen first, then speak their language).

The seed is the workshop deck by Huyen T.T.P. and Long N.H. (October 2024), sections "Communication rules 1-3",
"4-6" and "Listen first". Its ideas are taught in the course's own words.

The rules (channel ranking, the draft check, listening points) are in ``models/communication.py``, with their
assumptions.

The content lives in data/*.yaml and is validated on load (a bad file gives one sentence naming the file and
the item). Answers are saved for the learner as they are typed; every saved dict has a readable "summary".
"""
from __future__ import annotations


import ipywidgets as widgets
from IPython.display import display

from ..i18n import _
from ..content.communication import CommunicationDataError, load_data
from ..documents.conflict_plan import conflict_plan_html, conflict_plan_text
from ..content.words import segmenter_available, words as split_words
from ..models.communication import (RankedChannel, channel_summary, check_draft, checklist_summary, conflict_summary,
                                    describe_check, english_only_points, listening_english_only, listening_points,
                                    listening_summary, rank_channels)
from ..state import recorder
from ..state.recorder import AutoSave, Kind
from ..state.session import SESSION
from .kit import columns, esc, labelled, save_note

MODULE = "communication"
BUTTON = {"layout": {"width": "auto", "align_self": "flex-start"}}

# -- content files ---------------------------------------------------------------------------


# -- saving ------------------------------------------------------------------------------------


def _problem_box(exc: Exception) -> None:
    said = _("This activity cannot start: {problem}").format(problem=exc)
    display(widgets.HTML(f"<p class='course-warning'>{esc(said)}</p>"))


# -- 1. channel chooser: the rules ---------------------------------------------------------------


# -- 1. channel chooser: the view -------------------------------------------------------------------
class ChannelChooser:
    ITEM = "channel-choice"

    def __init__(self):
        self.data = data = load_data("channels.yaml")
        # What is saved (the ranking's names and reasons, the summary) is the English, the same in every deck: the
        # points and the ids do not change with the language, so both rankings have the same order.
        self.english = load_data("channels.yaml", "en")
        self.controls = {q["id"]: widgets.Dropdown(options=[(a["text"], a["key"]) for a in q["answers"]],
                                                   value=q["default"], layout=widgets.Layout(width="100%"))
                         for q in data["questions"]}
        self.table = widgets.HTML()
        self.table.add_class("course-channel-ranking")
        self.choice = widgets.Dropdown(options=[(c["name"], c["id"]) for c in data["channels"]],
                                       layout=widgets.Layout(width="100%"))
        self.save_button = widgets.Button(description=_("Save my choice"), icon="save", button_style="primary",
                                          **BUTTON)
        self.note = widgets.HTML()
        self.paused = False
        self.ranking: list[RankedChannel] = []
        best_first = _("Channels for this situation, best first")
        situation = widgets.VBox([labelled(q["label"], self.controls[q["id"]]) for q in data["questions"]])
        result = widgets.VBox([
            widgets.HTML(f"<p><strong>{esc(best_first)}</strong></p>"), self.table,
            widgets.HTML(f"<p class='course-note'>{esc(data['record_tip'])}</p>"),
            labelled(_("The channel I will use"), self.choice), self.save_button, self.note])
        self.widget = widgets.VBox([columns(situation, result)], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-activity")
        self.widget.add_class("course-channel-chooser")
        for control in self.controls.values():
            control.observe(lambda _: self.update(), "value")
        self.choice.observe(lambda _: setattr(self.note, "value", ""), "value")
        self.save_button.on_click(lambda _: self.save())
        self.update()
        SESSION.on_learner(self._restore)

    def situation(self) -> dict[str, str]:
        return {qid: control.value for qid, control in self.controls.items()}

    def update(self) -> None:
        if self.paused:
            return
        self.ranking = rank_channels(self.data, self.situation())
        rows = []
        for place, r in enumerate(self.ranking, start=1):
            not_fit = _("(not a good fit here)")
            fit = "" if r.fits else f" <span class='course-not-fit'>{esc(not_fit)}</span>"
            mark = " class='course-highlight'" if place == 1 else ""
            rows.append(f"<tr{mark}><td class='course-rank'>{place}</td><td><strong>{esc(r.name)}</strong>{fit}"
                        f"<br><span class='course-why'>{esc(r.why)}</span></td></tr>")
        self.table.value = f"<table class='course-channel-table'>{''.join(rows)}</table>"
        self.choice.value = self.ranking[0].id
        self.note.value = ""

    def snapshot(self) -> dict:
        situation = self.situation()
        ranking = rank_channels(self.english, situation)
        return {"situation": situation, "chosen": self.choice.value,
                "ranking": [{"id": r.id, "name": r.name, "points": r.points, "why": r.why} for r in ranking],
                "summary": channel_summary(self.english, situation, ranking, self.choice.value)}

    def save(self) -> None:
        value = self.snapshot()
        self.note.value = save_note(recorder.record(MODULE, self.ITEM, Kind.SCENARIO, value), value)

    def _restore(self, learner) -> None:
        saved = recorder.latest_answer(self.ITEM, Kind.SCENARIO, learner)
        if not saved or not isinstance(saved.value, dict):
            return
        self.paused = True
        try:
            for qid, key in saved.value.get("situation", {}).items():
                control = self.controls.get(qid)
                if control is not None and key in [k for _, k in control.options]:
                    control.value = key
        finally:
            self.paused = False
        self.update()
        if saved.value.get("chosen") in [k for _, k in self.choice.options]:
            self.choice.value = saved.value["chosen"]
        self.note.value = "<span class='course-status--saved'>" + esc(_("Your saved choice is shown.")) + "</span>"


def channel_chooser() -> None:
    """Choose the right channel for the artisans' situation and what you need to say."""
    try:
        view = ChannelChooser()
    except CommunicationDataError as exc:
        return _problem_box(exc)
    display(view.widget)


# -- 2. conflict plan: pure parts -------------------------------------------------------------------


# -- 2. conflict plan: the view ----------------------------------------------------------------------
class ConflictPlanBuilder:
    ITEM = "conflict-plan"

    def __init__(self):
        self.data = load_data("conflict_plan.yaml")
        # A step's "how soon" is saved as the English of its time (the key), and shown in the deck's language.
        self.times = list(load_data("conflict_plan.yaml", "en")["times"])
        self.time_labels = dict(zip(self.times, self.data["times"]))
        self.autosave = AutoSave(MODULE, self.ITEM, Kind.SCENARIO)
        self.rows: list[dict] = []
        self.loading = False
        self.team = widgets.Text(placeholder=_("For example: Lao Weaving Team"), layout=widgets.Layout(width="100%"))
        self.steps_box = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.add = widgets.Button(description=_("Add a step"), icon="plus", **BUTTON)
        self.status = widgets.HTML()
        self.download = widgets.Button(description=_("Download to share with staff"), icon="download", **BUTTON)
        self.links = widgets.HTML()
        self.add.on_click(lambda _: self.add_step({"text": "", "who": "", "when": self.times[0]}))
        self.download.on_click(lambda _: self.offer())
        self.team.observe(lambda _: self.changed(), "value")
        steps_title = _("The steps, in order.")
        steps_help = _("Edit any text; use Up and Down to change the order.")
        self.widget = widgets.VBox([
            labelled(_("Your team or enterprise (for the printed plan)"), self.team),
            widgets.HTML(f"<p><strong>{esc(steps_title)}</strong> {esc(steps_help)}</p>"),
            self.steps_box, self.add, self.status,
            widgets.HBox([self.download], layout=widgets.Layout(width="100%")), self.links,
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-activity")
        self.widget.add_class("course-conflict-plan")
        self.set_steps(self.data["steps"])
        SESSION.on_learner(self._restore)

    # -- rows
    def _row(self, step: dict) -> dict:
        when = str(step.get("when") or self.times[0])
        # A time that is no longer in the data file is kept for this step, so a saved plan never changes by itself.
        options = self.times if when in self.times else self.times + [when]
        row = {"text": widgets.Textarea(value=step.get("text", ""), rows=2, placeholder=_("What to do"),
                                        layout=widgets.Layout(width="100%")),
               "who": widgets.Text(value=step.get("who", ""), placeholder=_("Who is responsible"),
                                   layout=widgets.Layout(width="100%")),
               "when": widgets.Dropdown(options=[(self.time_labels.get(t, t), t) for t in options], value=when,
                                        layout=widgets.Layout(width="100%")),
               "number": widgets.HTML()}
        up = widgets.Button(description=_("Up"), tooltip=_("Move this step up"), layout=widgets.Layout(width="auto"))
        down = widgets.Button(description=_("Down"), tooltip=_("Move this step down"),
                              layout=widgets.Layout(width="auto"))
        remove = widgets.Button(description=_("Remove"), tooltip=_("Remove this step"),
                                layout=widgets.Layout(width="auto"))
        up.on_click(lambda _: self.move(row, -1))
        down.on_click(lambda _: self.move(row, 1))
        remove.on_click(lambda _: self.remove(row))
        for key in ("text", "who", "when"):
            row[key].observe(lambda _: self.changed(), "value")
        tools = widgets.HBox([up, down, remove])
        tools.add_class("course-step-tools")
        details = widgets.HBox([labelled(_("Who"), row["who"], "auto"), labelled(_("How soon"), row["when"], "auto"),
                                tools],
                               layout=widgets.Layout(width="100%", flex_flow="row wrap", align_items="flex-end"))
        details.children[0].layout.flex = "2 1 420px"
        details.children[1].layout.flex = "1 1 240px"
        details.add_class("course-step-details")
        row["box"] = widgets.VBox([widgets.HBox([row["number"], row["text"]], layout=widgets.Layout(width="100%")),
                                   details], layout=widgets.Layout(width="100%"))
        row["box"].add_class("course-step")
        return row

    def _layout(self) -> None:
        for i, row in enumerate(self.rows, start=1):
            row["number"].value = f"<span class='course-step-number'>{i}.</span>"
        self.steps_box.children = [row["box"] for row in self.rows]

    def set_steps(self, steps: list[dict]) -> None:
        self.loading = True
        try:
            self.rows = [self._row(step) for step in steps]
            self._layout()
        finally:
            self.loading = False

    def add_step(self, step: dict) -> None:
        self.rows.append(self._row(step))
        self._layout()
        self.changed()

    def move(self, row: dict, by: int) -> None:
        i = self.rows.index(row)
        j = i + by
        if 0 <= j < len(self.rows):
            self.rows[i], self.rows[j] = self.rows[j], self.rows[i]
            self._layout()
            self.changed()

    def remove(self, row: dict) -> None:
        self.rows.remove(row)
        self._layout()
        self.changed()

    # -- saving
    def steps(self) -> list[dict]:
        return [{"text": r["text"].value, "who": r["who"].value, "when": r["when"].value} for r in self.rows]

    def snapshot(self) -> dict:
        steps = self.steps()
        return {"team": self.team.value, "steps": steps, "summary": conflict_summary(steps)}

    def changed(self) -> None:
        if self.loading:
            return
        self.links.value = ""  # an old download no longer matches the plan
        value = self.snapshot()
        self.status.value = save_note(self.autosave.save(value), value)

    def _restore(self, learner) -> None:
        saved = self.autosave.latest(learner)
        if not isinstance(saved, dict) or not isinstance(saved.get("steps"), list):
            # A learner with no saved plan starts from the suggested steps, never from the last learner's plan.
            self.loading = True
            try:
                self.team.value = ""
            finally:
                self.loading = False
            self.set_steps([dict(s) for s in self.data["steps"]])
            self.status.value = ""
            return
        self.loading = True
        try:
            self.team.value = saved.get("team", "")
        finally:
            self.loading = False
        self.set_steps([s for s in saved["steps"] if isinstance(s, dict)])
        self.status.value = "<span class='course-status--saved'>" + esc(_("Your saved plan is shown.")) + "</span>"

    def offer(self) -> None:
        from ..documents.downloads import Download, offer_html
        from ..state.learner import safe_file_stem
        team = self.team.value
        # The shared plan shows each time as the deck does.
        steps = [dict(s, when=self.time_labels.get(s["when"], s["when"])) for s in self.steps()]
        learner = SESSION.learner
        stem = "conflict-plan" + (f"-{safe_file_stem(team)}" if team.strip() else "")
        items = [Download(f"{stem}.html", "text/html",
                          conflict_plan_html(steps, team, learner.name if learner else None),
                          _("Printable plan (web page)")),
                 Download(f"{stem}.txt", "text/plain", conflict_plan_text(steps, team),
                          _("Plain text (for a message)"))]
        self.links.value = offer_html(items, learner.name if learner else None)


def conflict_plan_builder() -> None:
    """Build the conflict-resolution plan every staff member should know, and download it to share."""
    try:
        view = ConflictPlanBuilder()
    except CommunicationDataError as exc:
        return _problem_box(exc)
    display(view.widget)


# -- 3. message drafting: the rules ---------------------------------------------------------------------


# -- 3. message drafting: the view ------------------------------------------------------------------------
class MessageDrafting:
    KINDS = ("gratitude", "vision", "because", "respect")

    def __init__(self, kind: str = "gratitude", module: str = MODULE, item: str | None = None):
        """``module`` and ``item`` place the draft in another module (a "because" message in 05 keeps its own id)."""
        from .reflection import Reflection
        if kind not in self.KINDS:
            raise CommunicationDataError(f"The message kind '{kind}' is not known: use one of "
                                         + ", ".join(f'"{k}"' for k in self.KINDS) + ".")
        self.kind = kind
        kinds = load_data("message_checklists.yaml")
        if kind not in kinds:
            raise CommunicationDataError(f"data/message_checklists.yaml has no checklist for '{kind}' messages.")
        self.spec = kinds[kind]
        self.points = self.spec["points"]
        draft_item = item or f"communication-{kind}-message"
        checklist_item = f"{item}-checklist" if item else f"communication-{kind}-checklist"
        self.draft = Reflection(draft_item, self.spec["prompt"], hints=self.spec["hints"], module=module)
        self.autosave = AutoSave(module, checklist_item, Kind.SCENARIO)
        self.loading = False
        self.found: dict[str, bool] = {}
        self.boxes = {p["id"]: widgets.Checkbox(value=False, description=p["text"], indent=False,
                                                layout=widgets.Layout(width="100%")) for p in self.points}
        self.notes = {p["id"]: widgets.HTML() for p in self.points}
        for box in self.boxes.values():
            box.observe(lambda _: self.ticks_changed(), "value")
        self.check_button = widgets.Button(description=_("Check my draft"), icon="check", button_style="primary",
                                           **BUTTON)
        self.check_button.on_click(lambda _: self.check())
        self.result = widgets.HTML()
        self.status = widgets.HTML()
        looks_for = _("Looks for: {words}.")
        rules = "".join(f"<li><strong>{esc(p['text'])}</strong> "
                        f"{esc(looks_for.format(words=describe_check(p['check'])))}</li>" for p in self.points)
        heading = _("Checklist: {title}").format(title=self.spec["title"].lower())
        guide = _("Tick each point your message does. \"Check my draft\" is only a rough guide: it looks for simple "
                  "words. You can tick a point yourself.")
        decides = _("How the check decides")
        checklist = widgets.VBox([
            widgets.HTML(f"<p><strong>{esc(heading)}</strong></p><p class='course-small'>{esc(guide)}</p>"),
            *[widgets.VBox([self.boxes[p["id"]], self.notes[p["id"]]], layout=widgets.Layout(width="100%"))
              for p in self.points],
            self.check_button, self.result, self.status,
            widgets.HTML(f"<details class='course-rules'><summary>{esc(decides)}</summary><ul>{rules}</ul>"
                         "</details>"),
        ])
        checklist.add_class("course-checklist")
        self.widget = widgets.VBox([columns(widgets.VBox([self.draft]), checklist)],
                                   layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-activity")
        self.widget.add_class("course-message-drafting")
        SESSION.on_learner(self._restore)

    def ticked(self) -> list[str]:
        return [pid for pid, box in self.boxes.items() if box.value]

    def check(self, text: str | None = None) -> dict[str, bool]:
        """Tick the points the draft seems to meet. A point the learner ticked stays ticked."""
        text = self.draft.value if text is None else text
        if not text.strip():
            first = _("Write your message first, then check it.")
            self.result.value = "<p class='course-warning'>" + esc(first) + "</p>"
            return {}
        found = check_draft(self.points, text, split_words)
        english = set(english_only_points(self.points, text, found, segmenter_available()))
        # A point whose words are English only says nothing about a Lao draft: it is neither found nor missed.
        self.found = {pid: met and pid not in english for pid, met in found.items()}
        self.loading = True
        try:
            for pid, met in self.found.items():
                if met:
                    self.boxes[pid].value = True
                # Only the misses get a note: a tick already shows a point that was found.
                if pid in english:
                    note = ("<p class='course-check-note course-english-only'>"
                            + esc(_("The check knows only English words for this point. Tick it yourself if your "
                                    "message does it.")) + "</p>")
                elif not met:
                    note = ("<p class='course-not-found course-check-note'>"
                            + esc(_("The check did not find this. Tick it yourself if your message does it.")) + "</p>")
                else:
                    note = ""
                self.notes[pid].value = note
        finally:
            self.loading = False
        count = sum(self.found.values())
        checked = len(self.points) - len(english)
        found_line = _("The check found {count} of {checked} points. A rough guide, not a grade.")
        self.result.value = ("<p class='course-feedback-right'>" + esc(found_line.format(count=count, checked=checked))
                             + "</p>")
        self.ticks_changed()
        return self.found

    def ticks_changed(self) -> None:
        if self.loading:
            return
        ticked = self.ticked()
        value = {"ticked": ticked, "found_by_check": [pid for pid, met in self.found.items() if met],
                 "summary": checklist_summary(self.spec["title"], self.points, ticked)}
        self.status.value = save_note(self.autosave.save(value), value)

    def _restore(self, learner) -> None:
        saved = self.autosave.latest(learner)
        if not isinstance(saved, dict):
            # A learner with nothing saved starts with an empty checklist, not the last learner's ticks.
            self.loading = True
            try:
                for box in self.boxes.values():
                    box.value = False
                for note in self.notes.values():
                    note.value = ""
            finally:
                self.loading = False
            self.found, self.result.value, self.status.value = {}, "", ""
            return
        self.loading = True
        try:
            for pid, box in self.boxes.items():
                box.value = pid in saved.get("ticked", [])
        finally:
            self.loading = False


def message_drafting(kind: str = "gratitude", module: str = MODULE, item: str | None = None) -> None:
    """Draft a message with a checklist: a thank-you ("gratitude"), a long-term "vision", a request with a reason
    ("because", module 05) or words that show value and respect ("respect", module 01)."""
    try:
        view = MessageDrafting(kind, module, item)
    except CommunicationDataError as exc:
        return _problem_box(exc)
    display(view.widget)


# -- 4. listening practice: the rules -------------------------------------------------------------------------


# -- 4. listening practice: the view ---------------------------------------------------------------------------
class ListeningPractice:
    def __init__(self, statement: str | None = None):
        self.data = load_data("listening.yaml")
        self.statements = {s["id"]: s for s in self.data["statements"]}
        # What is saved (the points found and missed, the summary line) is the file's English, in any deck's language.
        self.english = {s["id"]: s for s in load_data("listening.yaml", "en")["statements"]}
        first = statement if statement in self.statements else next(iter(self.statements))
        self.choose = widgets.Dropdown(options=[(s["title"], s["id"]) for s in self.data["statements"]], value=first,
                                       layout=widgets.Layout(width="100%"))
        self.card = widgets.HTML()
        self.card.add_class("course-statement")
        self.drafts: dict = {}
        self.draft_box = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.compare_button = widgets.Button(description=_("Compare"), button_style="primary", **BUTTON)
        self.compare_button.on_click(lambda _: self.compare())
        self.result = widgets.HTML()
        self.result.add_class("course-listening-result")
        # How the check reads a summary, in English or in Lao: said before the trainee writes.
        self.check_note = widgets.HTML(f"<p class='course-small'>{esc(self.data['check_note'])}</p>"
                                       if self.data.get("check_note") else "")
        self.check_note.add_class("course-listening-check-note")
        self.choose.observe(lambda _: self.show(), "value")
        self.widget = widgets.VBox([
            labelled(_("Choose a statement"), self.choose),
            columns(widgets.VBox([self.card]),
                    widgets.VBox([self.draft_box, self.check_note, self.compare_button, self.result])),
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-activity")
        self.widget.add_class("course-listening")
        self.show()

    @property
    def statement(self) -> dict:
        return self.statements[self.choose.value]

    def draft(self, statement_id: str):
        """One summary box per statement, so switching statements never loses what was typed."""
        if statement_id not in self.drafts:
            from .reflection import Reflection
            s = self.statements[statement_id]
            self.drafts[statement_id] = Reflection(
                f"listening-{statement_id}",
                _("Summarise what {speaker} said, in your own words.").format(speaker=s["speaker"]),
                hints=[_("Say it back as you would to her: short sentences, her words.")], module=MODULE,
                placeholder=_("Type your summary here. It is saved as you type."))
        return self.drafts[statement_id]

    def show(self) -> None:
        s = self.statement
        says = esc(_("{speaker}, {role}, says:")).format(speaker=f"<strong>{esc(s['speaker'])}</strong>",
                                                           role=esc(s["role"]))
        self.card.value = (f"<p class='course-speaker'>{says}</p>"
                           f"<blockquote class='course-statement-text'>{esc(s['text'])}</blockquote>")
        self.draft_box.children = [self.draft(s["id"])]
        self.result.value = ""

    def compare(self) -> list[tuple[str, bool]] | None:
        s = self.statement
        summary = self.draft(s["id"]).value
        if not summary.strip():
            self.result.value = ("<p class='course-warning'>" + esc(_("Type your summary first, then compare."))
                                 + "</p>")
            return None
        points = listening_points(s, summary, split_words)
        english = set(listening_english_only(s, summary, points, segmenter_available()))
        found = sum(ok for _, ok in points)

        def row(text: str, ok: bool) -> str:
            if text in english:
                said = _("? Not checked (the check knows only English words for it): {point}").format(point=text)
                return f"<li class='course-english-only'>{esc(said)}</li>"
            said = (_("✓ Found: {point}") if ok else _("✗ Not found: {point}")).format(point=text)
            return f"<li class='{'course-found' if ok else 'course-not-found'}'>{esc(said)}</li>"
        rows = "".join(row(text, ok) for text, ok in points)
        advice = "".join(f"<li>{esc(a)}</li>" for a in self.data["advice"])
        saved = self._save(s, summary, points)
        has = _("Your summary has {found} of {total} key points.").format(found=found, total=len(points))
        guide = _("A rough guide: a point counts as found when your summary uses one of its key words. Read the "
                  "model summary and judge for yourself.")
        model, then = _("A model summary"), _("Then, with the artisan:")
        self.result.value = (
            f"<p class='course-feedback-right'>{esc(has)}</p>"
            f"<p class='course-small'>{esc(guide)}</p>"
            f"<ul class='course-listening-points'>{rows}</ul>"
            f"<p><strong>{esc(model)}</strong></p><blockquote>{esc(s['model_summary'])}</blockquote>"
            f"<p><strong>{esc(then)}</strong></p><ul>{advice}</ul>"
            + ("" if saved.ok else f"<p>{save_note(saved, summary)}</p>"))
        return points

    def _save(self, statement: dict, summary: str, points: list[tuple[str, bool]]) -> recorder.Saved:
        # The points as the file's English words (the shown statement and the English one list them in the same
        # order), so a Lao deck saves what an English deck saves.
        english = self.english.get(statement["id"], statement)
        points = [(p["text"], ok) for p, (_, ok) in zip(english["points"], points)]
        value = {"statement": statement["id"], "your_summary": summary,
                 "found": [t for t, ok in points if ok], "missing": [t for t, ok in points if not ok],
                 "summary": listening_summary(english, points)}
        return recorder.record(MODULE, f"listening-{statement['id']}", Kind.SCENARIO, value)


def listening_practice() -> None:
    """Read what an artisan says, summarise it back, then compare with the key points."""
    try:
        view = ListeningPractice()
    except CommunicationDataError as exc:
        return _problem_box(exc)
    display(view.widget)
