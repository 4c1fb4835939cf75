"""A store on a full disk or a read-only folder: the file stays where it is, every tool says so plainly and offers
the words back, and saving carries on by itself once the disk has room (issue 25, case 4).

The real-filesystem tests run a kernel-like process in a private mount namespace (``unshare -m``) with a small
tmpfs, or a read-only bind mount: root ignores file permissions, so only a real mount shows what a full or read-only
disk does. ``PRAGMA max_page_count`` fills a store from inside as an extra, quicker test.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from artisan_course.models.agreement import ITEM as AGREEMENT_ITEM
from artisan_course.state.store import STORE_FILENAME, Store

HERE = Path(__file__).resolve()
BIG = "The weavers asked for a longer lead time. " * 400  # about 17 KB: a save that needs new pages


def _can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not _can_mount(), reason="needs root and unshare -m for a real tmpfs or bind mount")


def run_in_namespace(setup: str, mode: str, home: Path, tmp_path: Path) -> dict:
    """Run this file as a kernel-like process after ``setup`` (mount commands) in a private mount namespace."""
    out = tmp_path / f"{mode}.json"
    env = dict(os.environ, ARTISAN_COURSE_HOME=str(home))
    for name in ("SERVER_SOFTWARE", "VOILA_KERNEL_ID", "QUERY_STRING"):
        env.pop(name, None)
    script = f"{setup} && exec {sys.executable} {HERE} {mode} {home} {out}"
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(out.read_text())


@needs_mounts
def test_a_full_disk_moves_nothing_aside_says_so_and_saving_resumes_when_there_is_room(tmp_path):
    home = tmp_path / "small-disk"
    home.mkdir()
    seen = run_in_namespace(f"mount -t tmpfs -o size=1m tmpfs {home}", "full", home, tmp_path)
    # Opening the store on the full disk, as a page's kernel and as the course's command: an error, nothing moved.
    for who in ("kernel", "owner"):
        assert seen[f"{who} open"]["error"] == "the disk is full", seen
        files = seen[f"{who} open"]["files"]
        assert STORE_FILENAME in files and not [f for f in files if ".unreadable-" in f], seen
    assert seen["store unchanged by the opens"], seen
    # A kernel whose store was open before the disk filled, and one that started while it was full.
    for who in ("open before", "started while full"):
        shown = seen[who]
        assert not shown["record"]["ok"] and "could not be saved on this computer (the disk is full)" in shown[
            "record"]["message"], shown
        assert "download it now" in shown["record"]["message"]
        assert not shown["reflection"]["saved"], shown  # never "Saved"
        assert "the disk is full" in shown["reflection"]["problem"], shown
    # Room again: the same kernels save by themselves, the box made while the disk was full included.
    for who in ("open before, room again", "started while full, room again"):
        assert seen[who]["record"]["ok"], seen
        assert seen[who]["reflection"] == {"saved": True, "problem": ""}, seen
    assert seen["box made while full, room again"] == {"saved_text": "Typed while the disk was full", "problem": ""}
    assert seen["answers at the end"] == ["before the disk filled", "Typed while the disk was full", "after",
                                          "Patience, and a reason", "after", "Trust, and a longer lead time"], seen
    assert seen["files at the end"] == [STORE_FILENAME], seen


@needs_mounts
def test_a_read_only_store_stays_in_place_and_no_tool_claims_it_saved(tmp_path):
    home, view = tmp_path / "store", tmp_path / "read-only"
    home.mkdir()
    view.mkdir()
    store = Store(home)
    store.record(store.learner("Noy").id, "welcome", "welcome-think", "reflection", "before")
    store.close()
    before = (home / STORE_FILENAME).read_bytes()
    seen = run_in_namespace(f"mount --bind {home} {view} && mount -o remount,bind,ro {view}", "read-only", view,
                            tmp_path)
    for who in ("kernel", "owner"):
        assert seen[f"{who} open"]["error"] in ("the answers file cannot be opened",
                                                "the answers file cannot be written to"), seen
    shown = seen["started while read-only"]
    assert not shown["record"]["ok"] and "could not be saved on this computer" in shown["record"]["message"], shown
    assert not shown["reflection"]["saved"] and "could not be saved" in shown["reflection"]["problem"], shown
    assert "artisan-course-unsaved" not in shown["store folder"], "answers went to a throwaway folder"
    assert sorted(p.name for p in home.iterdir()) == [STORE_FILENAME]
    assert (home / STORE_FILENAME).read_bytes() == before


def test_a_store_that_fills_up_from_inside_says_so_in_every_tool_with_a_download(learner_home, fresh_session):
    """The same as a full disk, from inside SQLite (``max_page_count``): every form keeps the words for download."""
    import ipywidgets as widgets
    from artisan_course.widgets.agreement import AgreementBuilder
    from artisan_course.widgets.exercises import warm_tough_task
    from artisan_course.widgets.reflection import Reflection
    from test_exercises import shown_widget, walk
    fresh_session.set_learner("Noy")
    store = fresh_session.get_store()
    pages = store._read("PRAGMA page_count")[0][0]
    store._read(f"PRAGMA max_page_count = {pages}")

    box = Reflection("welcome-think", "Which soft skills matter most?")
    box.value = BIG
    assert box.saved_text == "" and "the disk is full" in box.problem and "download it now" in box.problem

    agreement = AgreementBuilder()
    agreement.boxes["product"].value = BIG
    agreement._save_draft()
    assert "the disk is full" in agreement.status.value and "course-download" in agreement.status.value

    form = shown_widget(warm_tough_task)
    areas = [w for w in walk(form) if isinstance(w, widgets.Textarea)]
    areas[0].value, areas[1].value = BIG, "The handles must be fixed by Friday."
    next(w for w in walk(form) if isinstance(w, widgets.Button)).click()
    feedback = [w for w in walk(form) if isinstance(w, widgets.HTML)][-1]
    assert "the disk is full" in feedback.value and "course-download" in feedback.value

    store._read("PRAGMA max_page_count = 1073741823")  # room again
    box.retry()  # what the kernel's timer does a few seconds after a failed save: no keystroke needed
    assert box.saved_text == BIG and box.problem == ""
    box.value = BIG + "!"
    assert box.saved_text == BIG + "!" and box.problem == ""
    agreement._save_draft()
    assert "Saved at" in agreement.status.value
    assert store.latest(fresh_session.learner.id, "welcome-think").value == BIG + "!"
    assert store.latest(fresh_session.learner.id, AGREEMENT_ITEM).value["fields"]["product"] == BIG


# -- the kernel-like process the real-filesystem tests run -----------------------------------------------------------
def _workshop_kernel(learner_id: int) -> None:
    """Make this process look like a trainee's workshop kernel (the server names the learner)."""
    from artisan_course.state.learner import LEARNER_ID_ENV, WORKSHOP_ENV
    os.environ.update({"VOILA_KERNEL_ID": "faults", WORKSHOP_ENV: "1", LEARNER_ID_ENV: str(learner_id)})


def _new_page():
    """A fresh page in this kernel: the session forgets its store and learner, as a new kernel would."""
    from artisan_course.state.session import SESSION
    SESSION.learner = SESSION.store = SESSION.store_warning = SESSION.open_problem = None
    SESSION.listeners.clear()
    from artisan_course.state import store as store_module
    store_module._shared.clear()
    return SESSION


def _what_a_page_shows(session, text: str) -> dict:
    from artisan_course.state import recorder
    from artisan_course.state.recorder import Kind
    from artisan_course.widgets.reflection import Reflection
    saved = recorder.record("welcome", "welcome-soft-skill-poll", Kind.QUIZ, {"response": "after"})
    box = Reflection("welcome-think", "Which soft skills matter most?")
    box.value = text
    return {"record": {"ok": saved.ok, "message": saved.message},
            "reflection": {"saved": box.saved_text == text, "problem": box.problem},
            "store folder": str(session.store.home) if session.store else ""}


def _open_error(home: str, owner: bool) -> dict:
    from artisan_course.state.store import STORE_ERRORS, describe
    try:
        Store(home, owner=owner).close()
        error = ""
    except STORE_ERRORS as exc:
        error = describe(exc)
    return {"error": error, "files": sorted(os.listdir(home))}


def _fill(home: str):
    filler = open(os.path.join(home, "filler"), "wb", buffering=0)
    try:
        while True:
            filler.write(b"\0" * 4096)
    except OSError:
        return filler


def _empty(filler) -> None:
    filler.close()
    os.remove(filler.name)


def _full(home: str) -> dict:
    from artisan_course.state.session import SESSION
    from artisan_course.widgets.reflection import Reflection
    seen: dict = {}
    store = Store(home, owner=True)  # the course's command made the store; then every connection closed
    noy = store.learner("Noy")
    store.record(noy.id, "welcome", "welcome-think", "reflection", "before the disk filled")
    store.close()
    _workshop_kernel(noy.id)
    # 1. The disk fills while no one has the store open: it cannot even be opened.
    filler = _fill(home)
    before = Path(home, STORE_FILENAME).read_bytes()
    seen["owner open"] = _open_error(home, owner=True)
    seen["kernel open"] = _open_error(home, owner=False)
    seen["store unchanged by the opens"] = Path(home, STORE_FILENAME).read_bytes() == before
    late = _new_page()  # a kernel that starts now
    seen["started while full"] = _what_a_page_shows(late, BIG)
    late_box = Reflection("welcome-think", "Which soft skills matter most?")
    _empty(filler)
    late.try_again()  # what the kernel's own timer does a few seconds later
    late_box.value = "Typed while the disk was full"
    seen["box made while full, room again"] = {"saved_text": late_box.saved_text, "problem": late_box.problem}
    seen["started while full, room again"] = _what_a_page_shows(late, "Patience, and a reason")
    # 2. The disk fills while this kernel has the store open.
    filler = _fill(home)
    seen["open before"] = _what_a_page_shows(SESSION, BIG)
    _empty(filler)
    seen["open before, room again"] = _what_a_page_shows(SESSION, "Trust, and a longer lead time")
    SESSION.store.close()
    final = Store(home)
    seen["answers at the end"] = [a.value["response"] if isinstance(a.value, dict) else a.value
                                  for a in final.answers()]
    final.close()
    seen["files at the end"] = sorted(os.listdir(home))
    return seen


def _read_only(home: str) -> dict:
    seen = {"owner open": _open_error(home, owner=True), "kernel open": _open_error(home, owner=False)}
    _workshop_kernel(1)
    seen["started while read-only"] = _what_a_page_shows(_new_page(), BIG)
    return seen


if __name__ == "__main__":
    mode, folder, result = sys.argv[1:4]
    seen = {"full": _full, "read-only": _read_only}[mode](folder)
    Path(result).write_text(json.dumps(seen))
