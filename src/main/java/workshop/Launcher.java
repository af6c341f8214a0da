///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//CDS
//JAVA_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:cds=off,cds+dynamic=off
package workshop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The runner's JBang entry point ({@code ./jbang workshop}). It has no dependencies of its own:
 * it asks Maven to compile the runner and list its classpath (pom.xml is the one list of the
 * workshop's libraries, exclusions included), once and again whenever pom.xml or the sources
 * change, then runs {@link Workshop} with that classpath, passing the arguments, the terminal
 * and the exit code through.
 *
 * <p>When the background stack runs and was started from the current build, the commands that
 * need no keyboard ({@code check}, {@code list}, {@code hint}) run in the stack's JVM instead,
 * where the compiler, the graders and Kafka's clients are loaded and warm already: this process
 * only sends the arguments to the stack's control endpoint and prints what comes back.
 */
public final class Launcher {

    private static final String MAIN_CLASS = "workshop.Workshop";
    /** What Maven's package phase makes of the runner (pom.xml: artifactId, version, finalName). */
    private static final String RUNNER_JAR = "kafka-ksqldb-workshop.jar";
    /** Class data sharing: use the archive when it fits this JVM, and never say when it does not. */
    private static final List<String> QUIET_SHARING = List.of("-Xshare:auto", "-Xlog:cds=off,cds+dynamic=off");

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("workshop.launcher.dropFirst") && args.length > 0) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length); // jbang.cmd passes the alias "workshop" along
        }
        Path root = root();
        Optional<Integer> renewed = renewSelf(root, args);
        if (renewed.isPresent()) {
            System.exit(renewed.get());
        }
        Path classpathFile = root.resolve(".workshop").resolve("runner").resolve("classpath.txt");
        if (stale(root, classpathFile)) {
            build(root, classpathFile);
        }
        Optional<Integer> hosted = InStack.run(root, classpathFile, args);
        if (hosted.isPresent()) {
            System.exit(hosted.get());
        }
        Path archive = classpathFile.resolveSibling("runner.jsa");
        if (!archiveFits(archive, classpathFile)) {
            archiveClasses(classpathFile); // a new JDK or classpath: the old archive would be ignored
        }
        List<String> command = java(classpathFile);
        if (Files.isRegularFile(archive)) {
            command.add("-XX:SharedArchiveFile=" + archive); // falls back to no sharing if it does not fit
        }
        command.add(MAIN_CLASS);
        command.addAll(List.of(args));
        Process runner = new ProcessBuilder(command).inheritIO().start();
        // Ctrl-C reaches the runner directly (same terminal): this process waits for it to finish.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> waitQuietly(runner)));
        System.exit(runner.waitFor());
    }

    /**
     * The jbang script compiles this class once into .workshop/runner/launcher/launcher.jar and
     * runs it from there: when this source is newer, compile it again and run the new one.
     */
    private static Optional<Integer> renewSelf(Path root, String[] args) throws Exception {
        Path source = root.resolve("src").resolve("main").resolve("java").resolve("workshop").resolve("Launcher.java");
        Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!jar.getFileName().toString().equals("launcher.jar") || !Files.isRegularFile(source)
                || Files.getLastModifiedTime(source).compareTo(Files.getLastModifiedTime(jar)) <= 0) {
            return Optional.empty(); // current, or run by JBang (which compiles it itself)
        }
        Path classes = jar.resolveSibling("classes");
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        Path fresh = jar.resolveSibling("launcher.jar.new");
        if (new ProcessBuilder(bin.resolve("javac").toString(), "-nowarn", "-d", classes.toString(), source.toString()).inheritIO().start().waitFor() != 0
                || new ProcessBuilder(bin.resolve("jar").toString(), "--create", "--file", fresh.toString(), "-C", classes.toString(), ".")
                        .inheritIO().start().waitFor() != 0) {
            return Optional.empty(); // keep running this one
        }
        Files.move(fresh, jar, StandardCopyOption.REPLACE_EXISTING);
        try (Stream<Path> archives = Files.list(jar.getParent())) {
            for (Path archive : archives.filter(p -> p.toString().endsWith(".jsa")).toList()) {
                Files.deleteIfExists(archive); // made for the old classes
            }
        }
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-classpath", jar.toString(), Launcher.class.getName()));
        command.addAll(List.of(args));
        Process renewed = new ProcessBuilder(command).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> waitQuietly(renewed)));
        return Optional.of(renewed.waitFor());
    }

    private static void waitQuietly(Process process) {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** java with the runner's JVM options and classpath (the runner's jar, then its libraries). */
    private static List<String> java(Path classpathFile) throws IOException {
        Path argFile = classpathFile.resolveSibling("classpath.args");
        String classpath = Files.readString(classpathFile, StandardCharsets.UTF_8).trim();
        Files.writeString(argFile, "-classpath \"" + classpath.replace("\\", "\\\\") + "\"" + System.lineSeparator());
        List<String> command = new ArrayList<>(List.of(javaExecutable(),
                // C1 alone reserves 48 MB of code cache: a runner that grades on its own stack (brokers, javac) fills it.
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=240m", "-Xss1m"));
        command.addAll(QUIET_SHARING);
        command.add("@" + argFile);
        return command;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** What the class-data-sharing archive was made for: this JDK and this classpath. */
    private static String archiveIdentity(Path classpathFile) throws IOException {
        return System.getProperty("java.home") + "|" + System.getProperty("java.vm.version") + "|"
                + Files.readString(classpathFile, StandardCharsets.UTF_8).trim().hashCode();
    }

    private static boolean archiveFits(Path archive, Path classpathFile) throws IOException {
        Path identity = archive.resolveSibling("runner.jsa.id");
        return Files.isRegularFile(archive) && Files.isRegularFile(identity)
                && Files.readString(identity, StandardCharsets.UTF_8).equals(archiveIdentity(classpathFile));
    }

    /**
     * Runs the runner once to keep the classes it loads in an archive that every later run maps
     * at once (AppCDS): commands start in about half the time. Best effort: without the archive
     * the runner works the same. Remade when the JDK or the classpath changes.
     */
    private static void archiveClasses(Path classpathFile) throws Exception {
        Path archive = classpathFile.resolveSibling("runner.jsa");
        Path identity = archive.resolveSibling("runner.jsa.id");
        Path training = archive.resolveSibling("runner.jsa.new");
        Files.deleteIfExists(identity);
        List<String> command = java(classpathFile);
        command.addAll(List.of("-XX:ArchiveClassesAtExit=" + training, MAIN_CLASS, "warm"));
        Process warm = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (warm.waitFor() == 0 && Files.isRegularFile(training)) {
            Files.move(training, archive, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(identity, archiveIdentity(classpathFile), StandardCharsets.UTF_8);
        } else {
            Files.deleteIfExists(training);
            Files.deleteIfExists(archive);
        }
    }

    /** The workshop folder: the current one or the nearest parent holding workshop.yaml. */
    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("workshop.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        System.err.println("Run this from inside the workshop's folder (no workshop.yaml here or above).");
        System.exit(2);
        return null;
    }

    /** True when pom.xml or a source is newer than the classpath Maven last wrote. */
    private static boolean stale(Path root, Path classpathFile) throws IOException {
        if (!Files.isRegularFile(classpathFile) || !Files.isRegularFile(root.resolve("target").resolve(RUNNER_JAR))) {
            return true;
        }
        FileTime built = Files.getLastModifiedTime(classpathFile);
        if (Files.getLastModifiedTime(root.resolve("pom.xml")).compareTo(built) > 0) {
            return true;
        }
        try (Stream<Path> sources = Files.walk(root.resolve("src").resolve("main"))) {
            return sources.filter(Files::isRegularFile).anyMatch(source -> {
                try {
                    return Files.getLastModifiedTime(source).compareTo(built) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    /** Compiles the runner and writes its classpath, with Maven; one build at a time. */
    private static void build(Path root, Path classpathFile) throws Exception {
        Files.createDirectories(classpathFile.getParent());
        try (FileChannel lock = FileChannel.open(classpathFile.resolveSibling("build.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock held = lock.lock()) {
            if (!stale(root, classpathFile)) {
                return; // another terminal built it while this one waited
            }
            System.err.println("Building the workshop runner with Maven (the first time, Maven downloads the"
                    + " workshop's libraries once, about 160 MB: a few minutes)...");
            String mvn = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win") ? "mvn.cmd" : "mvn";
            // The runner as a jar (class data sharing cannot archive classes from a folder), and its libraries.
            // Not quiet: Maven's download lines are the progress shown (MavenProgress), colours off to read them.
            Path libraries = classpathFile.resolveSibling("libraries.txt");
            List<String> command = List.of(mvn, "-B", "-Dstyle.color=never", "-Dmaven.test.skip=true",
                    "package", "dependency:build-classpath",
                    "-Dmdep.outputFile=" + libraries, "-Dmdep.includeScope=runtime");
            Process maven;
            try {
                maven = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
            } catch (IOException e) {
                System.err.println("The workshop needs Maven (mvn) on the PATH: install Maven 3.8 or newer, then run this again.");
                System.exit(1);
                return;
            }
            List<String> errors = new ArrayList<>();
            MavenProgress progress = new MavenProgress(System.err, System.console() != null);
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(maven.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> {
                    progress.accept(line);
                    if (line.startsWith("[ERROR]") && errors.size() < 12) {
                        errors.add(line);
                    }
                });
            }
            int status = maven.waitFor();
            progress.finish();
            Files.deleteIfExists(classpathFile.resolveSibling("runner.jsa")); // classes changed: archive them again
            if (status != 0) {
                Files.deleteIfExists(classpathFile);
                errors.forEach(System.err::println);
                System.err.println("Maven could not build the workshop runner (see above). Check your network and ~/.m2/settings.xml.");
                System.exit(1);
            }
            Path jar = root.resolve("target").resolve(RUNNER_JAR);
            Files.writeString(classpathFile, jar + java.io.File.pathSeparator + Files.readString(libraries, StandardCharsets.UTF_8).trim());
            archiveClasses(classpathFile);
        }
    }

    /**
     * Turns Maven's output into progress a learner can follow: how many files and megabytes are
     * downloaded so far, and which one now, on one line that updates itself in a terminal, or a
     * line every 25 files elsewhere (a log, an IDE's console); then the build's own steps.
     */
    static final class MavenProgress {
        private static final Pattern DOWNLOADED = Pattern.compile("^(?:\\[INFO] )?Downloaded from [^:]+: (\\S+) \\(([\\d.,]+) (B|kB|KB|MB|GB)");
        private static final Pattern STEP = Pattern.compile("^\\[INFO] --- (?:maven-)?([\\w-]+?)(?:-plugin)?:[^:]+:(\\S+) .*");

        private final PrintStream out;
        private final boolean live;
        private int files;
        private double megabytes;
        private String lastLine = "";

        MavenProgress(PrintStream out, boolean live) {
            this.out = out;
            this.live = live;
        }

        void accept(String line) {
            Matcher downloaded = DOWNLOADED.matcher(line);
            if (downloaded.find()) {
                files++;
                megabytes += size(downloaded.group(2), downloaded.group(3));
                String url = downloaded.group(1);
                String name = url.substring(url.lastIndexOf('/') + 1);
                show(String.format("  Downloaded %d files, %.1f MB so far: %s", files, megabytes, name), files % 25 == 0);
                return;
            }
            Matcher step = STEP.matcher(line);
            if (step.matches()) {
                String what = switch (step.group(2)) {
                    case "compile" -> "compiling the runner";
                    case "jar" -> "packing the runner's jar";
                    case "build-classpath" -> "listing the runner's libraries";
                    default -> null;
                };
                if (what != null) {
                    show("  Maven: " + what + (files > 0 ? String.format(" (%d files, %.1f MB downloaded)", files, megabytes) : ""), true);
                }
            }
        }

        private void show(String text, boolean important) {
            if (live) {
                String fitted = text.length() > 79 ? text.substring(0, 76) + "..." : text;
                out.print("\r" + fitted + " ".repeat(Math.max(0, lastLine.length() - fitted.length())));
                out.flush();
                lastLine = fitted;
            } else if (important) {
                out.println(text);
            }
        }

        void finish() {
            if (live && !lastLine.isEmpty()) {
                out.println();
            }
        }

        private static double size(String number, String unit) {
            double value = Double.parseDouble(number.replace(",", ""));
            return switch (unit) {
                case "B" -> value / 1e6;
                case "kB", "KB" -> value / 1e3;
                case "GB" -> value * 1e3;
                default -> value;
            };
        }
    }

    /**
     * Runs a command in the background stack's JVM, over its loopback control endpoint, when that
     * is the same as running it here: a command that reads no keyboard, the stack started from
     * the current build, and nothing in this environment that would choose another stack.
     */
    static final class InStack {
        private static final Set<String> COMMANDS = Set.of("check", "list", "hint");
        /** What would make the runner grade elsewhere, or differently, than the stack's JVM would. */
        private static final List<String> OWN_SETTINGS = List.of("WORKSHOP_STACK", "WORKSHOP_DEBUG", "BOOTSTRAP_SERVERS",
                "CLUSTER_BOOTSTRAP_SERVERS", "CONNECT_URL", "SCHEMA_REGISTRY_URL", "POSTGRES_URL", "KSQLDB_URL");

        private InStack() {
        }

        static Optional<Integer> run(Path root, Path classpathFile, String[] args) {
            if (args.length == 0 || !COMMANDS.contains(args[0]) || Stream.of(args).anyMatch(a -> a.startsWith("--stack"))
                    || OWN_SETTINGS.stream().anyMatch(name -> System.getenv(name) != null)
                    || Files.exists(root.resolve("stack.properties"))) {
                return Optional.empty();
            }
            try {
                Path stateFile = root.resolve(".workshop").resolve("stack").resolve("state.json");
                if (!Files.isRegularFile(stateFile)) {
                    return Optional.empty();
                }
                String state = Files.readString(stateFile, StandardCharsets.UTF_8);
                long pid = Long.parseLong(field(state, "pid"));
                long started = Long.parseLong(field(state, "startedMillis"));
                if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()
                        || started < Files.getLastModifiedTime(classpathFile).toMillis()) {
                    return Optional.empty(); // gone, or started from an older build of the runner
                }
                return send(Integer.parseInt(field(state, "controlPort")), field(state, "token"), args);
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // anything unexpected: the runner's own JVM does it
            }
        }

        private static String field(String json, String name) {
            Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}\\s]+)").matcher(json);
            if (!value.find()) {
                throw new IllegalStateException("no " + name);
            }
            return value.group(1);
        }

        /** POST /commands: the arguments one per line; back come lines "o text", "e text" and last "x code". */
        private static Optional<Integer> send(int port, String token, String[] args) throws IOException {
            HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/commands").openConnection();
            connection.setRequestMethod("POST");
            connection.setConnectTimeout(1000);
            connection.setDoOutput(true);
            connection.setRequestProperty("X-Workshop-Token", token);
            connection.setRequestProperty("X-Workshop-Ansi", String.valueOf(System.console() != null && System.getenv("NO_COLOR") == null));
            try (OutputStream body = connection.getOutputStream()) {
                body.write(String.join("\n", args).getBytes(StandardCharsets.UTF_8));
            }
            if (connection.getResponseCode() != 200) {
                return Optional.empty(); // a stack that does not host commands
            }
            try (InputStream in = connection.getInputStream();
                 BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    String text = line.length() > 2 ? line.substring(2) : "";
                    switch (line.charAt(0)) {
                        case 'o' -> System.out.println(text);
                        case 'e' -> System.err.println(text);
                        case 'x' -> {
                            System.out.flush();
                            return Optional.of(Integer.parseInt(text.trim()));
                        }
                        default -> { }
                    }
                }
            }
            System.err.println("The background stack stopped while it ran the command; see .workshop/logs/stack.log");
            return Optional.of(1);
        }
    }
}
