"""Kernel-free renderings of a deck, for the speaker view's preview frames.

reveal's speaker view loads the deck twice more (current and next slide). If
those frames loaded the live Voilà page, each would start a kernel and re-run
every cell, polls and reflections included. They load this rendering instead.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

from .. import paths
from ..content.currency import setting_mtime
from .deck_kip import KipInMarkdown

TEMPLATES = paths.JUPYTER_DATA_DIR / "nbconvert" / "templates"


def _deck_reveal() -> dict:
    """The live deck's reveal settings (its template's conf.json), so the preview's slides line up."""
    conf = json.loads((paths.TEMPLATE_DIR / "conf.json").read_text(encoding="utf-8"))
    return conf["traitlet_configuration"]["resources"]["reveal"]


@lru_cache(maxsize=32)
def _render(path: str, mtime: float, base_url: str, kip_mtime: float = 0.0) -> str:
    deck = _deck_reveal()
    exporter = SlidesExporter(
        template_name="artisan-preview",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_output=True,
        # reveal.js as the course serves it (server.py), not from unpkg; no transition in a preview.
        reveal_url_prefix=f"{base_url}course/reveal",
        reveal_transition="none",
        reveal_number=str(deck["number"]),
        reveal_width=str(deck["width"]),
        reveal_height=str(deck["height"]),
    )
    exporter.register_preprocessor(KipInMarkdown, enabled=True)  # the prices as the live deck shows them
    notebook = nbformat.read(path, as_version=4)
    body, _ = exporter.from_notebook_node(notebook, resources={"course_base_url": base_url})
    return body


def render_preview(path: Path, base_url: str = "/") -> str:
    return _render(str(path), path.stat().st_mtime, base_url, setting_mtime())
