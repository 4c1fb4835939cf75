"""What each module's notebook asks of a learner, read from its code cells: its reflections and the tools it shows."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache

import nbformat

from .. import paths
from .course_map import Module


@dataclass(frozen=True)
class Prompt:
    item: str
    text: str


@lru_cache(maxsize=64)
def _notebook_calls(path: str, mtime: float) -> tuple[tuple[str, tuple], ...]:
    """(function name, literal arguments) of every top-level call in a notebook's code cells."""
    calls = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                args = tuple(a.value for a in node.args if isinstance(a, ast.Constant))
                calls.append((node.func.id, args))
    return tuple(calls)


def module_calls(module: Module, name: str) -> list[tuple]:
    path = paths.notebooks_dir() / module.notebook
    if not path.is_file():
        return []
    return [args for func, args in _notebook_calls(str(path), path.stat().st_mtime) if func == name]


def module_prompts(module: Module) -> list[Prompt]:
    """The reflections a module asks for, read from its notebook: ``reflect("id", "prompt", ...)``."""
    return [Prompt(args[0], args[1] if len(args) > 1 else args[0]) for args in module_calls(module, "reflect") if args]
