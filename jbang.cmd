@echo off
rem Workshop launcher for JBang on Windows: `jbang.cmd workshop` works whether or not JBang
rem is installed. An installed jbang is used as is; otherwise the JBang CLI jar is fetched
rem once through Maven (so your mirrors, proxies and settings.xml apply) into .workshop\tools\.
rem POSIX twin: jbang
rem Delayed expansion stays off so that "!" in arguments reaches JBang intact. Messages that
rem show paths are echoed outside ( ) blocks: a path like "Program Files (x86)" would end them.
setlocal EnableExtensions DisableDelayedExpansion

set "JBANG_CLI_VERSION=0.132.1"
set "MIN_JAVA=17"
set "self=%~f0"
set "here=%~dp0"
set "tools_dir=%~dp0.workshop\tools"
set "jbang_jar=%~dp0.workshop\tools\jbang-cli-%JBANG_CLI_VERSION%-all.jar"

rem 1. Java 17+ from a JDK: the workshop needs it, and JBang compiles scripts with javac.
set "java_exe="
if defined JAVA_HOME set "java_exe=%JAVA_HOME%\bin\java.exe"
if defined JAVA_HOME if not exist "%java_exe%" goto :no_java_in_java_home
if not defined java_exe for /f "delims=" %%J in ('where java 2^>nul') do if not defined java_exe set "java_exe=%%J"
if not defined java_exe goto :no_java

rem `java -version` prints e.g. openjdk version "17.0.15", "1.8.0_392", "21" or "25.0.1".
rem It goes through a temp file because for /f cannot run a quoted path that has parentheses.
set "version_out=%TEMP%\workshop-java-version-%RANDOM%%RANDOM%.txt"
"%java_exe%" -version >"%version_out%" 2>&1
set "java_version="
for /f "usebackq tokens=1-3" %%A in ("%version_out%") do if /i "%%B"=="version" if not defined java_version set "java_version=%%~C"
del "%version_out%" >nul 2>&1
if not defined java_version goto :unknown_java_version
set "java_major="
set "java_minor="
for /f "tokens=1,2 delims=._-+" %%A in ("%java_version%") do (set "java_major=%%A" & set "java_minor=%%B")
rem Old numbering: 1.8.0_392 is Java 8
if "%java_major%"=="1" set "java_major=%java_minor%"
if not defined java_major goto :unknown_java_version
if %java_major% LSS %MIN_JAVA% goto :old_java
for %%J in ("%java_exe%") do set "javac_exe=%%~dpJjavac.exe"
if not exist "%javac_exe%" goto :no_javac

rem 2. The runner's own aliases (workshop, doctor, stack) run its launcher directly: a JVM less
rem    than going through JBang, which only compiles and starts that same class. It is compiled
rem    here once into a jar (class data sharing archives classes from jars only), and again by
rem    the launcher itself when its source changes.
if /i "%~1"=="workshop" goto :run_launcher
if /i "%~1"=="doctor" goto :run_launcher
if /i "%~1"=="stack" goto :run_launcher

rem 3. Any other alias of the catalog is an exercise (jbang.cmd log1): it gets the addresses of
rem    the background stack (written by the stack to .workshop\stack\environment) unless set.
if "%~1"=="" goto :after_exercise
findstr /c:"\"%~1\" : {" "%here%jbang-catalog.json" >nul 2>&1 || goto :after_exercise
set "stack_environment=%here%.workshop\stack\environment"
if exist "%stack_environment%" for /f "usebackq tokens=1,* delims==" %%A in ("%stack_environment%") do if not defined %%A set "%%A=%%B"
if not defined BOOTSTRAP_SERVERS if defined WORKSHOP_KAFKA_PORT set "BOOTSTRAP_SERVERS=localhost:%WORKSHOP_KAFKA_PORT%"
:after_exercise

rem 4. An installed jbang wins. `where` also lists this script and its POSIX twin when the
rem    current directory is the workshop, so entries from this directory are skipped.
set "installed="
for /f "delims=" %%J in ('where jbang 2^>nul') do call :consider_installed "%%J"
if defined installed goto :run_installed

rem 5. Otherwise fetch the JBang CLI jar through Maven, once.
if exist "%jbang_jar%" goto :run_jbang
set "mvn_cmd="
for /f "delims=" %%M in ('where mvn.cmd 2^>nul') do if not defined mvn_cmd set "mvn_cmd=%%M"
if not defined mvn_cmd goto :no_jbang_no_maven
>&2 echo Fetching JBang %JBANG_CLI_VERSION% through Maven (once)...
set "partial=%tools_dir%\download-%RANDOM%%RANDOM%"
mkdir "%partial%" || exit /b 1
rem Maven runs in the empty download dir (no project pom there), its output on stderr.
rem Only a complete copy gets the final name, so an interrupted download is never used.
pushd "%partial%"
call "%mvn_cmd%" -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy "-Dartifact=dev.jbang:jbang-cli:%JBANG_CLI_VERSION%:jar:all" "-DoutputDirectory=." 1>&2
set "mvn_status=%errorlevel%"
popd
if "%mvn_status%"=="0" if exist "%partial%\jbang-cli-%JBANG_CLI_VERSION%-all.jar" move /y "%partial%\jbang-cli-%JBANG_CLI_VERSION%-all.jar" "%jbang_jar%" >nul
rd /s /q "%partial%" >nul 2>&1
if not exist "%jbang_jar%" goto :fetch_failed

:run_jbang
rem 6. Run JBang the way its own launcher does: its stdout (kept in a temp file) is either
rem    its output, or (exit code 255) a command line to run in its place.
set "JBANG_RUNTIME_SHELL=cmd"
set "JBANG_LAUNCH_CMD=%self%"
rem `timeout` fails when stdin is not a console: that tells JBang whether stdin is a terminal.
set "JBANG_STDIN_NOTTY=false"
timeout /t 0 >nul 2>&1 || set "JBANG_STDIN_NOTTY=true"
rem JBang's own JVM only decides what to run: the quick-start JIT saves a quarter second.
if not defined JBANG_JAVA_OPTIONS set "JBANG_JAVA_OPTIONS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
set "jbang_out=%TEMP%\workshop-jbang-%RANDOM%%RANDOM%.txt"
"%java_exe%" %JBANG_JAVA_OPTIONS% -classpath "%jbang_jar%" dev.jbang.Main %* >"%jbang_out%"
set "jbang_status=%errorlevel%"
if not "%jbang_status%"=="255" goto :show_output
set "command_line="
for /f "usebackq delims=" %%L in ("%jbang_out%") do if not defined command_line set "command_line=%%L"
del "%jbang_out%" >nul 2>&1
%command_line%
exit /b %errorlevel%

:show_output
type "%jbang_out%"
del "%jbang_out%" >nul 2>&1
exit /b %jbang_status%

:run_launcher
set "launcher_dir=%here%.workshop\runner\launcher"
if exist "%launcher_dir%\launcher.jar" goto :launcher_ready
if exist "%launcher_dir%" rd /s /q "%launcher_dir%"
mkdir "%launcher_dir%\classes" || exit /b 1
"%javac_exe%" -nowarn -d "%launcher_dir%\classes" "%here%src\main\java\workshop\Launcher.java" 1>&2 || goto :launcher_failed
for %%J in ("%java_exe%") do set "jar_exe=%%~dpJjar.exe"
"%jar_exe%" --create --file "%launcher_dir%\launcher.jar" -C "%launcher_dir%\classes" . || goto :launcher_failed
:launcher_ready
rem Class data sharing for this JDK: the archive is made by the first run, used by the next ones.
set "launcher_archive=%launcher_dir%\launcher-%java_version%.jsa"
set "launcher_share=-XX:ArchiveClassesAtExit=%launcher_archive%"
if exist "%launcher_archive%" set "launcher_share=-XX:SharedArchiveFile=%launcher_archive%"
rem "workshop" names the runner itself: the launcher drops it (%* cannot be shifted).
set "drop_first=false"
if /i "%~1"=="workshop" set "drop_first=true"
"%java_exe%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:cds=off,cds+dynamic=off "%launcher_share%" -Dworkshop.launcher.dropFirst=%drop_first% -classpath "%launcher_dir%\launcher.jar" workshop.Launcher %*
exit /b %errorlevel%

:launcher_failed
>&2 echo Could not compile the workshop's launcher (see above) with %javac_exe%.
exit /b 1

:run_installed
rem For a .cmd this hands over for good (no `call`), like exec in the POSIX twin.
"%installed%" %*
exit /b %errorlevel%

rem Keeps the first runnable jbang that is not in this script's directory.
:consider_installed
if defined installed exit /b 0
if /i "%~dp1"=="%here%" exit /b 0
if /i "%~x1"==".cmd" set "installed=%~1"
if /i "%~x1"==".bat" set "installed=%~1"
if /i "%~x1"==".exe" set "installed=%~1"
exit /b 0

:no_java_in_java_home
>&2 echo This workshop needs Java %MIN_JAVA% or newer, but JAVA_HOME (%JAVA_HOME%) has no bin\java.exe. Install a JDK %MIN_JAVA%+ and set JAVA_HOME.
exit /b 1

:no_java
>&2 echo This workshop needs Java %MIN_JAVA% or newer, but no java was found (JAVA_HOME is not set and java is not on the PATH). Install a JDK %MIN_JAVA%+ and set JAVA_HOME.
exit /b 1

:unknown_java_version
>&2 echo This workshop needs Java %MIN_JAVA% or newer, but could not tell the version of %java_exe%. Install a JDK %MIN_JAVA%+ and set JAVA_HOME.
exit /b 1

:old_java
>&2 echo This workshop needs Java %MIN_JAVA% or newer; found Java %java_major% (%java_exe%). Install a JDK %MIN_JAVA%+ and set JAVA_HOME.
exit /b 1

:no_javac
>&2 echo This workshop needs a JDK, not only a Java runtime: there is no javac.exe next to %java_exe%. Install a JDK %MIN_JAVA%+ and set JAVA_HOME.
exit /b 1

:no_jbang_no_maven
>&2 echo This workshop needs JBang or Maven, and neither 'jbang' nor 'mvn' is on the PATH: install either one (e.g. 'choco install jbang', 'choco install maven' or 'scoop install maven') and run this again.
exit /b 1

:fetch_failed
>&2 echo Could not fetch dev.jbang:jbang-cli:%JBANG_CLI_VERSION%:jar:all through Maven (see the messages above); check your network and your Maven settings (%USERPROFILE%\.m2\settings.xml).
exit /b 1
