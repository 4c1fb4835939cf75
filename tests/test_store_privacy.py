"""On a hub, trainees can run any Python in their own server. With the PostgreSQL store each trainee's server holds
only a database role of their own, and the server itself (row-level security) refuses them everyone else's rows."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import uuid

import psycopg
import pytest

from artisan_course.state.store import DATABASE_URL_ENV, Store

# What a trainee's code tries, run as a separate Python process with nothing but the trainee's own environment (as a
# kernel in their server has): every way at another trainee's answers, then the course's own API. It prints what
# the server let it do.
TRAINEE_CODE = r"""
import json, os, sys
import psycopg
from artisan_course.state.store import Store

url, other_id, other_row = os.environ["ARTISAN_COURSE_DATABASE_URL"], int(sys.argv[1]), int(sys.argv[2])
seen = {}
with psycopg.connect(url, autocommit=True) as conn:
    seen["all_answers"] = [r[0] for r in conn.execute("SELECT value FROM answers ORDER BY id")]
    seen["other_by_id"] = conn.execute("SELECT value FROM answers WHERE id = %s", (other_row,)).fetchall()
    seen["updated"] = conn.execute("UPDATE answers SET value = '\"changed\"' WHERE learner_id = %s",
                                   (other_id,)).rowcount
    seen["deleted"] = conn.execute("DELETE FROM answers WHERE id = %s", (other_row,)).rowcount
    seen["learners"] = [r[0] for r in conn.execute("SELECT name FROM learners")]
    for name, statement in (
            ("insert_as_other", f"INSERT INTO answers (learner_id, module, item, kind, value, created_at)"
                                f" VALUES ({other_id}, 'm', 'q1', 'reflection', '\"forged\"', 'now')"),
            ("devices", "SELECT * FROM devices"),
            ("rename_other", f"UPDATE learners SET name = 'x' WHERE id = {other_id}"),
            ("drop_policy", "ALTER TABLE answers DISABLE ROW LEVEL SECURITY"),
            ("become_owner", "SET ROLE postgres")):
        try:
            conn.execute(statement)
            seen[name] = "allowed"
        except psycopg.Error as exc:
            seen[name] = type(exc).__name__
info = psycopg.conninfo.conninfo_to_dict(url)
try:
    psycopg.connect(psycopg.conninfo.make_conninfo(url, user="postgres", password=""), connect_timeout=5).close()
    seen["owner_sign_in"] = "allowed"
except psycopg.Error as exc:
    seen["owner_sign_in"] = type(exc).__name__
store = Store(url=url)  # the course's own API, as the trainee's notebooks use it
me = int(sys.argv[3])
store.record(me, "welcome", "q1", "reflection", "my own words")
seen["api_answers"] = [a.value for a in store.answers()]
seen["api_latest_other"] = store.latest(other_id, "q1") is not None
print(json.dumps(seen))
"""


@pytest.fixture
def hub_store(postgres_schema, learner_home):
    admin_url, store_url, _ = postgres_schema
    store = Store(learner_home)
    roles = []
    yield store, roles
    store.close()
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for role in roles:
            admin.execute(f'DROP OWNED BY "{role}"')
            admin.execute(f'DROP ROLE "{role}"')


def trainee_url(store_url: str, role: str, password: str) -> str:
    return psycopg.conninfo.make_conninfo(store_url, user=role, password=password)


def test_a_trainees_code_cannot_read_change_or_delete_another_trainees_answers(hub_store, postgres_schema):
    store, roles = hub_store
    _, store_url, _ = postgres_schema
    noy, keo = store.learner("Noy"), store.learner("Keo")
    noy_row = store.record(noy.id, "welcome", "q1", "reflection", "Noy's private words")
    store.add_device(noy.id, "noy-device-hash")
    keo_role, keo_password = f"trainee_{uuid.uuid4().hex[:10]}", secrets.token_urlsafe(18)
    roles.append(keo_role)
    store.grant_trainee(keo.id, keo_role, keo_password)
    store.grant_trainee(keo.id, keo_role, keo_password)  # a second spawn: the same role, nothing doubled

    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env[DATABASE_URL_ENV] = trainee_url(store_url, keo_role, keo_password)
    env["PGCONNECT_TIMEOUT"] = "5"
    done = subprocess.run([sys.executable, "-c", TRAINEE_CODE, str(noy.id), str(noy_row), str(keo.id)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)

    assert seen["all_answers"] == [] and seen["other_by_id"] == []
    assert seen["updated"] == 0 and seen["deleted"] == 0
    assert seen["learners"] == ["Keo"]
    assert seen["insert_as_other"] == "InsufficientPrivilege"  # the row-level policy's WITH CHECK
    assert seen["devices"] == "InsufficientPrivilege"
    assert seen["rename_other"] == "InsufficientPrivilege"
    assert seen["drop_policy"] == "InsufficientPrivilege"
    assert seen["become_owner"] == "InsufficientPrivilege"
    assert seen["owner_sign_in"] == "OperationalError"  # password sign-in: no password, no owner
    assert seen["api_answers"] == ["my own words"] and seen["api_latest_other"] is False

    # And Noy's words are as they were, seen by the owner.
    assert [(a.learner_id, a.value) for a in store.answers()] == [(noy.id, "Noy's private words"),
                                                                  (keo.id, "my own words")]
    assert store.device_learner("noy-device-hash").id == noy.id


def test_a_forgotten_trainees_role_sees_nothing_any_more(hub_store, postgres_schema):
    store, roles = hub_store
    _, store_url, _ = postgres_schema
    keo = store.learner("Keo")
    role, password = f"trainee_{uuid.uuid4().hex[:10]}", secrets.token_urlsafe(18)
    roles.append(role)
    store.grant_trainee(keo.id, role, password)
    store.record(keo.id, "welcome", "q1", "reflection", "mine")
    with psycopg.connect(trainee_url(store_url, role, password)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 1
    store.forget_id(keo.id)
    newcomer = store.learner("Bounmy")
    store.record(newcomer.id, "welcome", "q1", "reflection", "the newcomer's")
    with psycopg.connect(trainee_url(store_url, role, password)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM learners").fetchone()[0] == 0
