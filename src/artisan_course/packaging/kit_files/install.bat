@echo off
rem Installs the course from this folder, with no internet, and then starts it. Double-click it.
rem
rem   install.bat [FOLDER]
rem
rem FOLDER is where the course goes (default: %USERPROFILE%\artisan-course-app). Installing again,
rem from this kit or a newer one, updates the course there. Learners' answers are never in that
rem folder (they are in %ARTISAN_COURSE_HOME%, or %USERPROFILE%\.artisan-course), so an update
rem keeps every one of them. Set PYTHON to a python.exe to choose the Python to use.
rem Made by `artisan-course kit` for Python @PYTHON_VERSION@.
setlocal EnableExtensions
set "KIT=%~dp0"
if "%KIT:~-1%"=="\" set "KIT=%KIT:~0,-1%"
set "WHEELS=%KIT%\wheels"
set "COURSE_WHEEL=@COURSE_WHEEL@"
set "APP=%~1"
if "%APP%"=="" set "APP=%USERPROFILE%\artisan-course-app"
set "VENV=%APP%\venv"
set "VERSION_CHECK=import sys, ensurepip, venv; sys.exit(sys.version_info[:2] != (@PYTHON_TUPLE@))"

echo Installing the course (Python @PYTHON_VERSION@) into "%APP%"
echo This needs no internet and takes a few minutes. Please wait.
if not exist "%WHEELS%\windows\requirements.txt" goto no_wheels

rem A Python of the kit's version: the one named in PYTHON, the py launcher's, or python on the PATH.
set "PY="
if not defined PYTHON goto try_launcher
set "PYTHON=%PYTHON:"=%"
"%PYTHON%" -c "%VERSION_CHECK%" >nul 2>&1 && set "PY="%PYTHON%""
if defined PY goto have_python
:try_launcher
py -@PYTHON_VERSION@ -c "%VERSION_CHECK%" >nul 2>&1 && set "PY=py -@PYTHON_VERSION@"
if defined PY goto have_python
python -c "%VERSION_CHECK%" >nul 2>&1 && set "PY=python"
if defined PY goto have_python
set "USUAL=%LOCALAPPDATA%\Programs\Python\Python@PYTHON_NODOT@\python.exe"
if exist "%USUAL%" "%USUAL%" -c "%VERSION_CHECK%" >nul 2>&1 && set "PY="%USUAL%""
if defined PY goto have_python
echo.
echo The course was not installed. This computer needs Python @PYTHON_VERSION@ first, and none was found.
goto help

:have_python
if not exist "%VENV%\Scripts\python.exe" goto make_venv
"%VENV%\Scripts\python.exe" -c "%VERSION_CHECK%" >nul 2>&1 && goto install
echo The course folder has another version of Python; it is made again. Learners' answers are kept.
rmdir /s /q "%VENV%"
:make_venv
if not exist "%APP%" mkdir "%APP%"
%PY% -m venv "%VENV%"
if errorlevel 1 goto venv_failed

:install
rem Only this folder is used: no index, no user pip configuration.
set "PIP_CONFIG_FILE=NUL"
set "PIP_DISABLE_PIP_VERSION_CHECK=1"
set "PIP_NO_INPUT=1"
set "PIP_INDEX_URL="
set "PIP_EXTRA_INDEX_URL="
set "PIP_FIND_LINKS="
set "PIP_CONSTRAINT="
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%WHEELS%\common" --find-links "%WHEELS%\windows" -r "%WHEELS%\windows\requirements.txt"
if errorlevel 1 goto pip_failed
rem The course itself is always replaced, even when an older copy has the same version number.
"%VENV%\Scripts\python.exe" -m pip install --no-index --no-deps --force-reinstall --quiet "%WHEELS%\common\%COURSE_WHEEL%"
if errorlevel 1 goto pip_failed

rem The start scripts for later days, kept with the course and on the desktop, not on the stick:
rem the slides, and the learner's own copy of the exercises in JupyterLab.
set "LAUNCHER=%APP%\Start the course.bat"
echo @echo off> "%LAUNCHER%"
echo rem Starts the course's slides. Stop it with Ctrl-C, or close this window.>> "%LAUNCHER%"
echo "%VENV%\Scripts\artisan-course.exe" slides %%*>> "%LAUNCHER%"
echo if errorlevel 1 pause>> "%LAUNCHER%"
set "EXERCISES=%APP%\Course exercises.bat"
echo @echo off> "%EXERCISES%"
echo rem Opens your own copy of the course and its exercises in JupyterLab. Stop it with Ctrl-C, or close this window.>> "%EXERCISES%"
echo "%VENV%\Scripts\artisan-course.exe" lab %%*>> "%EXERCISES%"
echo if errorlevel 1 pause>> "%EXERCISES%"
if not exist "%USERPROFILE%\Desktop" goto installed
copy /y "%LAUNCHER%" "%USERPROFILE%\Desktop\Start the course.bat" >nul
copy /y "%EXERCISES%" "%USERPROFILE%\Desktop\Course exercises.bat" >nul

:installed
echo.
echo The course is installed in "%APP%".
echo On another day, double-click "Start the course" on the desktop or in that folder.
echo For the exercises in JupyterLab, double-click "Course exercises".
echo Starting the course now. Your browser opens it; to stop, press Ctrl-C or close this window.
"%VENV%\Scripts\artisan-course.exe" slides
if errorlevel 1 pause
exit /b 0

:no_wheels
echo.
echo The course was not installed. This kit has nothing for Windows. Make a kit with --platform windows.
goto help
:venv_failed
echo.
echo The course was not installed. Python could not make the folder "%VENV%".
goto help
:pip_failed
echo.
echo The course was not installed. A file of the kit could not be installed.
echo If pip said the hashes do not match, copy the kit again.
:help
echo START-HERE.html, in the same folder as this file, says what to do.
pause
exit /b 1
