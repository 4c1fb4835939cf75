"""Front-end assets the slide server serves itself: reveal.js and the Lao font (Noto Sans Lao), from npm.

They are installed once, with internet, by ``artisan-course setup`` (``make``
runs it). After that the decks need no network at all.
"""
from __future__ import annotations

import json
import shutil
import subprocess

from .. import paths

REQUIRED = ("reveal.css", "reveal.js", "plugin/notes.js")


class AssetsMissing(RuntimeError):
    pass


def installed_reveal_version() -> str | None:
    manifest = paths.reveal_dist().parent / "package.json"
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None


def installed_lao_font_version() -> str | None:
    try:
        return json.loads((paths.lao_font_package() / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None


def missing_assets() -> list[str]:
    """Sentences naming each front-end file the decks need but cannot find."""
    dist = paths.reveal_dist()
    problems = [f"reveal.js file {dist / name} is missing." for name in REQUIRED if not (dist / name).is_file()]
    version = installed_reveal_version()
    if not problems and version != paths.REVEAL_VERSION:
        problems.append(f"reveal.js {version} is installed, but the deck template is written for "
                        f"{paths.REVEAL_VERSION}.")
    font = paths.lao_font_package()
    fonts = [f"The Lao font file {font / 'files' / name} is missing." for name in paths.LAO_FONT_FILES
             if not (font / "files" / name).is_file()]
    if not fonts and installed_lao_font_version() != paths.LAO_FONT_VERSION:
        fonts.append(f"The Lao font {installed_lao_font_version()} is installed, but the course expects "
                     f"{paths.LAO_FONT_VERSION}.")
    problems += fonts
    template = paths.TEMPLATE_DIR
    for name in ("index.html.j2", "conf.json", "static/course-theme.css", "static/course-deck.js"):
        if not (template / name).is_file():
            problems.append(f"The course's slide template file {template / name} is missing.")
    return problems


def install_assets(quiet: bool = True) -> None:
    """Install reveal.js and the Lao font with npm into the course folder's node_modules/."""
    if not missing_assets():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsMissing(
            "The slides need reveal.js and the Lao font, which are installed with npm, and npm was not found. "
            "Install Node.js (with conda: `conda install nodejs`), then run `artisan-course setup` once while online."
        )
    command = [npm, "install", "--no-audit", "--no-fund", "--no-package-lock", "--omit=dev"]
    if quiet:
        command.append("--silent")
    result = subprocess.run(command, cwd=paths.course_root(), capture_output=quiet, text=True)
    if result.returncode != 0 or missing_assets():
        detail = (result.stderr or "").strip().splitlines()[-1:] if quiet else []
        raise AssetsMissing(
            "Installing reveal.js and the Lao font with npm failed"
            + (f" ({detail[0]})" if detail else "")
            + ". Run `artisan-course setup` again while connected to the internet."
        )
