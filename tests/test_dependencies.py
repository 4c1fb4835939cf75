"""environment.yml (conda) and pyproject.toml (pip) must ask for the same packages."""
import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, before it joined the standard library
    import tomli as tomllib

import yaml

REPO = Path(__file__).resolve().parents[1]
# Conda needs these to build the environment; pip gets them another way.
CONDA_ONLY = {"python", "nodejs", "pip"}


def _split(requirement: str) -> tuple[str, str]:
    """Name and version range; an environment marker (``; python_version < '3.11'``) is pip's alone."""
    requirement = requirement.split(";")[0]
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return name, match.group(2).replace(" ", "")


def pip_requirements() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    return dict(_split(r) for r in reqs)


def conda_requirements() -> dict[str, str]:
    """The packages environment.yml asks for, conda's own and those its ``pip:`` list takes from PyPI."""
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    reqs = [d for d in env["dependencies"] if isinstance(d, str)]
    reqs += [r for d in env["dependencies"] if isinstance(d, dict) for r in d.get("pip", [])]
    return {name: spec for name, spec in map(_split, reqs) if name not in CONDA_ONLY}


def test_environment_and_pyproject_list_the_same_packages_and_versions():
    assert conda_requirements() == pip_requirements()


def test_conda_environment_uses_conda_forge():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]


def test_voila_reveal_is_never_a_dependency():
    # It pins voila<0.3 and makes pip backtrack for many minutes (see the course brief).
    assert "voila-reveal" not in pip_requirements()
    assert "voila-reveal" not in conda_requirements()
