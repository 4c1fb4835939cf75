"""The course's wheel and `artisan-course kit`, as a facilitator preparing a USB stick relies on them.

- The wheel carries reveal.js (with its licence) and the course's notebooks, exercises and data, and an
  installed copy finds them without a checkout; it never carries solutions or a learner's store.
- A kit for Windows and both kinds of Mac has a wheel for every requirement, as those computers evaluate
  the requirements (metadata only, from the package index).
- A requirement with no wheel is named, per platform, before anything is written.
- A kit's folder: wheels shared once, each platform's compiled wheels and pinned, hashed requirements, the
  installers and start scripts, and a START-HERE page that loads nothing from outside.

The kit installed and run with no network at all is tests/offline_install/ (run by .ci/run).
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from artisan_course import paths
from artisan_course.packaging import kit

REPO = Path(__file__).resolve().parents[1]


# -- the wheel ----------------------------------------------------------------------------------------
def build_wheel(source: Path, out: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)],
                   check=True, capture_output=True, timeout=600)
    return next(out.glob("artisan_course-*.whl"))


@pytest.fixture(scope="session")
def course_wheel(tmp_path_factory) -> Path:
    return build_wheel(REPO, tmp_path_factory.mktemp("wheel"))


def tracked(folder: str) -> list[str]:
    listed = subprocess.run(["git", "ls-files", folder], cwd=REPO, capture_output=True, text=True, check=True).stdout
    return [line for line in listed.splitlines() if line]


def test_the_wheel_carries_reveal_and_the_course_but_no_solutions(course_wheel):
    names = set(zipfile.ZipFile(course_wheel).namelist())
    reveal = "artisan_course/vendor/reveal.js/"
    for name in ("dist/reveal.js", "dist/reveal.css", "dist/plugin/notes.js", "LICENSE", "package.json"):
        assert reveal + name in names
    manifest = json.loads(zipfile.ZipFile(course_wheel).read(reveal + "package.json"))
    assert manifest["version"] == paths.REVEAL_VERSION
    assert "Permission is hereby granted" in zipfile.ZipFile(course_wheel).read(reveal + "LICENSE").decode()
    # The Lao font, with its licence, which allows it to be handed on in the wheel and the kit.
    font = "artisan_course/vendor/noto-sans-lao/"
    for name in paths.LAO_FONT_FILES:
        assert zipfile.ZipFile(course_wheel).read(font + "files/" + name)[:4] == b"wOF2"
    assert "SIL Open Font License" in zipfile.ZipFile(course_wheel).read(font + "LICENSE").decode()
    assert json.loads(zipfile.ZipFile(course_wheel).read(font + "package.json"))["version"] == paths.LAO_FONT_VERSION
    for folder in ("data", "notebooks", "exercises"):
        files = tracked(folder)
        assert files
        missing = [f for f in files if f"artisan_course/course/{f}" not in names]
        assert not missing, f"the wheel lacks {missing}"
    # The interface's catalogs: read as they are (no compiled .mo), so the Lao pages speak Lao from the wheel too.
    for catalog in ("artisan_course/locale/interface.pot", "artisan_course/locale/lo/LC_MESSAGES/interface.po"):
        assert catalog in names
    assert "msgstr" in zipfile.ZipFile(course_wheel).read("artisan_course/locale/lo/LC_MESSAGES/interface.po").decode()
    assert not [n for n in names if "solution" in n or ".sqlite3" in n or "node_modules" in n]
    assert kit.course_wheel_problems(course_wheel) == []


def test_an_installed_wheel_finds_its_course_and_reveal_without_a_checkout(course_wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
                    str(course_wheel)], check=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("ARTISAN_COURSE_ROOT",)}
    env["PYTHONPATH"] = str(target)
    code = ("import json; from artisan_course import paths; from artisan_course.serving import assets; from "
            "artisan_course.content.course_map import load_course_map; "
            "print(json.dumps([str(paths.course_root()), str(paths.reveal_dist()), assets.missing_assets(), "
            "len(load_course_map().ready_modules())]))")
    result = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    root, reveal, problems, ready = json.loads(result.stdout)
    assert root == str(target / "artisan_course" / "course")
    assert reveal == str(target / "artisan_course" / "vendor" / "reveal.js" / "dist")
    assert problems == [] and ready >= 1


def test_a_store_or_checkpoint_in_a_course_folder_stays_out_of_the_wheel(tmp_path):
    source = tmp_path / "source"
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    (source / "node_modules").symlink_to((REPO / "node_modules").resolve())
    (source / "notebooks" / ".ipynb_checkpoints").mkdir()
    (source / "notebooks" / ".ipynb_checkpoints" / "00-welcome-checkpoint.ipynb").write_text("{}")
    (source / "data" / "course.sqlite3").write_text("a learner's answers")
    (source / "data" / "course.sqlite3.backup-2026").write_text("an old copy")
    names = zipfile.ZipFile(build_wheel(source, tmp_path / "out")).namelist()
    assert "artisan_course/course/notebooks/00-welcome.ipynb" in names
    assert not [n for n in names if "checkpoint" in n or "sqlite3" in n]


# -- resolving for other computers ---------------------------------------------------------------------
@pytest.fixture(scope="session")
def index_reachable() -> None:
    try:
        urllib.request.urlopen("https://pypi.org/simple/voila/", timeout=20).close()
    except OSError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must check the kit's platforms, but the package index is out of reach ({exc}).")
        pytest.skip(f"the package index is out of reach ({exc})")


def fits(filename: str, platform: kit.Platform, python: str) -> bool:
    """Whether a wheel file installs on ``platform`` with CPython ``python``, read from its own tags."""
    if filename.startswith("artisan_course-"):
        return True
    _, _, _, tags = parse_wheel_filename(filename)
    nodot = python.replace(".", "")
    for tag in tags:
        abi_ok = tag.abi in ("none", "abi3", f"cp{nodot}")
        interpreter_ok = tag.interpreter in ("py3", f"cp{nodot}") or (
            tag.abi == "abi3" and tag.interpreter.startswith("cp") and int(tag.interpreter[2:]) <= int(nodot))
        if tag.platform == "any":
            if abi_ok and interpreter_ok:
                return True
            continue
        if platform.key == "windows":
            platform_ok = tag.platform == "win_amd64"
        elif platform.key == "macos-arm64":
            m = re.fullmatch(r"macosx_(\d+)_(\d+)_(arm64|universal2)", tag.platform)
            platform_ok = bool(m) and (int(m.group(1)), int(m.group(2))) <= (11, 0)
        else:
            m = re.fullmatch(r"macosx_(\d+)_(\d+)_(x86_64|intel|universal2)", tag.platform)
            platform_ok = bool(m) and (int(m.group(1)), int(m.group(2))) <= (10, 13)
        if platform_ok and abi_ok and interpreter_ok:
            return True
    return False


def needed_names(wheels: list[kit.Wheel], environment: dict) -> tuple[set[str], list[str]]:
    """Follow the requirements from the course, with the target's markers; return (needed, unmet)."""
    by_name = {w.name: w for w in wheels}
    needed, unmet, todo = set(), [], [("artisan-course", frozenset())]
    while todo:
        name, extras = todo.pop()
        if (name, extras) in needed:
            continue
        needed.add((name, extras))
        for line in by_name[name].requires:
            req = Requirement(line)
            if req.marker and not any(req.marker.evaluate({**environment, "extra": e}) for e in ("", *extras)):
                continue
            dep = canonicalize_name(req.name)
            if dep not in by_name or not req.specifier.contains(by_name[dep].version, prereleases=True):
                unmet.append(f"{line} (from {name})")
                continue
            todo.append((dep, frozenset(canonicalize_name(e) for e in req.extras)))
    return {n for n, _ in needed}, unmet


ABROAD = ["windows", "macos-arm64", "macos-intel"]


@pytest.fixture(scope="session")
def resolved_abroad(index_reachable, course_wheel) -> dict[str, list[kit.Wheel]]:
    """What a kit for Windows and both Macs would hold: pip's resolution for each (metadata only), at once."""
    return kit.resolve_all(course_wheel, [kit.PLATFORMS[key] for key in ABROAD], kit.DEFAULT_PYTHON,
                           say=lambda line: None)


@pytest.mark.parametrize("key", ABROAD)
def test_windows_and_mac_kits_have_a_wheel_for_every_requirement(resolved_abroad, key):
    platform = kit.PLATFORMS[key]
    wheels = resolved_abroad[key]
    names = {w.name for w in wheels}
    assert {"artisan-course", "voila", "jupyterlab", "ipywidgets", "pandas", "matplotlib", "numpy"} <= names
    not_fitting = [w.filename for w in wheels if not fits(w.filename, platform, kit.DEFAULT_PYTHON)]
    assert not not_fitting, f"{platform.label}: these wheels do not install there: {not_fitting}"
    environment = platform.marker_environment(kit.DEFAULT_PYTHON)
    needed, unmet = needed_names(wheels, environment)
    assert not unmet, f"{platform.label}: no wheel meets {unmet}"
    assert needed == names, f"{platform.label}: the kit holds wheels nothing needs: {sorted(names - needed)}"
    # The requirements those computers have, and this one does not (and the other way round).
    if key == "windows":
        assert {"pywinpty", "colorama"} <= names and "pexpect" not in names
    else:
        assert "appnope" in names and "pywinpty" not in names
    assert Marker('sys_platform == "win32"').evaluate(environment) == (key == "windows")


# -- a kit made from a local folder, with no index ----------------------------------------------------------
def make_wheel(folder: Path, name: str, version: str, tag: str = "py3-none-any", requires: tuple[str, ...] = (),
               files: dict[str, str] | None = None) -> Path:
    """A small, valid wheel: enough for pip to resolve, download and hash it."""
    dist = f"{name.replace('-', '_')}-{version}"
    path = folder / f"{dist}-{tag}.whl"
    entries = dict(files or {})
    entries[f"{dist}.dist-info/METADATA"] = "\n".join(
        ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", "Requires-Python: >=3.10",
         *[f"Requires-Dist: {r}" for r in requires]]) + "\n"
    entries[f"{dist}.dist-info/WHEEL"] = f"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: {tag}\n"
    record = []
    for entry, text in entries.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{entry},sha256={digest},{len(text.encode())}")
    entries[f"{dist}.dist-info/RECORD"] = "\n".join(record + [f"{dist}.dist-info/RECORD,,"]) + "\n"
    with zipfile.ZipFile(path, "w") as archive:
        for entry, text in entries.items():
            archive.writestr(entry, text)
    return path


COURSE_FILES = {
    "artisan_course/__init__.py": "",
    "artisan_course/vendor/reveal.js/dist/reveal.js": "// reveal",
    "artisan_course/vendor/reveal.js/dist/reveal.css": "/* reveal */",
    "artisan_course/vendor/reveal.js/LICENSE": "MIT",
    "artisan_course/vendor/noto-sans-lao/LICENSE": "SIL Open Font License",
    **{f"artisan_course/vendor/noto-sans-lao/files/{name}": "wOF2" for name in paths.LAO_FONT_FILES},
    "artisan_course/course/data/course_map.yaml":
        'title: "Warm <b>&</b> tough"\ncredit: "Based on a deck by <i>two</i> authors."\nmodules: []\n',
}


@pytest.fixture
def local_index(tmp_path):
    """A folder of wheels: the 'course' needs a shared helper everywhere and a compiled one on Windows only."""
    folder = tmp_path / "index"
    folder.mkdir()
    make_wheel(folder, "kit-helper", "1.0")
    make_wheel(folder, "kit-compiled", "2.0",
               tag=f"cp{kit.DEFAULT_PYTHON.replace('.', '')}-cp{kit.DEFAULT_PYTHON.replace('.', '')}-win_amd64")
    make_wheel(folder, "kit-posix-only", "1.0")
    course = make_wheel(folder, "artisan-course", "9.1", files=COURSE_FILES,
                        requires=("kit-helper>=1", 'kit-compiled>=2; sys_platform == "win32"',
                                  'kit-posix-only; sys_platform != "win32"'))
    return folder, course, ("--no-index", "--find-links", str(folder))


def test_a_kit_holds_each_platforms_wheels_scripts_and_page(local_index, tmp_path):
    folder, course, index = local_index
    target = tmp_path / "stick"
    lines: list[str] = []
    summary = kit.make_kit(target, ["windows", "linux-x86_64"], wheel=course, say=lines.append, pip_args=index,
                           cache=tmp_path / "cache")
    wheels = target / "wheels"
    assert sorted(p.name for p in (wheels / "common").iterdir()) == [
        course.name, "kit_helper-1.0-py3-none-any.whl", "kit_posix_only-1.0-py3-none-any.whl"]
    assert [p.name for p in (wheels / "windows").glob("*.whl")] == ["kit_compiled-2.0-cp311-cp311-win_amd64.whl"]
    windows = (wheels / "windows" / "requirements.txt").read_text()
    linux = (wheels / "linux-x86_64" / "requirements.txt").read_text()
    assert "kit-compiled==2.0 --hash=sha256:" in windows and "kit-posix-only" not in windows
    assert "kit-posix-only==1.0 --hash=sha256:" in linux and "kit-compiled" not in linux
    digest = hashlib.sha256(course.read_bytes()).hexdigest()
    assert f"artisan-course==9.1 --hash=sha256:{digest}" in windows

    for name in ("install.bat", "start.bat"):
        data = (target / name).read_bytes()
        assert data.count(b"\r\n") == data.count(b"\n"), f"{name} needs Windows line ends"
        assert not re.search(rb"@[A-Z_]+@", data), f"{name} has a value left to fill in"
    assert course.name.encode() in (target / "install.bat").read_bytes()
    for name in ("install.sh", "start.sh"):
        assert os.access(target / name, os.X_OK)
        assert subprocess.run(["bash", "-n", str(target / name)]).returncode == 0
    assert f'COURSE_WHEEL="{course.name}"' in (target / "install.sh").read_text()
    assert not (target / "install.command").exists(), "no Mac was asked for"

    page = (target / "START-HERE.html").read_text()
    assert "Warm &lt;b&gt;&amp;&lt;/b&gt; tough" in page and "<i>two</i>" not in page
    assert "install.bat" in page and "Windows 64-bit" in page and "Linux, 64-bit Intel or AMD" in page
    assert not re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", page), "the page loads nothing from outside"
    assert "<script" not in page

    manifest = json.loads((target / "kit.json").read_text())
    assert manifest["course"]["version"] == "9.1" and set(manifest["platforms"]) == {"windows", "linux-x86_64"}
    for relative, facts in manifest["files"].items():
        assert hashlib.sha256((target / relative).read_bytes()).hexdigest() == facts["sha256"]
    assert kit.kit_problems(target) == []
    assert summary.counts == {"windows": 3, "linux-x86_64": 3}
    assert any(line.startswith("The kit is ready in") for line in lines)
    assert any(re.match(r"  \[1/\d\] kit_compiled-2\.0-.*win_amd64\.whl", line) for line in lines), lines

    # A second kit takes its wheels from the kit cache, checked against their hashes.
    lines.clear()
    kit.make_kit(tmp_path / "second", ["windows"], wheel=course, say=lines.append, pip_args=index,
                 cache=tmp_path / "cache")
    assert any("kit_compiled-2.0-cp311-cp311-win_amd64.whl  from the kit cache" in line for line in lines)


def test_a_requirement_without_a_wheel_is_named_per_platform_before_anything_is_written(local_index, tmp_path):
    _, _, index = local_index
    # kit-compiled has a wheel for Windows only; here every platform needs it.
    course = make_wheel(tmp_path, "artisan-course", "9.2", files=COURSE_FILES,
                        requires=("kit-helper>=1", "kit-compiled>=2"))
    target = tmp_path / "stick"
    with pytest.raises(kit.KitError) as caught:
        kit.make_kit(target, ["windows", "macos-arm64", "linux-x86_64"], wheel=course, say=lambda line: None,
                     pip_args=index, cache=tmp_path / "cache")
    message = str(caught.value)
    assert message.startswith("Nothing was written, because some requirements have no wheel")
    assert "Windows 64-bit" not in message, "Windows has its wheel"
    for label in ("macOS, Apple silicon (M1 and later; macOS 11 or newer)", "Linux, 64-bit Intel or AMD"):
        assert f"{label}, Python 3.11: no wheel for kit-compiled>=2" in message
    assert not target.exists()


def test_a_wheel_with_solutions_or_without_reveal_is_refused(tmp_path):
    leaky = make_wheel(tmp_path, "artisan-course", "9.4",
                       files={**COURSE_FILES, "artisan_course/course/solutions/01-solution.ipynb": "{}"})
    bare = make_wheel(tmp_path, "artisan-course", "9.5",
                      files={"artisan_course/course/data/course_map.yaml": "title: T\n"})
    assert "must not be handed out" in " ".join(kit.course_wheel_problems(leaky))
    assert "reveal.js/dist/reveal.js" in " ".join(kit.course_wheel_problems(bare))
    with pytest.raises(kit.KitError, match="must not be handed out"):
        kit.make_kit(tmp_path / "stick", ["windows"], wheel=leaky, say=lambda line: None)
    assert not (tmp_path / "stick").exists()


# -- the command ---------------------------------------------------------------------------------------
def run_cli(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "artisan_course.cli", *args], capture_output=True, text=True,
                            timeout=120)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_the_kit_command_says_in_one_sentence_what_is_wrong(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    result = run_cli("kit", str(tmp_path / "used"))
    assert result.returncode == 2 and "already exists and is not empty" in result.stderr
    result = run_cli("kit", str(tmp_path / "new"), "--python", "3.8")
    assert result.returncode == 2 and "needs Python 3.10 or newer" in result.stderr
    result = run_cli("kit", str(tmp_path / "new"), "--wheel", str(tmp_path / "nothing.whl"))
    assert result.returncode == 2 and "There is no wheel at" in result.stderr
    assert not (tmp_path / "new").exists()
    assert (tmp_path / "used" / "notes.txt").read_text() == "mine"


def test_this_machine_is_one_of_the_kits_platforms():
    platforms = kit.choose_platforms(None)
    assert platforms[0] == kit.this_machine()
    assert {p.key for p in platforms} >= {"windows", "macos-arm64", "macos-intel"}
    assert len(platforms) == len({p.key for p in platforms})
