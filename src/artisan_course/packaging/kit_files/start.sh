#!/bin/bash
# Starts the course that install.sh (install.command on a Mac) installed from this kit.
# On a Mac this same file is start.command: double-click it.
#
#   ./start.sh [FOLDER] [-- OPTIONS FOR "artisan-course slides"]
#
# FOLDER is where the course was installed (default: ~/artisan-course-app). After installing,
# the same start script is also kept in that folder, so the stick is not needed on later days.
APP="$HOME/artisan-course-app"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then APP="$1"; shift; fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi
if [ ! -x "$APP/venv/bin/artisan-course" ]; then
    echo "The course is not installed in $APP yet. Open install.sh (install.command on a Mac) first."
    exit 1
fi
echo "Starting the course. Your browser opens it; to stop, press Ctrl-C or close this window."
exec "$APP/venv/bin/artisan-course" slides "$@"
