"""How much of a folder of jupyterquiz banks `import-quiz` keeps: questions that import and load, per file and in all.

Run:  .venv/bin/python benchmarks/import_banks.py FOLDER [--module ID] [--reasons]

Every .json file under FOLDER (and every notebook with questions hidden in it) is converted as
`artisan-course import-quiz` converts it, written as a bank and loaded by the course's own loader (the schema,
the checks and the maths). A question counts when it is written and the bank loads with it. The table lists
every file; the lines after it name each question left out, with the reason the command prints. The banks
themselves are never copied into this repository.
"""
from __future__ import annotations

import argparse
import collections
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from artisan_course.content.course_map import load_course_map  # noqa: E402
from artisan_course.content.jupyterquiz import ImportProblem, convert, read_source, to_yaml  # noqa: E402
from artisan_course.content.quiz_bank import QuizBankError, parse_bank  # noqa: E402


def measure(folder: Path, module: str):
    course = load_course_map()
    seed = next(m for m in course.modules if m.id == module).seed_sections[0]
    rows, left_out, notes = [], [], collections.Counter()
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".json", ".ipynb") and p.is_file())
    with tempfile.TemporaryDirectory() as scratch:
        for path in files:
            name = str(path.relative_to(folder))
            try:
                source = read_source(path)
            except (ImportProblem, ValueError, UnicodeDecodeError):
                continue  # not a bank (a notebook without questions, a flashcard deck)
            result = convert(source, module, seed)
            loaded = 0
            if result.questions:
                bank = Path(scratch) / f"{module}.yaml"
                bank.write_text(to_yaml(module, result.questions, path.name), encoding="utf-8")
                try:
                    loaded = len(parse_bank(bank, course.seed_map))
                except QuizBankError as error:
                    left_out.append((name, "*", f"the bank does not load: {error}"))
            polls = sum(q["type"] == "poll" for q in result.questions)
            rows.append((name, len(source), loaded, polls))
            left_out += [(name, str(number), reason) for number, reason in result.skipped]
            for _, note in result.notes:
                notes[re.sub(r"answer \w+'s|answer \w+|answers [\w, ]+|\(.*?\)", "…", note)] += 1
    return rows, left_out, notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--module", default="contingency-why", help="the course module the banks are imported into")
    parser.add_argument("--notes", action="store_true", help="also count the notes import-quiz prints, by kind")
    args = parser.parse_args()
    rows, left_out, notes = measure(args.folder, args.module)
    width = max([len(r[0]) for r in rows] + [4])
    print(f"| {'file':<{width}} | questions | kept and loaded | as polls |")
    print(f"|{'-' * (width + 2)}|----------:|----------------:|---------:|")
    for name, total, loaded, polls in rows:
        print(f"| {name:<{width}} | {total:>9} | {loaded:>15} | {polls:>8} |")
    total = sum(r[1] for r in rows)
    loaded = sum(r[2] for r in rows)
    empty = sum(1 for r in rows if r[1] and not r[2])
    polls = sum(r[3] for r in rows)
    print(f"| {'all ' + str(len(rows)) + ' files':<{width}} | {total:>9} | {loaded:>15} | {polls:>8} |")
    print()
    print(f"{loaded} of {total} questions kept and loaded ({loaded / max(total, 1):.1%}); "
          f"{empty} file(s) gave nothing.")
    for name, number, reason in left_out:
        print(f"left out  {name} question {number}: {reason}")
    if args.notes:
        print()
        for note, count in notes.most_common():
            print(f"{count:>4}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
