#!/usr/bin/env bash
# The USB-stick kit, installed and run with no network at all. `.ci/run` runs this after `make test`.
#
# Online, it builds the course's wheel and a kit for this machine only (`artisan-course kit`; wheels
# come from the kit cache after the first run), and an older release of the course to update over
# (this tree with a lower version number). Then, inside a network namespace that has nothing but
# loopback (`unshare -n`, so it needs root), pytest runs tests/offline_install/test_offline_kit.py:
# install the kit into a fresh folder, start the slides, open two decks in Chromium, and update
# over the older release.
#
#   tests/offline_install/run.sh [PYTEST OPTIONS]     (PYTHON= a Python with the test extras; default .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-.venv/bin/python}"
if [ "$(id -u)" != 0 ]; then
    echo "offline_install: needs root, for a network namespace (unshare -n)." >&2
    exit 1
fi
command -v unshare >/dev/null && command -v ip >/dev/null || { echo "offline_install: needs unshare and ip." >&2; exit 1; }

work="$(mktemp -d -t artisan-course-offline-XXXXXX)"
trap 'rm -rf "$work"' EXIT
started=$SECONDS
version="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"

echo "offline_install: the older release to update over"
mkdir -p "$work/older-source"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work/older-source"
sed -i 's/^version = ".*"/version = "0.0.1"/' "$work/older-source/pyproject.toml"
[ -e node_modules ] && ln -s "$PWD/node_modules" "$work/older-source/node_modules"
"$PY" -m pip wheel --quiet --no-deps -w "$work/older" "$work/older-source"

echo "offline_install: the kit for this machine, Python $version"
"$PY" -m artisan_course.cli kit "$work/kit" --platform this --python "$version"
echo "offline_install: built in $((SECONDS - started)) s; now with no network"

older_wheel="$(ls "$work"/older/artisan_course-0.0.1-*.whl)"
export ARTISAN_COURSE_KIT="$work/kit" ARTISAN_COURSE_OLDER_WHEEL="$older_wheel"
unshare --net -- bash -c 'ip link set lo up && exec "$@"' _ \
    "$PY" -m pytest -p no:cacheprovider -v --durations=4 tests/offline_install "$@"
echo "offline_install: done in $((SECONDS - started)) s; figures (artifacts/offline-install.json):"
cat artifacts/offline-install.json 2>/dev/null || true
