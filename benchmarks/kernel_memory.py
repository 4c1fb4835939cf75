"""How much memory one trainee's kernel takes on each deck, once the deck has run.

Run:  .venv/bin/python benchmarks/kernel_memory.py [--decks 05-fairness-and-culture.ipynb ...] [--runs 3]

For each deck, a fresh kernel (the course's own Python, a temporary learner store) runs every code cell of the
deck as Voilà does, then the table gives its resident memory (RSS), what it alone holds (USS) and its proportional
share (PSS: shared libraries split between the processes that map them), the medians of ``--runs`` kernels, and
which of the heavy libraries the deck loaded. One kernel at a time; each is shut down before the next starts.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
from jupyter_client.manager import start_new_kernel

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("matplotlib", "pandas", "numpy")


def run_deck(path: Path, home: Path) -> dict:
    env = dict(os.environ, ARTISAN_COURSE_HOME=str(home), PYTHONPATH=str(REPO / "src"))
    manager, client = start_new_kernel(kernel_name="python3", env=env, cwd=str(path.parent), stderr=subprocess.DEVNULL)
    try:
        started = time.perf_counter()
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                reply = client.execute_interactive(cell.source, timeout=300, output_hook=lambda message: None)
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(f"{path.name}: a cell failed: {reply['content'].get('ename')}")
        seconds = time.perf_counter() - started
        loaded: list[str] = []

        def keep_output(message: dict) -> None:
            if message["msg_type"] == "stream":
                loaded.append(message["content"]["text"])

        client.execute_interactive("import sys as _s; print(','.join(m for m in %r if m in _s.modules))" % (HEAVY,),
                                   timeout=60, output_hook=keep_output)
        info = psutil.Process(manager.provisioner.process.pid).memory_full_info()
        return {"rss": info.rss / 2**20, "uss": info.uss / 2**20, "pss": info.pss / 2**20, "seconds": seconds,
                "loaded": "".join(loaded).strip() or "-"}
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decks", nargs="+", help="deck file names (default: every deck in notebooks/)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    decks = [REPO / "notebooks" / d for d in args.decks] if args.decks else sorted(
        p for p in (REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    print(f"{'deck':<34} {'RSS':>7} {'USS':>7} {'PSS':>7} {'run':>6}  loaded")
    for deck in decks:
        runs = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="artisan-memory-") as home:
                runs.append(run_deck(deck, Path(home)))
        median = {k: statistics.median(r[k] for r in runs) for k in ("rss", "uss", "pss", "seconds")}
        print(f"{deck.name:<34} {median['rss']:>5.0f}MB {median['uss']:>5.0f}MB {median['pss']:>5.0f}MB "
              f"{median['seconds']:>5.1f}s  {runs[0]['loaded']}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
