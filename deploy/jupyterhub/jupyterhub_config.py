"""JupyterHub for the artisan course: one server per trainee, every trainee's work in one PostgreSQL database.

Start it on one machine with ``artisan-course hub`` (which sets the variables below), or by hand with
``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` after exporting them. docs/deploy.md walks through it.

ARTISAN_COURSE_DATABASE_URL      the database the hub owns (postgresql://owner:password@host/db). Only the hub
                                 process holds it; each trainee's server gets a role of its own (see pre_spawn).
ARTISAN_COURSE_HUB_CODE          the workshop code trainees type as their password, with any name they choose.
ARTISAN_COURSE_HUB_FACILITATOR   the facilitator's hub name (a hub admin); ..._FACILITATOR_PASSWORD their password.
ARTISAN_COURSE_HUB_HOMES         the folder under which each trainee gets a home of their own.
ARTISAN_COURSE_HUB_IP / _PORT    where the hub listens (default 127.0.0.1:8000: this machine only).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sys
from pathlib import Path

from jupyterhub.auth import Authenticator
from jupyterhub.spawner import SimpleLocalProcessSpawner
from traitlets import Unicode

from artisan_course import paths
from artisan_course.state.learner import FACILITATOR_ENV, HUB_ENV, LEARNER_ID_ENV, validate_name
from artisan_course.state.store import DATABASE_URL_ENV, Store

c = get_config()  # noqa: F821 - JupyterHub provides it to its config file

OWNER_URL = os.environ[DATABASE_URL_ENV]
HOMES = Path(os.environ.get("ARTISAN_COURSE_HUB_HOMES", "/srv/artisan-course/homes"))
FACILITATOR = os.environ.get("ARTISAN_COURSE_HUB_FACILITATOR", "facilitator").strip().lower()



class WorkshopCodeAuthenticator(Authenticator):
    """Trainees sign in with a name of their choice and the workshop code the facilitator gives the room; the
    facilitator signs in with their own password. Changing the code (and restarting the hub) closes the door."""

    code = Unicode(config=True, help="the workshop code trainees type as their password")
    facilitator_password = Unicode(config=True, help="the facilitator's own password")

    def normalize_username(self, username: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", username.strip().lower()).strip("-")[:40]

    async def authenticate(self, handler, data):
        name = self.normalize_username(data.get("username", ""))
        given = data.get("password", "").strip()
        if not name:
            return None
        if name == FACILITATOR:
            ok = bool(self.facilitator_password) and hmac.compare_digest(given, self.facilitator_password)
            return name if ok else None
        if self.code and hmac.compare_digest(given.upper(), self.code.upper()):
            return name
        return None


def role_for(username: str) -> str:
    """A database role name for one hub user (lower case, digits and _; short, and the same every time)."""
    return "trainee_" + hashlib.sha256(username.encode()).hexdigest()[:20]


def pre_spawn(spawner) -> None:
    """Before a trainee's server starts: their learner (from the hub user, never a typed name), a database role of
    their own with a new password, and the environment their server and kernels run with. The owner's address is
    never in it."""
    username = spawner.user.name
    store = Store(HOMES, url=OWNER_URL)
    try:
        env = {HUB_ENV: "1", paths.STORE_ENV: str(HOMES / username), "JUPYTER_PATH": str(paths.JUPYTER_DATA_DIR)}
        if username == FACILITATOR:  # the facilitator's own learner, which no view of the room counts
            learner = store.facilitator_learner()
            env.update({DATABASE_URL_ENV: OWNER_URL, FACILITATOR_ENV: "1", LEARNER_ID_ENV: str(learner.id)})
        else:
            learner = store.learner(validate_name(username))
            env[LEARNER_ID_ENV] = str(learner.id)
            password = secrets.token_urlsafe(24)
            store.grant_trainee(learner.id, role_for(username), password)
            from psycopg.conninfo import make_conninfo
            env[DATABASE_URL_ENV] = make_conninfo(OWNER_URL, user=role_for(username), password=password)
    finally:
        store.close()
    (HOMES / username).mkdir(parents=True, exist_ok=True)
    spawner.environment.update(env)


# On Kubernetes (the Helm chart) the chart sets where the hub, its proxy and its records are, and KubeSpawner; on one
# machine this file does.
ONE_MACHINE = "KUBERNETES_SERVICE_HOST" not in os.environ
if ONE_MACHINE:
    c.JupyterHub.ip = os.environ.get("ARTISAN_COURSE_HUB_IP", "127.0.0.1")
    c.JupyterHub.port = int(os.environ.get("ARTISAN_COURSE_HUB_PORT", "8000"))
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = int(os.environ.get("ARTISAN_COURSE_HUB_API_PORT", "8081"))
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('ARTISAN_COURSE_HUB_PROXY_API_PORT', '8001')}"
    c.JupyterHub.db_url = "sqlite:///" + str(HOMES.parent / "jupyterhub.sqlite")  # the hub's own small records
    c.JupyterHub.cookie_secret_file = str(HOMES.parent / "jupyterhub_cookie_secret")
    c.ConfigurableHTTPProxy.pid_file = str(HOMES.parent / "jupyterhub-proxy.pid")
c.JupyterHub.authenticator_class = WorkshopCodeAuthenticator
c.WorkshopCodeAuthenticator.code = os.environ.get("ARTISAN_COURSE_HUB_CODE", "")
c.WorkshopCodeAuthenticator.facilitator_password = os.environ.get("ARTISAN_COURSE_HUB_FACILITATOR_PASSWORD", "")
c.Authenticator.allow_all = True  # everyone with the code; the facilitator removes a user from the admin page
c.Authenticator.admin_users = {FACILITATOR}

if ONE_MACHINE:
    # One machine: every trainee's server is a process of the hub's own system user, in a home of its own. For trainees
    # who may run code against each other's files, use LocalProcessSpawner with one system user each, or KubeSpawner
    # (docs/deploy.md); the database is private either way (row-level security).
    c.JupyterHub.spawner_class = SimpleLocalProcessSpawner
    c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.pre_spawn_hook = pre_spawn
if ONE_MACHINE:
    c.Spawner.notebook_dir = str(paths.notebooks_dir().parent)
# Each trainee's server opens on the course map (/user/<name>/course/); its decks are at
# /user/<name>/voila/render/<deck>.ipynb, as on the slide server, through Voilà and the course's server extension
# (artisan_course/serving/hub_server.py: reveal.js, the font and the deck's wording from the course; a deck only for
# the server's own signed-in trainee); the exercises open in JupyterLab (/user/<name>/lab).
c.Spawner.default_url = os.environ.get("ARTISAN_COURSE_HUB_OPEN", "/course/")
c.Spawner.args = ["--VoilaConfiguration.template=artisan", "--VoilaConfiguration.show_tracebacks=False",
                  "--ServerApp.jpserver_extensions=artisan_course.serving.hub_server=True"]
if os.geteuid() == 0:  # a container or a test machine that runs everything as root
    c.Spawner.args.append("--allow-root")
c.Spawner.env_keep = ["PATH", "LANG", "LC_ALL", "VIRTUAL_ENV", "ARTISAN_COURSE_ROOT"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Limits per trainee: enforced by spawners that can (KubeSpawner, systemdspawner); a local process is not limited.
c.Spawner.mem_limit = os.environ.get("ARTISAN_COURSE_HUB_MEMORY", "1G")
c.Spawner.cpu_limit = float(os.environ.get("ARTISAN_COURSE_HUB_CPUS", "1"))

# The idle culler: a trainee's server that has done nothing for an hour is stopped (their work is in the database).
c.JupyterHub.load_roles = [{"name": "idle-culler", "services": ["idle-culler"],
                            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}]
c.JupyterHub.services = [{"name": "idle-culler", "command": [
    sys.executable, "-m", "jupyterhub_idle_culler",
    f"--timeout={os.environ.get('ARTISAN_COURSE_HUB_IDLE_SECONDS', '3600')}"]}]
