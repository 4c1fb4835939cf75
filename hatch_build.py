"""Wheel build hook: puts reveal.js and the course itself inside the wheel.

`pip install <the wheel>` is then all a user runs: no Node.js, no npm, no checkout.

- reveal.js (the release pinned in package.json, which must match ``REVEAL_VERSION`` in
  src/artisan_course/paths.py) goes to ``artisan_course/vendor/reveal.js/``: its ``dist/``, its
  licence and its package.json (the course reads the version from it). The checkout's
  node_modules/ is used when it holds that release; otherwise npm installs it into a temporary
  folder. Node.js and npm are needed only here, by whoever builds the wheel.
- The course's content goes to ``artisan_course/course/``: ``data/``, ``notebooks/`` and
  ``exercises/``. Never ``solutions/``, and never a learner's store.

Editable installs (`pip install -e .`, what `make` does) get none of this: they read the checkout.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

COURSE_FOLDERS = ("data", "notebooks", "exercises")
# Never in a wheel: the worked solutions, and anything that looks like a learner's store or a checkpoint.
NEVER_FOLDERS = ("solutions", "__pycache__")
STORE_NAME = re.compile(r"\.(sqlite3?|db)($|-)|\.backup-|~$")


class CourseBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        self._tmp: str | None = None
        reveal = self._reveal_package(root)
        include = build_data["force_include"]
        for name in ("LICENSE", "package.json"):
            include[str(reveal / name)] = f"artisan_course/vendor/reveal.js/{name}"
        for path in sorted((reveal / "dist").rglob("*")):
            if path.is_file():
                include[str(path)] = f"artisan_course/vendor/reveal.js/dist/{path.relative_to(reveal / 'dist').as_posix()}"
        for folder in COURSE_FOLDERS:
            for path in sorted((root / folder).rglob("*")):
                relative = path.relative_to(root)
                if (not path.is_file() or STORE_NAME.search(path.name)
                        or any(part.startswith(".") or part in NEVER_FOLDERS for part in relative.parts)):
                    continue
                include[str(path)] = f"artisan_course/course/{relative.as_posix()}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if getattr(self, "_tmp", None):
            shutil.rmtree(self._tmp, ignore_errors=True)

    # -- reveal.js ------------------------------------------------------------------------------
    def _reveal_package(self, root: Path) -> Path:
        pinned = json.loads((root / "package.json").read_text(encoding="utf-8"))["dependencies"]["reveal.js"]
        match = re.search(r'^REVEAL_VERSION = "([^"]+)"', (root / "src/artisan_course/paths.py").read_text(encoding="utf-8"),
                          flags=re.MULTILINE)
        if not match or match.group(1) != pinned:
            raise RuntimeError(f"package.json pins reveal.js {pinned}, but paths.REVEAL_VERSION says "
                               f"{match.group(1) if match else 'nothing'}; make them agree.")
        local = root / "node_modules" / "reveal.js"
        if _version(local) == pinned:
            return local
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(f"Building the course's wheel needs npm (Node.js) to fetch reveal.js {pinned}. "
                               "Only the person who builds the wheel needs it; its users never do.")
        self._tmp = tempfile.mkdtemp(prefix="artisan-course-reveal-")
        shutil.copy2(root / "package.json", self._tmp)
        if (root / "package-lock.json").is_file():
            shutil.copy2(root / "package-lock.json", self._tmp)
            command = [npm, "ci", "--omit=dev", "--no-audit", "--no-fund"]
        else:
            command = [npm, "install", "--omit=dev", "--no-audit", "--no-fund", "--no-package-lock"]
        self.app.display_info(f"Installing reveal.js {pinned} with npm for the wheel")
        subprocess.run(command, cwd=self._tmp, check=True)
        fetched = Path(self._tmp) / "node_modules" / "reveal.js"
        if _version(fetched) != pinned or not (fetched / "LICENSE").is_file():
            raise RuntimeError(f"npm did not install reveal.js {pinned} with its LICENSE.")
        return fetched


def _version(package: Path) -> str | None:
    try:
        return json.loads((package / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None
