"""The prose passes a dictionary spell checker (pyspellchecker), with a word list of names and field terms only."""
import json
import re
from pathlib import Path

import yaml
from spellchecker import SpellChecker

REPO = Path(__file__).resolve().parents[1]
# Fields that hold identifiers, not prose.
NOT_PROSE = {"id", "key", "type", "seed_section", "module", "category", "style", "follett", "answer", "answers", "part",
             "notebook", "status", "scale", "file", "review"}
# Hyphen prefixes that are not words on their own ("pre-payment", "co-operative").
PREFIXES = {"pre", "co", "re", "non", "multi", "self"}
# The course writes British English; the dictionary is American. Accept a word whose American form is known.
BRITISH = [("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize"), ("ises", "izes"),
           ("our", "or"), ("ours", "ors"), ("ouring", "oring"), ("oured", "ored"), ("iour", "ior")]


def prose() -> list[tuple[str, str]]:
    texts = []
    for folder in ("notebooks", "exercises", "solutions"):
        for path in sorted((REPO / folder).glob("*.ipynb")):
            for cell in json.loads(path.read_text())["cells"]:
                if cell["cell_type"] == "markdown":
                    texts.append((f"{folder}/{path.name}", "".join(cell["source"])))

    def walk(where, node):
        if isinstance(node, str):
            texts.append((where, node))
        elif isinstance(node, dict):
            for key, value in node.items():
                if key not in NOT_PROSE:
                    walk(where, value)
        elif isinstance(node, list):
            for value in node:
                walk(where, value)

    for path in sorted((REPO / "data").rglob("*.yaml")):
        walk(str(path.relative_to(REPO)), yaml.safe_load(path.read_text()))
    return texts


def words(text: str):
    text = re.sub(r"`[^`]*`|<[^>]+>|https?://\S+", " ", text)
    for word in re.findall(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]", text):
        word = word.replace("’", "'")
        yield word[:-2] if word.endswith("'s") else word


def test_the_course_prose_is_spelled_correctly():
    spell = SpellChecker()
    allowed = {w.strip().lower() for w in (REPO / "data" / "wordlist.txt").read_text().splitlines()
               if w.strip() and not w.startswith("#")}

    def known(word: str) -> bool:
        lower = word.lower()
        if lower in allowed or lower in PREFIXES or not spell.unknown([lower]):
            return True
        return any(lower.endswith(gb) and not spell.unknown([lower[: -len(gb)] + us]) for gb, us in BRITISH)

    problems = sorted({(where, w) for where, text in prose() for w in words(text) if not known(w)})
    assert problems == [], "unknown words (fix the spelling, or add a proper name or field term to data/wordlist.txt)"


def test_the_word_list_holds_no_ordinary_words():
    spell = SpellChecker()
    listed = [w.strip() for w in (REPO / "data" / "wordlist.txt").read_text().splitlines() if w.strip()
              and not w.startswith("#")]
    assert [w for w in listed if not spell.unknown([w.lower()])] == []
