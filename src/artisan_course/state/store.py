"""The learner store: the one module that knows the course keeps its data in SQLite or PostgreSQL.

Everything a learner gives the course (their name, quiz attempts, reflections,
saved simulator scenarios, visits) goes through :class:`Store`. By default the
file lives in :func:`artisan_course.paths.store_home`, in WAL mode so that a
workshop server's many kernels can write at once. When
``ARTISAN_COURSE_DATABASE_URL`` names a PostgreSQL database (for a hub whose
trainees' servers run on several machines), the same tables live there instead:
same API, same rules (see "PostgreSQL" below).

Design notes
- Answers are one generic table: ``module``, ``item`` and ``kind`` say what was
  answered, ``value`` holds the answer as JSON, ``score`` is optional.
- Each schema change is a numbered migration. Before an existing file is
  migrated it is copied aside with SQLite's backup API, so nothing is lost if
  a migration goes wrong.
- Ids only ever grow (``AUTOINCREMENT``, migration 4): a forgotten or merged
  learner's id, and a deleted answer's, are never given to anyone again, so a
  page still open for them can never reach a newcomer's rows. Every write that
  names a row also names its owner and says whether it changed anything
  (:meth:`Store.update` returns False; :class:`LearnerGone` when the learner
  no longer exists).
- A damaged file (not a database, or corrupt) is moved aside, never
  overwritten, and only by the store's owner: the process that opens it with
  ``owner=True``. The course's commands are the owners (``workshop``,
  ``slides`` and ``lab`` open it once at start, before any kernel runs; so do
  ``check``, ``forget`` and the exports). A kernel (a Voila page, or one of
  several JupyterLab notebooks) is never the owner: it reports
  :class:`StoreDamaged` and changes nothing, so one kernel can never move aside
  the file another kernel or the server is writing. Any other failure (a full
  disk, a read-only folder, an I/O error, a lock) leaves the file where it is;
  the error goes to the caller, and :func:`describe` says it in plain words.
- The facilitator has a learner of their own (:meth:`Store.facilitator_learner`), marked in ``settings``: what the
  facilitator's deck kernels write as when they show a tool on the projector. Every view of the room (the roster,
  the dashboard, poll counts, ``learners()`` and so the exports) leaves it out.

PostgreSQL
- The SQL below is written once, with ``?`` marks; :class:`_PostgresConnection` hands it to psycopg with its own
  marks. What differs is in :data:`_POSTGRES_SCHEMA` and a few words of :class:`Store` (``_begin``, ``_greatest``).
- A new PostgreSQL store is created at today's schema in one step; later migrations (5 onwards) run on both. The
  server's DDL is transactional, so a migration that fails leaves the database as it was; backups of a server are
  the operator's (``pg_dump``, see docs/deploy.md), not a file copy here.
- Ids come from identity sequences, which never give a number twice, even after a rollback.
- Writers take one transaction-level advisory lock, so writes are serialised exactly as SQLite's ``BEGIN
  IMMEDIATE`` serialises them: "look the name up, then insert it" never races another kernel.
- A dropped connection (the server restarted, the network blinked) is opened again and the work retried for a few
  seconds; after that the caller gets :class:`StoreUnavailable` with a plain sentence, never a traceback.
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from .. import paths
from .learner import LearnerNameError, name_key, validate_name

STORE_FILENAME = "course.sqlite3"
DATABASE_URL_ENV = "ARTISAN_COURSE_DATABASE_URL"

# Migration 4 rebuilds these tables with AUTOINCREMENT, column for column, in the order the earlier migrations left
# them (pin_hash was added last to learners), and then their indexes.
_GROWING_TABLES = {
    "learners": """(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            pin_hash TEXT
        )""",
    "answers": """(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            module TEXT NOT NULL,
            item TEXT NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            score REAL,
            created_at TEXT NOT NULL
        )""",
    "devices": """(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_seen TEXT NOT NULL
        )""",
}
_GROWING_INDEXES = (
    "CREATE INDEX answers_by_item ON answers(learner_id, item, id)",
    "CREATE INDEX answers_by_module ON answers(learner_id, module)",
    "CREATE INDEX answers_by_room ON answers(item, kind, id)",
    "CREATE INDEX devices_by_learner ON devices(learner_id)",
)
# Before migration 4, SQLite gave a new row the highest id + 1, so the newest learner's id went to the next one to
# join once that learner was forgotten or merged. Ids deleted from the top left no trace, so an upgraded store starts
# its sequences this far above the highest id it still holds (and, for answers, above every practice-run mark), well
# clear of any id a page might still hold. A new store starts at 1.
ID_MARGIN = 1000


def _ids_only_grow(conn: sqlite3.Connection, upgrading: bool) -> None:
    """Migration 4: rebuild the learners, answers and devices tables so that no id is ever given twice.

    SQLite's own recipe for a table change (https://www.sqlite.org/lang_altertable.html, "other kinds of table
    schema changes"): new table, copy, drop, rename, indexes, then a foreign-key check. It runs inside the
    migration's transaction, with foreign keys off (``_migrate`` turns them off before the transaction begins).
    """
    old_marks = conn.execute("SELECT COALESCE(MAX(cleared_after), 0) FROM room_polls").fetchone()[0]
    orphans = len(conn.execute("PRAGMA foreign_key_check").fetchall())
    for table, columns in _GROWING_TABLES.items():
        names = ", ".join(line.strip().split()[0] for line in columns.strip().strip("()").split(",\n"))
        conn.execute(f"CREATE TABLE {table}_v4 {columns}")
        conn.execute(f"INSERT INTO {table}_v4 ({names}) SELECT {names} FROM {table}")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE {table}_v4 RENAME TO {table}")
        highest = conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
        if table == "answers":
            highest = max(highest, old_marks)
        start = highest + ID_MARGIN if upgrading else highest
        conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, start))
    for statement in _GROWING_INDEXES:
        conn.execute(statement)
    if len(conn.execute("PRAGMA foreign_key_check").fetchall()) > orphans:  # never: the copy keeps every id
        raise sqlite3.IntegrityError("the upgrade would have separated rows from their learner")


# Each entry moves the schema from version N-1 to N: SQL statements, or a function of (connection, upgrading), where
# ``upgrading`` is False for a new, empty store. Append; never edit one that has shipped.
MIGRATIONS: dict[int, str | Callable[[sqlite3.Connection, bool], None]] = {
    1: """
        CREATE TABLE learners (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            module TEXT NOT NULL,
            item TEXT NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            score REAL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX answers_by_item ON answers(learner_id, item, id);
        CREATE INDEX answers_by_module ON answers(learner_id, module);
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
    """,
    # Workshop mode: each trainee's browser holds a random token (only its hash is kept here) that owns their
    # answers, and a short PIN (hashed, salted) carries them to a second device. Learners from before keep their
    # rows; they have no device and no PIN until the first device claims the name.
    2: """
        CREATE TABLE devices (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE INDEX devices_by_learner ON devices(learner_id);
        ALTER TABLE learners ADD COLUMN pin_hash TEXT;
    """,
    # Live polls: the room view reads one item's rows "since id X", so it needs an index led by the item. A poll's
    # state (open, revealed, names shown, cards shown) is one small row per item; "clear a practice run" only moves
    # ``cleared_after`` past the rows so far, so no learner's words are ever deleted by it.
    3: """
        CREATE INDEX answers_by_room ON answers(item, kind, id);
        CREATE TABLE room_polls (
            item TEXT PRIMARY KEY,
            open INTEGER NOT NULL DEFAULT 1,
            revealed INTEGER NOT NULL DEFAULT 0,
            names INTEGER NOT NULL DEFAULT 0,
            cards INTEGER NOT NULL DEFAULT 0,
            cleared_after INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
    """,
    # Ids only ever grow: see _ids_only_grow.
    4: _ids_only_grow,
}
SCHEMA_VERSION = max(MIGRATIONS)

# A new PostgreSQL store starts at schema 4 at once (there never were PostgreSQL stores before it): the same tables,
# columns and indexes as SQLite's after migration 4, in PostgreSQL's words. Migrations from 5 on are shared.
_POSTGRES_SCHEMA = """
    CREATE TABLE learners (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT COLLATE "C" NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        pin_hash TEXT
    );
    CREATE TABLE answers (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        learner_id BIGINT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        module TEXT NOT NULL,
        item TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        score DOUBLE PRECISION,
        created_at TEXT NOT NULL
    );
    CREATE TABLE devices (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        learner_id BIGINT NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE room_polls (
        item TEXT PRIMARY KEY,
        open INTEGER NOT NULL DEFAULT 1,
        revealed INTEGER NOT NULL DEFAULT 0,
        names INTEGER NOT NULL DEFAULT 0,
        cards INTEGER NOT NULL DEFAULT 0,
        cleared_after BIGINT NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE learner_roles (
        role TEXT PRIMARY KEY,
        learner_id BIGINT NOT NULL REFERENCES learners(id) ON DELETE CASCADE
    );
    ALTER TABLE learners ENABLE ROW LEVEL SECURITY;
    ALTER TABLE answers ENABLE ROW LEVEL SECURITY;
    ALTER TABLE devices ENABLE ROW LEVEL SECURITY;
    ALTER TABLE learner_roles ENABLE ROW LEVEL SECURITY;
    CREATE POLICY own_role ON learner_roles FOR SELECT USING (role = current_user);
    CREATE POLICY own_learner ON learners
        USING (id IN (SELECT learner_id FROM learner_roles WHERE role = current_user));
    CREATE POLICY own_answers ON answers
        USING (learner_id IN (SELECT learner_id FROM learner_roles WHERE role = current_user))
        WITH CHECK (learner_id IN (SELECT learner_id FROM learner_roles WHERE role = current_user));
""" + ";".join(_GROWING_INDEXES)
# On PostgreSQL each trainee of a hub can have a login role of their own (:meth:`Store.grant_trainee`): row-level
# security lets it see and change only its own learner's rows, whatever code the trainee runs in their server. The
# store's owner (the role that created the tables: the hub's, the facilitator's) is not bound by these policies.
# A role with no policy for a table sees none of it (devices: no trainee role ever reads a device).
_TRAINEE_GRANTS = (
    "GRANT USAGE ON SCHEMA {schema} TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.answers TO {role}",
    "GRANT SELECT, UPDATE (last_seen) ON {schema}.learners TO {role}",
    "GRANT SELECT ON {schema}.settings, {schema}.room_polls, {schema}.schema_version, {schema}.learner_roles TO {role}",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
)
POSTGRES_MIGRATIONS: dict[int, str | None] = {1: _POSTGRES_SCHEMA, 2: None, 3: None, 4: None}
# Every writer of a PostgreSQL store holds this advisory lock for its transaction (see the module's notes).
_WRITE_LOCK = 7_220_414
# How long a dropped PostgreSQL connection is retried before the caller hears the server cannot be reached.
RECONNECT_FOR = 8.0

T = TypeVar("T")



def _run_statements(conn, script: str) -> None:
    """Run a migration's SQL, statement by statement (neither backend's execute takes several at once)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)

class StoreUnavailable(RuntimeError):
    """The store folder cannot be created. The message is for a learner."""


class StoreDamaged(RuntimeError):
    """The store file is damaged and this process is not its owner, so it leaves the file alone. For a learner."""


class LearnerGone(LookupError):
    """A write named a learner who is no longer in the store (forgotten, or merged into another learner)."""


try:  # PostgreSQL is optional: only a hub needs it
    import psycopg
    from psycopg.pq import TransactionStatus
except ImportError:  # pragma: no cover - psycopg is a dependency, but SQLite must work without it
    psycopg = None

# What a failing store can raise to its callers: the recorder catches exactly these, so a tool never shows a traceback.
STORE_ERRORS = (sqlite3.Error, OSError, StoreUnavailable, StoreDamaged) + ((psycopg.Error,) if psycopg else ())

UNREACHABLE = ("The course's database server cannot be reached just now, so nothing can be saved or read. "
               "Try again in a moment; if it goes on, tell the facilitator.")


class _PostgresConnection:
    """A psycopg connection that takes the store's SQL as it is written for SQLite (``?`` marks), in autocommit mode so
    that the store's own BEGIN and COMMIT bound each transaction, as they do with SQLite."""

    def __init__(self, url: str):
        if psycopg is None:  # pragma: no cover
            raise StoreUnavailable("This computer's course has no PostgreSQL driver (psycopg); reinstall the course.")
        self.raw = psycopg.connect(url, autocommit=True, connect_timeout=10)

    def execute(self, sql: str, params: Iterable[Any] = ()):
        params = tuple(params)
        return self.raw.execute(sql.replace("?", "%s"), params or None)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def _where(url: str) -> str:
    """A PostgreSQL address as it may be shown (no password)."""
    info = psycopg.conninfo.conninfo_to_dict(url) if psycopg else {}
    host, port, name = info.get("host", "localhost"), info.get("port", "5432"), info.get("dbname", "")
    return f"the PostgreSQL database {name} on {host}:{port}"


def _error_name(exc: BaseException) -> str:
    """SQLite's name for an error (``SQLITE_FULL``...); from the message on a Python without ``sqlite_errorname``."""
    name = getattr(exc, "sqlite_errorname", None)
    if name:
        return name
    text = str(exc).lower()
    for words, code in (("not a database", "SQLITE_NOTADB"), ("malformed", "SQLITE_CORRUPT"),
                        ("disk is full", "SQLITE_FULL"), ("readonly", "SQLITE_READONLY"),
                        ("disk i/o", "SQLITE_IOERR"), ("unable to open", "SQLITE_CANTOPEN"),
                        ("locked", "SQLITE_BUSY"), ("busy", "SQLITE_BUSY")):
        if words in text:
            return code
    return ""


def is_damaged(exc: BaseException) -> bool:
    """True only for an error that says the file itself is damaged: not a database, or corrupt."""
    name = _error_name(exc) if isinstance(exc, sqlite3.DatabaseError) else ""
    return name == "SQLITE_NOTADB" or name.startswith("SQLITE_CORRUPT")


FULL_BELOW = 256 * 1024  # bytes free under which a failed write or open is put down to a full disk


def _disk_full(folder: Path | str | None) -> bool:
    try:
        return shutil.disk_usage(folder or paths.store_home()).free < FULL_BELOW
    except OSError:
        return False


def describe(exc: BaseException, folder: Path | str | None = None) -> str:
    """What went wrong with the store, in a few plain words, for a learner or a facilitator.

    A full disk does not always say so: SQLite may report an I/O error (its shared-memory file cannot grow), so an
    I/O error on a disk with almost no room left (``folder``, by default the store's) is called a full disk."""
    if isinstance(exc, (StoreUnavailable, StoreDamaged)):
        return str(exc)
    if psycopg is not None and isinstance(exc, psycopg.Error):
        if isinstance(exc, psycopg.OperationalError):
            return "the database server cannot be reached"
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            return "the database refused it: this account may not do that"
        return "the database refused the change"
    if isinstance(exc, (OSError, sqlite3.OperationalError)) and _disk_full(folder):
        return "the disk is full"
    if isinstance(exc, OSError):
        import errno
        if exc.errno == errno.ENOSPC:
            return "the disk is full"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "the course's folder cannot be written to"
        return "the disk could not be read or written"
    name = _error_name(exc)
    if name.startswith("SQLITE_FULL"):
        return "the disk is full"
    if name.startswith("SQLITE_READONLY"):
        return "the answers file cannot be written to"
    if name.startswith("SQLITE_NOTADB") or name.startswith("SQLITE_CORRUPT"):
        return "the answers file is damaged"
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED"):
        return "the answers file is busy"
    if name.startswith("SQLITE_CANTOPEN"):
        return "the answers file cannot be opened"
    if name.startswith("SQLITE_IOERR"):
        return "the disk could not be read or written"
    return str(exc).rstrip(".") or type(exc).__name__


@dataclass(frozen=True)
class Learner:
    id: int
    name: str
    returning: bool = False


class NameInUse(LearnerNameError):
    """Another learner already has this name."""


@dataclass(frozen=True)
class RosterRow:
    """One learner as the facilitator's roster shows them."""

    learner: Learner
    answers: int
    devices: int
    claimed: bool
    last_seen: str


@dataclass(frozen=True)
class PollState:
    """What the facilitator has chosen for one room item. An item never opened by a facilitator has the defaults."""

    item: str
    open: bool = True
    revealed: bool = False
    names: bool = False
    cards: int = 0            # free-text answers revealed so far, one by one
    cleared_after: int = 0    # rows up to this id belong to a cleared practice run
    updated_at: str = ""


POLL_FLAGS = ("open", "revealed", "names", "cards", "cleared_after")

# The facilitator's own learner, marked by its id in ``settings``. Its name key is one no typed name can have (a
# typed name never holds a control character, see ``learner.validate_name``), so no trainee can join as it and
# looking a name up never finds it.
FACILITATOR_SETTING = "facilitator_learner"
FACILITATOR_NAME = "Facilitator"
_FACILITATOR_KEY = "\x00facilitator"
_FACILITATOR_KEY_POSTGRES = "\x01facilitator"  # PostgreSQL's text holds no NUL; this is as far from a typed name
# "this row's learner is a trainee": every query of the room adds it (an empty subquery, before the facilitator has
# a learner, leaves every row in).
_TRAINEE = f"NOT IN (SELECT CAST(value AS INTEGER) FROM settings WHERE key = '{FACILITATOR_SETTING}')"


@dataclass(frozen=True)
class Answer:
    id: int
    learner_id: int
    module: str
    item: str
    kind: str
    value: Any
    score: float | None
    created_at: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _insert_learner(conn: sqlite3.Connection, display: str, key: str) -> Learner:
    """Add a learner row (the caller has checked the name key is free)."""
    now = _now()
    row = conn.execute("INSERT INTO learners (name, name_key, created_at, last_seen) VALUES (?, ?, ?, ?) RETURNING id",
                       (display, key, now, now)).fetchone()
    return Learner(id=row[0], name=display, returning=False)


def _must_exist(conn: sqlite3.Connection, learner_id: int) -> None:
    if not conn.execute("SELECT 1 FROM learners WHERE id = ?", (learner_id,)).fetchone():
        raise LearnerGone(learner_id)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class Store:
    """A learner store at ``home / course.sqlite3``.

    One connection per process, guarded by a lock, so widget callbacks and
    timers in a kernel can share it. ``owner=True`` for the course's commands
    only (see the module's notes): the owner may move a damaged file aside.
    """

    def __init__(self, home: Path | str | None = None, owner: bool = False, url: str | None = None):
        self.home = Path(home) if home is not None else paths.store_home()
        self.path = self.home / STORE_FILENAME
        self.url = url if url is not None else os.environ.get(DATABASE_URL_ENV, "").strip()
        self.postgres = bool(self.url)
        # Where the answers are, in words a facilitator reads.
        self.where = _where(self.url) if self.postgres else str(self.path)
        self._begin = (("BEGIN", f"SELECT pg_advisory_xact_lock({_WRITE_LOCK})") if self.postgres
                       else ("BEGIN IMMEDIATE",))
        self._greatest = "GREATEST" if self.postgres else "MAX"
        self.owner = owner
        self.notices: list[str] = []
        self._lock = threading.RLock()
        if self.postgres:
            self._conn = self._open_postgres()
        else:
            self._ensure_folder()
            self._conn = self._open()

    def _open_postgres(self) -> _PostgresConnection:
        """Connect and migrate, retrying a server that cannot be reached for a few seconds, then saying so plainly."""
        deadline = time.monotonic() + RECONNECT_FOR
        delay = 0.2
        while True:
            try:
                conn = _PostgresConnection(self.url)
            except psycopg.OperationalError:
                if time.monotonic() >= deadline:
                    raise StoreUnavailable(UNREACHABLE) from None
                time.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            try:
                self._migrate(conn)
            except BaseException:
                conn.close()
                raise
            return conn

    def _connection_lost(self, exc: BaseException) -> bool:
        return self.postgres and isinstance(exc, psycopg.OperationalError) and (
            self._conn.raw.broken or self._conn.raw.closed)

    def _reconnect(self) -> None:
        """After a dropped connection: a new one (StoreUnavailable, in plain words, if the server stays away)."""
        try:
            self._conn.close()
        except Exception:  # noqa: BLE001 - it is already broken; closing is only tidying up
            pass
        self._conn = self._open_postgres()

    # -- opening -----------------------------------------------------------
    def _ensure_folder(self) -> None:
        """Make the folder; a folder that cannot exist at all is :class:`StoreUnavailable`.

        A folder that exists but cannot be written to now (read-only, a full disk) is not: that may pass, so its
        error goes to the caller and the next save tries again.
        """
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if self.home.is_dir():
                raise
            raise StoreUnavailable(
                f"The course cannot save answers in {self.home} ({exc.strerror or exc}). "
                "Answers will not be kept after this session."
            ) from None
        if not self.path.exists():
            # A new store: check the folder takes files first, with a probe name of its own, so that many
            # kernels starting at once never remove each other's probe.
            with tempfile.NamedTemporaryFile(dir=self.home, prefix=".write-test-"):
                pass

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=15, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout = 15000")
            conn.execute("PRAGMA foreign_keys = ON")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":  # pragma: no cover - only on filesystems without shared memory
                self.notices.append(f"The store runs in {mode} mode; many writers at once may be slower.")
            self._migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            if not is_damaged(exc):
                raise  # a full disk, a read-only file, an I/O error, a lock: the file stays where it is
            if not self.owner:
                raise StoreDamaged(
                    "The course's answers file on this computer is damaged, so nothing can be saved now. "
                    "Tell the facilitator: restarting the course sets the damaged file aside and starts a new one."
                ) from exc
            if not self._still_damaged():
                return self._connect()  # another owner has already put a new store in its place
            aside = self.path.with_name(f"{STORE_FILENAME}.unreadable-{datetime.now():%Y%m%d-%H%M%S}")
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                extra = self.path.with_name(STORE_FILENAME + suffix)
                if extra.exists():
                    extra.rename(aside.with_name(aside.name + suffix))
            self.notices.append(
                f"The saved answers file could not be read ({exc}). It was kept as {aside.name} "
                "and a new, empty store was started."
            )
            return self._connect()

    def _still_damaged(self) -> bool:
        """Look again, with a connection of its own, before anything is moved: only a damaged file is moved aside."""
        try:
            probe = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=15)
        except sqlite3.Error as exc:
            return is_damaged(exc)
        try:
            probe.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return probe.execute("PRAGMA quick_check").fetchone()[0] != "ok"
        except sqlite3.Error as exc:
            return is_damaged(exc)
        finally:
            probe.close()

    def _version(self, conn: sqlite3.Connection) -> int:
        if self.postgres:
            has_table = conn.execute("SELECT to_regclass('schema_version')").fetchone()[0]
        else:
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_version'"
            ).fetchone()
        if not has_table:
            # Reading sqlite_master fails here on a file that is not a database.
            return 0
        row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return row[0] or 0

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = self._version(conn)
        if version > SCHEMA_VERSION:
            raise StoreUnavailable(
                f"The store at {self.path} was written by a newer version of the course "
                f"(schema {version}, this one knows {SCHEMA_VERSION}). Update the course to use it."
            )
        if version == SCHEMA_VERSION:
            return
        if self.postgres:
            self._migrate_postgres(conn)
            return
        if version > 0:
            backup = self.path.with_name(f"{STORE_FILENAME}.backup-v{version}-{datetime.now():%Y%m%d-%H%M%S}")
            with sqlite3.connect(backup) as target:
                conn.backup(target)
            self.notices.append(f"The store was upgraded; a copy of the old one is at {backup.name}.")
        # A table rebuild needs foreign keys off, and SQLite only changes that outside a transaction.
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the write lock: another process may have migrated.
            version = self._version(conn)
            upgrading = version > 0
            if version == 0:
                conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at "
                             "TEXT NOT NULL)")
            for number in range(version + 1, SCHEMA_VERSION + 1):
                step = MIGRATIONS[number]
                if callable(step):
                    step(conn, upgrading)
                else:
                    _run_statements(conn, step)
                conn.execute("INSERT INTO schema_version VALUES (?, ?)", (number, _now()))
            conn.execute("COMMIT")
        except BaseException:
            self._roll_back(conn)
            raise
        finally:
            try:
                conn.execute("PRAGMA foreign_keys = ON")
            except sqlite3.Error:
                pass  # the connection is closed by the caller on failure

    def _migrate_postgres(self, conn: _PostgresConnection) -> None:
        """The same steps in one transaction (PostgreSQL's DDL is transactional: a failure leaves nothing behind)."""
        conn.execute("BEGIN")
        try:
            conn.execute(f"SELECT pg_advisory_xact_lock({_WRITE_LOCK})")
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version"
                         " (version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
            version = self._version(conn)  # again, inside the lock: another kernel may have migrated
            for number in range(version + 1, SCHEMA_VERSION + 1):
                step = POSTGRES_MIGRATIONS[number] if number in POSTGRES_MIGRATIONS else MIGRATIONS[number]
                if callable(step):
                    raise StoreUnavailable(f"Migration {number} has no PostgreSQL form; update the course.")
                _run_statements(conn, step or "")
                conn.execute("INSERT INTO schema_version VALUES (?, ?)", (number, _now()))
            conn.execute("COMMIT")
        except BaseException:
            self._roll_back(conn)
            raise

    # -- plumbing ------------------------------------------------------------
    @staticmethod
    def _roll_back(conn: sqlite3.Connection) -> None:
        """End a failed transaction. SQLite may have ended it already (a full disk can), and must not be asked twice."""
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        except STORE_ERRORS:
            pass

    def _retry(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in a transaction, retrying with backoff while another writer holds the lock.

        busy_timeout already waits; this is the second line of defence, so that
        "database is locked" never reaches a learner on a busy workshop server.
        Any failure, the COMMIT's included (a full disk fails there), ends the
        transaction, so the next write starts clean once the disk has room.
        """
        delay = 0.02
        for attempt in range(12):
            with self._lock:
                try:
                    for statement in self._begin:
                        self._conn.execute(statement)
                    try:
                        result = work(self._conn)
                        self._conn.execute("COMMIT")
                    except BaseException:
                        self._roll_back(self._conn)
                        raise
                    return result
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc) or attempt == 11:
                        raise
                except STORE_ERRORS as exc:
                    # A dropped connection is opened again and the work done again (a commit lost with the
                    # connection may be done twice: an answer kept twice, never one lost).
                    if not self._connection_lost(exc) or attempt == 11:
                        raise
                    self._reconnect()
                    continue
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._conn.execute(sql, tuple(params)).fetchall()
            except STORE_ERRORS as exc:
                if not self._connection_lost(exc):
                    raise
                self._reconnect()
                return self._conn.execute(sql, tuple(params)).fetchall()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def schema_version(self) -> int:
        with self._lock:
            return self._version(self._conn)

    # -- trainees' own database roles (PostgreSQL) ----------------------------------------------
    def grant_trainee(self, learner_id: int, role: str, password: str) -> None:
        """Give one learner a login role that can read and write only their own rows (PostgreSQL, the owner only).

        Made again with a new password if it exists (a hub calls this each time it starts the trainee's server)."""
        if not self.postgres:
            raise StoreUnavailable("Trainees' own database roles need the PostgreSQL store.")
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
            raise ValueError(f"{role!r} is not a role name the course makes (lower-case letters, digits, _)")
        from psycopg import sql

        with self._lock:
            raw = self._conn.raw
            with raw.transaction():
                raw.execute(f"SELECT pg_advisory_xact_lock({_WRITE_LOCK})")
                if not raw.execute("SELECT 1 FROM learners WHERE id = %s", (learner_id,)).fetchone():
                    raise LearnerGone(learner_id)
                exists = raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
                raw.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}" if exists else
                                    "CREATE ROLE {} LOGIN NOINHERIT PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(password)))
                schema = raw.execute("SELECT current_schema()").fetchone()[0]
                for grant in _TRAINEE_GRANTS:
                    raw.execute(sql.SQL(grant).format(schema=sql.Identifier(schema), role=sql.Identifier(role)))
                raw.execute("INSERT INTO learner_roles (role, learner_id) VALUES (%s, %s)"
                            " ON CONFLICT (role) DO UPDATE SET learner_id = excluded.learner_id", (role, learner_id))

    # -- learners ------------------------------------------------------------
    def learner(self, name: str) -> Learner:
        """The learner with this name, created on first use.

        Names are stored as typed and matched after NFC normalisation,
        trimming and case-folding, so "Noy", " noy " and "NOY" are one person.
        """
        display = validate_name(name)
        key = name_key(display)

        def work(conn: sqlite3.Connection) -> Learner:
            row = conn.execute("SELECT id, name FROM learners WHERE name_key = ?", (key,)).fetchone()
            if row:
                conn.execute("UPDATE learners SET last_seen = ? WHERE id = ?", (_now(), row[0]))
                return Learner(id=row[0], name=row[1], returning=True)
            return _insert_learner(conn, display, key)

        return self._retry(work)

    def find_learner(self, name: str) -> Learner | None:
        try:
            key = name_key(validate_name(name))
        except LearnerNameError:
            return None
        rows = self._read("SELECT id, name FROM learners WHERE name_key = ?", (key,))
        return Learner(id=rows[0][0], name=rows[0][1], returning=True) if rows else None

    def learners(self) -> list[Learner]:
        """Every trainee, in the order they joined (never the facilitator's own learner)."""
        return [Learner(id=r[0], name=r[1], returning=True)
                for r in self._read(f"SELECT id, name FROM learners WHERE id {_TRAINEE} ORDER BY id")]

    def facilitator_learner(self) -> Learner:
        """The facilitator's own learner, made on first use: what the facilitator's decks write as. It is never a
        trainee: the room's views leave it out, and no join, PIN or name look-up reaches it."""
        def work(conn: sqlite3.Connection) -> Learner:
            key = _FACILITATOR_KEY_POSTGRES if self.postgres else _FACILITATOR_KEY
            row = conn.execute("SELECT id, name FROM learners WHERE name_key = ?", (key,)).fetchone()
            learner = (Learner(id=row[0], name=row[1], returning=True) if row
                       else _insert_learner(conn, FACILITATOR_NAME, key))
            conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE"
                         " SET value = excluded.value", (FACILITATOR_SETTING, str(learner.id)))
            return learner

        return self._retry(work)

    def facilitator_id(self) -> int | None:
        """The id of the facilitator's own learner, or None before the facilitator has opened a deck."""
        value = self.get_setting(FACILITATOR_SETTING)
        return int(value) if value and value.isdigit() else None

    def forget(self, name: str) -> int:
        """Delete a learner and everything they wrote. Returns how many answers went with them."""
        found = self.find_learner(name)
        if found is None:
            return -1
        return self.forget_id(found.id)

    def learner_by_id(self, learner_id: int) -> Learner | None:
        rows = self._read("SELECT id, name FROM learners WHERE id = ?", (learner_id,))
        return Learner(id=rows[0][0], name=rows[0][1], returning=True) if rows else None

    def create_learner(self, name: str) -> Learner:
        """A new learner with this name; raises :class:`NameInUse` if someone has it already."""
        display = validate_name(name)
        key = name_key(display)

        def work(conn: sqlite3.Connection) -> Learner:
            if conn.execute("SELECT 1 FROM learners WHERE name_key = ?", (key,)).fetchone():
                raise NameInUse(f"Someone has already joined as '{display}'.")
            return _insert_learner(conn, display, key)

        return self._retry(work)

    def forget_id(self, learner_id: int) -> int:
        """Delete one learner (by id), their devices and everything they wrote. Returns how many answers went."""
        def work(conn: sqlite3.Connection) -> int:
            count = conn.execute("SELECT COUNT(*) FROM answers WHERE learner_id = ?", (learner_id,)).fetchone()[0]
            conn.execute("DELETE FROM answers WHERE learner_id = ?", (learner_id,))
            conn.execute("DELETE FROM devices WHERE learner_id = ?", (learner_id,))
            conn.execute("DELETE FROM learners WHERE id = ?", (learner_id,))
            return count

        return self._retry(work)

    def rename(self, learner_id: int, new_name: str) -> Learner:
        """Give a learner another display name (their answers stay theirs). Raises :class:`NameInUse`."""
        display = validate_name(new_name)
        key = name_key(display)

        def work(conn: sqlite3.Connection) -> Learner:
            taken = conn.execute("SELECT id FROM learners WHERE name_key = ?", (key,)).fetchone()
            if taken and taken[0] != learner_id:
                raise NameInUse(f"Another learner is already called '{display}'.")
            if not conn.execute("UPDATE learners SET name = ?, name_key = ? WHERE id = ?",
                                (display, key, learner_id)).rowcount:
                raise LearnerGone(learner_id)
            return Learner(id=learner_id, name=display, returning=True)

        return self._retry(work)

    def merge(self, from_id: int, into_id: int) -> int:
        """Move every answer and device of one learner to another, then delete the first. Returns answers moved.

        Raises :class:`LearnerGone` (and changes nothing) when either learner is no longer in the store."""
        if from_id == into_id:
            return 0

        def work(conn: sqlite3.Connection) -> int:
            for learner_id in (from_id, into_id):
                _must_exist(conn, learner_id)
            moved = conn.execute("UPDATE answers SET learner_id = ? WHERE learner_id = ?", (into_id, from_id)).rowcount
            conn.execute("UPDATE devices SET learner_id = ? WHERE learner_id = ?", (into_id, from_id))
            conn.execute("DELETE FROM learners WHERE id = ?", (from_id,))
            return moved

        return self._retry(work)

    # -- devices and PINs (workshop mode) -----------------------------------------
    # Only hashes arrive here: state/identity.py makes the tokens and PINs and hashes them.
    def add_device(self, learner_id: int, token_hash: str) -> None:
        """Sign a device in for a learner; :class:`LearnerGone` if the learner is no longer in the store."""
        now = _now()

        def work(conn: sqlite3.Connection) -> None:
            if not conn.execute(
                    "INSERT INTO devices (learner_id, token_hash, created_at, last_seen)"
                    " SELECT id, ?, ?, ? FROM learners WHERE id = ?", (token_hash, now, now, learner_id)).rowcount:
                raise LearnerGone(learner_id)

        self._retry(work)

    def device_learner(self, token_hash: str) -> Learner | None:
        """The learner whose device holds the token with this hash, or None."""
        rows = self._read(
            "SELECT learners.id, learners.name FROM devices JOIN learners ON learners.id = devices.learner_id"
            " WHERE devices.token_hash = ?", (token_hash,))
        return Learner(id=rows[0][0], name=rows[0][1], returning=True) if rows else None

    def remove_device(self, token_hash: str) -> None:
        self._retry(lambda conn: conn.execute("DELETE FROM devices WHERE token_hash = ?", (token_hash,)))

    def remove_devices(self, learner_id: int) -> int:
        """Sign every device of a learner out. Returns how many there were."""
        return self._retry(lambda conn: conn.execute("DELETE FROM devices WHERE learner_id = ?",
                                                     (learner_id,)).rowcount)

    def set_pin_hash(self, learner_id: int, pin_hash: str | None) -> None:
        """Keep a learner's PIN hash; :class:`LearnerGone` if the learner is no longer in the store."""
        def work(conn: sqlite3.Connection) -> None:
            if not conn.execute("UPDATE learners SET pin_hash = ? WHERE id = ?", (pin_hash, learner_id)).rowcount:
                raise LearnerGone(learner_id)

        self._retry(work)

    def pin_hash(self, learner_id: int) -> str | None:
        rows = self._read("SELECT pin_hash FROM learners WHERE id = ?", (learner_id,))
        return rows[0][0] if rows else None

    def claimed(self, learner_id: int) -> bool:
        """True once a device has claimed the learner (it has a PIN or a signed-in device)."""
        rows = self._read(
            "SELECT pin_hash IS NOT NULL OR EXISTS (SELECT 1 FROM devices WHERE learner_id = learners.id)"
            " FROM learners WHERE id = ?", (learner_id,))
        return bool(rows and rows[0][0])

    def roster(self) -> list[RosterRow]:
        rows = self._read(
            "SELECT l.id, l.name, l.pin_hash IS NOT NULL,"
            " (SELECT COUNT(*) FROM answers a WHERE a.learner_id = l.id),"
            " (SELECT COUNT(*) FROM devices d WHERE d.learner_id = l.id),"
            f" {self._greatest}(l.last_seen,"
            " COALESCE((SELECT MAX(created_at) FROM answers a WHERE a.learner_id = l.id), ''))"
            f" FROM learners l WHERE l.id {_TRAINEE} ORDER BY l.name_key")
        return [RosterRow(Learner(id=r[0], name=r[1], returning=True), answers=r[3], devices=r[4],
                          claimed=bool(r[2] or r[4]), last_seen=r[5]) for r in rows]

    # -- answers -------------------------------------------------------------
    def record(self, learner_id: int, module: str, item: str, kind: str, value: Any, score: float | None = None) -> int:
        """Add one answer row for a learner and return its id; :class:`LearnerGone` if the learner no longer exists."""
        encoded = json.dumps(value, ensure_ascii=False)

        def work(conn: sqlite3.Connection) -> int:
            row = conn.execute(
                "INSERT INTO answers (learner_id, module, item, kind, value, score, created_at)"
                " SELECT id, ?, ?, ?, ?, ?, ? FROM learners WHERE id = ? RETURNING id",
                (module, item, kind, encoded, score, _now(), learner_id),
            ).fetchone()
            if row is None:
                raise LearnerGone(learner_id)
            return row[0]

        return self._retry(work)

    def update(self, answer_id: int, learner_id: int, value: Any, score: float | None = None) -> bool:
        """Replace the value of one of this learner's answer rows (autosave within one editing session).

        Only a row that is the learner's own changes. Returns False when nothing changed: the row is gone (its
        learner was forgotten or merged) or belongs to someone else. The caller then decides what to do with the
        words (the recorder starts a new row for the learner, or refuses if the learner is gone)."""
        encoded = json.dumps(value, ensure_ascii=False)
        return self._retry(lambda conn: conn.execute(
            "UPDATE answers SET value = ?, score = ?, created_at = ? WHERE id = ? AND learner_id = ?",
            (encoded, score, _now(), answer_id, learner_id)).rowcount == 1)

    @staticmethod
    def _answer(row: sqlite3.Row) -> Answer:
        return Answer(
            id=row[0], learner_id=row[1], module=row[2], item=row[3], kind=row[4],
            value=json.loads(row[5]), score=row[6], created_at=row[7],
        )

    _COLUMNS = "id, learner_id, module, item, kind, value, score, created_at"

    def latest(self, learner_id: int, item: str, kind: str | None = None) -> Answer | None:
        sql = f"SELECT {self._COLUMNS} FROM answers WHERE learner_id = ? AND item = ?"
        params: list[Any] = [learner_id, item]
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        rows = self._read(sql + " ORDER BY id DESC LIMIT 1", params)
        return self._answer(rows[0]) if rows else None

    def answers(self, learner_id: int | None = None, module: str | None = None, kind: str | None = None,
                item: str | None = None) -> list[Answer]:
        clauses, params = [], []
        for column, value in (("learner_id", learner_id), ("module", module), ("kind", kind), ("item", item)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        return [self._answer(r) for r in self._read(f"SELECT {self._COLUMNS} FROM answers{where} ORDER BY id", params)]

    def latest_per_learner(self, item: str, kind: str) -> list[Answer]:
        """Each learner's most recent answer to one item: the basis of a room's poll results."""
        rows = self._read(
            f"SELECT {self._COLUMNS} FROM answers WHERE id IN ("
            f" SELECT MAX(id) FROM answers WHERE item = ? AND kind = ? AND learner_id {_TRAINEE} GROUP BY learner_id)"
            " ORDER BY id",
            (item, kind),
        )
        return [self._answer(r) for r in rows]

    # -- the room: live polls, room quizzes and the facilitator's dashboard -------------------------
    def room_since(self, item: str, kind: str, after_id: int = 0) -> list[Answer]:
        """Every trainee's row for one item with an id above ``after_id``, oldest first (an index range, never a table
        scan)."""
        rows = self._read(f"SELECT {self._COLUMNS} FROM answers WHERE item = ? AND kind = ? AND id > ?"
                          f" AND learner_id {_TRAINEE} ORDER BY id", (item, kind, after_id))
        return [self._answer(r) for r in rows]

    def room_latest(self, item: str, kind: str, after_id: int = 0) -> list[Answer]:
        """Each learner's latest row for one item among the rows above ``after_id`` (for text saved as typed)."""
        rows = self._read(
            f"SELECT {self._COLUMNS} FROM answers WHERE id IN ("
            f" SELECT MAX(id) FROM answers WHERE item = ? AND kind = ? AND id > ? AND learner_id {_TRAINEE}"
            " GROUP BY learner_id) ORDER BY id",
            (item, kind, after_id))
        return [self._answer(r) for r in rows]

    def room_changed(self, item: str, kind: str, after_id: int = 0) -> tuple[int, int, str]:
        """(rows, highest id, latest time) of one item's rows above ``after_id``: a cheap "has anything changed?"."""
        row = self._read("SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(created_at), '') FROM answers"
                         f" WHERE item = ? AND kind = ? AND id > ? AND learner_id {_TRAINEE}",
                         (item, kind, after_id))[0]
        return row[0], row[1], row[2]

    def last_answer_id(self) -> int:
        return self._read("SELECT COALESCE(MAX(id), 0) FROM answers")[0][0]

    def names_of(self, learner_ids: Iterable[int]) -> dict[int, str]:
        ids = sorted(set(learner_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r[0]: r[1] for r in self._read(f"SELECT id, name FROM learners WHERE id IN ({marks})", ids)}

    def poll_states(self, items: Iterable[str] | None = None) -> dict[str, PollState]:
        """The facilitator's choices per item (items never touched are absent: they have the defaults)."""
        sql = f"SELECT item, {', '.join(POLL_FLAGS)}, updated_at FROM room_polls"
        params: list[str] = []
        if items is not None:
            params = sorted(set(items))
            if not params:
                return {}
            sql += f" WHERE item IN ({','.join('?' * len(params))})"
        return {r[0]: PollState(r[0], bool(r[1]), bool(r[2]), bool(r[3]), r[4], r[5], r[6])
                for r in self._read(sql, params)}

    def set_poll_state(self, item: str, **changes: Any) -> PollState:
        """Change some of one item's flags (``open``, ``revealed``, ``names``, ``cards``, ``cleared_after``)."""
        unknown = set(changes) - set(POLL_FLAGS)
        if unknown:
            raise ValueError(f"unknown poll setting {sorted(unknown)[0]!r}")

        def work(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT INTO room_polls (item, updated_at) VALUES (?, ?) ON CONFLICT(item) DO NOTHING",
                         (item, _now()))
            for name, value in changes.items():
                conn.execute(f"UPDATE room_polls SET {name} = ?, updated_at = ? WHERE item = ?",
                             (int(value), _now(), item))

        self._retry(work)
        return self.poll_states([item])[item]

    def clear_poll(self, item: str) -> PollState:
        """Start the item afresh (after a practice run): earlier rows stay in every journal, the room stops counting
        them."""
        def work(conn: sqlite3.Connection) -> None:
            last = conn.execute("SELECT COALESCE(MAX(id), 0) FROM answers").fetchone()[0]
            conn.execute("INSERT INTO room_polls (item, updated_at) VALUES (?, ?) ON CONFLICT(item) DO NOTHING",
                         (item, _now()))
            conn.execute("UPDATE room_polls SET cleared_after = ?, revealed = 0, cards = 0, updated_at = ?"
                         " WHERE item = ?", (last, _now(), item))

        self._retry(work)
        return self.poll_states([item])[item]

    def first_tries(self) -> list[Answer]:
        """Each learner's first quiz row per question: the basis of "which questions the room finds hardest"."""
        rows = self._read(f"SELECT {self._COLUMNS} FROM answers WHERE id IN ("
                          f" SELECT MIN(id) FROM answers WHERE kind = 'quiz' AND learner_id {_TRAINEE}"
                          " GROUP BY learner_id, item) ORDER BY id")
        return [self._answer(r) for r in rows]

    def whereabouts(self) -> dict[int, Answer]:
        """Each trainee's most recent row (what they did last, and in which module)."""
        rows = self._read(f"SELECT {self._COLUMNS} FROM answers WHERE id IN ("
                          f" SELECT MAX(id) FROM answers WHERE learner_id {_TRAINEE} GROUP BY learner_id)")
        return {r[1]: self._answer(r) for r in rows}

    def last_answers(self) -> dict[int, Answer]:
        """Each trainee's most recent answer (a visit to a module is not an answer)."""
        rows = self._read(f"SELECT {self._COLUMNS} FROM answers WHERE id IN ("
                          f" SELECT MAX(id) FROM answers WHERE kind != 'visit' AND learner_id {_TRAINEE}"
                          " GROUP BY learner_id)")
        return {r[1]: self._answer(r) for r in rows}

    def room_answers(self, items: Iterable[str]) -> list[Answer]:
        """Every trainee's quiz rows for these items, oldest first (the dashboard's view of the room's question)."""
        wanted = sorted(set(items))
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        rows = self._read(f"SELECT {self._COLUMNS} FROM answers WHERE item IN ({marks}) AND kind = 'quiz'"
                          f" AND learner_id {_TRAINEE} ORDER BY id", wanted)
        return [self._answer(r) for r in rows]

    def items_done(self) -> dict[tuple[int, str], int]:
        """(learner, module) -> how many different items the learner has answered there."""
        rows = self._read("SELECT learner_id, module, COUNT(DISTINCT item) FROM answers WHERE kind != 'visit'"
                          f" AND learner_id {_TRAINEE} GROUP BY learner_id, module")
        return {(r[0], r[1]): r[2] for r in rows}

    # -- settings ------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._read("SELECT value FROM settings WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_setting(self, key: str, value: str) -> None:
        self._retry(lambda conn: conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        ))


_shared: dict[str, Store] = {}
_shared_lock = threading.Lock()


def open_store(home: Path | str | None = None, owner: bool = False) -> Store:
    """The process-wide store for ``home`` (default: ``ARTISAN_COURSE_HOME``).

    ``owner=True`` only in the course's own commands (see the module's notes); a kernel never passes it. A store
    that fails to open is not kept, so the next call tries again (a disk that was full may have room now)."""
    folder = str(Path(home) if home is not None else paths.store_home())
    key = f"{folder}\n{os.environ.get(DATABASE_URL_ENV, '').strip()}"
    with _shared_lock:
        if key not in _shared:
            _shared[key] = Store(folder, owner=owner)
        return _shared[key]
