"""``artisan-course kit DIR``: a folder to copy onto a USB stick that installs the course with no internet.

The folder it writes::

    START-HERE.html                   one page, in plain words, for someone who has never used a terminal
    install.bat, start.bat            Windows: install (then start), and start on later days
    install.command, start.command    macOS: the same scripts as the .sh ones, opened by a double-click
    install.sh, start.sh              Linux
    wheels/common/                    the course's own wheel and every pure-Python wheel (one copy for all)
    wheels/<platform>/                the compiled wheels for one platform, and its requirements.txt
                                      (every package pinned, with its sha256, so a damaged copy is refused)
    kit.json                          what the kit holds: versions, platforms, every file with its size and hash

How it is made: the course's wheel (built from this checkout, which needs npm, or given with
``--wheel``) is resolved for each platform with ``pip install --dry-run --report --only-binary=:all:``,
which reads metadata only. Only when every platform has a wheel for every requirement is anything
written; otherwise the error names what is missing, per platform. Then pip downloads the exact files
the resolution chose, or copies them from the kit cache (see wheel_cache()), and the installers run
``pip install --no-index --find-links`` on the learner's computer.

The kit holds wheels and scripts only: never ``solutions/``, never a learner's store (checked).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform as _platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .. import paths

DEFAULT_PYTHON = "3.11"
FILES = Path(__file__).resolve().parent / "kit_files"
MANIFEST = "kit.json"


class KitError(Exception):
    """A problem to tell whoever makes the kit, as sentences."""


# -- platforms --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Platform:
    key: str                       # its folder under wheels/; the installers look for this name
    label: str                     # in plain words
    pip_platforms: tuple[str, ...]  # pip's --platform values
    installer: str                 # the file a user opens on that computer
    system: tuple[str, str, str, str]  # os_name, sys_platform, platform_system, platform_machine

    def marker_environment(self, python: str) -> dict[str, str]:
        """The values a requirement's marker (``; sys_platform == "win32"``) sees on that computer."""
        os_name, sys_platform, system, machine = self.system
        return {"os_name": os_name, "sys_platform": sys_platform, "platform_system": system,
                "platform_machine": machine, "platform_release": "", "platform_version": "",
                "implementation_name": "cpython", "platform_python_implementation": "CPython",
                "implementation_version": f"{python}.0", "python_version": python, "python_full_version": f"{python}.0"}


def _manylinux(arch: str) -> tuple[str, ...]:
    # glibc 2.28 or newer (Debian 10, Ubuntu 20.04 and later); pip does not widen these tags itself.
    return tuple(f"manylinux_2_{minor}_{arch}" for minor in range(28, 16, -1)) + (f"manylinux2014_{arch}",)


PLATFORMS = {
    p.key: p for p in (
        Platform("windows", "Windows 64-bit", ("win_amd64",), "install.bat", ("nt", "win32", "Windows", "AMD64")),
        # pip widens a macOS tag to every older macOS version and to universal2 wheels.
        Platform("macos-arm64", "macOS, Apple silicon (M1 and later; macOS 11 or newer)", ("macosx_11_0_arm64",),
                 "install.command", ("posix", "darwin", "Darwin", "arm64")),
        Platform("macos-intel", "macOS, Intel (macOS 10.13 or newer)", ("macosx_10_13_x86_64",), "install.command",
                 ("posix", "darwin", "Darwin", "x86_64")),
        Platform("linux-x86_64", "Linux, 64-bit Intel or AMD", _manylinux("x86_64"), "install.sh",
                 ("posix", "linux", "Linux", "x86_64")),
        Platform("linux-aarch64", "Linux, 64-bit ARM", _manylinux("aarch64"), "install.sh",
                 ("posix", "linux", "Linux", "aarch64")),
    )
}
THIS = "this"
DEFAULT_PLATFORMS = (THIS, "windows", "macos-arm64", "macos-intel")
PLATFORM_CHOICES = (THIS, *PLATFORMS)


def this_machine() -> Platform:
    machine = _platform.machine().lower()
    arm = machine in ("arm64", "aarch64")
    if sys.platform == "win32" and machine in ("amd64", "x86_64"):
        return PLATFORMS["windows"]
    if sys.platform == "darwin":
        return PLATFORMS["macos-arm64" if arm else "macos-intel"]
    if sys.platform.startswith("linux") and (arm or machine == "x86_64"):
        return PLATFORMS["linux-aarch64" if arm else "linux-x86_64"]
    raise KitError(f"This computer ({sys.platform}, {machine}) is not one the kit knows; "
                   f"name the platforms with --platform ({', '.join(PLATFORMS)}).")


def choose_platforms(names: list[str] | None) -> list[Platform]:
    chosen: list[Platform] = []
    for name in names or DEFAULT_PLATFORMS:
        if name != THIS and name not in PLATFORMS:
            raise KitError(f"'{name}' is not a platform the kit knows: use one of {', '.join(PLATFORM_CHOICES)}.")
        platform = this_machine() if name == THIS else PLATFORMS[name]
        if platform not in chosen:
            chosen.append(platform)
    return chosen


def check_python(version: str) -> str:
    match = re.fullmatch(r"3\.(\d{1,2})", version or "")
    if not match:
        raise KitError(f"--python takes a version such as {DEFAULT_PYTHON}, not '{version}'.")
    if int(match.group(1)) < 10:
        raise KitError(f"The course needs Python 3.10 or newer, so a kit for Python {version} cannot work.")
    return version


# -- the course's wheel -----------------------------------------------------------------------------
WHEEL_NAME = re.compile(r"^artisan_course-[A-Za-z0-9_.+]+-py3-none-any\.whl$")
REVEAL_IN_WHEEL = ("artisan_course/vendor/reveal.js/dist/reveal.js", "artisan_course/vendor/reveal.js/dist/reveal.css",
                   "artisan_course/vendor/reveal.js/LICENSE", "artisan_course/course/data/course_map.yaml",
                   # the Lao font (its licence travels with it), so Lao reads well with no internet
                   "artisan_course/vendor/noto-sans-lao/LICENSE",
                   *(f"artisan_course/vendor/noto-sans-lao/files/{name}" for name in paths.LAO_FONT_FILES))
# A learner's store, its backups, or the worked solutions: none of them may travel in a kit.
PRIVATE = re.compile(r"(^|/)solutions/|-solution\.ipynb$|\.sqlite3?($|-)|\.backup-|(^|/)\.artisan-course/")


def build_course_wheel(out_dir: Path, say: Callable[[str], None] = print) -> Path:
    """Build the course's wheel from this checkout (hatch_build.py brings reveal.js in with npm)."""
    root = paths.course_root()
    if not (root / "pyproject.toml").is_file() or not (root / "hatch_build.py").is_file():
        raise KitError(f"The course in {root} is an installed copy, with nothing to build a wheel from. "
                       "Give the course's wheel with --wheel FILE, or run the command in a checkout of the course.")
    say(f"Building the course's wheel from {root}")
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out_dir),
                             str(root)],
                            capture_output=True, text=True)
    wheels = sorted(out_dir.glob("artisan_course-*.whl"))
    if result.returncode != 0 or not wheels:
        detail = _last_error(result.stdout + result.stderr)
        raise KitError("The course's wheel could not be built" + (f": {detail}" if detail else ".")
                       + " Building it needs npm (Node.js) and the internet, once.")
    return wheels[-1]


def course_wheel_problems(wheel: Path) -> list[str]:
    """What makes ``wheel`` unfit for a kit: not the course, reveal.js missing, or private files inside."""
    if not WHEEL_NAME.match(wheel.name):
        return [f"{wheel.name} is not the course's wheel (artisan_course-VERSION-py3-none-any.whl)."]
    try:
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
    except (OSError, zipfile.BadZipFile) as exc:
        return [f"{wheel} cannot be read as a wheel ({exc})."]
    problems = [f"{wheel.name} has no {name}: build it with `pip wheel .` from a checkout, with npm at hand."
                for name in REVEAL_IN_WHEEL if name not in names]
    private = [name for name in names if PRIVATE.search(name)]
    if private:
        problems.append(f"{wheel.name} holds files that must not be handed out: {', '.join(private[:5])}.")
    return problems


def course_facts(wheel: Path) -> dict:
    """Version, title and credit line of the course inside ``wheel``, for the kit's page."""
    import yaml
    version = wheel.name.split("-")[1]
    with zipfile.ZipFile(wheel) as archive:
        course_map = yaml.safe_load(archive.read("artisan_course/course/data/course_map.yaml").decode("utf-8"))
    return {"version": version, "title": course_map.get("title", "the course"), "credit": course_map.get("credit", "")}


# -- resolving: which wheel of which package, per platform ---------------------------------------------
@dataclass(frozen=True)
class Wheel:
    name: str
    version: str
    filename: str
    url: str
    sha256: str
    requires: tuple[str, ...] = ()  # its Requires-Dist lines, markers included

    @property
    def pure(self) -> bool:
        return self.filename.endswith("-none-any.whl")

    @property
    def is_course(self) -> bool:
        return self.name == "artisan-course"


def _target_args(platform: Platform | None, python: str) -> list[str]:
    args = ["--only-binary=:all:", "--python-version", python, "--implementation", "cp"]
    for tag in platform.pip_platforms if platform else ():
        args += ["--platform", tag]
    return args


def _pip(*args: str) -> list[str]:
    return [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]


# pip's --platform and --python-version choose wheel files for the target, but pip still evaluates
# requirement markers against the computer running it: made on Linux, a Windows kit would lack pywin32
# and pywinpty and hold pexpect. So the resolution runs pip with the target's marker environment.
# unmet_requirements() checks the result independently, so a pip that ignored this could not make a
# kit that fails on the learner's computer.
_PIP_WITH_MARKERS = """
import json, runpy, sys
import pip._vendor.packaging.markers as markers
target, computed = json.loads(sys.argv[1]), markers.default_environment
markers.default_environment = lambda: {**computed(), **target}
sys.argv = ["pip", *sys.argv[2:]]
runpy.run_module("pip", run_name="__main__", alter_sys=True)
"""


def _pip_for(platform: Platform, python: str, *args: str) -> list[str]:
    return [sys.executable, "-c", _PIP_WITH_MARKERS, json.dumps(platform.marker_environment(python)),
            "--disable-pip-version-check", *args]


def _last_error(output: str) -> str:
    errors = [line.removeprefix("ERROR: ").strip() for line in output.splitlines() if line.startswith("ERROR:")]
    return errors[-1] if errors else ""


OFFLINE_SIGNS = ("NewConnectionError", "Failed to establish a new connection", "Temporary failure in name resolution",
                 "Network is unreachable", "ConnectTimeoutError", "ProxyError")


def _missing_sentence(platform: Platform, python: str, output: str) -> str:
    if any(sign in output for sign in OFFLINE_SIGNS):
        return (f"{platform.label}: pip could not reach the package index. Making a kit needs the internet; "
                "installing from it does not.")
    needed = re.findall(r"Could not find a version that satisfies the requirement (.+?) \(from versions: ([^)]*)\)",
                        output)
    if needed:
        requirement, versions = needed[-1]
        found = f"pip found these versions, none of which fits: {versions}" if versions.strip() else \
            "pip found no wheel of it at all"
        return f"{platform.label}, Python {python}: no wheel for {requirement}; {found}."
    lines = output.strip().splitlines()
    detail = _last_error(output) or (lines[-1] if lines else "pip failed")
    return f"{platform.label}, Python {python}: the requirements could not be resolved ({detail})."


def resolve(course_wheel: Path, platform: Platform, python: str, pip_args: tuple[str, ...] = ()) -> list[Wheel]:
    """Every wheel that installing the course on ``platform`` needs, as pip would choose them.

    Raises KitError naming what is missing. ``pip_args`` adds index options (the tests use a local folder).
    """
    with tempfile.TemporaryDirectory(prefix="artisan-course-kit-") as tmp:
        report_path = Path(tmp) / "report.json"
        command = _pip_for(platform, python, "install", "--dry-run", "--ignore-installed", "--quiet", "--report",
                           str(report_path), *_target_args(platform, python), *pip_args, str(course_wheel))
        result = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        if result.returncode != 0 or not report_path.is_file():
            raise KitError(_missing_sentence(platform, python, result.stdout + result.stderr))
        report = json.loads(report_path.read_text(encoding="utf-8"))
    wheels = []
    for item in report["install"]:
        info = item["download_info"]
        filename = info["url"].rsplit("/", 1)[-1]
        sha256 = info.get("archive_info", {}).get("hashes", {}).get("sha256", "")
        if not filename.endswith(".whl") or not sha256:
            raise KitError(f"{platform.label}: pip chose {filename}, which is not a wheel with a known hash.")
        wheels.append(Wheel(_canonical(item["metadata"]["name"]), item["metadata"]["version"], filename, info["url"],
                            sha256, tuple(item["metadata"].get("requires_dist", []))))
    unmet = unmet_requirements(wheels, platform, python)
    if unmet:
        raise KitError(f"{platform.label}, Python {python}: the resolution misses " + "; ".join(unmet) + ".")
    return wheels


def unmet_requirements(wheels: list[Wheel], platform: Platform, python: str, root: str = "artisan-course") -> list[str]:
    """Each requirement that installing ``root`` on ``platform`` has and ``wheels`` does not meet, as a phrase."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    environment = platform.marker_environment(python)
    by_name = {w.name: w for w in wheels}
    unmet: list[str] = []
    seen: set[tuple[str, str]] = set()
    todo = [(root, "")]
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen or name not in by_name:
            continue
        seen.add((name, extra))
        wheel = by_name[name]
        for line in wheel.requires:
            requirement = Requirement(line)
            if requirement.marker is None:
                if extra:
                    continue  # a plain requirement belongs to the package itself, already followed
            elif not requirement.marker.evaluate({**environment, "extra": extra}):
                continue
            needed = canonicalize_name(requirement.name)
            found = by_name.get(needed)
            if found is None:
                unmet.append(f"{requirement} (needed by {name} {wheel.version})")
            elif not requirement.specifier.contains(found.version, prereleases=True):
                unmet.append(f"{requirement} (needed by {name} {wheel.version}; the kit has {found.version})")
            else:
                todo += [(needed, "")] + [(needed, canonicalize_name(e)) for e in requirement.extras]
    return unmet


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def resolve_all(course_wheel: Path, platforms: list[Platform], python: str, say: Callable[[str], None] = print,
                pip_args: tuple[str, ...] = ()) -> dict[str, list[Wheel]]:
    """Resolve every platform (at once: each waits mostly on the index); one KitError names every problem."""
    from concurrent.futures import ThreadPoolExecutor

    say(f"Checking that every requirement has a wheel for each platform, Python {python}: "
        + ", ".join(p.label for p in platforms))

    def one(platform: Platform) -> list[Wheel] | str:
        try:
            return resolve(course_wheel, platform, python, pip_args)
        except KitError as exc:
            return str(exc)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip((p.key for p in platforms), pool.map(one, platforms)))
    problems = [result for result in results.values() if isinstance(result, str)]
    if problems:
        raise KitError("Nothing was written, because some requirements have no wheel:\n  - " + "\n  - ".join(problems))
    for platform in platforms:
        say(f"  {platform.label}: {len(results[platform.key])} wheels, all found")
    return results


# -- writing the kit --------------------------------------------------------------------------------
def _folder_of(wheel: Wheel, platform: Platform) -> str:
    return "common" if wheel.pure else platform.key


def wheel_cache() -> Path:
    """Where wheels downloaded for a kit are kept, so the next kit need not fetch them again.

    pip's own cache only keeps what the server allows it to, and some networks strip those headers.
    Files here are named by their sha256 and checked on every use. Deleting the folder is always safe.
    """
    override = os.environ.get("ARTISAN_COURSE_KIT_CACHE")
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "artisan-course" / "kit-cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "artisan-course" / "kit-cache"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "artisan-course" / "kit-cache"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _from_cache(wheel: Wheel, dest: Path, cache: Path | None) -> bool:
    cached = cache / wheel.sha256 / wheel.filename if cache else None
    if cached is None or not cached.is_file() or _sha256(cached) != wheel.sha256:
        return False
    shutil.copy2(cached, dest / wheel.filename)
    return True


def _into_cache(wheel: Wheel, dest: Path, cache: Path | None) -> None:
    if cache is None:
        return
    try:
        (cache / wheel.sha256).mkdir(parents=True, exist_ok=True)
        shutil.copy2(dest / wheel.filename, cache / wheel.sha256 / wheel.filename)
    except OSError:
        pass  # a full or read-only cache only means the next kit downloads again


def download(wheels: list[Wheel], dest: Path, platform: Platform | None, python: str, label: str,
             say: Callable[[str], None] = print, pip_args: tuple[str, ...] = (), cache: Path | None = None) -> None:
    """Put exactly ``wheels`` into ``dest``: from the kit cache, else with pip (which checks every hash).

    One line of progress per file.
    """
    if not wheels:
        return
    dest.mkdir(parents=True, exist_ok=True)
    say(f"{label}: {len(wheels)} wheel(s)")
    width, count = len(str(len(wheels))), 0
    to_fetch = []
    for wheel in wheels:
        if _from_cache(wheel, dest, cache):
            count += 1
            say(f"  [{count:>{width}}/{len(wheels)}] {wheel.filename}  from the kit cache")
        else:
            to_fetch.append(wheel)
    if to_fetch:
        with tempfile.TemporaryDirectory(prefix="artisan-course-kit-") as tmp:
            requirements = Path(tmp) / "requirements.txt"
            requirements.write_text("".join(f"{w.url} --hash=sha256:{w.sha256}\n" for w in to_fetch), encoding="utf-8")
            command = _pip("download", "--no-deps", "--progress-bar", "off", "-d", str(dest),
                           *_target_args(platform, python), *pip_args, "-r", str(requirements))
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                       env=dict(os.environ, PYTHONUNBUFFERED="1"))
            output = []
            for line in process.stdout:
                output.append(line)
                step = re.match(r"\s*(Downloading|Using cached|Processing) (\S+\.whl)(?: \(([^)]+)\))?", line)
                if step:
                    count += 1
                    what = {"Downloading": "downloading", "Using cached": "from pip's cache",
                            "Processing": "copied"}[step.group(1)]
                    size = f" ({step.group(3)})" if step.group(3) and not step.group(3).startswith("from") else ""
                    say(f"  [{count:>{width}}/{len(wheels)}] {Path(step.group(2)).name}  {what}{size}")
            if process.wait() != 0:
                raise KitError(f"{label}: the download failed ({_last_error(''.join(output)) or 'pip failed'}). "
                               "Nothing was left in the kit; run the command again when the internet is back.")
    missing = [w.filename for w in wheels if not (dest / w.filename).is_file()]
    if missing:
        raise KitError(f"{label}: pip did not save {', '.join(missing)}.")
    for wheel in to_fetch:
        _into_cache(wheel, dest, cache)


def _render(name: str, **values: str) -> str:
    text = (FILES / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def _write_script(path: Path, text: str, windows: bool = False) -> None:
    data = text.replace("\r\n", "\n")
    path.write_bytes((data.replace("\n", "\r\n") if windows else data).encode("utf-8"))
    if not windows:
        path.chmod(0o755)


def write_scripts(kit: Path, course_wheel: str, python: str, platforms: list[Platform]) -> list[str]:
    values = {"PYTHON_VERSION": python, "COURSE_WHEEL": course_wheel,
              "PYTHON_TUPLE": python.replace(".", ", "), "PYTHON_NODOT": python.replace(".", "")}
    written = []
    keys = {p.key for p in platforms}
    if "windows" in keys:
        _write_script(kit / "install.bat", _render("install.bat", **values), windows=True)
        _write_script(kit / "start.bat", _render("start.bat", **values), windows=True)
        written += ["install.bat", "start.bat"]
    # One bash script serves macOS (as .command, opened from Finder) and Linux (.sh); it finds its folder itself.
    for suffix, wanted in ((".command", {"macos-arm64", "macos-intel"}), (".sh", {"linux-x86_64", "linux-aarch64"})):
        if keys & wanted:
            _write_script(kit / f"install{suffix}", _render("install.sh", **values))
            _write_script(kit / f"start{suffix}", _render("start.sh", **values))
            written += [f"install{suffix}", f"start{suffix}"]
    return written


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def write_start_here(kit: Path, facts: dict, python: str, platforms: list[Platform], sizes: dict[str, int]) -> None:
    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(FILES)), autoescape=True)
    rows = [{"label": p.label, "installer": p.installer, "size": _megabytes(sizes[p.key])} for p in platforms]
    html = env.get_template("START-HERE.html").render(
        title=facts["title"], credit=facts["credit"], version=facts["version"], python=python, platforms=rows,
        made=datetime.date.today().isoformat())
    (kit / "START-HERE.html").write_text(html, encoding="utf-8")


def kit_problems(kit: Path) -> list[str]:
    """Anything in a written kit that must not be handed out: solutions, a learner's store, or such inside a wheel."""
    problems = []
    for path in sorted(kit.rglob("*")):
        relative = path.relative_to(kit).as_posix()
        if PRIVATE.search(relative):
            problems.append(f"{relative} must not be in a kit.")
        if path.name.startswith("artisan_course-") and path.suffix == ".whl":
            problems += course_wheel_problems(path)
    return problems


@dataclass
class KitSummary:
    kit: Path
    course_wheel: Path
    platforms: list[Platform]
    sizes: dict[str, int]          # bytes each platform installs from (the common folder counted in)
    counts: dict[str, int]
    total: int

    def sentences(self) -> list[str]:
        lines = [f"The kit is ready in {self.kit} ({_megabytes(self.total)} in all)."]
        for p in self.platforms:
            lines.append(f"  {p.label}: {self.counts[p.key]} wheels, {_megabytes(self.sizes[p.key])}; open "
                         f"{p.installer}")
        lines.append(f"  the course's own wheel: {self.course_wheel.name}, "
                     f"{_megabytes(self.course_wheel.stat().st_size)}")
        lines.append("Copy the whole folder onto a USB stick. START-HERE.html, inside it, says what to do.")
        return lines


def _prepare_folder(kit: Path) -> None:
    if kit.exists() and (not kit.is_dir() or any(kit.iterdir())):
        raise KitError(f"{kit} already exists and is not empty. Choose a new folder for the kit.")


def make_kit(kit: Path, platform_names: list[str] | None = None, python: str = DEFAULT_PYTHON,
             wheel: Path | None = None,
             say: Callable[[str], None] = print, pip_args: tuple[str, ...] = (),
             cache: Path | None = None) -> KitSummary:
    """Write the kit; ``cache`` defaults to :func:`wheel_cache`."""
    python = check_python(python)
    platforms = choose_platforms(platform_names)
    kit = kit.expanduser().resolve()
    _prepare_folder(kit)
    with tempfile.TemporaryDirectory(prefix="artisan-course-wheel-") as build_dir:
        if wheel is None:
            course_wheel = build_course_wheel(Path(build_dir), say)
        else:
            course_wheel = Path(wheel).expanduser().resolve()
            if not course_wheel.is_file():
                raise KitError(f"There is no wheel at {course_wheel}.")
        problems = course_wheel_problems(course_wheel)
        if problems:
            raise KitError(" ".join(problems))
        say(f"The course's wheel: {course_wheel.name}, {_megabytes(course_wheel.stat().st_size)}")
        resolved = resolve_all(course_wheel, platforms, python, say, pip_args)

        # Everything is known to exist: now, and only now, the kit folder is written.
        created = not kit.exists()
        try:
            return _write_kit(kit, course_wheel, platforms, resolved, python, say, pip_args,
                              cache if cache is not None else wheel_cache())
        except BaseException:
            if created:
                shutil.rmtree(kit, ignore_errors=True)
            else:
                for child in kit.iterdir():
                    shutil.rmtree(child) if child.is_dir() else child.unlink()
            raise


def _write_kit(kit: Path, course_wheel: Path, platforms: list[Platform], resolved: dict[str, list[Wheel]], python: str,
               say: Callable[[str], None], pip_args: tuple[str, ...], cache: Path) -> KitSummary:
    wheels_dir = kit / "wheels"
    (wheels_dir / "common").mkdir(parents=True)
    shutil.copy2(course_wheel, wheels_dir / "common" / course_wheel.name)
    common: dict[str, Wheel] = {}
    for platform in platforms:
        for w in resolved[platform.key]:
            if w.pure and not w.is_course:
                common.setdefault(w.filename, w)
    download(sorted(common.values(), key=lambda w: w.filename), wheels_dir / "common", None, python,
             "Pure-Python wheels, for every platform", say, pip_args, cache)
    for platform in platforms:
        compiled = [w for w in resolved[platform.key] if not w.pure]
        download(compiled, wheels_dir / platform.key, platform, python, platform.label, say, pip_args, cache)
        # Pinned with hashes: pip refuses a damaged copy, and installs exactly what was checked here.
        lines = [f"{w.name}=={w.version} --hash=sha256:{w.sha256}"
                 for w in sorted(resolved[platform.key], key=lambda w: w.name)]
        (wheels_dir / platform.key).mkdir(parents=True, exist_ok=True)
        (wheels_dir / platform.key / "requirements.txt").write_text(
            f"# Every package the course needs on {platform.label}, Python {python}, as checked when the "
            "kit was made.\n"
            + "\n".join(lines) + "\n", encoding="utf-8")

    sizes, counts, files = {}, {}, {}
    for platform in platforms:
        total = 0
        for w in resolved[platform.key]:
            path = wheels_dir / _folder_of(w, platform) / w.filename
            digest = _sha256(path)
            if digest != w.sha256:
                raise KitError(f"{path.name} does not match the hash pip reported; make the kit again.")
            files[path.relative_to(kit).as_posix()] = {"bytes": path.stat().st_size, "sha256": digest}
            total += path.stat().st_size
        sizes[platform.key], counts[platform.key] = total, len(resolved[platform.key])

    facts = course_facts(course_wheel)
    scripts = write_scripts(kit, course_wheel.name, python, platforms)
    write_start_here(kit, facts, python, platforms, sizes)
    manifest = {
        "course": {"name": "artisan-course", "version": facts["version"], "wheel": course_wheel.name},
        "python": python,
        "made": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "platforms": {p.key: {"label": p.label, "installer": p.installer, "wheels": counts[p.key],
                              "bytes": sizes[p.key]}
                      for p in platforms},
        "scripts": scripts,
        "files": files,
    }
    (kit / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    problems = kit_problems(kit)
    if problems:
        raise KitError(" ".join(problems))
    total = sum(path.stat().st_size for path in kit.rglob("*") if path.is_file())
    summary = KitSummary(kit, wheels_dir / "common" / course_wheel.name, platforms, sizes, counts, total)
    for line in summary.sentences():
        say(line)
    return summary
