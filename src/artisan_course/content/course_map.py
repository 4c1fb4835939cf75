"""The course map: ``data/course_map.yaml`` lists the modules in reading order.

The CLI, the landing page, the notebook headers, navigation and the tests all
read this one file through :func:`load_course_map`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


from .. import paths
from .reader import ContentError, jsonschema_module, read_checked_yaml, read_yaml  # noqa: F401 (re-exported)


SCHEMA = {
    "type": "object",
    "required": ["title", "seed_map", "modules"],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "credit": {"type": "string"},
        "seed_map": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string", "minLength": 1}},
        "modules": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "title", "notebook", "minutes", "objectives", "seed_sections", "status"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                    "title": {"type": "string", "minLength": 1},
                    "notebook": {"type": "string", "pattern": r"^[0-9]{2}-[a-z0-9-]+\.ipynb$"},
                    "minutes": {"type": "integer", "minimum": 1, "maximum": 600},
                    "objectives": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    "seed_sections": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    # "planned" modules are shown on the map as coming soon and
                    # need no notebook yet; "ready" ones must have one.
                    "status": {"enum": ["ready", "planned"]},
                },
            },
        },
    },
}


class CourseMapError(ContentError):
    """A problem in the course map, phrased for the person who edits it."""


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    notebook: str
    minutes: int
    objectives: tuple[str, ...]
    seed_sections: tuple[str, ...]
    status: str
    number: int = 0

    @property
    def ready(self) -> bool:
        return self.status == "ready"


@dataclass(frozen=True)
class CourseMap:
    title: str
    credit: str
    seed_map: tuple[str, ...] = field(default_factory=tuple)
    modules: tuple[Module, ...] = field(default_factory=tuple)
    path: Path | None = None

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        known = ", ".join(m.id for m in self.modules)
        raise CourseMapError(f"No module called '{module_id}' in the course map. Known modules: {known}.")

    def ready_modules(self) -> list[Module]:
        return [m for m in self.modules if m.ready]

    def neighbours(self, module_id: str) -> tuple[Module | None, Module | None]:
        """The ready modules before and after ``module_id`` in reading order."""
        ready = self.ready_modules()
        ids = [m.id for m in ready]
        i = ids.index(self.module(module_id).id) if module_id in ids else -1
        if i < 0:
            return None, None
        before = ready[i - 1] if i > 0 else None
        after = ready[i + 1] if i + 1 < len(ready) else None
        return before, after


def _describe(error, raw: dict) -> str:
    where = list(error.absolute_path)
    if len(where) >= 2 and where[0] == "modules":
        item = raw["modules"][where[1]]
        label = item.get("id", f"number {where[1] + 1}") if isinstance(item, dict) else f"number {where[1] + 1}"
        field_name = f" field '{where[2]}'" if len(where) > 2 else ""
        return f"module '{label}'{field_name}: {error.message}"
    return error.message


def parse_course_map(path: Path, lang: str = "en") -> CourseMap:
    """Read and validate one course map file. Errors name the file and the module. The titles, objectives and credit
    are in ``lang`` where its catalog has them (i18n.content); ids, notebooks and seed sections never change."""
    raw = read_yaml(path, CourseMapError, "course map")
    if not isinstance(raw, dict):
        raise CourseMapError(f"{path}: expected a 'title' and a list of 'modules'.")
    validator = jsonschema_module().Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        raise CourseMapError(f"{path}: {_describe(errors[0], raw)}")
    if lang != "en":
        from ..i18n.content import translate_data
        raw = translate_data(path.stem, raw, lang)
    seen: set[str] = set()
    modules = []
    for number, item in enumerate(raw["modules"]):
        if item["id"] in seen:
            raise CourseMapError(f"{path}: module '{item['id']}' appears twice.")
        seen.add(item["id"])
        unknown = [s for s in item["seed_sections"] if s not in raw["seed_map"]]
        if unknown:
            raise CourseMapError(f"{path}: module '{item['id']}' names seed section '{unknown[0]}', which is not "
                                 "in seed_map.")
        modules.append(
            Module(
                id=item["id"],
                title=item["title"],
                notebook=item["notebook"],
                minutes=item["minutes"],
                objectives=tuple(item["objectives"]),
                seed_sections=tuple(item["seed_sections"]),
                status=item["status"],
                number=number,
            )
        )
    return CourseMap(title=raw["title"], credit=raw.get("credit", ""), seed_map=tuple(raw["seed_map"]),
                     modules=tuple(modules), path=path)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float, lang: str = "en", catalog_mtime: float = 0.0) -> CourseMap:
    return parse_course_map(Path(path), lang)


def load_course_map(path: Path | None = None) -> CourseMap:
    path = path or paths.data_dir() / "course_map.yaml"
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        raise CourseMapError(f"{path}: the course map file is missing.") from None
    from ..i18n import language
    from ..i18n.content import catalog_mtime
    lang = language()
    return _cached(str(path), mtime, lang, catalog_mtime(path.stem, lang))


def missing_notebooks(course: CourseMap, notebooks: Path | None = None) -> list[str]:
    """Sentences naming each ready module whose notebook file is absent."""
    notebooks = notebooks or paths.notebooks_dir()
    return [
        f"The course map names notebooks/{m.notebook} for module '{m.id}', but that file does not exist."
        for m in course.ready_modules()
        if not (notebooks / m.notebook).is_file()
    ]


# -- the deck's Pillar 4: which module teaches each tactic ------------------------------------------------------
TACTICS_SCHEMA = {
    "type": "object", "required": ["pillar", "source", "tactics"], "additionalProperties": False,
    "properties": {
        "pillar": {"type": "string", "minLength": 1},
        "source": {"type": "string", "minLength": 1},
        "tactics": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["name", "module"], "additionalProperties": False,
            "properties": {"name": {"type": "string", "minLength": 1}, "module": {"type": "string", "minLength": 1}}}},
    },
}


@dataclass(frozen=True)
class Tactics:
    pillar: str
    source: str
    tactics: tuple[tuple[str, str], ...]  # (name, module id), in the deck's order

    def taught_in(self, module_id: str) -> list[str]:
        return [name for name, module in self.tactics if module == module_id]


@lru_cache(maxsize=4)
def _tactics(path: str, mtime: float, modules: tuple[str, ...], lang: str = "en",
             catalog_mtime: float = 0.0) -> Tactics:
    data = read_checked_yaml(Path(path), TACTICS_SCHEMA, CourseMapError, "tactics")
    for item in data["tactics"]:
        if item["module"] not in modules:
            raise CourseMapError(f"{path}: the tactic '{item['name']}' names the module '{item['module']}', which is "
                                 "not in the course map.")
    if lang != "en":
        from ..i18n.content import translate_data
        data = translate_data(Path(path).stem, data, lang)
    return Tactics(data["pillar"], data["source"], tuple((t["name"], t["module"]) for t in data["tactics"]))


def load_tactics(path: Path | None = None) -> Tactics:
    """data/pillar_tactics.yaml: the deck's Pillar 4 tactics and the module that teaches each one, in the language
    this process speaks where its catalog has them (i18n.content; the modules' ids and the source never change)."""
    from ..i18n import language
    from ..i18n.content import catalog_mtime
    path = path or paths.data_dir() / "pillar_tactics.yaml"
    if not path.is_file():
        raise CourseMapError(f"{path}: the file is missing.")
    modules = tuple(m.id for m in load_course_map().modules)
    lang = language()
    return _tactics(str(path), path.stat().st_mtime, modules, lang, catalog_mtime(path.stem, lang))
