"""Wheel build hook: puts reveal.js, the Lao font and the course itself inside the wheel.

`pip install <the wheel>` is then all a user runs: no Node.js, no npm, no checkout.

- reveal.js (the release pinned in package.json, which must match ``REVEAL_VERSION`` in
  src/artisan_course/paths.py) goes to ``artisan_course/vendor/reveal.js/``: its ``dist/``, its
  licence and its package.json (the course reads the version from it). The checkout's
  node_modules/ is used when it holds that release; otherwise npm installs it into a temporary
  folder. Node.js and npm are needed only here, by whoever builds the wheel.
- The interface's translation catalogs (``src/artisan_course/locale/``: interface.pot and each language's .po) are
  package files, so hatchling puts them in the wheel with no help from this hook; the .po is read as it is at run time.
- The Lao font, Noto Sans Lao (SIL Open Font License; npm's @fontsource/noto-sans-lao at the version package.json
  pins, which must match ``LAO_FONT_VERSION`` in paths.py), goes to ``artisan_course/vendor/noto-sans-lao/``: the
  regular and bold files of its Lao letters (``LAO_FONT_FILES``), its licence and its package.json. It comes with
  reveal.js, from the checkout's node_modules/ or the same npm install.
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
        packages = self._npm_packages(root)
        reveal, font = packages["reveal.js"], packages[FONT]
        include = build_data["force_include"]
        for name in ("LICENSE", "package.json"):
            include[str(reveal / name)] = f"artisan_course/vendor/reveal.js/{name}"
            include[str(font / name)] = f"artisan_course/vendor/noto-sans-lao/{name}"
        for path in sorted((reveal / "dist").rglob("*")):
            if path.is_file():
                include[str(path)] = ("artisan_course/vendor/reveal.js/dist/"
                                      f"{path.relative_to(reveal / 'dist').as_posix()}")
        for name in _pinned(root, "LAO_FONT_FILES"):
            include[str(font / "files" / name)] = f"artisan_course/vendor/noto-sans-lao/files/{name}"
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

    # -- reveal.js and the Lao font, from npm --------------------------------------------------------------
    def _npm_packages(self, root: Path) -> dict[str, Path]:
        """Each npm package the wheel carries, at the version package.json pins and paths.py expects."""
        pinned = json.loads((root / "package.json").read_text(encoding="utf-8"))["dependencies"]
        wanted = {"reveal.js": _pinned(root, "REVEAL_VERSION"), FONT: _pinned(root, "LAO_FONT_VERSION")}
        for name, version in wanted.items():
            if pinned.get(name) != version:
                raise RuntimeError(f"package.json pins {name} {pinned.get(name)}, but paths.py says {version}; "
                                   "make them agree.")
        local = {name: root / "node_modules" / name for name in wanted}
        if all(_version(path) == wanted[name] for name, path in local.items()):
            return local
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("Building the course's wheel needs npm (Node.js) to fetch reveal.js "
                               f"{wanted['reveal.js']} and the Lao font. Only the person who builds the wheel needs "
                               "it; its users never do.")
        self._tmp = tempfile.mkdtemp(prefix="artisan-course-npm-")
        shutil.copy2(root / "package.json", self._tmp)
        if (root / "package-lock.json").is_file():
            shutil.copy2(root / "package-lock.json", self._tmp)
            command = [npm, "ci", "--omit=dev", "--no-audit", "--no-fund"]
        else:
            command = [npm, "install", "--omit=dev", "--no-audit", "--no-fund", "--no-package-lock"]
        self.app.display_info(f"Installing reveal.js {wanted['reveal.js']} and the Lao font with npm for the wheel")
        subprocess.run(command, cwd=self._tmp, check=True)
        fetched = {name: Path(self._tmp) / "node_modules" / name for name in wanted}
        for name, path in fetched.items():
            if _version(path) != wanted[name] or not (path / "LICENSE").is_file():
                raise RuntimeError(f"npm did not install {name} {wanted[name]} with its LICENSE.")
        return fetched


FONT = "@fontsource/noto-sans-lao"


def _pinned(root: Path, name: str):
    """A constant of src/artisan_course/paths.py (a version string or a tuple of file names), read without importing."""
    import ast
    tree = ast.parse((root / "src/artisan_course/paths.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise RuntimeError(f"src/artisan_course/paths.py has no {name}.")


def _version(package: Path) -> str | None:
    try:
        return json.loads((package / "package.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None
