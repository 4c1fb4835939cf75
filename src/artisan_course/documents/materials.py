"""The facilitator's printed materials: run sheets, paper quizzes with answer keys, role cards, glossary, evaluation.

Everything is read from the course map, the notebooks' speaker notes and summaries, and data/*.yaml, so a change
to a deck or a question bank shows up in the next print. ``write_materials(folder)`` writes one page per item
and an index; ``artisan-course print-materials`` calls it.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

from ..content.activities import load_activity
from ..content.currency import with_kip
from ..content.course_map import Module, load_course_map
from ..content.notebooks import module_key_messages, module_slides
from ..content.quiz_bank import Question, image_data_uri, load_bank
from ..content.quiz_markup import code_block, markup_css, to_html
from ..models.grading import ROOM_SEED, display_order
from ..text import escape
from .page import print_page

LETTERS = "ABCDEFGHIJKLMNOP"
# Consecutive interpretation into Lao: the interpreter repeats each sentence, so what is said takes about twice as
# long (the guide's allowance; the course's own planning figure, not a measurement).
INTERPRETATION = 2
# Reading time on a quiz slide, for trainees who read English as a second language: about 80 words of question text
# (situation, prompt, options) a minute, and one more minute to reveal and read the feedback for the room. The
# course's own planning figure: 5,377 words in 86 minutes (63 a minute, with no time to reveal) was too fast.
READING_WORDS_PER_MINUTE = 80
REVEAL_MINUTES = 1

MATERIALS_CSS = """
.tag { display: inline-block; padding: 0 .4em; border-radius: .3em; font-size: .85em; }
.tag-core { background: #23336b; color: #fff; }
.tag-optional { background: #eef0f6; color: #23336b; border: 1px solid #8a8f9c; }
tr.optional td { color: #4a5060; }
tr.say td { font-size: .9em; padding-top: 0; border-top: none; }
tr.say + tr td, tbody tr:not(.say) td { border-top: 1px solid #d9d2c3; }
td.n, th.n { white-space: nowrap; overflow-wrap: normal; width: 1%; }
.question { break-inside: avoid; margin: 0 0 1.2em; }
.question ol { list-style: none; padding-left: 1em; }
.box { display: inline-block; width: 1em; height: 1em; border: 1px solid #1b1f2a; margin-right: .5em; vertical-align: -.15em; }
.line { border-bottom: 1px solid #8a8f9c; height: 1.8em; }
.key { break-before: page; }
.card { border: 2px dashed #8a8f9c; padding: .8em 1em; margin: 0 0 1.2em; break-inside: avoid; }
.card h2 { margin-top: 0; font-size: 1.15em; }
dl.glossary dt { font-weight: bold; margin-top: .6em; }
dl.glossary dd { margin: 0 0 0 1em; }
"""  # noqa: E501 (CSS; a line break would change the string)


def _list(items) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>"


def question_words(q: Question) -> int:
    """The words a trainee reads before answering: the situation, the prompt, the options or items, the categories."""
    parts = [q.get("situation", ""), q.get("prompt", "")]
    parts += [o["text"] for o in q.get("options") or q.get("items") or []]
    parts += list(q.get("categories") or [])
    return len(re.findall(r"\S+", " ".join(parts)))


def reading_minutes(questions) -> int:
    """The minutes a quiz slide needs: its question text at READING_WORDS_PER_MINUTE, then a minute to reveal."""
    return math.ceil(sum(question_words(q) for q in questions) / READING_WORDS_PER_MINUTE) + REVEAL_MINUTES


def module_label(module: Module) -> str:
    return f"Module {module.number:02d} · {module.title}"


def timing(module: Module) -> dict:
    """Minutes of the core slides, of all slides, and the slack left in the module's time on the agenda."""
    slides = module_slides(module)
    core = sum(s.minutes for s in slides if s.core)
    total = sum(s.minutes for s in slides)
    role_play = sum(s.minutes for s in slides if "role_play" in s.tools)
    return {"core": core, "optional": total - core, "total": total, "slot": module.minutes,
            "slack": module.minutes - total,
            "role_play": role_play, "interpreted": math.ceil(core * INTERPRETATION)}


def _tool_name(function: str) -> str:
    """"show_anchoring_simulator" -> "anchoring simulator"; "reflect" -> "reflection"."""
    return {"reflect": "reflection", "journal_download": "journal button", "course_nav": "links",
            "course_overview": "course map"}.get(function, function.removeprefix("show_").replace("_", " "))


# -- run sheets -------------------------------------------------------------------------------------
def note_html(note: str) -> str:
    """A speaker note as printed: its prompts and questions, with the note's **bold** and `code` kept."""
    text = escape(" ".join(with_kip(note).split()))
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


def run_sheet_html(module: Module) -> str:
    slides = module_slides(module)
    t = timing(module)
    materials = load_activity("run_sheets.yaml")["materials"].get(module.id, [])
    rows, clock = [], 0
    for number, slide in enumerate(slides, start=1):
        clock += slide.minutes
        kind = "core" if slide.core else "optional"
        what = ", ".join(slide.quiz_ids) if slide.quiz_ids else ", ".join(_tool_name(t) for t in slide.tools)
        rows.append(f"<tr class='{kind}'><td class='n'>{number}</td><td>{escape(slide.title)}</td>"
                    f"<td class='n'><span class='tag tag-{kind}'>{kind}</span></td><td class='n'>{slide.minutes}</td>"
                    f"<td class='n'>{clock}</td>"
                    f"<td>{escape(what)}</td></tr>"
                    f"<tr class='{kind} say'><td class='n'></td><td colspan='5'>{note_html(slide.note)}</td></tr>")
    body = (f"<h1>Run sheet: {escape(module_label(module))}</h1>"
            f"<p class='meta'>{t['slot']} minutes on the agenda. Core slides {t['core']} minutes; all slides "
            f"{t['total']} minutes, which leaves {t['slack']} minutes of slack. Short of time? Teach the core "
            f"slides only. With an interpreter, the core slides take about {t['interpreted']} minutes."
            + (f" The role-play takes {t['role_play']} minutes more." if t["role_play"] else "") + "</p>"
            f"<h2>Objectives</h2>{_list(module.objectives)}"
            f"<h2>Key messages</h2>{_list(module_key_messages(module))}"
            f"<h2>Materials</h2>{_list(materials)}"
            "<h2>Timings, and what to say or ask</h2><table><thead><tr><th class='n'>#</th><th>slide</th><th "
            "class='n'></th><th class='n'>min</th>"
            "<th class='n'>clock</th>"
            "<th>quiz, poll or tool</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
    return print_page(f"Run sheet {module.number:02d}", body, css=MATERIALS_CSS)


# -- paper quizzes ----------------------------------------------------------------------------------
def _in_screen_order(question: Question, items: list) -> list:
    """The options in the order the slides show them to everyone, so "who chose B?" counts phones and paper alike."""
    by_key = {item["key"]: item for item in items}
    return [by_key[key] for key in display_order(question, ROOM_SEED)]


def _options(keys_texts) -> str:
    return "<ol>" + "".join(f"<li><span class='box'></span>{LETTERS[i]}. {to_html(text)}</li>"
                            for i, (_, text) in enumerate(keys_texts)) + "</ol>"


def _accepted_numbers(q: Question) -> list[str]:
    """Every value or range a numeric question accepts, as a person marking paper would read it."""
    units = q.get("units", "")
    if not q.get("answers"):
        return [f"{q['answer']:g} {units}".strip()]
    shown = []
    for a in q["answers"]:
        if not a.get("correct", True):
            continue
        if "value" in a:
            shown.append(f"{a['value']:g} {units}".strip())
        else:
            low = a.get("min")
            high = a.get("max", a.get("below"))
            shown.append(f"{'' if low is None else f'{low:g}'} to "
                         f"{'' if high is None else f'{high:g}'} {units}".strip())
    return shown


def _question_html(number: int, q: Question) -> tuple[str, str]:
    """(the question as printed, its line in the answer key)."""
    prompt = (f"<p><em>{to_html(q['situation'])}</em></p>" if q.get("situation") else "") + \
             f"<p><strong>{number}.</strong> {to_html(q.get('prompt', ''))}</p>"
    if q.get("image"):
        prompt += f"<img class='figure' src='{image_data_uri(q.data)}' alt='{escape(q['image']['alt'])}'>"
    if q.get("code"):
        prompt += code_block(q["code"])
    kind, key = q.type, ""
    if kind in ("single", "scenario", "poll", "multi"):
        options = [(o["key"], o["text"]) for o in _in_screen_order(q, q["options"])]
        shown = _options(options)
        letters = {k: LETTERS[i] for i, (k, _) in enumerate(options)}
        if kind == "poll":
            key = "A poll: no right answer."
        elif kind == "multi":
            shown = "<p class='meta'>Tick every one that applies.</p>" + shown
            key = ", ".join(sorted(letters[k] for k in q["answers"]))
        else:
            key = letters[q["answer"]]
    elif kind == "truefalse":
        shown = _options([("true", "True"), ("false", "False")])
        key = "A. True" if q["answer"] else "B. False"
    elif kind == "numeric":
        units = q.get("units", "")
        shown = "<div class='line'></div>" + (f"<p class='meta'>Answer in {escape(units)}.</p>" if units else "")
        key = with_kip(" or ".join(_accepted_numbers(q)))
    elif kind == "text":
        shown = "<div class='line'></div><p class='meta'>Write a word or a short phrase.</p>"
        key = " or ".join(a["text"] for a in q["answers"] if a.get("correct", True))
    elif kind == "ordering":
        items = _in_screen_order(q, q["items"])
        shown = ("<p class='meta'>Write 1 for the first step, 2 for the next, and so on.</p><ol>"
                 + "".join(f"<li><span class='box'></span>{LETTERS[i]}. {to_html(it['text'])}</li>"
                           for i, it in enumerate(items)) + "</ol>")
        position = {it["key"]: LETTERS[i] for i, it in enumerate(items)}
        key = ", ".join(position[it["key"]] for it in q["items"])
    elif kind == "categorise":
        items = _in_screen_order(q, q["items"])
        shown = (f"<p class='meta'>Write one of these next to each: {escape('; '.join(q['categories']))}.</p><ol>"
                 + "".join(f"<li>{LETTERS[i]}. {to_html(it['text'])} <div class='line'></div></li>"
                           for i, it in enumerate(items)) + "</ol>")
        key = "; ".join(f"{LETTERS[i]}: {it['category']}" for i, it in enumerate(items))
    else:  # a question type this page does not know yet: the prompt, space to answer, and the explanation
        shown = "<div class='line'></div><div class='line'></div>"
        key = "See the explanation."
    explanation = q.get("explanation", "")
    return (f"<div class='question'>{prompt}{shown}</div>",
            f"<li><strong>{escape(key)}</strong> {to_html(explanation)}</li>")


def paper_quiz_html(module: Module) -> str:
    """The module's polls and questions, in the order the deck asks them, then an answer key on a new page."""
    questions = {q.id: q for q in load_bank(module.id)}
    order = [qid for slide in module_slides(module) for qid in slide.quiz_ids if qid in questions]
    order += [qid for qid in questions if qid not in order]
    parts = [_question_html(n, questions[qid]) for n, qid in enumerate(order, start=1)]
    body = (f"<h1>Paper quiz: {escape(module_label(module))}</h1>"
            "<p class='meta'>For anyone without a device, or when the network is down. Name (optional): "
            "__________________</p>" + "".join(p[0] for p in parts)
            + f"<section class='key'><h1>Answer key: module {module.number:02d}</h1><ol>"
            + "".join(p[1] for p in parts) + "</ol></section>")
    return print_page(f"Paper quiz {module.number:02d}", body,
                      css=MATERIALS_CSS + markup_css("body") + "img.figure { max-width: 100%; max-height: 9cm; }")


# -- role cards, glossary, evaluation ----------------------------------------------------------------
def role_cards_html() -> str:
    """Three cards per role-play (buyer, producer leader, observer with the checklist), then the steps."""
    data = load_activity("role_cards.yaml")
    steps = "<ol>" + "".join(f"<li>{escape(s)}</li>" for s in data["steps"]) + "</ol>"
    checklist = "".join(f"<p><strong>{escape(q)}</strong></p><div class='line'></div><div class='line'></div>"
                        for q in data["checklist"])
    cards = []
    for card in data["cards"]:
        when = f"Module {card['module']:02d}. In threes, about {data['minutes']} minutes."
        for role, text in (("Buyer (social enterprise)", card["buyer"]), ("Producer leader", card["leader"])):
            cards.append(f"<div class='card'><h2>Card {card['number']} · {escape(card['title'])} · {escape(role)}</h2>"
                         f"<p class='meta'>{escape(when)} Read only your own card.</p>"
                         f"<p>{escape(text)}</p><p><strong>Aim:</strong> {escape(card['aim'])}</p></div>")
        cards.append(f"<div class='card'><h2>Card {card['number']} · {escape(card['title'])} · Observer</h2>"
                     f"<p class='meta'>{escape(when)} Watch both rounds, then show the pair what you wrote.</p>"
                     f"<p>{escape(card['watch'])}</p>{checklist}</div>")
    body = ("<h1>Role-play cards</h1><p class='meta'>Cut along the dashed lines. In each three, one person takes the "
            "buyer's card, one the producer leader's, and one the observer's. Everything on the cards is made up: use "
            "no real artisan's name.</p><h2>The steps</h2>" + steps
            + "<p class='meta'>The observer's questions are also the questions for the debrief with the whole room.</p>"
            + "".join(cards))
    return print_page("Role-play cards", body, css=MATERIALS_CSS)


def glossary_html() -> str:
    from ..content.activities import glossary_terms
    terms = glossary_terms()
    body = ("<h1>Words this course uses</h1><dl class='glossary'>"
            + "".join(f"<dt>{escape(t['term'])}"
                      + (f" · <span lang='lo'>{escape(t['lao'])}</span>" if t["lao"] else "")
                      + f" <span class='meta'>(module {t['module']:02d})</span></dt>"
                      f"<dd>{escape(t['meaning'])}</dd>" for t in terms) + "</dl>")
    return print_page("Glossary", body, css=MATERIALS_CSS)


def evaluation_paper_html() -> str:
    data = load_activity("evaluation.yaml")
    scale = "".join(f"<span class='box'></span>{escape(s)} &nbsp; " for s in data["scale"])
    rows = "".join(f"<div class='question'><p><strong>{i}.</strong> {escape(r['text'])}</p><p>{scale}</p></div>"
                   for i, r in enumerate(data["ratings"], start=1))
    n = len(data["ratings"]) + 1
    pace = "".join(f"<span class='box'></span>{escape(o)} &nbsp; " for o in data["pace"]["options"])
    rows += f"<div class='question'><p><strong>{n}.</strong> {escape(data['pace']['text'])}</p><p>{pace}</p></div>"
    rows += "".join(f"<div class='question'><p><strong>{n + i}.</strong> {escape(c['text'])}</p>"
                    "<div class='line'></div><div class='line'></div></div>"
                    for i, c in enumerate(data["comments"], start=1))
    body = (f"<h1>End-of-day evaluation</h1><p>{escape(data['intro'])}</p><p class='meta'>{escape(data['privacy'])} "
            "No name needed.</p>" + rows)
    return print_page("Evaluation", body, css=MATERIALS_CSS)


# -- all of it ---------------------------------------------------------------------------------------
def write_materials(folder: Path) -> list[Path]:
    """Write every printable page into ``folder`` (created if needed) and an index linking them. Returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    pages: list[tuple[str, str, str]] = []
    for module in load_course_map().ready_modules():
        pages.append((f"run-sheet-{module.number:02d}.html", f"Run sheet: {module_label(module)}",
                      run_sheet_html(module)))
        if load_bank(module.id):
            pages.append((f"paper-quiz-{module.number:02d}.html", f"Paper quiz and answer key: {module_label(module)}",
                          paper_quiz_html(module)))
    pages += [("role-cards.html", "Role-play cards", role_cards_html()),
              ("glossary.html", "Words this course uses (glossary)", glossary_html()),
              ("evaluation.html", "End-of-day evaluation (paper)", evaluation_paper_html())]
    written = []
    for name, _, html in pages:
        path = folder / name
        path.write_text(html, encoding="utf-8")
        written.append(path)
    links = "".join(f"<li><a href='{escape(name)}'>{escape(label)}</a></li>" for name, label, _ in pages)
    index = folder / "index.html"
    index.write_text(print_page("Printed materials", "<h1>Printed materials</h1><p>Open a page and print it "
                                "(Ctrl+P). Each is made from the course's own files.</p><ul>" + links + "</ul>",
                                css=MATERIALS_CSS), encoding="utf-8")
    return [index, *written]
