"""N trainees signing in to the course's JupyterHub at once, on this machine (loopback only).

Run:  ARTISAN_COURSE_TEST_DATABASE_URL=postgresql://... ARTISAN_COURSE_HUB_PROXY=.../configurable-http-proxy \
      .venv/bin/python benchmarks/hub.py [--trainees 10 30]

For each N: a fresh schema in the test PostgreSQL server, `artisan-course hub` on a free port, then N trainees sign in
with the workshop code within a second, each asking for their server. Figures: the time from signing in to the
trainee's own server answering (its JupyterLab page through the hub's OAuth, then its status API), p50/p95/max;
each single-user server's memory once all are up (RSS, and PSS: shared pages split between the processes that map
them); the hub and proxy's own memory. Decks through Voilà inside a trainee's server are not measured: they are not
served there yet (docs/deploy.md). Everything stops at the end; the schema and the trainees' roles are dropped.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import psycopg
import requests

REPO = Path(__file__).resolve().parents[1]
CODE = "BENCH"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sign_in_and_wait(base: str, name: str, limit: float) -> float:
    started = time.monotonic()
    session = requests.Session()
    form = session.get(base + "/hub/login", timeout=60)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
    answer = session.post(base + "/hub/login", data={"username": name, "password": CODE, "_xsrf": xsrf},
                          allow_redirects=False, timeout=60)
    assert answer.status_code == 302, answer.status_code
    session.get(base + "/hub/spawn", timeout=120)
    while time.monotonic() - started < limit:
        session.get(f"{base}/user/{name}/lab", timeout=120)
        status = session.get(f"{base}/user/{name}/api/status", timeout=60)
        if status.status_code == 200 and "started" in status.text:
            return time.monotonic() - started
        time.sleep(0.5)
    raise TimeoutError(f"{name}'s server did not start within {limit:g} s")


def memory(process: psutil.Process) -> tuple[float, float]:
    info = process.memory_full_info()
    return info.rss / 2**20, getattr(info, "pss", info.rss) / 2**20


def run(n: int, admin_url: str, proxy: str, limit: float) -> dict:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")
    store_url = psycopg.conninfo.make_conninfo(admin_url, options=f"-c search_path={schema}")
    home = Path(tempfile.mkdtemp(prefix="artisan-hub-bench-"))
    port = free_port()
    env = dict(os.environ, ARTISAN_COURSE_DATABASE_URL=store_url, ARTISAN_COURSE_HUB_CODE=CODE,
               ARTISAN_COURSE_HUB_FACILITATOR_PASSWORD=uuid.uuid4().hex, ARTISAN_COURSE_HUB_PROXY=proxy,
               ARTISAN_COURSE_HUB_API_PORT=str(free_port()), ARTISAN_COURSE_HUB_PROXY_API_PORT=str(free_port()),
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    log = open(home / "hub.log", "w")
    hub = subprocess.Popen([sys.executable, "-m", "artisan_course.cli", "hub", "--port", str(port), "--home",
                            str(home / "hub")], env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                           start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/hub/login", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or hub.poll() is not None:
                raise RuntimeError(f"the hub did not start (see {home / 'hub.log'})")
            time.sleep(0.5)
        load_before = os.getloadavg()[0]
        names = [f"trainee-{i:02d}" for i in range(n)]
        with ThreadPoolExecutor(n) as pool:
            times = sorted(pool.map(lambda name: sign_in_and_wait(base, name, limit), names))
        servers, others = [], []
        for child in psutil.Process(hub.pid).children(recursive=True):
            try:
                (servers if "jupyterhub-singleuser" in " ".join(child.cmdline()) else others).append(memory(child))
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        _, hub_pss = memory(psutil.Process(hub.pid))
        return {
            "n": n, "p50": statistics.median(times), "p95": times[max(0, int(round(0.95 * n)) - 1)],
            "max": times[-1], "servers": len(servers),
            "server_rss": statistics.mean(r for r, _ in servers), "server_pss": statistics.mean(p for _, p in servers),
            "hub_pss": hub_pss + sum(p for _, p in others),
            "load_before": load_before, "load_after": os.getloadavg()[0],
        }
    finally:
        os.killpg(hub.pid, signal.SIGTERM)
        try:
            hub.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, signal.SIGKILL)
        log.close()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            roles = admin.execute(f"SELECT role FROM {schema}.learner_roles").fetchall()
            admin.execute(f"DROP SCHEMA {schema} CASCADE")
            for (role,) in roles:
                admin.execute(f'DROP OWNED BY "{role}"')
                admin.execute(f'DROP ROLE "{role}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, nargs="+", default=[10])
    parser.add_argument("--limit", type=float, default=240, help="seconds each trainee's server may take")
    args = parser.parse_args()
    admin_url = os.environ["ARTISAN_COURSE_TEST_DATABASE_URL"]
    proxy = os.environ["ARTISAN_COURSE_HUB_PROXY"]
    print("| N | to own server p50 / p95 / max | servers up | per server RSS / PSS | hub + proxy + culler PSS "
          "| load before / after |")
    print("|---|---|---|---|---|---|")
    for n in args.trainees:
        r = run(n, admin_url, proxy, args.limit)
        print(f"| {r['n']} | {r['p50']:.1f} s / {r['p95']:.1f} s / {r['max']:.1f} s | {r['servers']} "
              f"| {r['server_rss']:.0f} / {r['server_pss']:.0f} MB | {r['hub_pss']:.0f} MB "
              f"| {r['load_before']:.1f} / {r['load_after']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
