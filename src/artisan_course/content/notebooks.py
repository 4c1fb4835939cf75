"""What each module's notebook asks of a learner, read from its code cells: its reflections and the tools it shows."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nbformat

from .. import paths
from .course_map import Module


@dataclass(frozen=True)
class Prompt:
    item: str
    text: str


def _cell_calls(source: str) -> list[ast.Call]:
    """Every call of a plain name in a code cell (none when the cell does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)]


@lru_cache(maxsize=64)
def _notebook_calls(path: str, mtime: float) -> tuple[tuple[str, tuple], ...]:
    """(function name, literal arguments) of every top-level call in a notebook's code cells."""
    calls = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in _cell_calls(cell.source):
            calls.append((node.func.id, tuple(a.value for a in node.args if isinstance(a, ast.Constant))))
    return tuple(calls)


def module_calls(module: Module, name: str) -> list[tuple]:
    path = paths.notebooks_dir() / module.notebook
    if not path.is_file():
        return []
    return [args for func, args in _notebook_calls(str(path), path.stat().st_mtime) if func == name]


def module_prompts(module: Module) -> list[Prompt]:
    """The reflections a module asks for, read from its notebook: ``reflect("id", "prompt", ...)``; the question in
    the language this process speaks when the module's deck is translated into it (notebooks/<lang>/), the items
    being the same in every language."""
    from ..i18n import deck_path, language
    calls = module_calls(module, "reflect")
    translated = paths.notebooks_dir() / deck_path(module.notebook, language())
    if translated.name == module.notebook and translated.parent != paths.notebooks_dir() and translated.is_file():
        texts = {args[0]: args[1] for func, args in _notebook_calls(str(translated), translated.stat().st_mtime)
                 if func == "reflect" and len(args) > 1}
        calls = [(args[0], texts.get(args[0], args[1] if len(args) > 1 else args[0]), *args[2:]) if args else args
                 for args in calls]
    return [Prompt(args[0], args[1] if len(args) > 1 else args[0]) for args in calls if args]


def module_writing_prompts(module: Module) -> list[Prompt]:
    """Everything a module asks a learner to write: its reflections, then each role-play's observer checklist.

    The checklists are not needed to complete the module (only one trainee in three observes each role-play), so
    progress reads ``module_prompts``; the journal and the dashboard read this, to name what was written."""
    from .activities import observer_items, role_play_card
    prompts = module_prompts(module)
    for args in module_calls(module, "role_play"):
        if args:
            prompts += [Prompt(item, text) for item, text in observer_items(module.id, role_play_card(args[0]))]
    return prompts


def writing_prompt_module(item: str) -> str | None:
    """The id of the module whose notebook asks for ``item`` (a reflection or an observer's checklist), or None."""
    from .course_map import CourseMapError, load_course_map
    try:
        modules = load_course_map().modules
    except CourseMapError:
        return None
    for module in modules:
        if any(prompt.item == item for prompt in module_writing_prompts(module)):
            return module.id
    return None


# -- slides and speaker notes -------------------------------------------------------------------------
# Every speaker note starts "**Facilitator note:** Core slide. About N minutes." or "... Optional slide. ...".
# Core slides are the lesson: the half day and an interpreted day teach only those. Optional slides deepen it and
# are the first to skip when the room runs late. The run sheets, the guide's agendas and the tests read this.
NOTE_START = re.compile(r"^\*\*Facilitator note:\*\* (Core|Optional) slide\. About (\d+) minutes?\.\s*")


@dataclass(frozen=True)
class Slide:
    title: str
    core: bool
    minutes: int
    note: str                      # the note's advice, without its label and timing
    quiz_ids: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()    # the widgets the slide shows: "reflect", "show_anchoring_simulator", ...
    reflections: tuple[str, ...] = ()  # the items of its reflect("item", ...) prompts
    source: str = ""               # the slide's small print ("Source: ..."), as written


class NotesError(ValueError):
    """A speaker note that does not say whether its slide is core or optional, or how long it takes."""


def _title(cell) -> str:
    first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
    if cell.cell_type == "markdown":
        return first.lstrip("#").strip()
    return "Opening: the module header" if first.startswith("course_header") else first


@lru_cache(maxsize=32)
def _slides(path: str, mtime: float) -> tuple[Slide, ...]:
    slides: list[Slide] = []
    title, calls, small = "", [], ""
    for cell in nbformat.read(path, as_version=4).cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        if kind == "slide":
            title, calls, small = _title(cell), [], ""
        if cell.cell_type == "code":
            calls.extend(_cell_calls(cell.source))
        elif kind != "notes":
            found = re.search(r'<p class="course-small">(.*?)</p>', cell.source, flags=re.DOTALL)
            small = " ".join(found.group(1).split()) if found else small
        if kind == "notes":
            match = NOTE_START.match(cell.source)
            if not match:
                raise NotesError(f"{Path(path).name}: the note on '{title}' should start "
                                 "'**Facilitator note:** Core slide. About N minutes.' (or 'Optional slide.')")
            quiz_ids = tuple(q for node in calls if node.func.id == "quiz" for kw in node.keywords if kw.arg == "ids"
                             for q in ast.literal_eval(kw.value))
            tools = tuple(dict.fromkeys(node.func.id for node in calls
                                        if node.func.id not in {"quiz", "course_header"}))
            reflections = tuple(node.args[0].value for node in calls if node.func.id == "reflect" and node.args
                                and isinstance(node.args[0], ast.Constant))
            slides.append(Slide(title, match.group(1) == "Core", int(match.group(2)), cell.source[match.end():].strip(),
                                quiz_ids, tools, reflections, small))
    return tuple(slides)


def module_slides(module: Module) -> list[Slide]:
    """The slides of a module that have speaker notes, in order, each marked core or optional with its minutes."""
    path = paths.notebooks_dir() / module.notebook
    if not path.is_file():
        return []
    return list(_slides(str(path), path.stat().st_mtime))


def module_key_messages(module: Module) -> list[str]:
    """The bullets of a module's "## Summary" slide: its key messages, in plain text (markdown bold removed)."""
    path = paths.notebooks_dir() / module.notebook
    if not path.is_file():
        return []
    for cell in nbformat.read(str(path), as_version=4).cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## Summary"):
            return [re.sub(r"\*\*(.+?)\*\*", r"\1", line[2:].strip()) for line in cell.source.splitlines()
                    if line.startswith("- ")]
    return []
