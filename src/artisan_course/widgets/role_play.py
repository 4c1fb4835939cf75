"""A role-play in threes: ``role_play("late-batch")`` shows the card, each role's part and the observer's checklist.

The buyer and the producer leader each open their own part (the printed cards say the same). The observer fills in
the checklist, saved as they type like any reflection, and then shows it to the pair on their own screen. The
checklist is in the observer's journal; nothing is sent to the pair's devices.
"""
from __future__ import annotations

import ipywidgets as widgets

from ..i18n import N_, _
from ..content.activities import load_activity, observer_items, role_play_card
from ..content.course_map import load_course_map
from .kit import esc, show_tool

ROLE_PLAY_CSS = """<style>
.course-role-play .course-rp-steps { margin: .2em 0 .6em; padding-left: 1.4em; }
.course-role-play .course-rp-card { border: 2px dashed #8a8f9c; border-radius: 6px; padding: .4em .9em;
  margin: .4em 0; }
.course-role-play .course-rp-pair { border: 3px solid #23336b; border-radius: 8px; padding: .5em 1em; margin: .6em 0;
  font-size: 1.15em; background: #fffaf0; }
.course-role-play .course-rp-pair .course-rp-q { font-weight: bold; margin: .5em 0 0; }
.course-role-play .course-rp-pair .course-rp-a { margin: 0 0 .2em; white-space: pre-wrap; overflow-wrap: anywhere; }
.course-role-play .widget-toggle-buttons .widget-toggle-button { min-height: 44px; width: auto; padding: 0 .9em; }
.course-role-play .widget-toggle-buttons { flex-wrap: wrap; }
</style>"""
ROLES = [(N_("Buyer"), "buyer"), (N_("Producer leader"), "leader"), (N_("Observer"), "observer")]


class RolePlay:
    def __init__(self, card_id: str):
        from .reflection import PRIVACY_NOTE, Reflection
        data = load_activity("role_cards.yaml")
        self.card = card = role_play_card(card_id)
        self.module_id = load_course_map().modules[card["module"]].id
        self.checklist = data["checklist"]
        steps = "".join(f"<li>{esc(step)}</li>" for step in data["steps"])
        about = _("About {minutes} minutes. Everything on the cards is made up.").format(minutes=data["minutes"])
        intro = widgets.HTML(
            f"{ROLE_PLAY_CSS}<p>{esc(about)}</p><ol class='course-rp-steps'>{steps}</ol>"
            + "<p>" + _("<strong>Choose your role.</strong> Read only your own part.") + "</p>")
        self.role = widgets.ToggleButtons(options=[(_(label), key) for label, key in ROLES], index=None,
                                          style={"button_width": "auto"})
        self.part = widgets.HTML()
        # One privacy line for the whole checklist, above it, instead of one under each of the four questions.
        self.boxes = [Reflection(item, prompt, module=self.module_id, privacy="")
                      for (item, _), prompt in zip(observer_items(self.module_id, card), self.checklist)]
        self.show_pair = widgets.Button(description=_("Show the pair"), icon="eye",
                                        layout=widgets.Layout(width="auto", min_height="44px"))
        self.show_pair.on_click(lambda _: self.show_to_pair())
        self.pair = widgets.HTML()
        watch = "<div class='course-rp-card'><p>" + _("<strong>Observer.</strong> Watch both rounds.")
        self.observer = widgets.VBox([widgets.HTML(f"{watch} {esc(card['watch'])}</p></div>"
                                                   f"<p class='course-privacy'>{esc(_(PRIVACY_NOTE))}</p>"),
                                      *self.boxes, self.show_pair, self.pair],
                                     layout=widgets.Layout(display="none", width="100%"))
        self.role.observe(lambda _: self.choose(), "value")
        self.widget = widgets.VBox([intro, self.role, self.part, self.observer], layout=widgets.Layout(width="100%"))
        self.widget.add_class("course-role-play")

    def choose(self) -> None:
        role = self.role.value
        self.pair.value = ""
        self.observer.layout.display = "" if role == "observer" else "none"
        if role in ("buyer", "leader"):
            name = _("Buyer (social enterprise)") if role == "buyer" else _("Producer leader")
            aim = _("<strong>Aim:</strong> {aim}").format(aim=esc(self.card["aim"]))
            self.part.value = (f"<div class='course-rp-card'><p><strong>{esc(name)}.</strong> "
                               f"{esc(self.card[role])}</p><p>{aim}</p></div>")
        else:
            self.part.value = ""

    def show_to_pair(self) -> None:
        """The checklist in large type, to hand round the three for the debrief (the text as typed, escaped)."""
        empty = esc(_("(nothing written)"))
        rows = "".join(f"<p class='course-rp-q'>{esc(question)}</p>"
                       f"<p class='course-rp-a'>{esc(box.value.strip()) or empty}</p>"
                       for question, box in zip(self.checklist, self.boxes))
        title = _("<strong>What the observer saw</strong> (role-play {number}, {title})").format(
            number=self.card["number"], title=esc(self.card["title"]))
        self.pair.value = f"<div class='course-rp-pair'><p>{title}</p>{rows}</div>"


def role_play(card_id: str) -> None:
    """Show a role-play card on its slide: the steps, each role's part and the observer's checklist."""
    show_tool(lambda: RolePlay(card_id), _("The role-play"))
