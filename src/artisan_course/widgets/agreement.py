"""The order-agreement builder: ``show_agreement_builder()``.

A form for everything the workshop says to write down: the product and its
quality (with sample photos), price, payment, delivery time, milestones and
check-ins, what happens if things change, and how to solve a disagreement.
The draft is saved as the learner types and comes back on the next visit.
The data, checks and the printable document live in ``artisan_course.models.agreement``.
"""
from __future__ import annotations

from datetime import date

import ipywidgets as widgets

from ..i18n import N_, _, ngettext
from ..documents import agreement as agreement_doc, photos
from ..limits import PHOTO_LIMIT_BYTES
from ..models import agreement as ag
from ..documents.downloads import Download, offer_html
from ..state import handoff, recorder
from ..state.recorder import AutoSave, Kind
from ..state.session import SESSION
from ..text import amount, date_and_clock, long_date
from .kit import columns, esc, kip_note, labelled as kit_labelled, message_box, save_note, show_tool

PLACEHOLDERS = {
    "product": N_("for example: Silk scarf, hand-woven"),
    "size": N_("for example: 180 cm x 50 cm"),
    "colours": N_("for example: indigo and natural white"),
    "materials": N_("for example: Lao silk, natural dyes"),
    "quality": N_("One point per line, for example:\nColours as in the sample photo\nNo loose threads\n"
                  "Size within 1 cm"),
    "price": N_("for example: 12.50"),
    "currency": "USD",
    "quantity": N_("for example: 120"),
    "advance": N_("for example: 50"),
    "milestones": N_("One milestone per line, for example:\nBatch 1: 30 pieces by 15 March"),
    "checkins": N_("One check-in per line, for example:\n10 March: visit in person"),
    "clause": N_("for example: If all pieces are ready by 1 May, we pay 1 USD more per piece."),
    "conflict": N_("One step per line"),
    "buyer": N_("your organisation, and who signs"),
    "artisans": N_("the group's name (made up in a workshop)"),
}
# What is typed here is kept in the course's store and in the learner's journal, like a reflection.
PRIVACY = N_("In a workshop, practise with a made-up group: write no real names of artisans or leaders, and no private "
             "details. Put real names only in an agreement you make for a real order, with the group's agreement, on "
             "your own computer.")
TEXTAREA_ROWS = {"quality": 4, "milestones": 4, "checkins": 3, "clause": 4, "conflict": 6}
INTRO = N_("Write down everything you agree with the artisans. People keep more closely to what they clearly agreed "
           "to. Your draft is saved as you type. At the end, make the agreement to print and a short summary to read "
           "aloud.")


def _placeholder(name: str) -> str:
    """A field's example in the kernel's language (the currency stays as it is: "USD" is a code, not wording)."""
    text = PLACEHOLDERS.get(name, "")
    return text if not text or name == "currency" else _(text)


def _heading(text: str) -> widgets.HTML:
    box = widgets.HTML(f"<p class='agreement-heading'><strong>{esc(text)}</strong></p>")
    return box


def _pair(a: widgets.Widget, b: widgets.Widget) -> widgets.Widget:
    row = widgets.HBox([a, b], layout=widgets.Layout(width="100%", justify_content="space-between"))
    row.add_class("agreement-pair")
    return row


def _auto() -> dict:
    """A layout of its own for each button: a shared Layout would change with the first one's width."""
    return {"layout": widgets.Layout(width="auto", align_self="flex-start")}


def _note() -> widgets.HTML:
    box = widgets.HTML()
    box.add_class("agreement-note")
    return box


class AgreementBuilder:
    def __init__(self, **preset):
        unknown = sorted(set(preset) - set(ag.FIELDS))
        if unknown:
            raise KeyError(f"The agreement builder has no field called {', '.join(unknown)}. Known: "
                           f"{', '.join(ag.FIELDS)}.")
        self.initial = ag.empty_fields()
        for name, value in preset.items():
            self.initial[name] = (value.isoformat() if isinstance(value, date)
                                  else f"{value:g}" if isinstance(value, float) else str(value))
        self.paused = False
        self.photos: list[ag.Photo] = []
        self.thumbs: dict[int, bytes] = {}
        self.autosave = AutoSave(ag.MODULE, ag.ITEM, Kind.DRAFT)
        self.last_agreement: ag.Agreement | None = None

        self.boxes: dict[str, widgets.Widget] = {}
        for name in ag.FIELDS:
            if name == "delivery":
                control = widgets.DatePicker(layout=widgets.Layout(width="100%"))
            elif name in TEXTAREA_ROWS:
                control = widgets.Textarea(rows=TEXTAREA_ROWS[name], placeholder=_placeholder(name),
                                           layout=widgets.Layout(width="100%"))
            else:
                control = widgets.Text(placeholder=_placeholder(name), layout=widgets.Layout(width="100%"))
            self.boxes[name] = control
        self.upload = widgets.FileUpload(accept="image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp", multiple=True,
                                         description=_("Add photos"), icon="camera", **_auto())
        self.photo_message = _note()
        self.gallery = widgets.HBox(layout=widgets.Layout(width="100%", flex_flow="row wrap"))
        self.gallery.add_class("agreement-photos")
        self.numbers = widgets.HTML()
        self.numbers.add_class("course-sim-numbers")
        self.numbers.add_class("agreement-numbers")
        self.message = message_box()
        self.status = widgets.HTML()
        self.status.add_class("agreement-status")
        self.take_plan = widgets.Button(description=_("Take from the milestone planner"), icon="calendar", **_auto())
        self.take_clause = widgets.Button(description=_("Take from the contingency simulator"), icon="random",
                                          **_auto())
        self.plan_note, self.clause_note = _note(), _note()
        self.make = widgets.Button(description=_("Make the agreement"), icon="file-text", button_style="primary",
                                   **_auto())
        self.files = widgets.HTML()
        self.files.add_class("agreement-files")
        self.stale = _note()
        self.summary_box = widgets.HTML()
        self.summary_box.add_class("agreement-summary")

        b = self.boxes
        self.fields_box: dict[str, widgets.Widget] = {}  # each field's box (its label and control), by name
        self.field_notes: dict[str, widgets.HTML] = {}

        def labelled(text: str, control: widgets.Widget, width: str = "100%") -> widgets.Widget:
            box = kit_labelled(text, control, width)
            name = next((n for n, c in self.boxes.items() if c is control), None)
            if name is not None:  # a field the agreement checks: it can be marked, with the reason beside it
                self.fields_box[name] = box
                self.field_notes[name] = note = widgets.HTML()
                note.add_class("course-field-note")
                box.children = tuple(box.children) + (note,)
            return box

        photo_rule = _("Up to {count} photos, at most {size} each. Photos are made smaller, and the location saved in "
                       "them is removed.").format(count=ag.MAX_PHOTOS, size=photos.megabytes(PHOTO_LIMIT_BYTES))
        no_signature = _("If the artisans do not want to sign, read the summary aloud together and, with their "
                         "permission, record it (audio or video).")
        product = widgets.VBox([
            _heading(_("1. The product")),
            labelled(_("Product name"), b["product"]),
            labelled(_("Size"), b["size"]), labelled(_("Colours"), b["colours"]),
            labelled(_("Materials"), b["materials"]),
            labelled(_("Quality criteria (one per line)"), b["quality"]),
            labelled(_("Picture samples (JPEG, PNG or WebP photos)"), self.upload),
            widgets.HTML(f"<p class='course-small'>{esc(photo_rule)}</p>"),
            self.photo_message, self.gallery])
        money = widgets.VBox([
            _heading(_("2. Price and payment")),
            _pair(labelled(_("Price per piece"), b["price"], "58%"), labelled(_("Currency"), b["currency"], "38%")),
            _pair(labelled(_("Quantity (pieces)"), b["quantity"], "48%"),
                  labelled(_("Advance payment (%)"), b["advance"], "48%")),
            self.numbers, self.message,
            _heading(_("3. Delivery time")),
            labelled(_("Final delivery date"), b["delivery"]),
            labelled(_("Milestones (one per line)"), b["milestones"]),
            self.take_plan, self.plan_note,
            labelled(_("Check-ins (one per line)"), b["checkins"])])
        change = widgets.VBox([
            _heading(_("4. If things change")),
            labelled(_("Contingency clause"), b["clause"]), self.take_clause, self.clause_note])
        disagree = widgets.VBox([
            _heading(_("5. If you disagree")),
            labelled(_("Steps to solve a disagreement (one per line)"), b["conflict"])])
        parties = widgets.VBox([
            _heading(_("6. Who agrees")),
            columns(labelled(_("Buyer"), b["buyer"]), labelled(_("Artisans"), b["artisans"])),
            widgets.HTML(f"<p class='course-small agreement-privacy'>{esc(_(PRIVACY))}</p>")])
        finish = widgets.VBox([
            _heading(_("7. The agreement to print, and a summary to read aloud")),
            self.make, self.stale, self.files, self.summary_box,
            widgets.HTML(f"<p class='course-small'>{esc(no_signature)}</p>")])
        self.widget = widgets.VBox([
            widgets.HTML(f"<p class='agreement-intro'>{esc(_(INTRO))}</p>"), self.status,
            columns(product, money), columns(change, disagree), parties, finish,
        ], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-simulator")
        self.widget.add_class("course-agreement")
        # A press of "Make the agreement" brings what it changed into view: the field to fix, or the files
        # (course-deck.js: course-into-view).
        self.widget.add_class("course-into-view-scope")
        self.files.add_class("course-into-view")
        self.problem_field: str | None = None
        # labelled() clears descriptions and widens controls; the upload button's text is its description.
        self.upload.description = _("Add photos")
        self.upload.layout.width = "auto"
        # ipywidgets writes "(0)" after the description: the files in the button, which the builder empties at once
        # to keep big photos out of memory. The page shows this label instead (course-theme.css: attr(title)).
        self.upload.add_class("course-photo-upload")
        self._count_photos()

        self.set_fields(self.initial)
        for control in self.boxes.values():
            control.observe(self._changed, "value")
        self.upload.observe(self._photos_added, "value")
        self.take_plan.on_click(self._take_plan)
        self.take_clause.on_click(self._take_clause)
        self.make.on_click(self._make)
        SESSION.on_learner(self._load)
        if SESSION.learner is None:
            not_saved = _("Type your name at the top first. Until then your draft is not saved.")
            self.status.value = f"<span class='course-status--unsaved'>{esc(not_saved)}</span>"

    # -- the form's state ------------------------------------------------------------------
    def fields(self) -> dict[str, str]:
        out = {}
        for name, control in self.boxes.items():
            value = control.value
            out[name] = value.isoformat() if isinstance(value, date) else "" if value is None else str(value)
        return out

    def set_fields(self, fields: dict[str, str]) -> None:
        self.paused = True
        try:
            for name, control in self.boxes.items():
                text = fields.get(name, "")
                if name == "delivery":
                    try:
                        control.value = date.fromisoformat(text) if text else None
                    except ValueError:
                        control.value = None
                else:
                    control.value = text
        finally:
            self.paused = False
        self._show_numbers()

    def touched(self) -> bool:
        return bool(self.photos) or self.fields() != self.initial

    def _changed(self, change=None) -> None:
        if self.paused:
            return
        fixing = self.problem_field is not None and change is not None
        if fixing and change.get("owner") is self.boxes[self.problem_field]:
            self._mark(None)  # the trainee is fixing it: the mark goes; "Make the agreement" checks again
        self._show_numbers()
        self._save_draft()
        if self.files.value and not self.stale.value:
            changed = _("You changed the form. Press \"Make the agreement\" again to update the files.")
            self.stale.value = f"<p class='course-small'>{esc(changed)}</p>"

    def _show_numbers(self) -> None:
        """Total and advance from the numbers typed so far. A bad number: a message, and the last total stays."""
        f = self.fields()
        try:
            price = ag.parse_price(f["price"]) if f["price"].strip() else None
            quantity = ag.parse_quantity(f["quantity"]) if f["quantity"].strip() else None
            advance = ag.parse_advance(f["advance"]) if f["advance"].strip() else None
        except ag.AgreementInputError as problem:
            last = _("The numbers below are from the last valid input.")
            self.message.value = f"<p class='course-warning'>{esc(problem)} {esc(last)}</p>"
            return
        self.message.value = ""
        if price is None or quantity is None:
            self.numbers.value = ("<p class='course-small'>"
                                  + esc(_("Type the price and the quantity to see the total.")) + "</p>")
            return
        cur = esc(f["currency"].strip() or "USD")
        sums = ag.payment(price, quantity, advance)
        kip = kip_note if cur.upper() == "USD" else (lambda _: "")  # kip beside dollars; other currencies as typed
        total, rest = esc(_("Total")), esc(_("Rest, on delivery"))
        rows = f"<tr><td>{total}</td><td class='agreement-total'>{amount(sums.total)} {cur}{kip(sums.total)}</td></tr>"
        if advance is not None:
            advance_label = esc(_("Advance ({percent}%)").format(percent=f"{advance:g}"))
            rows += (f"<tr><td>{advance_label}</td><td class='agreement-advance'>{amount(sums.advance)} {cur}"
                     f"{kip(sums.advance)}</td></tr>"
                     f"<tr><td>{rest}</td><td>{amount(sums.balance)} {cur}{kip(sums.balance)}</td></tr>")
        note = ""
        if advance is not None and advance < ag.FAIR_TRADE_ADVANCE:
            fair = _("Fair trade practice (WFTO): when the artisans ask, pay at least 50% in advance, with no "
                     "interest.")
            note = f"<p class='course-small'>{esc(fair)}</p>"
        self.numbers.value = f"<table class='course-sim-table'>{rows}</table>{note}"

    # -- saving and restoring ----------------------------------------------------------------
    def _save_draft(self) -> None:
        value = ag.draft_value(self.fields(), self.photos)
        saved = self.autosave.save(value)
        if saved.no_learner:
            not_saved = _("Not saved: type your name at the top first. Your text stays on this page.")
            self.status.value = f"<span class='course-status--unsaved'>{esc(not_saved)}</span>"
            return
        # A full disk or a locked store must not break the form: the text stays, with a copy to download.
        self.status.value = save_note(saved, self.fields(), done=N_("Saved at {time}"))

    def _load(self, learner) -> None:
        """The learner's last draft comes back, unless they have already typed on this page."""
        self.autosave.new_sitting()
        if self.touched():
            self._save_draft()
            return
        saved = recorder.latest_answer(ag.ITEM, Kind.DRAFT, learner)
        if saved is None:
            saved_as_typed = _("Your draft is saved as you type.")
            self.status.value = f"<span class='course-status'>{esc(saved_as_typed)}</span>"
            return
        fields, photos = ag.restore_draft(saved.value)
        self.set_fields(fields)
        self.photos = photos
        self._show_photos()
        when = date_and_clock(saved.created_at) or _("before")
        back = _("Your draft from {when} is back.").format(when=when)
        self.status.value = f"<span class='course-status--saved'>{esc(back)}</span>"

    # -- photos ------------------------------------------------------------------------------
    def _photos_added(self, change) -> None:
        files = change["new"]
        if not files:
            return
        added, problems = [], []
        for item in files:
            name = str(item.get("name") or "photo")
            content = item.get("content")
            data = content.tobytes() if isinstance(content, memoryview) else bytes(content or b"")
            if len(self.photos) >= ag.MAX_PHOTOS:
                problems.append(_("{name}: you already have {count} photos. Remove one first.").format(
                    name=name, count=ag.MAX_PHOTOS))
                continue
            try:
                photo = photos.prepare_photo(name, data)
            except ag.PhotoRefused as refused:
                problems.append(str(refused))
                continue
            if any(p.data == photo.data for p in self.photos):
                problems.append(_("{name} is already in the list.").format(name=name))
                continue
            self.photos.append(photo)
            added.append(name)
        self.upload.value = ()  # the big file leaves the kernel's memory; the same file can be chosen again
        parts = []
        if added:
            added_text = _("Added: {names}.").format(names=", ".join(added))
            parts.append(f"<p class='agreement-added'>{esc(added_text)}</p>")
        if problems:
            parts.append("<div class='course-warning agreement-refused'>"
                         + "".join(f"<p>{esc(p)}</p>" for p in problems) + "</div>")
        if added:
            self._show_photos()
        self.photo_message.value = "".join(parts)
        if added:
            self._changed()

    def _count_photos(self) -> None:
        n = len(self.photos)
        self.upload.tooltip = (_("Add photos") if n == 0 else
                               ngettext("Add photos ({n} added)", "Add photos ({n} added)", n).format(n=n))

    def _show_photos(self) -> None:
        self._count_photos()
        items = []
        for index, photo in enumerate(self.photos):
            key = id(photo)
            if key not in self.thumbs:
                self.thumbs[key] = photos.thumbnail(photo)
            image = widgets.Image(value=self.thumbs[key], format="png" if photo.mime == "image/png" else "jpeg",
                                  layout=widgets.Layout(max_width="220px", max_height="220px"))
            remove = widgets.Button(description=_("Remove"), icon="trash",
                                    tooltip=_("Remove {name}").format(name=photo.name), **_auto())
            remove.on_click(lambda _, p=photo: self._remove(p))
            caption = widgets.HTML(f"<p class='agreement-caption'>{esc(photo.name)}</p>")
            card = widgets.VBox([image, caption, remove], layout=widgets.Layout(width="240px"))
            card.add_class("agreement-photo")
            items.append(card)
        self.thumbs = {id(p): self.thumbs[id(p)] for p in self.photos if id(p) in self.thumbs}
        self.gallery.children = items

    def _remove(self, photo: ag.Photo) -> None:
        if photo in self.photos:
            self.photos.remove(photo)
            self._show_photos()
            removed = _("Removed: {name}.").format(name=photo.name)
            self.photo_message.value = f"<p>{esc(removed)}</p>"
            self._changed()

    # -- taking results from the other tools ----------------------------------------------------
    def _merge(self, name: str, taken: str) -> str:
        text, what = ag.merge_text(self.boxes[name].value, taken)
        self.boxes[name].value = text
        return what

    def _take_plan(self, button=None) -> None:
        try:
            plan = handoff.latest(handoff.PLAN)
        except Exception:
            plan = None
        if not isinstance(plan, dict) or not plan.get("milestones"):
            nothing = _("Nothing to take yet. Open the milestone planner (module 06), make a plan and press \"Save "
                        "this scenario\". Then press this button again. You can also type the milestones yourself.")
            self.plan_note.value = f"<p class='course-warning'>{esc(nothing)}</p>"
            return
        milestones, checkins, finish, plan_summary = ag.plan_texts(plan)
        self.paused = True
        try:
            what = [self._merge("milestones", milestones), self._merge("checkins", checkins)]
            notes = []
            current = self.boxes["delivery"].value
            if finish and current is None:
                self.boxes["delivery"].value = date.fromisoformat(finish)
            elif finish and current.isoformat() != finish:
                notes.append(_("The plan ends on {end}, but your delivery date is {delivery}. Check which one is "
                               "right.").format(end=long_date(date.fromisoformat(finish)),
                                                delivery=long_date(current)))
            quantity = (plan.get("settings") or {}).get("quantity")
            if quantity and not self.boxes["quantity"].value.strip():
                self.boxes["quantity"].value = str(quantity)
        finally:
            self.paused = False
        if "added" in what:
            notes.append(_("Your own text is kept above the plan: delete what you do not need."))
        taken = _("Taken from the milestone planner: {plan}").format(plan=plan_summary)
        self.plan_note.value = (f"<p class='agreement-taken'>{esc(taken)}</p>"
                                + "".join(f"<p class='course-small'>{esc(n)}</p>" for n in notes))
        self._changed()

    def _take_clause(self, button=None) -> None:
        try:
            value = handoff.latest(handoff.CLAUSE)
        except Exception:
            value = None
        clause = str(value.get("clause") or "").strip() if isinstance(value, dict) else ""
        if not clause:
            nothing = _("Nothing to take yet. Use the contingency simulator in module 04 and press \"Save this "
                        "scenario\" there. Then press this button again. You can also type the clause yourself.")
            self.clause_note.value = f"<p class='course-warning'>{esc(nothing)}</p>"
            return
        self.paused = True
        try:
            what = self._merge("clause", clause)
        finally:
            self.paused = False
        taken = {"added": _("Taken from the contingency simulator. Your own text is kept above it."),
                 "already": _("Taken from the contingency simulator. It was already there.")}.get(
                     what, _("Taken from the contingency simulator."))
        self.clause_note.value = f"<p class='agreement-taken'>{esc(taken)}</p>"
        self._changed()

    # -- the agreement -----------------------------------------------------------------------------
    def agreement(self) -> ag.Agreement:
        return ag.from_draft(self.fields(), self.photos)

    def _mark(self, field: str | None, problem: str = "") -> None:
        """Mark the one field the agreement cannot use (highlighted, its reason beside it), or none."""
        if self.problem_field is not None and self.problem_field != field:
            box = self.fields_box[self.problem_field]
            for name in ("course-field-problem", "course-into-view", "course-into-view-top"):
                box.remove_class(name)
            self.field_notes[self.problem_field].value = ""
        self.problem_field = field if field in self.fields_box else None
        if self.problem_field is not None:
            box = self.fields_box[self.problem_field]
            for name in ("course-field-problem", "course-into-view", "course-into-view-top"):
                box.add_class(name)
            self.field_notes[self.problem_field].value = f"<p class='course-warning'>{esc(problem)}</p>"

    def _make(self, button=None) -> None:
        try:
            made = self.agreement()
        except ag.AgreementInputError as problem:
            kept = (" " + _("The files below are from the last agreement you made.")) if self.last_agreement else ""
            self.stale.value = f"<p class='course-warning'>{esc(problem)}{esc(kept)}</p>"
            # The page takes the trainee to the field (course-deck.js), which is marked with the same reason.
            self._mark(problem.field, str(problem))
            return
        self._mark(None)
        self.last_agreement = made
        text = ag.summary(made)
        stem = agreement_doc.file_stem(made)
        learner = SESSION.learner or SESSION.start()
        items = [Download(f"{stem}.html", "text/html", agreement_doc.render_html(made),
                          _("Download the agreement to print (HTML)")),
                 Download(f"{stem}-summary.txt", "text/plain", text, _("Download the summary (text)"))]
        print_it = _("Open the agreement in a browser and print it (Ctrl+P), or save it as PDF.")
        self.files.value = (offer_html(items, learner.name if learner else None)
                            + f"<p class='course-small'>{esc(print_it)}</p>")
        self.stale.value = ""
        agreed, aloud = esc(_("What we agreed")), esc(_("(read it aloud):"))
        self.summary_box.value = (f"<p><strong>{agreed}</strong> {aloud}</p><div "
                                  "class='agreement-summary-text'>"
                                  + "".join(f"<p>{esc(line)}</p>" for line in text.splitlines()) + "</div>")


def show_agreement_builder(**preset) -> None:
    """Show the order-agreement builder. Keyword arguments prefill fields (see ``agreement.FIELDS``)."""
    show_tool(lambda: AgreementBuilder(**preset), _("The order-agreement builder"))
