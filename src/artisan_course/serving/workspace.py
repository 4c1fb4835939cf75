"""The trainee's working copy of the course, used by ``artisan-course lab``.

Trainees run and edit notebooks in their own folder, so their outputs never
dirty the course repository. Updating the course never overwrites their work:

- a file the trainee has not changed since it was copied is updated in place;
- a file the trainee has changed is kept, and the new course version is put
  beside it as ``<name> (course update).ipynb``;
- new course files are added.

A manifest in the working folder remembers the hash of each copied file.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths

MANIFEST = ".artisan-course-manifest.json"
COPIED_FOLDERS = ("notebooks", "exercises")


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    side_by_side: list[str] = field(default_factory=list)

    def sentences(self) -> list[str]:
        out = []
        if self.added:
            out.append(f"Added {len(self.added)} course file(s) to your working folder.")
        if self.updated:
            out.append(f"Updated {len(self.updated)} file(s) you had not changed.")
        for name in self.side_by_side:
            out.append(f"A newer course version of {name} is beside your copy, as '{_update_name(Path(name)).name}'. Your copy is unchanged.")
        return out


def default_work_dir() -> Path:
    return Path.home() / "artisan-course-work"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _update_name(path: Path) -> Path:
    return path.with_name(f"{path.stem} (course update){path.suffix}")


def sync_working_copy(work_dir: Path, source_root: Path | None = None) -> SyncReport:
    source_root = source_root or paths.course_root()
    work_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = work_dir / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    report = SyncReport()
    for folder in COPIED_FOLDERS:
        for source in sorted((source_root / folder).rglob("*")):
            if not source.is_file() or ".ipynb_checkpoints" in source.parts:
                continue
            relative = source.relative_to(source_root).as_posix()
            target = work_dir / relative
            new_hash = _digest(source)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                report.added.append(relative)
            elif manifest.get(relative) == new_hash:
                continue  # course unchanged since the last copy
            elif _digest(target) in (manifest.get(relative), new_hash):
                shutil.copy2(source, target)  # the trainee never edited it
                report.updated.append(relative)
            else:
                shutil.copy2(source, _update_name(target))
                report.side_by_side.append(relative)
                # Remember the trainee's version as the baseline so we do not
                # offer the same update again on every start.
                manifest[relative] = new_hash
                continue
            manifest[relative] = new_hash
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return report


LAB_SETTINGS = {
    # No "would you like to receive news?" pop-up, and no update checks online.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/apputils-extension/kernels-settings.jupyterlab-settings": {"commsOverSubshells": "disabled"},
}


def write_lab_settings(settings_dir: Path) -> None:
    for relative, values in LAB_SETTINGS.items():
        target = settings_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values, indent=1), encoding="utf-8")
