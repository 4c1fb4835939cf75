"""Where the course's files live.

From a checkout (``pip install -e .``, what ``make`` does), the notebooks, data,
reveal.js and the Lao font (in node_modules/, from npm) sit beside the package.
A wheel carries them inside the package instead (see hatch_build.py): the course
in ``course/``, reveal.js in ``vendor/reveal.js/`` and the font in
``vendor/noto-sans-lao/``, so an installed wheel needs no checkout and no Node.js. Set ``ARTISAN_COURSE_ROOT``
to point at another copy of the course.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SERVING_DIR = PACKAGE_DIR / "serving"
TEMPLATE_NAME = "artisan"
# Voilà looks for templates under <jupyter data dir>/voila/templates/<name>.
JUPYTER_DATA_DIR = SERVING_DIR / "share" / "jupyter"
TEMPLATE_DIR = JUPYTER_DATA_DIR / "voila" / "templates" / TEMPLATE_NAME
PAGES_DIR = SERVING_DIR / "pages"

# The reveal.js release whose CSS and script the deck template is written for.
REVEAL_VERSION = "6.0.1"

# The Lao font: Noto Sans Lao (SIL Open Font License 1.1), from npm's @fontsource/noto-sans-lao, which package.json
# pins to this version. Only its Lao letters are used (regular and bold); other scripts keep their usual fonts.
LAO_FONT_PACKAGE = "@fontsource/noto-sans-lao"
LAO_FONT_VERSION = "5.3.0"
LAO_FONT_FILES = ("noto-sans-lao-lao-400-normal.woff2", "noto-sans-lao-lao-700-normal.woff2")

STORE_ENV = "ARTISAN_COURSE_HOME"
ROOT_ENV = "ARTISAN_COURSE_ROOT"

# Filled only in a wheel, by hatch_build.py: never in a checkout.
PACKAGED_COURSE = PACKAGE_DIR / "course"
PACKAGED_REVEAL = PACKAGE_DIR / "vendor" / "reveal.js"
PACKAGED_LAO_FONT = PACKAGE_DIR / "vendor" / "noto-sans-lao"


class CourseNotFound(RuntimeError):
    pass


def course_root() -> Path:
    """The folder that holds ``data/course_map.yaml`` and ``notebooks/``."""
    override = os.environ.get(ROOT_ENV)
    candidates = [Path(override)] if override else []
    candidates += [PACKAGE_DIR.parents[1], PACKAGED_COURSE, Path.cwd()]
    for candidate in candidates:
        if (candidate / "data" / "course_map.yaml").is_file():
            return candidate.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise CourseNotFound(
        f"Could not find the course files (data/course_map.yaml). Looked in: {tried}. "
        f"Run the command from the course folder, or set {ROOT_ENV}."
    )


def data_dir() -> Path:
    return course_root() / "data"


def data_path(filename: str) -> Path:
    """A file in ``data/``, for the curious in a notebook: ``pd.read_csv(data_path("products.csv"))``."""
    return data_dir() / filename


def notebooks_dir() -> Path:
    return course_root() / "notebooks"


def reveal_dist() -> Path:
    """reveal.js's ``dist/`` folder: the wheel's own copy, else the checkout's npm install (``artisan-course
    setup``)."""
    packaged = PACKAGED_REVEAL / "dist"
    if packaged.is_dir():
        return packaged
    return course_root() / "node_modules" / "reveal.js" / "dist"


def lao_font_package() -> Path:
    """The Lao font's folder (its LICENSE, package.json and ``files/``): the wheel's copy, else the checkout's npm
    one."""
    if PACKAGED_LAO_FONT.is_dir():
        return PACKAGED_LAO_FONT
    return course_root() / "node_modules" / "@fontsource" / "noto-sans-lao"


def store_home() -> Path:
    """The folder that holds the learner store. Documented in the README."""
    override = os.environ.get(STORE_ENV)
    if override:
        return Path(override).expanduser()
    return Path.home() / ".artisan-course"
