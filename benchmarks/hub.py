"""N trainees signing in to the course's JupyterHub at once, on this machine (loopback only).

Run:  ARTISAN_COURSE_TEST_DATABASE_URL=postgresql://... ARTISAN_COURSE_HUB_PROXY=.../configurable-http-proxy \
      .venv/bin/python benchmarks/hub.py [--trainees 10 30]

For each N: a fresh schema in the test PostgreSQL server, `artisan-course hub` on a free port, then N trainees sign in
with the workshop code within a second, each asking for their server. Figures: the time from signing in to the
trainee's own server answering (its JupyterLab page through the hub's OAuth, then its status API), p50/p95/max;
each single-user server's memory once all are up (RSS, and PSS: shared pages split between the processes that map
them); the hub and proxy's own memory. Then every trainee opens the same deck (``--deck``, deck 05 by default) in
their own server at once, through Voilà: the time from asking to the whole deck page (Voilà sends it once the deck's
code has run: what a phone would then draw), p50/p95/max, and each server's memory with its deck's kernel.
Everything stops at the end; the schema and the trainees' roles are dropped.
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


def sign_in_and_wait(base: str, name: str, limit: float) -> tuple[float, requests.Session]:
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
            return time.monotonic() - started, session
        time.sleep(0.5)
    raise TimeoutError(f"{name}'s server did not start within {limit:g} s")


def open_deck(base: str, session: requests.Session, name: str, deck: str, limit: float) -> float:
    started = time.monotonic()
    page = session.get(f"{base}/user/{name}/voila/render/{deck}", timeout=limit)
    if page.status_code != 200 or "jupyter-config-data" not in page.text:
        raise RuntimeError(f"{name}'s deck did not open: HTTP {page.status_code}")
    return time.monotonic() - started


def server_memory(hub: psutil.Process) -> tuple[list, list]:
    """(RSS, PSS) of each single-user server with its kernels, and of everything else the hub started."""
    servers, others = [], []
    for child in hub.children(recursive=False):
        try:
            tree = [child] + child.children(recursive=True)
            if "jupyterhub-singleuser" in " ".join(child.cmdline()):
                figures = [memory(p) for p in tree]
                servers.append((sum(r for r, _ in figures), sum(p for _, p in figures)))
            else:
                others.extend(memory(p) for p in tree)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return servers, others


def memory(process: psutil.Process) -> tuple[float, float]:
    info = process.memory_full_info()
    return info.rss / 2**20, getattr(info, "pss", info.rss) / 2**20


def percentiles(times: list[float]) -> tuple[float, float, float]:
    times = sorted(times)
    return statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)], times[-1]


def run(n: int, admin_url: str, proxy: str, limit: float, deck: str) -> dict:
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
            signed_in = list(pool.map(lambda name: sign_in_and_wait(base, name, limit), names))
        times = [t for t, _ in signed_in]
        servers, others = server_memory(psutil.Process(hub.pid))
        _, hub_pss = memory(psutil.Process(hub.pid))
        with ThreadPoolExecutor(n) as pool:  # every trainee opens the deck in their own server at once
            deck_times = list(pool.map(lambda i: open_deck(base, signed_in[i][1], names[i], deck, limit), range(n)))
        with_deck, _ = server_memory(psutil.Process(hub.pid))
        p50, p95, most = percentiles(times)
        d50, d95, dmost = percentiles(deck_times)
        return {
            "n": n, "p50": p50, "p95": p95, "max": most, "servers": len(servers),
            "server_rss": statistics.mean(r for r, _ in servers), "server_pss": statistics.mean(p for _, p in servers),
            "hub_pss": hub_pss + sum(p for _, p in others),
            "deck_p50": d50, "deck_p95": d95, "deck_max": dmost,
            "deck_rss": statistics.mean(r for r, _ in with_deck), "deck_pss": statistics.mean(p for _, p in with_deck),
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
    parser.add_argument("--deck", default="05-fairness-and-culture.ipynb", help="the deck every trainee opens")
    args = parser.parse_args()
    admin_url = os.environ["ARTISAN_COURSE_TEST_DATABASE_URL"]
    proxy = os.environ["ARTISAN_COURSE_HUB_PROXY"]
    print("| N | to own server p50 / p95 / max | servers up | per server RSS / PSS | hub + proxy + culler PSS "
          f"| {args.deck} p50 / p95 / max | per server with its deck RSS / PSS | load before / after |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.trainees:
        r = run(n, admin_url, proxy, args.limit, args.deck)
        print(f"| {r['n']} | {r['p50']:.1f} s / {r['p95']:.1f} s / {r['max']:.1f} s | {r['servers']} "
              f"| {r['server_rss']:.0f} / {r['server_pss']:.0f} MB | {r['hub_pss']:.0f} MB "
              f"| {r['deck_p50']:.1f} s / {r['deck_p95']:.1f} s / {r['deck_max']:.1f} s "
              f"| {r['deck_rss']:.0f} / {r['deck_pss']:.0f} MB "
              f"| {r['load_before']:.1f} / {r['load_after']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
