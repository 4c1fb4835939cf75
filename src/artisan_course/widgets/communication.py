"""Module 07, communication: four interactive pieces, each shown by a one-line call in the notebook.

- ``channel_chooser()``: rank six channels for the artisans' situation (rule 1: a channel they are comfortable with);
- ``conflict_plan_builder()``: an ordered conflict-resolution plan to share with all staff (rule 2);
- ``message_drafting(kind)``: draft a thank-you ("gratitude") or a long-term "vision" message (rules 4 and 5);
- ``listening_practice()``: summarise what an artisan said, then compare (listen first, then speak their language).

The seed is the workshop deck by Huyen T.T.P. and Long N.H. (October 2024), sections "Communication rules 1-3",
"4-6" and "Listen first". Its ideas are taught in the course's own words.

Assumptions, all of them teaching rules written for the course, not research:
1. Channel ranking: each channel has start points; each answer to a situation question adds or takes away
   points with a reason (data/channels.yaml). Highest total first; a tie keeps the file's order. The "why"
   of a channel is its reason with the most points, plus or minus. 0 points or less: "not a good fit here".
2. Draft check: a checklist point is met when all its simple rules hold (words or phrases present or absent,
   a number, a word count; data/message_checklists.yaml). It is a rough guide: the trainee can tick a point
   the rules missed.
3. Listening: a point of the statement counts as found when the trainee's summary holds at least one of its
   keywords (data/listening.yaml). Also a rough guide.

The content lives in data/*.yaml and is validated on load (a bad file gives one sentence naming the file and
the item). Answers are saved for the learner as they are typed; every saved dict has a readable "summary".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import ipywidgets as widgets
from IPython.display import display

from .. import paths
from ..content.course_map import read_checked_yaml
from ..state.session import SESSION
from .kit import columns, esc, labelled

MODULE = "communication"
BUTTON = {"layout": {"width": "auto", "align_self": "flex-start"}}

# -- content files ---------------------------------------------------------------------------
_text = {"type": "string", "minLength": 1}
_words = {"type": "array", "minItems": 1, "items": {"type": ["string", "number"]}}
_check = {"type": "object", "minProperties": 1, "additionalProperties": False,
          "properties": {"any": _words, "none": _words, "number": {"type": "boolean"},
                         "min_words": {"type": "integer", "minimum": 0}, "max_words": {"type": "integer", "minimum": 1}}}
_message_kind = {"type": "object", "required": ["title", "prompt", "hints", "points"],
                 "properties": {"title": _text, "prompt": _text, "hints": {"type": "array", "items": _text},
                                "points": {"type": "array", "minItems": 2, "items": {
                                    "type": "object", "required": ["id", "text", "check"],
                                    "properties": {"id": _text, "text": _text, "check": _check}}}}}
SCHEMAS = {
    "channels.yaml": {
        "type": "object", "required": ["channels", "questions", "record_tip"],
        "properties": {
            "record_tip": _text,
            "channels": {"type": "array", "minItems": 2, "items": {
                "type": "object", "required": ["id", "name", "start", "about"],
                "properties": {"id": _text, "name": _text, "start": {"type": "integer"}, "about": _text}}},
            "questions": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["id", "short", "label", "default", "answers"],
                "properties": {
                    "id": _text, "short": _text, "label": _text, "default": _text,
                    "answers": {"type": "array", "minItems": 2, "items": {
                        "type": "object", "required": ["key", "text", "effects"],
                        "properties": {"key": _text, "text": _text, "effects": {"type": "array", "items": {
                            "type": "object", "required": ["channel", "points", "why"],
                            "properties": {"channel": _text, "points": {"type": "integer"}, "why": _text}}}}}}}}}}},
    "conflict_plan.yaml": {
        "type": "object", "required": ["times", "steps"],
        "properties": {"times": {"type": "array", "minItems": 2, "items": _text},
                       "steps": {"type": "array", "minItems": 1, "items": {
                           "type": "object", "required": ["text", "who", "when"],
                           "properties": {"text": _text, "who": _text, "when": _text}}}}},
    "message_checklists.yaml": {
        "type": "object", "required": ["gratitude", "vision"],
        "properties": {"gratitude": _message_kind, "vision": _message_kind}},
    "listening.yaml": {
        "type": "object", "required": ["advice", "statements"],
        "properties": {
            "advice": {"type": "array", "minItems": 1, "items": _text},
            "statements": {"type": "array", "minItems": 2, "items": {
                "type": "object", "required": ["id", "title", "speaker", "role", "text", "points", "model_summary"],
                "properties": {"id": {"type": "string", "pattern": "^[a-z0-9-]+$"}, "title": _text, "speaker": _text, "role": _text,
                               "text": _text, "model_summary": _text,
                               "points": {"type": "array", "minItems": 2, "items": {
                                   "type": "object", "required": ["text", "keywords"],
                                   "properties": {"text": _text, "keywords": _words}}}}}}}},
}


class CommunicationDataError(ValueError):
    """A content file the course cannot use. The message names the file and the item, in one sentence."""


def _duplicate(values) -> str | None:
    seen = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def _cross_check(name: str, data: dict) -> str | None:
    """Problems a schema cannot see: unknown names and repeated ids. Returns one sentence, or None."""
    if name == "channels.yaml":
        ids = [c["id"] for c in data["channels"]]
        if (twice := _duplicate(ids)) or (twice := _duplicate(q["id"] for q in data["questions"])):
            return f"the id '{twice}' is used twice."
        for q in data["questions"]:
            keys = [a["key"] for a in q["answers"]]
            if q["default"] not in keys:
                return f"question '{q['id']}' has the default '{q['default']}', which is not one of its answers."
            for answer in q["answers"]:
                for effect in answer["effects"]:
                    if effect["channel"] not in ids:
                        return (f"question '{q['id']}', answer '{answer['key']}' names the channel "
                                f"'{effect['channel']}', which is not in the list of channels.")
    if name == "conflict_plan.yaml":
        for i, step in enumerate(data["steps"]):
            if step["when"] not in data["times"]:
                return f"step {i + 1} has the time '{step['when']}', which is not one of the times."
    if name == "message_checklists.yaml":
        for kind in ("gratitude", "vision"):
            if twice := _duplicate(p["id"] for p in data[kind]["points"]):
                return f"{kind}: the point id '{twice}' is used twice."
    if name == "listening.yaml":
        if twice := _duplicate(s["id"] for s in data["statements"]):
            return f"the statement id '{twice}' is used twice."
    return None


@lru_cache(maxsize=16)
def _load(path: str, mtime: float) -> dict:
    name = Path(path).name
    data = read_checked_yaml(Path(path), SCHEMAS[name], CommunicationDataError, "communication")
    problem = _cross_check(name, data)
    if problem:
        raise CommunicationDataError(f"{path}: {problem}")
    return data


def load_data(name: str) -> dict:
    """A validated content file from data/ (cached until the file changes)."""
    path = paths.data_dir() / name
    if not path.is_file():
        raise CommunicationDataError(f"{path}: the file is missing.")
    return _load(str(path), path.stat().st_mtime)


# -- saving ------------------------------------------------------------------------------------
class AutoSave:
    """Saves a value as the learner types: one store row per sitting, updated in place.

    The first save of a sitting (a new kernel, a new widget) adds a row, so the history keeps earlier
    versions; later saves update that row instead of adding one per keystroke.
    """

    def __init__(self, module: str, item: str, kind: str):
        self.module, self.item, self.kind = module, item, kind
        self.row_id: int | None = None

    def save(self, value) -> bool:
        learner = SESSION.learner or SESSION.start()
        if learner is None:
            return False
        store = SESSION.get_store()
        if self.row_id is None:
            self.row_id = store.record(learner.id, self.module, self.item, self.kind, value)
        else:
            store.update(self.row_id, value)
        return True

    def latest(self):
        learner = SESSION.learner
        if learner is None:
            return None
        saved = SESSION.get_store().latest(learner.id, self.item, kind=self.kind)
        return saved.value if saved else None


def saved_note(ok: bool) -> str:
    if not ok:
        return "<span class='course-warning'>Type your name at the top first: nothing is saved yet.</span>"
    return f"<span class='course-status--saved'>Saved at {datetime.now():%H:%M}.</span>"


def _problem_box(exc: Exception) -> None:
    display(widgets.HTML(f"<p class='course-warning'>This activity cannot start: {esc(exc)}</p>"))


# -- 1. channel chooser: the rules ---------------------------------------------------------------
@dataclass(frozen=True)
class RankedChannel:
    id: str
    name: str
    points: int
    why: str

    @property
    def fits(self) -> bool:
        return self.points > 0


def default_situation(data: dict) -> dict[str, str]:
    return {q["id"]: q["default"] for q in data["questions"]}


def rank_channels(data: dict, situation: dict[str, str]) -> list[RankedChannel]:
    """The channels, best first, for a situation {question id: answer key}. Pure and deterministic.

    A question missing from ``situation`` takes its default answer; an unknown answer is an error.
    """
    points = {c["id"]: c["start"] for c in data["channels"]}
    strongest: dict[str, tuple[int, str]] = {}
    for question in data["questions"]:
        key = situation.get(question["id"], question["default"])
        answer = next((a for a in question["answers"] if a["key"] == key), None)
        if answer is None:
            raise CommunicationDataError(f"'{key}' is not an answer to the question '{question['label']}'.")
        for effect in answer["effects"]:
            points[effect["channel"]] += effect["points"]
            # The reason with the most weight explains the channel; the first one wins a tie.
            if abs(effect["points"]) > strongest.get(effect["channel"], (0, ""))[0]:
                strongest[effect["channel"]] = (abs(effect["points"]), effect["why"])
    order = {c["id"]: i for i, c in enumerate(data["channels"])}
    ranked = [RankedChannel(c["id"], c["name"], points[c["id"]], strongest.get(c["id"], (0, c["about"]))[1])
              for c in data["channels"]]
    return sorted(ranked, key=lambda r: (-r.points, order[r.id]))


def situation_text(data: dict, situation: dict[str, str]) -> str:
    parts = []
    for q in data["questions"]:
        key = situation.get(q["id"], q["default"])
        answer = next((a["text"] for a in q["answers"] if a["key"] == key), key)
        parts.append(f"{q['short']}: {answer}")
    return "; ".join(parts)


def channel_summary(data: dict, situation: dict[str, str], ranking: list[RankedChannel], chosen: str) -> str:
    place = next((i for i, r in enumerate(ranking) if r.id == chosen), 0)
    name = ranking[place].name
    return (f"Chosen channel: {name} (ranked {place + 1} of {len(ranking)} by the chooser). "
            f"Situation: {situation_text(data, situation)}.")


# -- 1. channel chooser: the view -------------------------------------------------------------------
class ChannelChooser:
    ITEM = "channel-choice"

    def __init__(self):
        self.data = data = load_data("channels.yaml")
        self.controls = {q["id"]: widgets.Dropdown(options=[(a["text"], a["key"]) for a in q["answers"]],
                                                   value=q["default"], layout=widgets.Layout(width="100%"))
                         for q in data["questions"]}
        self.table = widgets.HTML()
        self.table.add_class("course-channel-ranking")
        self.choice = widgets.Dropdown(options=[(c["name"], c["id"]) for c in data["channels"]],
                                       layout=widgets.Layout(width="100%"))
        self.save_button = widgets.Button(description="Save my choice", icon="save", button_style="primary", **BUTTON)
        self.note = widgets.HTML()
        self.paused = False
        self.ranking: list[RankedChannel] = []
        situation = widgets.VBox([labelled(q["label"], self.controls[q["id"]]) for q in data["questions"]])
        result = widgets.VBox([
            widgets.HTML("<p><strong>Channels for this situation, best first</strong></p>"), self.table,
            widgets.HTML(f"<p class='course-note'>{esc(data['record_tip'])}</p>"),
            labelled("The channel I will use", self.choice), self.save_button, self.note])
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
            fit = "" if r.fits else " <span class='course-not-fit'>(not a good fit here)</span>"
            mark = " class='course-highlight'" if place == 1 else ""
            rows.append(f"<tr{mark}><td class='course-rank'>{place}</td><td><strong>{esc(r.name)}</strong>{fit}"
                        f"<br><span class='course-why'>{esc(r.why)}</span></td></tr>")
        self.table.value = f"<table class='course-channel-table'>{''.join(rows)}</table>"
        self.choice.value = self.ranking[0].id
        self.note.value = ""

    def snapshot(self) -> dict:
        situation = self.situation()
        return {"situation": situation, "chosen": self.choice.value,
                "ranking": [{"id": r.id, "name": r.name, "points": r.points, "why": r.why} for r in self.ranking],
                "summary": channel_summary(self.data, situation, self.ranking, self.choice.value)}

    def save(self) -> None:
        learner = SESSION.learner or SESSION.start()
        if learner is None:
            self.note.value = saved_note(False)
            return
        SESSION.get_store().record(learner.id, MODULE, self.ITEM, "scenario", self.snapshot())
        self.note.value = saved_note(True)

    def _restore(self, learner) -> None:
        saved = SESSION.get_store().latest(learner.id, self.ITEM, kind="scenario")
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
        self.note.value = "<span class='course-status--saved'>Your saved choice is shown.</span>"


def channel_chooser() -> None:
    """Choose the right channel for the artisans' situation and what you need to say."""
    try:
        view = ChannelChooser()
    except CommunicationDataError as exc:
        return _problem_box(exc)
    display(view.widget)


# -- 2. conflict plan: pure parts -------------------------------------------------------------------
def clean_steps(steps: list[dict]) -> list[dict]:
    """The steps with text, each trimmed. Empty steps are left out of the shared plan (they stay in the saved one)."""
    return [{"text": s.get("text", "").strip(), "who": s.get("who", "").strip(), "when": s.get("when", "").strip()}
            for s in steps if s.get("text", "").strip()]


def conflict_summary(steps: list[dict]) -> str:
    shared = clean_steps(steps)
    if not shared:
        return "Conflict plan: no steps written yet."
    parts = [f"{i}. {s['text']} ({s['who'] or 'who: not set'}; {s['when'] or 'when: not set'})"
             for i, s in enumerate(shared, start=1)]
    return f"Conflict plan with {len(shared)} steps: " + " ".join(parts)


PRINT_CSS = """
body { font-family: "Noto Sans", "Noto Sans Lao", "DejaVu Sans", Arial, sans-serif; color: #1b1f2a; max-width: 50em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; font-size: 13pt; }
h1 { color: #23336b; font-size: 1.6em; margin-bottom: .2em; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; }
th, td { border: 1px solid #8a8f9c; padding: .4em .6em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef0f6; }
td.number { width: 2em; text-align: center; font-weight: bold; }
.note, .credit { color: #4a5060; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } tr { break-inside: avoid; } }
"""


def conflict_plan_html(steps: list[dict], team: str = "", learner_name: str | None = None) -> str:
    """A standalone, printable page for all staff: every piece of text escaped, no external assets."""
    shared = clean_steps(steps)
    title = "How we resolve a conflict with artisans" + (f": {team.strip()}" if team.strip() else "")
    rows = "".join(f"<tr><td class='number'>{i}</td><td>{esc(s['text'])}</td><td>{esc(s['who'])}</td>"
                   f"<td>{esc(s['when'])}</td></tr>" for i, s in enumerate(shared, start=1))
    made = f"Written by {esc(learner_name)}, " if learner_name else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(title)}</title><style>{PRINT_CSS}</style></head><body>"
            f"<h1>{esc(title)}</h1>"
            "<p class='note'>Every staff member follows these steps, in this order. Keep it where everyone can see it.</p>"
            "<table><thead><tr><th>#</th><th>What to do</th><th>Who</th><th>How soon</th></tr></thead>"
            f"<tbody>{rows or '<tr><td colspan=4>No steps yet.</td></tr>'}</tbody></table>"
            f"<p class='credit'>{made}{datetime.now():%d %B %Y}. From the course \"Warm with the people, tough on "
            "business needs\", based on the workshop deck by Huyen T.T.P. and Long N.H. (October 2024).</p>"
            "</body></html>\n")


def conflict_plan_text(steps: list[dict], team: str = "") -> str:
    shared = clean_steps(steps)
    title = "How we resolve a conflict with artisans" + (f": {team.strip()}" if team.strip() else "")
    lines = [title, "=" * len(title), ""]
    for i, s in enumerate(shared, start=1):
        lines += [f"{i}. {s['text']}", f"   Who: {s['who'] or '-'}", f"   How soon: {s['when'] or '-'}", ""]
    if not shared:
        lines.append("No steps yet.")
    return "\n".join(lines) + "\n"


# -- 2. conflict plan: the view ----------------------------------------------------------------------
class ConflictPlanBuilder:
    ITEM = "conflict-plan"

    def __init__(self):
        self.data = load_data("conflict_plan.yaml")
        self.times = list(self.data["times"])
        self.autosave = AutoSave(MODULE, self.ITEM, "scenario")
        self.rows: list[dict] = []
        self.loading = False
        self.team = widgets.Text(placeholder="For example: Lao Weaving Team", layout=widgets.Layout(width="100%"))
        self.steps_box = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.add = widgets.Button(description="Add a step", icon="plus", **BUTTON)
        self.status = widgets.HTML()
        self.download = widgets.Button(description="Download to share with staff", icon="download", **BUTTON)
        self.links = widgets.HTML()
        self.add.on_click(lambda _: self.add_step({"text": "", "who": "", "when": self.times[0]}))
        self.download.on_click(lambda _: self.offer())
        self.team.observe(lambda _: self.changed(), "value")
        self.widget = widgets.VBox([
            labelled("Your team or enterprise (for the printed plan)", self.team),
            widgets.HTML("<p><strong>The steps, in order.</strong> Edit any text; use Up and Down to change the order.</p>"),
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
        row = {"text": widgets.Textarea(value=step.get("text", ""), rows=2, placeholder="What to do",
                                        layout=widgets.Layout(width="100%")),
               "who": widgets.Text(value=step.get("who", ""), placeholder="Who is responsible",
                                   layout=widgets.Layout(width="100%")),
               "when": widgets.Dropdown(options=options, value=when, layout=widgets.Layout(width="100%")),
               "number": widgets.HTML()}
        up = widgets.Button(description="Up", tooltip="Move this step up", layout=widgets.Layout(width="auto"))
        down = widgets.Button(description="Down", tooltip="Move this step down", layout=widgets.Layout(width="auto"))
        remove = widgets.Button(description="Remove", tooltip="Remove this step", layout=widgets.Layout(width="auto"))
        up.on_click(lambda _: self.move(row, -1))
        down.on_click(lambda _: self.move(row, 1))
        remove.on_click(lambda _: self.remove(row))
        for key in ("text", "who", "when"):
            row[key].observe(lambda _: self.changed(), "value")
        tools = widgets.HBox([up, down, remove])
        tools.add_class("course-step-tools")
        details = widgets.HBox([labelled("Who", row["who"], "auto"), labelled("How soon", row["when"], "auto"), tools],
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
        self.status.value = saved_note(self.autosave.save(self.snapshot()))

    def _restore(self, learner) -> None:
        saved = self.autosave.latest()
        if not isinstance(saved, dict) or not isinstance(saved.get("steps"), list):
            return
        self.loading = True
        try:
            self.team.value = saved.get("team", "")
        finally:
            self.loading = False
        self.set_steps([s for s in saved["steps"] if isinstance(s, dict)])
        self.status.value = "<span class='course-status--saved'>Your saved plan is shown.</span>"

    def offer(self) -> None:
        from ..documents.downloads import Download, offer_html
        from ..state.learner import safe_file_stem
        steps, team = self.steps(), self.team.value
        learner = SESSION.learner
        stem = "conflict-plan" + (f"-{safe_file_stem(team)}" if team.strip() else "")
        items = [Download(f"{stem}.html", "text/html", conflict_plan_html(steps, team, learner.name if learner else None),
                          "Printable plan (web page)"),
                 Download(f"{stem}.txt", "text/plain", conflict_plan_text(steps, team), "Plain text (for a message)")]
        self.links.value = offer_html(items, learner.name if learner else None)


def conflict_plan_builder() -> None:
    """Build the conflict-resolution plan every staff member should know, and download it to share."""
    try:
        view = ConflictPlanBuilder()
    except CommunicationDataError as exc:
        return _problem_box(exc)
    display(view.widget)


# -- 3. message drafting: the rules ---------------------------------------------------------------------
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
                "thirty", "forty", "fifty", "hundred"}
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"}


def words_of(text: str) -> list[str]:
    """Lower-case words and numbers; a hyphen or any punctuation separates words ("long-term" is two words)."""
    return _WORD.findall(str(text).lower().replace("’", "'"))


def has_phrase(words: list[str], phrase) -> bool:
    """Is ``phrase`` (one or more words) in ``words``? A final * matches any word that starts like the last one."""
    phrase = str(phrase).strip().lower()
    prefix = phrase.endswith("*")
    parts = words_of(phrase.rstrip("*"))
    if not parts:
        return False
    n = len(parts)
    for i in range(len(words) - n + 1):
        if words[i:i + n - 1] != parts[:-1]:
            continue
        last = words[i + n - 1]
        if last == parts[-1] or (prefix and last.startswith(parts[-1])):
            return True
    return False


def check_met(check: dict, text: str) -> bool:
    """Do all the rules of one checklist point hold for ``text``? (The rules are described in the data file.)"""
    words = words_of(text)
    if "any" in check and not any(has_phrase(words, p) for p in check["any"]):
        return False
    if "none" in check and any(has_phrase(words, p) for p in check["none"]):
        return False
    if check.get("number") and not any(w.isdigit() or w in NUMBER_WORDS or w in MONTHS for w in words):
        return False
    if "min_words" in check and len(words) < check["min_words"]:
        return False
    if "max_words" in check and len(words) > check["max_words"]:
        return False
    return True


def check_draft(points: list[dict], text: str) -> dict[str, bool]:
    """Each checklist point's id: does the draft seem to meet it? Nothing is met by an empty draft."""
    if not str(text).strip():
        return {p["id"]: False for p in points}
    return {p["id"]: check_met(p["check"], text) for p in points}


def _listing(items) -> str:
    items = [str(i) for i in items]
    shown = ", ".join(items[:8])
    return shown + (", …" if len(items) > 8 else "")


def describe_check(check: dict) -> str:
    """The rules of one point in plain words, for the "How the check decides" list."""
    parts = []
    if "any" in check:
        parts.append(f"a word such as {_listing(check['any'])}")
    if "none" in check:
        parts.append(f"none of: {_listing(check['none'])}")
    if check.get("number"):
        parts.append("a number or the name of a month")
    if "min_words" in check and "max_words" in check:
        parts.append(f"{check['min_words']} to {check['max_words']} words")
    elif "min_words" in check:
        parts.append(f"at least {check['min_words']} words")
    elif "max_words" in check:
        parts.append(f"at most {check['max_words']} words")
    return "; ".join(parts)


def checklist_summary(title: str, points: list[dict], ticked: list[str]) -> str:
    done = [p["text"].rstrip(".") for p in points if p["id"] in ticked]
    return (f"{title} checklist: {len(done)} of {len(points)} points ticked"
            + (f" ({'; '.join(done)})." if done else "."))


# -- 3. message drafting: the view ------------------------------------------------------------------------
class MessageDrafting:
    KINDS = ("gratitude", "vision")

    def __init__(self, kind: str = "gratitude"):
        from .reflection import Reflection
        if kind not in self.KINDS:
            raise CommunicationDataError(f"The message kind '{kind}' is not known: use \"gratitude\" or \"vision\".")
        self.kind = kind
        self.spec = load_data("message_checklists.yaml")[kind]
        self.points = self.spec["points"]
        self.draft = Reflection(f"communication-{kind}-message", self.spec["prompt"], hints=self.spec["hints"],
                                module=MODULE)
        self.autosave = AutoSave(MODULE, f"communication-{kind}-checklist", "scenario")
        self.loading = False
        self.found: dict[str, bool] = {}
        self.boxes = {p["id"]: widgets.Checkbox(value=False, description=p["text"], indent=False,
                                                layout=widgets.Layout(width="100%")) for p in self.points}
        self.notes = {p["id"]: widgets.HTML() for p in self.points}
        for box in self.boxes.values():
            box.observe(lambda _: self.ticks_changed(), "value")
        self.check_button = widgets.Button(description="Check my draft", icon="check", button_style="primary", **BUTTON)
        self.check_button.on_click(lambda _: self.check())
        self.result = widgets.HTML()
        self.status = widgets.HTML()
        rules = "".join(f"<li><strong>{esc(p['text'])}</strong> Looks for: {esc(describe_check(p['check']))}.</li>"
                        for p in self.points)
        checklist = widgets.VBox([
            widgets.HTML(f"<p><strong>Checklist: {esc(self.spec['title'].lower())}</strong></p>"
                         "<p class='course-small'>Tick each point your message does. \"Check my draft\" is only a "
                         "rough guide: it looks for simple words. You can tick a point yourself.</p>"),
            *[widgets.VBox([self.boxes[p["id"]], self.notes[p["id"]]], layout=widgets.Layout(width="100%"))
              for p in self.points],
            self.check_button, self.result, self.status,
            widgets.HTML(f"<details class='course-rules'><summary>How the check decides</summary><ul>{rules}</ul>"
                         "</details>"),
        ])
        checklist.add_class("course-checklist")
        self.widget = widgets.VBox([columns(widgets.VBox([self.draft]), checklist)], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-activity")
        self.widget.add_class("course-message-drafting")
        SESSION.on_learner(self._restore)

    def ticked(self) -> list[str]:
        return [pid for pid, box in self.boxes.items() if box.value]

    def check(self, text: str | None = None) -> dict[str, bool]:
        """Tick the points the draft seems to meet. A point the learner ticked stays ticked."""
        text = self.draft.value if text is None else text
        if not text.strip():
            self.result.value = "<p class='course-warning'>Write your message first, then check it.</p>"
            return {}
        self.found = check_draft(self.points, text)
        self.loading = True
        try:
            for pid, met in self.found.items():
                if met:
                    self.boxes[pid].value = True
                # Only the misses get a note: a tick already shows a point that was found.
                self.notes[pid].value = ("" if met else "<p class='course-not-found course-check-note'>The check did "
                                         "not find this. Tick it yourself if your message does it.</p>")
        finally:
            self.loading = False
        count = sum(self.found.values())
        self.result.value = (f"<p class='course-feedback-right'>The check found {count} of {len(self.points)} points. "
                             "A rough guide, not a grade.</p>")
        self.ticks_changed()
        return self.found

    def ticks_changed(self) -> None:
        if self.loading:
            return
        ticked = self.ticked()
        value = {"ticked": ticked, "found_by_check": [pid for pid, met in self.found.items() if met],
                 "summary": checklist_summary(self.spec["title"], self.points, ticked)}
        self.status.value = saved_note(self.autosave.save(value))

    def _restore(self, learner) -> None:
        saved = self.autosave.latest()
        if not isinstance(saved, dict):
            return
        self.loading = True
        try:
            for pid, box in self.boxes.items():
                box.value = pid in saved.get("ticked", [])
        finally:
            self.loading = False


def message_drafting(kind: str = "gratitude") -> None:
    """Draft a thank-you message (kind="gratitude") or a long-term vision message (kind="vision")."""
    try:
        view = MessageDrafting(kind)
    except CommunicationDataError as exc:
        return _problem_box(exc)
    display(view.widget)


# -- 4. listening practice: the rules -------------------------------------------------------------------------
def listening_points(statement: dict, summary: str) -> list[tuple[str, bool]]:
    """Each point of the statement, and whether the summary holds at least one of its keywords."""
    words = words_of(summary)
    return [(p["text"], any(has_phrase(words, k) for k in p["keywords"])) for p in statement["points"]]


def listening_summary(statement: dict, points: list[tuple[str, bool]]) -> str:
    found = [text for text, ok in points if ok]
    missing = [text for text, ok in points if not ok]
    return (f"Listening practice, \"{statement['title']}\": {len(found)} of {len(points)} points found."
            + (f" Missed: {' '.join(missing)}" if missing else " Every point was there."))


# -- 4. listening practice: the view ---------------------------------------------------------------------------
class ListeningPractice:
    def __init__(self, statement: str | None = None):
        self.data = load_data("listening.yaml")
        self.statements = {s["id"]: s for s in self.data["statements"]}
        first = statement if statement in self.statements else next(iter(self.statements))
        self.choose = widgets.Dropdown(options=[(s["title"], s["id"]) for s in self.data["statements"]], value=first,
                                       layout=widgets.Layout(width="100%"))
        self.card = widgets.HTML()
        self.card.add_class("course-statement")
        self.drafts: dict = {}
        self.draft_box = widgets.VBox(layout=widgets.Layout(width="100%"))
        self.compare_button = widgets.Button(description="Compare", button_style="primary", **BUTTON)
        self.compare_button.on_click(lambda _: self.compare())
        self.result = widgets.HTML()
        self.result.add_class("course-listening-result")
        self.choose.observe(lambda _: self.show(), "value")
        self.widget = widgets.VBox([
            labelled("Choose a statement", self.choose),
            columns(widgets.VBox([self.card]), widgets.VBox([self.draft_box, self.compare_button, self.result])),
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
                f"listening-{statement_id}", f"Summarise what {s['speaker']} said, in your own words.",
                hints=["Say it back as you would to her: short sentences, her words."], module=MODULE,
                placeholder="Type your summary here. It is saved as you type.")
        return self.drafts[statement_id]

    def show(self) -> None:
        s = self.statement
        self.card.value = (f"<p class='course-speaker'><strong>{esc(s['speaker'])}</strong>, {esc(s['role'])}, says:</p>"
                           f"<blockquote class='course-statement-text'>{esc(s['text'])}</blockquote>")
        self.draft_box.children = [self.draft(s["id"])]
        self.result.value = ""

    def compare(self) -> list[tuple[str, bool]] | None:
        s = self.statement
        summary = self.draft(s["id"]).value
        if not summary.strip():
            self.result.value = "<p class='course-warning'>Type your summary first, then compare.</p>"
            return None
        points = listening_points(s, summary)
        found = sum(ok for _, ok in points)
        rows = "".join(f"<li class='{'course-found' if ok else 'course-not-found'}'>"
                       f"{'✓ Found' if ok else '✗ Not found'}: {esc(text)}</li>" for text, ok in points)
        advice = "".join(f"<li>{esc(a)}</li>" for a in self.data["advice"])
        saved = self._save(s, summary, points)
        self.result.value = (
            f"<p class='course-feedback-right'>Your summary has {found} of {len(points)} key points.</p>"
            "<p class='course-small'>A rough guide: a point counts as found when your summary uses one of its key "
            "words. Read the model summary and judge for yourself.</p>"
            f"<ul class='course-listening-points'>{rows}</ul>"
            f"<p><strong>A model summary</strong></p><blockquote>{esc(s['model_summary'])}</blockquote>"
            f"<p><strong>Then, with the artisan:</strong></p><ul>{advice}</ul>"
            + ("" if saved else f"<p>{saved_note(False)}</p>"))
        return points

    def _save(self, statement: dict, summary: str, points: list[tuple[str, bool]]) -> bool:
        learner = SESSION.learner or SESSION.start()
        if learner is None:
            return False
        value = {"statement": statement["id"], "your_summary": summary,
                 "found": [t for t, ok in points if ok], "missing": [t for t, ok in points if not ok],
                 "summary": listening_summary(statement, points)}
        SESSION.get_store().record(learner.id, MODULE, f"listening-{statement['id']}", "scenario", value)
        return True


def listening_practice() -> None:
    """Read what an artisan says, summarise it back, then compare with the key points."""
    try:
        view = ListeningPractice()
    except CommunicationDataError as exc:
        return _problem_box(exc)
    display(view.widget)
