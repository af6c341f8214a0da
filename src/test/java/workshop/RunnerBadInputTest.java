package workshop;

import workshop.stack.MachinePace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import workshop.stack.Service;
import workshop.stack.Stacks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Bad input gets one clear line and a non-zero exit, fast: a typo'd exercise, command or
 * service, no broker, something else on the broker's port, a port in use, an exercise that does
 * not compile or is missing, a damaged progress file, a file that reset cannot write.
 */
class RunnerBadInputTest {

    private static final Duration FAST = Duration.ofSeconds(10);
    private static final Duration NEVER_AS_SLOW_AS = Duration.ofSeconds(30);
    private static Path workshop;

    @BeforeAll
    static void copyWorkshop() throws Exception {
        workshop = Cli.copyOfWorkshop();
    }

    @Test
    void unknownExerciseListsTheValidOnes() throws Exception {
        Cli.Result result = Cli.run(workshop, Map.of(), "check", "lgo1");
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("Unknown exercise 'lgo1'. Did you mean log1? Valid ids: setup1, log1, log2, log3"), result.all());
        expectNoStackTrace(result);
        assertFast(result);
    }

    @Test
    void typoedCommandIsAUsageError() throws Exception {
        Cli.Result result = Cli.run(workshop, Map.of(), "chek", "log1");
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("Unmatched argument"), result.all());
        assertTrue(result.stderr().contains("check"), "suggests the command it resembles: " + result.all());
        expectNoStackTrace(result);
    }

    @Test
    void noBrokerSaysWhereAndHowToStartOne() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Cli.Result result = Cli.run(workshop, Map.of("BOOTSTRAP_SERVERS", "localhost:" + closedPort), "check", "log1");
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("No Kafka broker answers at localhost:" + closedPort), result.all());
        expectNoStackTrace(result);
        assertFast(result);
    }

    @Test
    void portInUseNamesThePortAndHowToChangeIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Cli.Result result = Cli.run(workshop, Map.of("WORKSHOP_KAFKA_PORT", String.valueOf(port)), "stack", "up");
            assertEquals(1, result.exitCode(), result.all());
            assertTrue(result.stderr().contains("Port " + port + " (Kafka broker) is already in use"), result.all());
            assertTrue(result.stderr().contains("WORKSHOP_KAFKA_PORT=<port>"), result.all());
            expectNoStackTrace(result);
            assertFast(result);
        }
        assertFalse(Files.exists(workshop.resolve(".workshop/stack/state.json")), "no state is left behind");
    }

    @Test
    void exerciseThatDoesNotCompileShowsTheCompilerMessage() throws Exception {
        Path file = workshop.resolve("exercises/01-log/AppendRatings.java");
        String source = Files.readString(file);
        Files.writeString(file, source.replace("List<String> ratings = Files.readAllLines(RATINGS_FILE);",
                "List<String> ratings = Files.readAllLines(RATINGS_FILE)"));
        try {
            Stacks.shared().start(java.util.Set.of(Service.KAFKA), line -> { });
            String bootstrap = Stacks.shared().endpoints().bootstrapServers();
            Cli.Result result = Cli.run(workshop, Map.of("BOOTSTRAP_SERVERS", bootstrap), "check", "log1");
            assertEquals(1, result.exitCode(), result.all());
            assertTrue(result.stdout().contains("AppendRatings.java does not compile"), result.all());
            assertTrue(result.stdout().matches("(?s).*AppendRatings\\.java:\\d+: error: ';' expected.*"), result.all());
            expectNoStackTrace(result);
            assertFast(result);
        } finally {
            Files.writeString(file, source);
        }
    }

    @Test
    void unknownServiceNamesTheKnownOnes() throws Exception {
        Cli.Result result = Cli.run(workshop, Map.of("WORKSHOP_KAFKA_PORT", String.valueOf(closedPort())), "stack", "up", "--with", "bogus");
        assertEquals(2, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("Unknown service 'bogus'; known: kafka, kafka-cluster, connect, postgres, schema-registry, ksqldb"),
                result.all());
        expectNoStackTrace(result);
        assertFast(result);
    }

    @Test
    void missingExerciseFileSaysResetRestoresIt() throws Exception {
        Path file = workshop.resolve("exercises/01-log/ReadRatings.java");
        byte[] source = Files.readAllBytes(file);
        Files.delete(file);
        try {
            Cli.Result result = Cli.run(workshop, Map.of("BOOTSTRAP_SERVERS", "localhost:" + closedPort()), "check", "log2");
            assertEquals(1, result.exitCode(), result.all());
            assertEquals("exercises/01-log/ReadRatings.java is missing: ./jbang workshop reset log2 restores it as shipped.",
                    result.stderr().strip().replace('\\', '/'), result.all());
            expectNoStackTrace(result);
            assertFast(result);
        } finally {
            Files.write(file, source);
        }
    }

    @Test
    void damagedProgressIsKeptAsideAndSaid() throws Exception {
        Path progress = workshop.resolve(".workshop/progress.json");
        Files.createDirectories(progress.getParent());
        Files.writeString(progress, "{\"done\": {\"setup1\": 17");
        try {
            Cli.Result result = Cli.run(workshop, Map.of(), "list");
            assertEquals(0, result.exitCode(), result.all());
            assertTrue(result.stdout().lines().anyMatch(line -> line.startsWith("Your progress file") && line.contains("could not be read: it is kept as progress.json.damaged-")),
                    result.all());
            try (var kept = Files.list(progress.getParent())) {
                assertTrue(kept.anyMatch(p -> p.getFileName().toString().startsWith("progress.json.damaged-")), "the damaged file is kept");
            }
            expectNoStackTrace(result);
            assertFast(result);
        } finally {
            Files.deleteIfExists(progress);
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS) // POSIX permissions
    void resetOfAFileThatCannotBeWrittenSaysWhyAndKeepsOneBackup() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere: permissions cannot fail here");
        Path folder = workshop.resolve("exercises/02-topics");
        Path file = folder.resolve("CreateTopics.java");
        String source = Files.readString(file);
        Files.writeString(file, source + "// my change\n");
        Path backups = workshop.resolve(".workshop/backups");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                Cli.Result result = Cli.run(workshop, Map.of(), "reset", "topics1");
                assertEquals(1, result.exitCode(), result.all());
                assertTrue(result.stderr().contains("Cannot write exercises/02-topics/CreateTopics.java (permission denied)"), result.all());
                expectNoStackTrace(result);
            }
            try (var kept = Files.list(backups)) {
                assertEquals(1, kept.filter(p -> p.getFileName().toString().startsWith("topics1-")).count(), "one backup, however many attempts");
            }
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(file, source);
        }
    }

    @Test
    void somethingOnTheKafkaPortThatIsNotKafkaIsSaidWithinFiveSeconds() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                List<java.net.Socket> open = new java.util.ArrayList<>(); // accepted and never answered
                try {
                    while (true) {
                        open.add(silent.accept());
                    }
                } catch (IOException closed) {
                    open.forEach(socket -> {
                        try {
                            socket.close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Duration runnerStart = Cli.run(workshop, Map.of(), "--version").took(); // the JVM's own start, on this machine now
            Cli.Result result = Cli.run(workshop, Map.of("BOOTSTRAP_SERVERS", "localhost:" + silent.getLocalPort()), "check", "log1");
            assertEquals(1, result.exitCode(), result.all());
            assertTrue(result.stderr().contains("Something listens at localhost:" + silent.getLocalPort() + " but it is not a Kafka broker"), result.all());
            expectNoStackTrace(result);
            assertTrue(result.took().minus(runnerStart).compareTo(Duration.ofSeconds(5)) < 0,
                    "said within 5 s of the runner's start: took " + result.took() + ", of which starting " + runnerStart);
        }
    }

    @Test
    void aCrashNamesTheLearnersVariableInAReportThatFits() throws Exception {
        Stacks.shared().start(java.util.Set.of(Service.KAFKA), line -> { });
        String bootstrap = Stacks.shared().endpoints().bootstrapServers();
        Cli.Result result = Cli.run(workshop, Map.of("BOOTSTRAP_SERVERS", bootstrap), "check", "setup1");
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.stdout().contains("NullPointerException: Cannot invoke \"RecordMetadata.topic()\" because \"stored\" is null"),
                "compiled with debug information, the learner's variable is named: " + result.all());
        assertTrue(result.stdout().lines().noneMatch(line -> line.startsWith(" ".repeat(20))), "no deep indentation: " + result.all());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS) // the POSIX launcher script
    void anExerciseRunWithoutABrokerSaysSoInOneLineAtOnce() throws Exception {
        Path script = workshop.resolve("jbang");
        Files.copy(Grading.ROOT.resolve("jbang"), script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        int moved = closedPort();
        Cli.Result result = script(script, Map.of("WORKSHOP_KAFKA_PORT", String.valueOf(moved)), "setup1");
        assertEquals(1, result.exitCode(), result.all());
        assertEquals("No Kafka broker answers at localhost:" + moved + ": start the workshop stack with ./jbang workshop stack up"
                + " (or set BOOTSTRAP_SERVERS), then run ./jbang setup1 again.", result.all().strip());
        assertTrue(result.took().compareTo(Duration.ofSeconds(2)) < 0, "took " + result.took());

        // The background stack's addresses, as it writes them, are what an exercise run gets.
        Path environment = workshop.resolve(".workshop/stack/environment");
        Files.createDirectories(environment.getParent());
        int stackPort = closedPort();
        Files.writeString(environment, "BOOTSTRAP_SERVERS=localhost:" + stackPort + "\n");
        try {
            Cli.Result fromStack = script(script, Map.of(), "setup1");
            assertTrue(fromStack.all().startsWith("No Kafka broker answers at localhost:" + stackPort + ":"), fromStack.all());
        } finally {
            Files.delete(environment);
        }
    }

    private static Cli.Result script(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("sh", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workshop.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("WORKSHOP_") || name.endsWith("_URL") || name.contains("BOOTSTRAP_SERVERS"));
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        return new Cli.Result(process.exitValue(), output, "", Duration.ofNanos(System.nanoTime() - started));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void expectNoStackTrace(Cli.Result result) {
        assertFalse(result.all().contains("\tat "), "no stack trace: " + result.all());
        assertFalse(result.all().contains("Exception"), "no exception names: " + result.all());
    }

    /**
     * Fast: within 10 s on a quiet machine, stretched on a busy one (a cold runner JVM and javac),
     * but never to the 60 s of a client's default timeout, which this is here to catch.
     */
    private static void assertFast(Cli.Result result) {
        Duration limit = MachinePace.scale(FAST);
        if (limit.compareTo(NEVER_AS_SLOW_AS) > 0) {
            limit = NEVER_AS_SLOW_AS;
        }
        assertTrue(result.took().compareTo(limit) < 0, "took " + result.took() + ", more than " + limit + " (" + MachinePace.describe() + ")");
    }
}
