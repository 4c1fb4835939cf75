"""The package's layers, read from its imports: every arrow points down, and each module says what it holds."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "artisan_course"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))

# What each layer may import from the course itself (besides ``text``, ``paths``, ``limits`` and ``i18n``, the words
# in the reader's language, which anyone may; i18n imports nothing of the course).
ALLOWED = {
    "models": {"models"},
    "content": {"content", "models"},
    "state": {"state", "content", "models"},
    "documents": {"documents", "state", "content", "models"},
    "widgets": {"widgets", "documents", "state", "content", "models"},
    "serving": {"serving", "state", "content", "documents"},
    "packaging": {"packaging"},
}
BASE = {"text", "paths", "limits", "i18n"}
NO_WIDGETS = {"ipywidgets", "IPython", "anywidget", "matplotlib"}


def layer(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def imports(path: Path) -> list[tuple[str, int]]:
    """(imported module, line) for every import, relative ones resolved inside artisan_course."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = ["artisan_course", *path.relative_to(PACKAGE).with_suffix("").parts]
    package = here if path.name == "__init__.py" else here[:-1]
    if path.name == "__init__.py":
        package = here[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
                if not node.module:  # from .. import paths
                    found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
                    continue
            else:
                module = node.module
            found.append((module, node.lineno))
    return found


def course_layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "artisan_course" and len(parts) > 1 else None


def test_every_arrow_between_layers_points_down():
    wrong = []
    for path in MODULES:
        own = layer(path)
        if own not in ALLOWED:
            continue
        for module, line in imports(path):
            target = course_layer(module)
            if target and target not in ALLOWED[own] | BASE:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({own}) imports {module}")
    assert wrong == []


def test_models_are_pure():
    """Models import no widgets, IPython, store or files, and open nothing: inputs in, numbers and sentences out."""
    banned = NO_WIDGETS | {"sqlite3", "PIL", "nbformat", "yaml", "jsonschema", "csv", "pathlib", "os", "io"}
    wrong = []
    for path in (PACKAGE / "models").rglob("*.py"):
        for module, line in imports(path):
            top = module.split(".")[0]
            if top in banned or course_layer(module) in {"paths"}:
                wrong.append(f"{path.name}:{line} imports {module}")
        text = path.read_text(encoding="utf-8")
        for call in ("open(", ".read_text(", ".write_text(", ".read_bytes("):
            if call in text:
                wrong.append(f"{path.name} calls {call}")
    assert wrong == []


def test_only_the_store_knows_it_is_sqlite():
    users = sorted(str(p.relative_to(PACKAGE)) for p in MODULES if any(m == "sqlite3" for m, _ in imports(p)))
    assert users == ["state/store.py"]


def test_the_slide_server_and_the_command_line_load_no_widgets():
    wrong = [f"{p.relative_to(PACKAGE)}:{line} imports {m}" for p in MODULES
             if layer(p) in {"serving", "cli"} for m, line in imports(p) if m.split(".")[0] in NO_WIDGETS
             or course_layer(m) == "widgets"]
    assert wrong == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_says_in_one_line_what_it_holds(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, f"{path.relative_to(PACKAGE)} has no docstring"
    first = docstring.splitlines()[0]
    assert len(first) <= 120 and first.endswith((".", ":")), f"first line: {first!r}"
