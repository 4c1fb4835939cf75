import multiprocessing
import sqlite3

import pytest

from artisan_course.state import store as store_module
from artisan_course.state.store import SCHEMA_VERSION, STORE_FILENAME, Store, StoreUnavailable


def test_a_learner_is_created_once_and_welcomed_back(learner_home):
    store = Store(learner_home)
    first = store.learner("Noy")
    again = store.learner("  NOY ")
    assert first.returning is False
    assert again.returning is True and again.id == first.id
    assert again.name == "Noy"  # stored as first typed


def test_answers_come_back_after_reopening(learner_home):
    store = Store(learner_home)
    noy = store.learner("ນ້ອຍ")
    store.record(noy.id, "welcome", "q1", "reflection", "first")
    store.record(noy.id, "welcome", "q1", "reflection", "second <b>")
    store.close()
    reopened = Store(learner_home)
    assert reopened.latest(noy.id, "q1").value == "second <b>"
    assert [a.value for a in reopened.answers(learner_id=noy.id)] == ["first", "second <b>"]


def test_forget_removes_the_learner_and_their_answers(learner_home):
    store = Store(learner_home)
    noy = store.learner("Noy")
    other = store.learner("Kham")
    store.record(noy.id, "welcome", "q1", "reflection", "text")
    store.record(other.id, "welcome", "q1", "reflection", "kept")
    assert store.forget("noy") == 1
    assert store.find_learner("Noy") is None
    assert [a.value for a in store.answers()] == ["kept"]
    assert store.forget("nobody") == -1


def test_poll_results_use_each_learners_latest_answer(learner_home):
    store = Store(learner_home)
    a, b = store.learner("A"), store.learner("B")
    store.record(a.id, "m", "poll", "poll", "x")
    store.record(a.id, "m", "poll", "poll", "y")
    store.record(b.id, "m", "poll", "poll", "y")
    assert sorted(x.value for x in store.latest_per_learner("poll", "poll")) == ["y", "y"]


def test_a_corrupt_file_is_kept_aside_and_a_new_store_started(learner_home):
    learner_home.mkdir(parents=True)
    (learner_home / STORE_FILENAME).write_bytes(b"this is not a database" * 100)
    store = Store(learner_home)
    assert store.learner("Noy").returning is False
    kept = [p for p in learner_home.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")
    assert "could not be read" in store.notices[0]


def test_an_impossible_folder_says_answers_will_not_be_kept(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="will not be kept after this session"):
        Store(blocker / "store")


def test_migration_backs_up_first_and_keeps_data(learner_home, monkeypatch):
    store = Store(learner_home)
    noy = store.learner("Noy")
    store.record(noy.id, "welcome", "q1", "reflection", "keep me")
    store.close()
    monkeypatch.setitem(store_module.MIGRATIONS, SCHEMA_VERSION + 1, "ALTER TABLE answers ADD COLUMN note TEXT")
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    upgraded = Store(learner_home)
    assert upgraded.schema_version() == SCHEMA_VERSION + 1
    assert upgraded.latest(noy.id, "q1").value == "keep me"
    backups = [p for p in learner_home.iterdir() if f".backup-v{SCHEMA_VERSION}-" in p.name]
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT value FROM answers").fetchone()[0] == '"keep me"'


def test_a_store_from_a_newer_course_is_refused_plainly(learner_home):
    store = Store(learner_home)
    store._conn.execute("INSERT INTO schema_version VALUES (999, 'later')")
    store.close()
    with pytest.raises(StoreUnavailable, match="newer version of the course"):
        Store(learner_home)


def _writer(home: str, n: int) -> None:
    store = Store(home)
    learner = store.learner(f"writer {n}")
    for i in range(5):
        store.record(learner.id, "m", f"item-{i}", "reflection", f"{n}-{i}")


def test_forty_writers_at_once_lose_nothing(learner_home):
    Store(learner_home).close()
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_writer, args=(str(learner_home), n)) for n in range(40)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(60)
    assert [p.exitcode for p in processes] == [0] * 40
    store = Store(learner_home)
    assert len(store.learners()) == 40
    assert sorted(a.value for a in store.answers()) == sorted(f"{n}-{i}" for n in range(40) for i in range(5))
