"""The widgets every notebook shows: header, navigation and reflections.

Each is one line in a notebook, for example ``course_header("welcome")``.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import anywidget
import ipywidgets as widgets
import traitlets
from IPython.display import display

from ..i18n import N_, _
from ..content.course_map import load_course_map
from ..state.learner import PAGE_REQUEST, LearnerNameError, facilitator_kernel, in_voila, in_workshop
from ..state import recorder
from ..text import escape
from ..state.recorder import Kind
from ..state.session import SESSION
from ..state.recorder import STORE_ERRORS

_esc = escape
FRONTEND = Path(__file__).parent / "frontend"


# -- header --------------------------------------------------------------------
def _server_base() -> str:
    import os
    return os.environ.get("VOILA_BASE_URL", "/") or "/"


def _workshop_name_box() -> widgets.Widget:
    """In a workshop the server says who is learning: the name, and a way out for a shared device."""
    base = _esc(_server_base())
    name = widgets.HTML()

    def show(_arrived=None) -> None:
        learner = SESSION.learner
        if learner is not None and facilitator_kernel():
            # The server gave this page the facilitator's own learner: no trainee, no PIN, never counted.
            name.value = ("<span class='course-learner-name course-presenting'>"
                          + _("Presenting as <strong>the facilitator</strong>: what you do on these slides is not "
                              "counted for the room.") + "</span>")
        elif learner is None:
            name.value = ("<span class='course-warning'>"
                          + _("This page does not know who you are, so nothing is saved. "
                              "<a href='{base}join' target='_top'>Join the workshop</a> first.").format(base=base)
                          + "</span>")
        else:
            name.value = ("<span class='course-learner-name'>"
                          + _("Learning as <strong>{name}</strong>").format(name=_esc(learner.name)) + "</span>"
                          + f" · <a class='course-leave' href='{base}leave' target='_top'>"
                          + _esc(_("Not you? Leave")) + "</a>")

    SESSION.start()
    show()
    if SESSION.waiting_for_page:  # a preheated kernel: the server names the learner when the page is asked for
        PAGE_REQUEST.when_arrived(show)
    box = widgets.VBox([name], layout=widgets.Layout(margin="0.4em 0"))
    box.add_class("course-learner")
    return box


def _name_box() -> widgets.Widget:
    """Asks for the learner's name, or shows who is learning.

    In JupyterLab the name is asked once (the first time, in the first course header or exercise run) and remembered;
    the computer's user name is never taken on its own. Answers from before the course asked, kept under that user
    name, are offered to the learner: a tick carries them on to the name they choose.
    """
    name = widgets.Text(placeholder=_("Your name"), description=_("Your name"),
                        layout=widgets.Layout(width="420px", max_width="100%"), style={"description_width": "initial"})
    start = widgets.Button(description=_("Start"), button_style="primary",
                           layout=widgets.Layout(width="auto", align_self="flex-start"))
    change = widgets.Button(description=_("Change name"), layout=widgets.Layout(width="auto"))
    keep = widgets.Checkbox(value=False, indent=False, description=_("They are mine: keep them"),
                            layout=widgets.Layout(width="auto"))
    keep.add_class("course-keep-earlier")
    message = widgets.HTML()
    earlier_note = widgets.HTML()
    box = widgets.VBox(layout=widgets.Layout(margin="0.4em 0"))
    box.add_class("course-learner")

    def show_learner(learner, greeting: bool = False) -> None:
        if greeting:
            said = (_("Welcome back, <strong>{name}</strong>.") if learner.returning
                    else _("Welcome, <strong>{name}</strong>."))
        else:
            said = _("Learning as <strong>{name}</strong>.")
        text = said.format(name=_esc(learner.name))
        message.value = f"<span class='course-learner-name'>{text}</span>"
        row = widgets.HBox([message, change], layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        box.children = [row] if not in_voila() else [message]

    def ask(_pressed=None) -> None:
        message.value = "<span>" + _esc(_("Type your name so the course can keep your answers.")) + "</span>"
        children = [message]
        earlier = SESSION.earlier_answers_owner()
        if earlier is not None:  # read before the name is typed, so it is not missed
            earlier_note.value = ("<span class='course-earlier'>"
                                  + _("Answers from before are saved on this computer under the name "
                                      "<strong>{name}</strong>.").format(name=_esc(earlier.name)) + "</span>")
            children += [earlier_note, keep]
        box.children = children + [widgets.HBox([name, start], layout=widgets.Layout(flex_flow="row wrap"))]

    def submit(_=None) -> None:
        try:
            learner = SESSION.set_learner(name.value, keep_earlier=keep.value)
        except LearnerNameError as exc:
            message.value = f"<span class='course-warning'>{_esc(str(exc))}</span>"
            return
        show_learner(learner, greeting=True)

    start.on_click(submit)
    change.on_click(ask)
    learner = SESSION.start()
    if learner is None:
        ask()
    else:
        show_learner(learner, greeting=learner.returning)
    # A name chosen in another box of this notebook (or the learner changed) shows here too.
    SESSION.listeners.append(show_learner)
    return box


def course_learner() -> None:
    """Who is learning, for a notebook without a course header (the exercises): asks for a name, or shows it."""
    display(_workshop_name_box() if in_workshop() else _name_box())


def _pillar_line(module_id: str) -> str:
    """For a module that teaches Pillar 4 tactics: the deck's whole list, this module's in bold, and the source."""
    from ..content.course_map import load_tactics
    tactics = load_tactics()
    here = set(tactics.taught_in(module_id))
    if not here:
        return ""
    course = load_course_map()
    items = " · ".join((f"<strong>{_esc(name)}</strong>" if name in here
                        else f"{_esc(name)} ({course.module(module).number:02d})") for name, module in tactics.tactics)
    return (f"<div class='course-pillar'><p><strong>{_esc(tactics.pillar)}</strong>: {items}</p>"
            f"<p class='course-small'>{_esc(tactics.source)}</p></div>")


def progress_text(progress) -> str:
    """A module's progress as the header shows it, in the kernel's language (``ModuleProgress.summary`` is the
    journal's English, word for word the same in English)."""
    parts = [_("visited") if progress.visited else _("not visited yet")]
    if progress.reflections_total:
        parts.append(_("reflections {written} of {total}").format(written=progress.reflections_written,
                                                                  total=progress.reflections_total))
    if progress.quiz_total:
        if progress.quiz_answered and progress.scored_answered:
            parts.append(_("quiz {answered} of {total} answered, {right} right the first time").format(
                answered=progress.quiz_answered, total=progress.quiz_total, right=progress.quiz_right))
        else:
            parts.append(_("quiz {answered} of {total} answered").format(answered=progress.quiz_answered,
                                                                         total=progress.quiz_total))
    if progress.exercises_done:
        parts.append(_("{count} exercise(s) done").format(count=progress.exercises_done))
    if progress.plan_needed:
        parts.append(_("action plan ready") if progress.plan_ready else _("action plan not finished"))
    if progress.complete:
        parts.append(_("complete"))
    return " · ".join(parts)


def course_header(module_id: str) -> None:
    """Title block of a module: number, title, minutes, objectives, the learner and their progress."""
    course = load_course_map()
    module = course.module(module_id)
    SESSION.module = module.id
    objectives = "".join(f"<li>{_esc(o)}</li>" for o in module.objectives)
    kicker = _("Module {number} · about {minutes} minutes").format(number=f"{module.number:02d}",
                                                                   minutes=module.minutes)
    able = _("You will be able to:")
    title = widgets.HTML(
        f"<div class='course-header'>"
        f"<p class='course-kicker'>{_esc(kicker)}</p>"
        f"<h1>{_esc(module.title)}</h1>"
        + (f"<p><strong>{_esc(able)}</strong></p><ul>{objectives}</ul>" if objectives else "")
        + _pillar_line(module.id)
        + "</div>"
    )
    progress = widgets.HTML()
    progress.add_class("course-progress")
    parts = [title, _workshop_name_box() if in_workshop() else _name_box(), progress]
    try:
        notices = SESSION.get_store().notices
    except STORE_ERRORS as exc:  # a full disk, a read-only or damaged file: say so; the tools still run
        notices = [recorder.problem_message(exc)]
    warnings = [SESSION.store_warning] if SESSION.store_warning else []
    warnings += [notice for notice in notices if notice not in warnings]
    if warnings:
        parts.append(widgets.HTML("".join(f"<p class='course-warning'>{_esc(w)}</p>" for w in warnings)))
    if SESSION.store_warning:
        parts.append(journal_download_box())

    def visited(learner) -> None:
        from ..state.progress import module_progress
        recorder.record(module.id, f"{module.id}:visit", Kind.VISIT, True, learner=learner)
        try:
            summary = progress_text(module_progress(SESSION.get_store(), learner, module))
        except STORE_ERRORS:
            return
        progress.value = "<p>" + _esc(_("Your progress in this module: {summary}.").format(summary=summary)) + "</p>"

    SESSION.on_learner(visited)
    display(widgets.VBox(parts))


# -- navigation ----------------------------------------------------------------
def _link(notebook: str, learner_name: str | None) -> str:
    href = quote(_deck_in_this_language(notebook))
    if learner_name and in_voila() and not in_workshop():  # in a workshop the cookie says who it is
        href += "?learner=" + quote(learner_name, safe="")
    return href


def _deck_in_this_language(notebook: str) -> str:
    """The address of a neighbouring deck, relative to this one. A translated deck (in the folder ``<lang>/`` beside
    the English decks, where its kernel runs, in Voilà and in a JupyterLab working copy alike) links to the
    neighbour's translation when there is one, and else to the English deck one folder up."""
    from ..i18n import DEFAULT, language
    lang = language()
    if lang == DEFAULT:
        return notebook
    try:
        here = Path.cwd()
        if here.name != lang or not (here.parent / notebook).is_file():
            return notebook
        return notebook if (here / notebook).is_file() else f"../{notebook}"
    except OSError:
        return notebook


def _contents_link(learner_name: str | None) -> str:
    if in_voila():
        base = _server_base()
        if in_workshop():
            return base
        return base + ("?learner=" + quote(learner_name, safe="") if learner_name else "")
    course = load_course_map()
    return quote(course.modules[0].notebook)


def nav_html(module_id: str, learner_name: str | None) -> str:
    course = load_course_map()
    before, after = course.neighbours(module_id)
    parts = []
    if before:
        parts.append(f"<a class='course-nav-prev' href='{_esc(_link(before.notebook, learner_name))}'>← "
                     f"{_esc(before.title)}</a>")
    parts.append(f"<a class='course-nav-contents' href='{_esc(_contents_link(learner_name))}'>"
                 + _esc(_("Course map")) + "</a>")
    if after:
        parts.append(f"<a class='course-nav-next' "
                     f"href='{_esc(_link(after.notebook, learner_name))}'>{_esc(after.title)} →</a>")
    return "<nav class='course-nav'>" + " · ".join(parts) + "</nav>"


def course_nav(module_id: str) -> None:
    """Previous | course map | next links, carrying the learner's name in Voilà."""
    learner = SESSION.learner
    nav = widgets.HTML(nav_html(module_id, learner.name if learner else None))
    SESSION.on_learner(lambda learner: setattr(nav, "value", nav_html(module_id, learner.name)))
    display(nav)


# -- reflections -------------------------------------------------------------
def reflect(item: str, prompt: str, hints: list[str] | None = None, module: str | None = None,
            room: bool = False) -> None:
    """Show a reflection prompt whose answer is saved for the learner as they type.

    ``room=True`` marks it for the room: in a workshop, the facilitator's slide shows the answers as cards or a word
    cloud (``room.py``); everywhere else it is the usual box.
    """
    if room:
        from .room import room_reflection
        room_reflection(item, prompt, hints, module=module)
        return
    from .reflection import Reflection
    display(Reflection(item, prompt, hints=hints, module=module))


# -- journal download ---------------------------------------------------------
JOURNAL_LABEL = N_("Download my journal")


class JournalButton(anywidget.AnyWidget):
    """"Download my journal": one press, one printable page in the browser's downloads (``frontend/download.js``).

    The page is the journal, ending with the certificate once the course is complete, and the file is named after
    the learner in their own script (``journal-ນ້ອຍ.html``). In a workshop the button fetches it from the server,
    which reads the trainee's cookie (``/course/my-journal``); elsewhere the kernel makes it and sends it to the page.
    """

    _esm = FRONTEND / "download.js"

    label = traitlets.Unicode(JOURNAL_LABEL).tag(sync=True)
    href = traitlets.Unicode("").tag(sync=True)       # the workshop server's address of the journal ("" elsewhere)
    status = traitlets.Unicode("").tag(sync=True)     # plain text under the button (the page shows it as text)
    problem = traitlets.Bool(False).tag(sync=True)    # the status is a warning
    busy = traitlets.Bool(False).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**{"label": _(JOURNAL_LABEL), **kwargs})
        if in_workshop():
            self.href = _server_base() + "course/my-journal"
        self.on_msg(self._message)

    def _message(self, _widget, content, _buffers) -> None:
        event = (content or {}).get("event")
        if event == "fetched":
            self.problem = False
            self.status = _(DOWNLOADED).format(name=_("your journal"))
        elif event == "prepare":
            self.prepare()

    def prepare(self) -> None:
        """Make the learner's journal and send it to the page (or say why not)."""
        from ..documents.downloads import Download, save_copies
        from ..documents.journal import journal_html
        from ..state.learner import safe_file_stem
        learner = SESSION.learner
        if learner is None:
            self.problem, self.status = True, _("Type your name at the top first.")
            return
        self.busy = True
        try:
            page = journal_html(SESSION.get_store(), learner, with_certificate=True)
        except STORE_ERRORS as exc:
            self.problem, self.status = True, recorder.problem_message(exc)
            return
        finally:
            self.busy = False
        name = f"journal-{safe_file_stem(learner.name)}.html"
        self.send({"event": "file", "name": name, "mime": "text/html;charset=utf-8", "text": page})
        saved = save_copies([Download(name, "text/html", page, "")], learner.name)
        self.problem = False
        self.status = _(DOWNLOADED).format(name=name) + (
            " " + _("A copy is also saved in {folder}.").format(folder=saved[0].parent) if saved else "")


DOWNLOADED = N_("Look in your downloads for {name}: one page to open, keep or print.")


def journal_download_box() -> widgets.Widget:
    """The "Download my journal" button (:class:`JournalButton`)."""
    return JournalButton()


def journal_download() -> None:
    """Show the "Download my journal" button."""
    display(journal_download_box())


# -- course map ----------------------------------------------------------------
def course_map_html(learner=None) -> str:
    from .. import paths
    from ..state.progress import module_progress
    course = load_course_map()
    notebooks = paths.notebooks_dir()
    try:
        store = SESSION.get_store()
    except STORE_ERRORS:  # the map still shows; the "You" column waits for the store
        store, learner = None, None
    rows = []
    soon = _("coming soon")
    for module in course.modules:
        ready = module.ready and (notebooks / module.notebook).is_file()
        title = (f"<a href='{_esc(_link(module.notebook, learner.name if learner else None))}'>{_esc(module.title)}</a>"
                 if ready
                 else f"{_esc(module.title)} <span class='course-badge'>{_esc(soon)}</span>")
        if learner is None or not ready:
            state = ""
        else:
            progress = module_progress(store, learner, module)
            state = _("complete") if progress.complete else (_("started") if progress.visited else _("not started"))
        minutes = _("{minutes} min").format(minutes=module.minutes)
        rows.append(f"<tr><td>{module.number:02d}</td><td>{title}</td><td>{_esc(minutes)}</td>"
                    f"<td class='course-state'>{_esc(state)}</td></tr>")
    total = sum(m.minutes for m in course.modules)
    heads = "".join(f"<th>{_esc(h)}</th>" for h in ("#", _("Module"), _("Time"), _("You")))
    in_all = _("About {hours} hours {minutes} minutes in all.").format(hours=total // 60, minutes=total % 60)
    return (f"<table class='course-map'><thead><tr>{heads}</tr></thead>"
            "<tbody>"
            + "".join(rows)
            + f"</tbody></table><p class='course-small'>{_esc(in_all)}</p>")


def course_overview() -> None:
    """The course map as a table, with links that carry the learner's name."""
    table = widgets.HTML(course_map_html(SESSION.learner))
    SESSION.on_learner(lambda learner: setattr(table, "value", course_map_html(learner)))
    display(table)


def glossary_html() -> str:
    """The course's terms (data/glossary.yaml) sorted by term: the English term, its Lao name (the Lao catalog's)
    and its meaning in the deck's language."""
    from ..content.activities import glossary_terms
    rows = "".join(f"<tr><th scope='row'>{escape(t['term'])}</th><td class='course-glossary-lo' lang='lo'>"
                   f"{escape(t['lao'])}</td><td>{escape(t['meaning'])}</td></tr>" for t in glossary_terms())
    return f"<div class='course-glossary'><table><tbody>{rows}</tbody></table></div>"


def glossary() -> None:
    """Words this course uses, with their plain meanings."""
    display(widgets.HTML(glossary_html()))
