@echo off
rem Starts the course that install.bat installed from this kit. Double-click it.
rem
rem   start.bat [FOLDER]
rem
rem FOLDER is where the course was installed (default: %USERPROFILE%\artisan-course-app). After
rem installing, "Start the course" is also on the desktop, so the stick is not needed on later days.
setlocal EnableExtensions
set "APP=%~1"
if "%APP%"=="" set "APP=%USERPROFILE%\artisan-course-app"
if exist "%APP%\venv\Scripts\artisan-course.exe" goto start
echo The course is not installed in "%APP%" yet. Double-click install.bat first.
pause
exit /b 1
:start
echo Starting the course. Your browser opens it; to stop, press Ctrl-C or close this window.
"%APP%\venv\Scripts\artisan-course.exe" slides
if errorlevel 1 pause
