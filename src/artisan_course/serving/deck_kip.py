"""Kip in the slides: a preprocessor Voilà runs on each deck, adding the kip after every USD amount in its Markdown.

The notebooks write each price once, in USD, as the workshop deck does; the slide server shows it with its kip at
the rate of data/currency.yaml ("10 USD (about 215,000 kip)"), in the slides and in the speaker notes alike, so
nobody writes a number twice and a new rate reaches every slide. Code cells are left alone: the simulators show
their own prices through ``text.money``.
"""
from __future__ import annotations

from nbconvert.preprocessors import Preprocessor

from ..content.currency import kip_setting
from ..content.reader import ContentError
from ..text import with_kip

# The name Voilà's exporter is given (``VoilaExporter.preprocessors``, set by server.CourseVoila).
NAME = f"{__name__}.KipInMarkdown"


class KipInMarkdown(Preprocessor):
    """Every Markdown cell's USD amounts followed by their kip; nothing else changes."""

    def preprocess(self, nb, resources):
        try:
            local = kip_setting()
        except ContentError as exc:  # a broken rate must not stop the deck: prices show in USD, the log says why
            self.log.warning("Prices are shown without kip: %s", exc)
            local = None
        if local is not None:
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = with_kip(cell.source, local)
        return nb, resources
