#!/bin/bash
# Installs the course from this folder, with no internet, and then starts it.
# On a Mac this same file is install.command: double-click it.
#
#   ./install.sh [FOLDER] [-- OPTIONS FOR "artisan-course slides"]
#
# FOLDER is where the course goes (default: ~/artisan-course-app). Installing again, from
# this kit or a newer one, updates the course there. Learners' answers are never in that folder
# (they are in $ARTISAN_COURSE_HOME, or ~/.artisan-course), so an update keeps every one of them.
# Set PYTHON=/path/to/python@PYTHON_VERSION@ to choose the Python to use.
# Made by `artisan-course kit` for Python @PYTHON_VERSION@.
set -u

KIT="$(cd "$(dirname "$0")" && pwd)"
PYTHON_VERSION="@PYTHON_VERSION@"
COURSE_WHEEL="@COURSE_WHEEL@"
APP="$HOME/artisan-course-app"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then APP="$1"; shift; fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi

fail() {
    echo
    echo "The course was not installed. $1"
    echo "START-HERE.html, in the same folder as this file, says what to do."
    exit 1
}

echo "Installing the course (Python $PYTHON_VERSION) into $APP"
echo "This needs no internet and takes a few minutes. Please wait."

# A Python of the kit's version, with its venv module. The macOS /usr/bin/python3 is only a stub
# until the developer tools are installed, so it is tried only when they are.
version_check="import sys, ensurepip, venv; sys.exit(sys.version_info[:2] != tuple(map(int, '$PYTHON_VERSION'.split('.'))))"
PY=""
for candidate in "${PYTHON:-}" "python$PYTHON_VERSION" python3 python \
        "/Library/Frameworks/Python.framework/Versions/$PYTHON_VERSION/bin/python3" \
        "/opt/homebrew/bin/python$PYTHON_VERSION" "/usr/local/bin/python$PYTHON_VERSION"; do
    [ -n "$candidate" ] || continue
    found="$(command -v "$candidate" 2>/dev/null)" || continue
    if [ "$(uname -s)" = Darwin ] && [ "$found" = /usr/bin/python3 ] && ! xcode-select -p >/dev/null 2>&1; then
        continue
    fi
    if "$found" -c "$version_check" >/dev/null 2>&1; then PY="$found"; break; fi
done
[ -n "$PY" ] || fail "This computer needs Python $PYTHON_VERSION first, and none was found."

# Which folder of wheels fits this computer.
key="$("$PY" -c 'import platform, sys
m = platform.machine().lower()
arm = m in ("arm64", "aarch64")
print({"darwin": "macos-" + ("arm64" if arm else "intel"), "linux": "linux-" + ("aarch64" if arm else m)}.get(sys.platform, sys.platform))')"
WHEELS="$KIT/wheels"
[ -f "$WHEELS/$key/requirements.txt" ] || fail "This kit has nothing for this computer ($key). Make a kit with --platform $key."

VENV="$APP/venv"
if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c "$version_check" >/dev/null 2>&1; then
    echo "The course folder has another version of Python; it is made again. Learners' answers are kept."
    rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
    mkdir -p "$APP" && "$PY" -m venv "$VENV" || fail "Python could not make the folder $VENV."
fi

# Only this folder is used: no index, no user pip configuration.
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
unset PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_FIND_LINKS PIP_CONSTRAINT PIP_REQUIRE_VIRTUALENV
"$VENV/bin/python" -m pip install --no-index --find-links "$WHEELS/common" --find-links "$WHEELS/$key" \
    -r "$WHEELS/$key/requirements.txt" \
    || fail "A file of the kit could not be installed. If pip said the hashes do not match, copy the kit again."
# The course itself is always replaced, even when an older copy has the same version number.
"$VENV/bin/python" -m pip install --no-index --no-deps --force-reinstall --quiet "$WHEELS/common/$COURSE_WHEEL" \
    || fail "The course's own file could not be installed."

# The start scripts for later days, kept with the course (and on a Mac's desktop), not on the stick:
# the slides, and the learner's own copy of the exercises in JupyterLab.
write_launcher() {  # FILE COMMAND WHAT
    {
        echo '#!/bin/bash'
        echo "# $3 Stop it with Ctrl-C, or close this window."
        printf 'exec %q %s "$@"\n' "$VENV/bin/artisan-course" "$2"
    } > "$1"
    chmod +x "$1"
}
launcher="$APP/start-course.sh"
write_launcher "$launcher" slides "Starts the course's slides."
write_launcher "$APP/exercises.sh" lab "Opens your own copy of the course and its exercises in JupyterLab."
if [ "$(uname -s)" = Darwin ]; then
    cp "$launcher" "$APP/Start the course.command"
    cp "$APP/exercises.sh" "$APP/Course exercises.command"
    if [ -d "$HOME/Desktop" ]; then
        cp "$launcher" "$HOME/Desktop/Start the course.command"
        cp "$APP/exercises.sh" "$HOME/Desktop/Course exercises.command"
    fi
fi

echo
echo "The course is installed in $APP."
echo "On another day, start it with: $launcher"
echo "For the exercises in JupyterLab: $APP/exercises.sh"
echo "Starting the course now. Your browser opens it; to stop, press Ctrl-C or close this window."
# ${1+"$@"}: macOS bash 3.2 calls an empty "$@" unbound under set -u.
exec "$VENV/bin/artisan-course" slides ${1+"$@"}
