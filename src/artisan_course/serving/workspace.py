"""The trainee's working copy of the course, and the JupyterLab that ``artisan-course lab`` opens on it.

Trainees run and edit notebooks in their own folder, so their outputs never
dirty the course repository. Updating the course never overwrites their work:

- a file the trainee has not changed since it was copied is updated in place;
- a file the trainee has changed is kept, and the new course version is put
  beside it as ``<name> (course update).ipynb``;
- new course files are added.

A manifest in the working folder remembers the hash of each copied file. For a notebook the hash covers what a
trainee writes (each cell's type and text), not the outputs and counts that running it leaves, so a notebook that was
only run and saved still takes the course's updates.

The course's JupyterLab keeps its own settings and workspaces in the working folder, never the ones in
``~/.jupyter`` that every other JupyterLab on the computer shares, and each start opens on the course's first
notebook alone. A notebook just opened is not marked unsaved: its copy carries the language details this computer's
kernel reports (JupyterLab writes them into the notebook when a kernel starts, and marks it changed if they differ);
after a run, JupyterLab saves it within seconds, without the widgets' views, which mean nothing once the kernel has
stopped (a reopened exercise then looks as new, and its forms fill from the store when run).
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
SETTINGS_FOLDER = ".jupyter-lab-settings"
WORKSPACES_FOLDER = ".jupyter-lab-workspaces"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
AUTOSAVE_SECONDS = 5


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
            out.append(f"A newer course version of {name} is beside your copy, as '{_update_name(Path(name)).name}'. "
                       "Your copy is unchanged.")
        return out


def default_work_dir() -> Path:
    return Path.home() / "artisan-course-work"


def _update_name(path: Path) -> Path:
    return path.with_name(f"{path.stem} (course update){path.suffix}")


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cells_digest(path: Path) -> str | None:
    """The hash of what a trainee writes in a notebook, its cells' types and text; None if it cannot be read."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        written = [[cell["cell_type"], "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]]
                   for cell in cells]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return hashlib.sha256(json.dumps(written, ensure_ascii=False).encode("utf-8")).hexdigest()


def _entry(source: Path) -> str | dict:
    """What the manifest keeps for a copied file: its hash, and for a notebook also the hash of its cells."""
    file_hash = _file_digest(source)
    cells = _cells_digest(source) if source.suffix == ".ipynb" else None
    return {"file": file_hash, "cells": cells} if cells else file_hash


def _file_hash(entry) -> str | None:
    return entry.get("file") if isinstance(entry, dict) else entry  # a plain string: a manifest from before cells


def _same(target: Path, entry) -> bool:
    """True if ``target`` still holds what the course put there (as ``entry`` records), outputs and counts aside."""
    if entry is None:
        return False
    if _file_digest(target) == _file_hash(entry):
        return True
    cells = entry.get("cells") if isinstance(entry, dict) else None
    return cells is not None and _cells_digest(target) == cells


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
            entry = _entry(source)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
                report.added.append(relative)
            elif _file_hash(manifest.get(relative)) == _file_hash(entry):
                manifest[relative] = entry  # course unchanged since the last copy (an older entry gains its cells)
                continue
            elif _same(target, manifest.get(relative)) or _same(target, entry):
                shutil.copy2(source, target)  # the trainee never edited it (running it is not editing it)
                report.updated.append(relative)
            else:
                shutil.copy2(source, _update_name(target))
                report.side_by_side.append(relative)
            # After a side-by-side copy too: the trainee's version is now the baseline, so the same update is not
            # offered again on every start.
            manifest[relative] = entry
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return report


LAB_SETTINGS = {
    # No "would you like to receive news?" pop-up, and no update checks online.
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    # A notebook that was run is saved within seconds, so it is not left marked unsaved (the default is 2 minutes).
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": True,
                                                                    "autosaveInterval": AUTOSAVE_SECONDS},
    "@jupyterlab/apputils-extension/kernels-settings.jupyterlab-settings": {"commsOverSubshells": "disabled"},
}


def write_lab_settings(settings_dir: Path) -> None:
    for relative, values in LAB_SETTINGS.items():
        target = settings_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values, indent=1), encoding="utf-8")


def fresh_workspaces(workspaces_dir: Path) -> None:
    """The course's own JupyterLab workspaces, emptied: each start opens on the first notebook alone.

    A workspace holds only which tabs were open and where, never a learner's words. Kept, it reopens every notebook
    of the last visit, each with its own kernel.
    """
    workspaces_dir.mkdir(parents=True, exist_ok=True)
    for old in workspaces_dir.glob("*.jupyterlab-workspace"):
        old.unlink()


def kernel_language_info() -> dict:
    """The language details this computer's Python kernel reports when it starts (its kernel_info reply).

    Read from ipykernel's ``IPythonKernel.language_info``, the value the kernel sends; this module is the only one
    that uses it, and ``tests/test_workspace.py`` checks it against a real kernel's reply.
    """
    from ipykernel.ipkernel import IPythonKernel
    return json.loads(json.dumps(IPythonKernel.language_info))


def match_kernel_language(work_dir: Path, language_info: dict) -> list[str]:
    """Give the working copy's notebooks the kernel's language details, so opening one does not mark it unsaved.

    Only the notebook's metadata changes; its cells, and so whatever the trainee wrote, stay as they are. Returns the
    notebooks changed. A notebook that cannot be read is left alone.
    """
    changed = []
    for folder in COPIED_FOLDERS:
        for path in sorted((work_dir / folder).rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            try:
                notebook = json.loads(path.read_text(encoding="utf-8"))
                if notebook["metadata"].get("language_info") == language_info:
                    continue
                notebook["metadata"]["language_info"] = language_info
                path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue
            changed.append(path.relative_to(work_dir).as_posix())
    return changed


def forget_widget_views(model: dict, **_) -> None:
    """JupyterLab's pre-save hook: a saved notebook keeps no views of the course's widgets.

    A view points at a widget in the running kernel; once that kernel stops, a reopened notebook could only show an
    error in its place. The cell stays, and running it draws the widget again (exercise forms fill from the store).
    Every other output, such as a stretch task's table, is kept.
    """
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    for cell in model["content"].get("cells", []):
        if cell.get("cell_type") != "code" or not cell.get("outputs"):
            continue
        kept = [out for out in cell["outputs"] if WIDGET_VIEW not in (out.get("data") or {})]
        if len(kept) != len(cell["outputs"]):
            cell["outputs"] = kept
            if not kept:
                cell["execution_count"] = None


def lab_argv(work_dir: Path, first_notebook: str, port: int | None, open_browser: bool, as_root: bool,
             websocket_limit: int) -> list[str]:
    """JupyterLab's options for the course: its folder, its first notebook, offline, and its own workspaces."""
    argv = [
        f"--ServerApp.root_dir={work_dir}",
        # Opening the server's address shows the first notebook, not the launcher.
        f"--LabApp.default_url=/lab/tree/{first_notebook}",
        f"--LabApp.workspaces_dir={work_dir / WORKSPACES_FOLDER}",
        f"--LabApp.user_settings_dir={work_dir / SETTINGS_FOLDER}",
        "--LabApp.news_url=",
        "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ServerApp.ip=127.0.0.1",
        f"--ContentsManager.pre_save_hook={__name__}.forget_widget_views",
        # Ctrl-C stops at once, without the y/n question a trainee would not expect.
        "--ServerApp.answer_yes=True",
        # Phone photos for the order agreement arrive in one websocket message (see limits.py).
        f"--ServerApp.tornado_settings={{'websocket_max_message_size': {websocket_limit}}}",
        f"--ServerApp.open_browser={open_browser}",
    ]
    if port:
        argv.append(f"--ServerApp.port={port}")
    if as_root:
        argv.append("--allow-root")  # containers and CI machines often run as root
    return argv


def run_jupyterlab(argv: list[str]) -> int:
    """Run JupyterLab in this process until it is stopped, then stop every kernel it started.

    JupyterLab stops its kernels when it is told to stop by Ctrl-C or SIGTERM. Closing the terminal window sends
    SIGHUP, which JupyterLab does not handle (the process would end at once, its kernels left running until they
    notice), so here SIGHUP stops it the same way. Running in this process, rather than as a child, means the
    process a user or the system stops is JupyterLab itself.
    """
    import signal
    from jupyterlab.labapp import LabApp
    server = LabApp.initialize_server(argv=argv)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda *_: server.stop(from_signal=True))
    try:
        server.start()
    finally:
        # Ctrl-C where JupyterLab sets no handler for it (no terminal, or Windows) ends its loop with the kernels still
        # running; they would only notice later that their parent is gone.
        if server.kernel_manager.list_kernel_ids():
            server.io_loop.run_sync(server.cleanup_kernels)
    return 0
