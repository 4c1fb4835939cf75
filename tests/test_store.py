import multiprocessing
import sqlite3
from contextlib import closing

import pytest
from conftest import postgres_only, sqlite_only

from artisan_course.state import store as store_module
from artisan_course.state.store import (ID_MARGIN, SCHEMA_VERSION, STORE_FILENAME, LearnerGone, Store, StoreDamaged,
                                        StoreUnavailable)


# Every test here runs on both backends (SQLite, PostgreSQL) unless marked sqlite_only.
pytestmark = pytest.mark.usefixtures("store_backend")


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


@sqlite_only
def test_a_corrupt_file_is_kept_aside_and_a_new_store_started(learner_home):
    learner_home.mkdir(parents=True)
    (learner_home / STORE_FILENAME).write_bytes(b"this is not a database" * 100)
    store = Store(learner_home, owner=True)  # the course's command, at start
    assert store.learner("Noy").returning is False
    kept = [p for p in learner_home.iterdir() if ".unreadable-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")
    assert "could not be read" in store.notices[0]


@sqlite_only
def test_an_impossible_folder_says_answers_will_not_be_kept(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailable, match="will not be kept after this session"):
        Store(blocker / "store")


@sqlite_only
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


# -- a damaged file: only the owner moves it, and only when it is really damaged ---------------------------------------
@sqlite_only
def test_a_kernel_leaves_a_damaged_store_where_it_is_and_says_so_plainly(learner_home):
    learner_home.mkdir(parents=True)
    damaged = b"this is not a database" * 100
    (learner_home / STORE_FILENAME).write_bytes(damaged)
    with pytest.raises(StoreDamaged, match="damaged, so nothing can be saved now"):
        Store(learner_home)  # a page's kernel: never the owner
    assert sorted(p.name for p in learner_home.iterdir()) == [STORE_FILENAME]
    assert (learner_home / STORE_FILENAME).read_bytes() == damaged


@sqlite_only
def test_a_store_that_merely_fails_to_open_is_never_moved_even_by_its_owner(learner_home, monkeypatch):
    """A full disk or an I/O error is not damage: the file stays, the error goes to the caller."""
    store = Store(learner_home)
    store.record(store.learner("Noy").id, "welcome", "q1", "reflection", "keep me")
    store.close()

    def full(self):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Store, "_connect", full)
    for owner in (False, True):
        with pytest.raises(sqlite3.OperationalError):
            Store(learner_home, owner=owner)
    monkeypatch.undo()
    assert not [p for p in learner_home.iterdir() if ".unreadable-" in p.name]
    assert [a.value for a in Store(learner_home).answers()] == ["keep me"]


# -- ids only grow -------------------------------------------------------------------------------------------------
def test_the_newest_learners_and_answers_ids_are_never_given_again(learner_home):
    store = Store(learner_home)
    noy = store.learner("Noy")
    mistake = store.learner("Noy 2")  # the account made by mistake a minute ago: the newest id
    row = store.record(mistake.id, "welcome", "q1", "reflection", "typed on the wrong account")
    store.merge(mistake.id, noy.id)
    forgotten = store.learner("Keo")
    last = store.record(forgotten.id, "welcome", "q1", "reflection", "forget me")
    store.forget_id(forgotten.id)
    newcomer = store.learner("Bounmy")
    assert newcomer.id not in (noy.id, mistake.id, forgotten.id) and newcomer.id > forgotten.id
    assert store.record(newcomer.id, "welcome", "q1", "reflection", "mine") > max(row, last)


def test_an_update_changes_only_its_learners_own_row_and_says_when_nothing_changed(learner_home):
    store = Store(learner_home)
    noy, keo = store.learner("Noy"), store.learner("Keo")
    row = store.record(noy.id, "welcome", "q1", "reflection", "Noy's words")
    assert store.update(row, keo.id, "Keo's words") is False
    assert store.update(row + 1, noy.id, "no such row") is False
    assert [a.value for a in store.answers()] == ["Noy's words"]
    assert store.update(row, noy.id, "Noy's new words") is True
    assert store.latest(noy.id, "q1").value == "Noy's new words"


def test_every_write_for_a_learner_who_is_gone_is_refused_and_changes_nothing(learner_home):
    store = Store(learner_home)
    noy, keo = store.learner("Noy"), store.learner("Keo")
    store.forget_id(keo.id)
    for write in (lambda: store.record(keo.id, "welcome", "q1", "reflection", "x"),
                  lambda: store.rename(keo.id, "Keo again"),
                  lambda: store.set_pin_hash(keo.id, "hash"),
                  lambda: store.add_device(keo.id, "token-hash"),
                  lambda: store.merge(noy.id, keo.id),
                  lambda: store.merge(keo.id, noy.id)):
        with pytest.raises(LearnerGone):
            write()
    assert [learner.name for learner in store.learners()] == ["Noy"] and store.answers() == []
    assert store.device_learner("token-hash") is None


def _old_store(home, monkeypatch):
    """A store written by the course before ids only grew (schema 3): its own migrations, nothing of today's."""
    with monkeypatch.context() as old:
        old.setattr(store_module, "MIGRATIONS", {n: store_module.MIGRATIONS[n] for n in (1, 2, 3)})
        old.setattr(store_module, "SCHEMA_VERSION", 3)
        store = Store(home)
        assert store.schema_version() == 3
        noy, keo, gone = store.learner("Noy"), store.learner("Keo"), store.learner("Gone")
        store.set_pin_hash(noy.id, "pin-hash")
        store.add_device(keo.id, "device-hash")
        store.record(noy.id, "welcome", "q1", "reflection", "Noy's words")
        store.record(keo.id, "welcome", "poll", "quiz", {"response": "a"}, score=None)
        store.record(gone.id, "welcome", "poll", "quiz", {"response": "b"})
        store.clear_poll("poll")
        store.forget_id(gone.id)  # the newest learner and the newest answer are gone
        store.set_setting("lab_learner", "Noy")
        assert store.learner("Bounmy").id == gone.id  # what the old schema did: the id is given again
        store.forget("Bounmy")
        store.close()
    return gone.id


def _dump(path) -> dict:
    with closing(sqlite3.connect(path)) as conn:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("learners", "answers", "devices", "settings", "room_polls")}


def _shape(path) -> dict:
    with closing(sqlite3.connect(path)) as conn:
        indexes = sorted(conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"
                                      " AND name NOT LIKE 'sqlite_autoindex%'").fetchall())
        keys = {t: conn.execute(f"PRAGMA foreign_key_list({t})").fetchall() for t in ("answers", "devices")}
        columns = {t: [c[1:] for c in conn.execute(f"PRAGMA table_info({t})")]
                   for t in ("learners", "answers", "devices")}
    return {"indexes": indexes, "keys": keys, "columns": columns}


@sqlite_only
def test_an_old_store_upgrades_in_place_keeps_everything_and_never_reuses_an_id(learner_home, monkeypatch):
    gone_id = _old_store(learner_home, monkeypatch)
    before, shape = _dump(learner_home / STORE_FILENAME), _shape(learner_home / STORE_FILENAME)
    cleared_after = before["room_polls"][0][5]

    store = Store(learner_home)
    assert store.schema_version() == SCHEMA_VERSION == 4
    assert _dump(store.path) == before  # every row, as it was
    assert _shape(store.path) == shape  # every column, index and foreign key
    assert store._read("PRAGMA foreign_key_check") == []
    backups = [p for p in learner_home.iterdir() if ".backup-v3-" in p.name]
    assert len(backups) == 1 and _dump(backups[0]) == before

    newcomer = store.learner("Bounmy")
    assert newcomer.id > gone_id + ID_MARGIN - 1
    row = store.record(newcomer.id, "welcome", "poll", "quiz", {"response": "c"})
    assert row > cleared_after and [a.id for a in store.room_since("poll", "quiz", cleared_after)] == [row]
    # Foreign keys still hold after the rebuild: forgetting a learner takes their rows and devices with them.
    store.forget("Keo")
    assert store.device_learner("device-hash") is None and len(store.answers()) == 2
    store.close()
    assert Store(learner_home).schema_version() == 4  # and it opens again as it is, with no second backup
    assert len([p for p in learner_home.iterdir() if ".backup-" in p.name]) == 1


# -- PostgreSQL: what differs from a file ----------------------------------------------------------------------------
@postgres_only
def test_with_a_database_url_the_answers_are_in_postgresql_and_no_file_is_written(postgres_schema, learner_home):
    import psycopg
    admin_url, _, schema = postgres_schema
    store = Store(learner_home)
    row = store.record(store.learner("Noy").id, "welcome", "q1", "reflection", "ນ້ອຍ's words")
    assert store.postgres and "PostgreSQL" in store.where and "password" not in store.where
    assert not (learner_home / STORE_FILENAME).exists()
    with psycopg.connect(admin_url) as admin:
        assert admin.execute(f"SELECT value FROM {schema}.answers WHERE id = %s", (row,)).fetchone() == (
            '"ນ້ອຍ\'s words"',)


@postgres_only
def test_a_postgresql_migration_keeps_the_data_and_one_that_fails_changes_nothing(postgres_schema, learner_home,
                                                                                  monkeypatch):
    store = Store(learner_home)
    noy = store.learner("Noy")
    store.record(noy.id, "welcome", "q1", "reflection", "keep me")
    store.close()
    with monkeypatch.context() as failing:
        failing.setitem(store_module.MIGRATIONS, SCHEMA_VERSION + 1,
                        "ALTER TABLE answers ADD COLUMN note TEXT; SELECT no_such_function()")
        failing.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
        with pytest.raises(store_module.psycopg.Error):
            Store(learner_home)
    store = Store(learner_home)
    assert store.schema_version() == SCHEMA_VERSION
    assert "note" not in [r[0] for r in store._read(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'answers'"
        " AND table_schema = current_schema()")]
    store.close()
    monkeypatch.setitem(store_module.MIGRATIONS, SCHEMA_VERSION + 1, "ALTER TABLE answers ADD COLUMN note TEXT")
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    upgraded = Store(learner_home)
    assert upgraded.schema_version() == SCHEMA_VERSION + 1
    assert upgraded.latest(noy.id, "q1").value == "keep me"


@postgres_only
def test_a_dropped_postgresql_connection_is_opened_again_and_nothing_is_lost(postgres_schema, learner_home):
    import psycopg
    admin_url, _, _ = postgres_schema
    store = Store(learner_home)
    noy = store.learner("Noy")
    store.record(noy.id, "welcome", "q1", "reflection", "before")
    with psycopg.connect(admin_url, autocommit=True) as admin:  # the server drops the store's connection
        admin.execute("SELECT pg_terminate_backend(%s)", (store._conn.raw.info.backend_pid,))
    store.record(noy.id, "welcome", "q1", "reflection", "after")  # a write: retried on a new connection
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (store._conn.raw.info.backend_pid,))
    assert [a.value for a in store.answers(learner_id=noy.id)] == ["before", "after"]  # a read, likewise


@postgres_only
def test_a_postgresql_server_that_cannot_be_reached_is_said_plainly(postgres_schema, learner_home, monkeypatch):
    import psycopg
    from conftest import free_port
    admin_url, store_url, _ = postgres_schema
    store = Store(learner_home)
    noy = store.learner("Noy")
    monkeypatch.setattr(store_module, "RECONNECT_FOR", 0.5)
    store.url = psycopg.conninfo.make_conninfo(store_url, host="127.0.0.1", port=str(free_port()))  # nobody there
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (store._conn.raw.info.backend_pid,))
    with pytest.raises(StoreUnavailable) as refused:
        store.record(noy.id, "welcome", "q1", "reflection", "words")
    assert "database server cannot be reached" in str(refused.value) and "Traceback" not in str(refused.value)
    assert store_module.describe(refused.value) == str(refused.value)
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        Store(learner_home, url=store.url)
