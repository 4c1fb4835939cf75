"""Files the learner takes away: browser downloads, and a copy on this computer.

A download is a ``data:`` link inside an HTML widget. It needs no server route,
so it works the same in JupyterLab, in the Voilà slides on the facilitator's
laptop, and on a trainee's phone on the workshop network.

When the course runs on the learner's own computer (JupyterLab, or slides
served only to localhost), each file is also written to
``<store home>/documents/<learner>/``, so nothing depends on the browser's
download folder.
"""
from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..i18n import _
from ..state.learner import in_voila, unique_file_stem
from ..text import escape

SERVED_HOST_ENV = "ARTISAN_COURSE_SERVED_HOST"  # set by `artisan-course slides` for its kernels
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Download:
    name: str    # the file name offered to the browser, for example "order-agreement.html"
    mime: str    # for example "text/html", "text/csv", "text/calendar"
    content: bytes | str
    label: str   # the link text

    def data(self) -> bytes:
        return self.content.encode("utf-8") if isinstance(self.content, str) else self.content


def runs_locally() -> bool:
    """True when the person at the browser is at this computer."""
    if not in_voila():
        return True
    return os.environ.get(SERVED_HOST_ENV, "127.0.0.1") in LOCAL_HOSTS


def documents_dir(learner_name: str) -> Path:
    return paths.store_home() / "documents" / unique_file_stem(learner_name)


def link_html(item: Download) -> str:
    charset = ";charset=utf-8" if item.mime.startswith("text/") else ""
    data = base64.b64encode(item.data()).decode("ascii")
    return (f"<a class='course-download' download='{escape(item.name)}' "
            f"href='data:{item.mime}{charset};base64,{data}'>{escape(item.label)}</a>")


def save_copies(items: list[Download], learner_name: str | None) -> list[Path]:
    """Write the files to the learner's documents folder when running locally. Returns the paths written."""
    if learner_name is None or not runs_locally():
        return []
    folder = documents_dir(learner_name)
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for item in items:
            target = folder / Path(item.name).name
            partial = target.with_suffix(target.suffix + ".partial")
            partial.write_bytes(item.data())
            partial.replace(target)
            written.append(target)
    except OSError:
        return written
    return written


def offer_html(items: list[Download], learner_name: str | None = None) -> str:
    """The links, and where local copies were saved. Put the result in a ``widgets.HTML``."""
    links = " · ".join(link_html(item) for item in items)
    saved = save_copies(items, learner_name)
    if saved:
        where = escape(_("Also saved on this computer in {folder}.")).replace(
            "{folder}", f"<code>{escape(saved[0].parent)}</code>")
        links += f"<p class='course-small'>{where}</p>"
    return links
