"""Kernel-free renderings of a deck, for the speaker view's preview frames.

reveal's speaker view loads the deck twice more (current and next slide). If
those frames loaded the live Voilà page, each would start a kernel and re-run
every cell, polls and reflections included. They load this rendering instead.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

from .. import paths

TEMPLATES = paths.JUPYTER_DATA_DIR / "nbconvert" / "templates"


@lru_cache(maxsize=32)
def _render(path: str, mtime: float, base_url: str) -> str:
    exporter = SlidesExporter(
        template_name="artisan-preview",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_output=True,
    )
    notebook = nbformat.read(path, as_version=4)
    body, _ = exporter.from_notebook_node(notebook, resources={"course_base_url": base_url})
    return body


def render_preview(path: Path, base_url: str = "/") -> str:
    return _render(str(path), path.stat().st_mtime, base_url)
