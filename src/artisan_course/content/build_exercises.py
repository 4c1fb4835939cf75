"""Generate ``exercises/`` from ``solutions/``: the solutions are the single source.

In a solution notebook, answers sit between marker lines in code cells:

    my_shares = None
    ### BEGIN SOLUTION
    my_shares = group["pieces"] / group["pieces"].sum() * 1000
    ### END SOLUTION
    check_piece_shares(my_shares)

The exercise keeps everything outside the markers and puts one line in their
place: "# Your answer here". Markdown cells tagged "solution" (worked answers
in prose) are dropped. Outputs are stripped. Nobody edits exercises/ by hand;
a test fails if exercises/ differs from what this module makes.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

BEGIN = re.compile(r"^(\s*)### BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*### END SOLUTION\s*$")


class SolutionMarkerError(ValueError):
    pass


def strip_solution(source: str, where: str) -> str:
    out, inside = [], False
    for number, line in enumerate(source.splitlines(), start=1):
        begin = BEGIN.match(line)
        if begin:
            if inside:
                raise SolutionMarkerError(f"{where}, line {number}: BEGIN SOLUTION inside another solution.")
            inside = True
            out.append(f"{begin.group(1)}# Your answer here")
        elif END.match(line):
            if not inside:
                raise SolutionMarkerError(f"{where}, line {number}: END SOLUTION without a BEGIN SOLUTION.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise SolutionMarkerError(f"{where}: a BEGIN SOLUTION is never ended.")
    return "\n".join(out)


def exercise_from_solution(notebook: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    exercise = nbformat.v4.new_notebook(metadata=notebook.metadata)
    for index, cell in enumerate(notebook.cells):
        if "solution" in cell.metadata.get("tags", []):
            continue
        copy = nbformat.from_dict(dict(cell))
        if copy.cell_type == "code":
            copy.source = strip_solution(copy.source, f"{name} cell {index + 1}")
            copy.outputs, copy.execution_count = [], None
        exercise.cells.append(copy)
    return exercise


def exercise_name(solution: Path) -> str:
    return solution.name.replace("-solution.ipynb", ".ipynb")


def build(solutions: Path, exercises: Path) -> list[Path]:
    exercises.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(solutions.glob("*-solution.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        target = exercises / exercise_name(path)
        nbformat.write(exercise_from_solution(notebook, path.name), target)
        written.append(target)
    return written
