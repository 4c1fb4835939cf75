"""Choices whose options carry maths: radio buttons or checkboxes with the option's maths drawn, not spelt out.

ipywidgets shows a radio button's or a checkbox's label as plain text, so ``P(A \\mid B)`` could only be written
out in letters. :class:`Choices` shows each option's HTML (made by ``content.quiz_markup.to_html``: every text
escaped, maths as MathML) beside a real radio button or checkbox (``frontend/choices.js``). The quiz uses it only
for a question whose options have maths; every other question keeps ipywidgets' own controls.
"""
from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

FRONTEND = Path(__file__).parent / "frontend"


class Choices(anywidget.AnyWidget):
    _esm = FRONTEND / "choices.js"

    options = traitlets.List(traitlets.Dict()).tag(sync=True)  # [{key, html}], in the order shown
    multiple = traitlets.Bool(False).tag(sync=True)            # checkboxes (select all that apply) or radio buttons
    label = traitlets.Unicode("").tag(sync=True)               # what a screen reader says for the group
    value = traitlets.Unicode(None, allow_none=True).tag(sync=True)  # the chosen key (radio buttons)
    values = traitlets.List(traitlets.Unicode()).tag(sync=True)      # the ticked keys (checkboxes)
    disabled = traitlets.Bool(False).tag(sync=True)
