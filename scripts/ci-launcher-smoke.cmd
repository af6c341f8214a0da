@echo off
rem The launcher a learner types first on Windows (jbang.cmd): it finds Java, fetches JBang once
rem through Maven, and the runner answers. Twin of ci-launcher-smoke.sh.
cd /d "%~dp0.."
call jbang.cmd workshop --help > nul || exit /b 1
call jbang.cmd workshop list | findstr /c:"log1" > nul || exit /b 1
echo launcher smoke test passed
