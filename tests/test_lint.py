"""The project's Python passes ruff, with the rules and line length set in pyproject.toml."""
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Every folder and top-level file of the project's own Python that exists in this checkout.
TARGETS = [name for name in ("src", "tests", "benchmarks", "deploy", "data", "conftest.py", "hatch_build.py")
           if (REPO / name).exists()]


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "full", *TARGETS],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"ruff found problems:\n{result.stdout}{result.stderr}", pytrace=False)
