package workshop;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import workshop.grading.ExerciseClasspath;
import workshop.stack.MachinePace;
import workshop.stack.Reachability;
import workshop.stack.background.StackState;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stack up | status | down} as a learner uses them: the background stack serves any Kafka
 * client (here Kafka's own command line tools) on its fixed port, refuses a second start, stops
 * cleanly, and Ctrl-C while it starts leaves nothing behind. Runs on a port of its own (via
 * WORKSHOP_KAFKA_PORT) in a copy of the workshop, so a learner's stack is never touched.
 */
class BackgroundStackTest {

    private static Path workshop;

    @BeforeAll
    static void copyWorkshop() throws Exception {
        workshop = Cli.copyOfWorkshop();
    }

    @Test
    void upStatusDownWithKafkasOwnTools() throws Exception {
        int port = freePort();
        int clusterPort = freePort();
        Map<String, String> env = Map.of("WORKSHOP_KAFKA_PORT", String.valueOf(port), "WORKSHOP_CLUSTER_PORT", String.valueOf(clusterPort));
        try {
            Cli.Result up = Cli.run(workshop, env, "stack", "up");
            assertEquals(0, up.exitCode(), up.all());
            assertTrue(up.stdout().contains("The stack is up"), up.all());
            assertTrue(up.stdout().contains("BOOTSTRAP_SERVERS          localhost:" + port), up.all());

            String bootstrap = "localhost:" + port;
            tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--create", "--topic", "from-kafka-tools", "--partitions", "2");
            String topics = tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--list");
            assertTrue(topics.contains("from-kafka-tools"), topics);

            assertEquals("BOOTSTRAP_SERVERS=localhost:" + port + "\n", Files.readString(workshop.resolve(".workshop/stack/environment")),
                    "the addresses that ./jbang log1 gives the learner's program");

            Cli.Result again = Cli.run(workshop, env, "stack", "up");
            assertEquals(0, again.exitCode(), again.all());
            assertTrue(again.stdout().contains("The workshop stack is already running"), again.all());

            Cli.Result status = Cli.run(workshop, env, "stack", "status");
            assertEquals(0, status.exitCode(), status.all());
            assertTrue(status.stdout().contains("Kafka answers."), status.all());

            // The runner's commands run in the stack's warm JVM, for the launcher.
            StackState state = StackState.readLive(WorkshopRoot.stateDir(workshop)).orElseThrow();
            List<String> list = command(state, "list");
            assertTrue(list.stream().anyMatch(line -> line.startsWith("o ") && line.endsWith("▶ setup1        Say hello to Kafka  exercises/00-setup/HelloKafka.java")),
                    list.toString());
            assertEquals("x 0", list.get(list.size() - 1), list.toString());
            List<String> typo = command(state, "hint", "lgo1");
            assertTrue(typo.stream().anyMatch(line -> line.startsWith("e Unknown exercise 'lgo1'. Did you mean log1?")), typo.toString());
            assertEquals("x 2", typo.get(typo.size() - 1), typo.toString());

            // A module that needs more services gets them from the running stack, with progress.
            Cli.Result more = Cli.run(workshop, env, "stack", "up", "--with", "kafka-cluster");
            assertEquals(0, more.exitCode(), more.all());
            assertTrue(more.stdout().contains("Adding [3-broker Kafka cluster] to the running workshop stack"), more.all());
            assertTrue(more.stdout().contains("3-broker Kafka cluster ready in"), more.all());
            String cluster = "localhost:" + clusterPort + ",localhost:" + (clusterPort + 1) + ",localhost:" + (clusterPort + 2);
            assertTrue(more.stdout().contains("CLUSTER_BOOTSTRAP_SERVERS  " + cluster), more.all());
            Reachability.requireKafka(cluster, "the cluster was just started");
            tool("org.apache.kafka.tools.TopicCommand", "--bootstrap-server", bootstrap, "--describe", "--topic", "from-kafka-tools");
        } finally {
            Cli.Result down = Cli.run(workshop, env, "stack", "down");
            assertEquals(0, down.exitCode(), down.all());
        }
        Cli.Result status = Cli.run(workshop, env, "stack", "status");
        assertEquals(1, status.exitCode(), status.all());
        assertTrue(status.stdout().contains("No workshop stack is running"), status.all());
        assertFalse(Files.exists(workshop.resolve(".workshop/stack/state.json")));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS) // sends SIGINT, as Ctrl-C in a terminal does
    void ctrlCWhileStartingLeavesNoProcessAndNoState() throws Exception {
        int port = freePort();
        Path log = workshop.resolve(".workshop/logs/stack.log");
        Interrupted attempt = interruptWhileStarting(port, true, up -> new ProcessBuilder("kill", "-INT", String.valueOf(up.pid())).start().waitFor());
        // 2 s on a quiet machine; a loaded one is slower at everything, answering a signal included.
        long limitMillis = MachinePace.scale(Duration.ofSeconds(2)).toMillis();
        assertTrue(attempt.tookMillis() < limitMillis, "answers Ctrl-C within " + limitMillis + " ms, took " + attempt.tookMillis()
                + " ms (" + MachinePace.describe() + "): " + attempt.said());
        assertTrue(attempt.said().contains("Stopped the workshop stack (pid " + attempt.daemon().pid() + ") while"), attempt.said());
        assertFalse(attempt.said().contains("Exception") || attempt.said().contains("Error"), attempt.said());
        assertTrue(attempt.daemon().onExit().get(20, TimeUnit.SECONDS) != null);
        assertFalse(attempt.daemon().isAlive(), "no orphan stack process");
        assertFalse(Files.exists(workshop.resolve(".workshop/stack/state.json")), "no half-written state");
        assertTrue(freeAgain(port), "the port is free again");
        assertTrue(Files.exists(log), "the stack had started to log");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void starterKilledWhileStartingLeavesNoProcessAndNoState() throws Exception {
        int port = freePort();
        Interrupted attempt = interruptWhileStarting(port, false, Process::destroyForcibly); // kill -9: no shutdown hook of the starter runs
        attempt.daemon().onExit().get(60, TimeUnit.SECONDS);
        assertFalse(attempt.daemon().isAlive(), "no orphan stack process");
        assertFalse(Files.exists(workshop.resolve(".workshop/stack/state.json")), "no state of a stack that is gone");
        assertTrue(freeAgain(port), "the port is free again");
    }

    /**
     * A build started in the background ({@code mvn verify &}, nohup, some CI runners) ignores
     * SIGINT, and so does every JVM it starts: Ctrl-C could never reach {@code stack up}. GNU env
     * gives the command SIGINT's default back, as a terminal has it (then execs it: same pid).
     */
    private static final List<String> SIGINT_AS_IN_A_TERMINAL = envResetsSigint() ? List.of("env", "--default-signal=INT") : List.of();

    private static boolean envResetsSigint() {
        try {
            Process probe = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false; // no GNU env (macOS): the build's SIGINT is left as it is
        }
    }

    /** What one {@code stack up}, interrupted while it started, left: the stack's JVM, what the starter said, how long it took to end. */
    private record Interrupted(ProcessHandle daemon, String said, long tookMillis) {
    }

    private interface Interruption {
        void interrupt(Process up) throws Exception;
    }

    /**
     * Starts {@code stack up} and interrupts it as soon as the stack's JVM exists. On a loaded
     * machine the interruption can land after the stack is already up (the starter then says so):
     * that try proves nothing, so the stack is stopped and the test tries again, up to 3 times.
     */
    private Interrupted interruptWhileStarting(int port, boolean ctrlC, Interruption interruption) throws Exception {
        Map<String, String> env = Map.of("WORKSHOP_KAFKA_PORT", String.valueOf(port));
        String lastSaid = "";
        for (int attempt = 1; attempt <= 3; attempt++) {
            Path output = Files.createTempFile(workshop, "up", ".out");
            ProcessBuilder builder = Cli.builder(workshop, env, "stack", "up").redirectErrorStream(true).redirectOutput(output.toFile());
            if (ctrlC) {
                builder.command().addAll(0, SIGINT_AS_IN_A_TERMINAL);
            }
            Process up = builder.start();
            Optional<ProcessHandle> daemon = awaitDaemon(up);
            if (daemon.isEmpty()) {
                up.destroyForcibly();
                throw new AssertionError("the stack's JVM was not started (" + MachinePace.describe() + "): " + Files.readString(output));
            }
            interruption.interrupt(up);
            long interrupted = System.nanoTime();
            assertTrue(up.waitFor(MachinePace.scale(Duration.ofSeconds(20)).toSeconds(), TimeUnit.SECONDS), "stack up ends after the interruption");
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interrupted);
            lastSaid = Files.readString(output);
            if (!lastSaid.contains("The stack is up")) {
                return new Interrupted(daemon.get(), lastSaid, tookMillis);
            }
            Cli.Result down = Cli.run(workshop, env, "stack", "down"); // the stack won the race: start again
            assertEquals(0, down.exitCode(), down.all());
        }
        throw new AssertionError("The stack came up before the interruption landed, 3 times (" + MachinePace.describe()
                + "; or the build ignores SIGINT, as one started in the background does): " + lastSaid);
    }

    /**
     * The stack's JVM, once the starter has started it: 1-2 s on a quiet machine, much longer on a
     * loaded one, where the starter's own JVM starts slowly too.
     */
    private static Optional<ProcessHandle> awaitDaemon(Process up) throws InterruptedException {
        long deadline = System.nanoTime() + MachinePace.scale(Duration.ofSeconds(20)).toNanos();
        Optional<ProcessHandle> daemon = Optional.empty();
        while (daemon.isEmpty() && up.isAlive() && System.nanoTime() < deadline) {
            daemon = up.descendants().findFirst();
            Thread.sleep(20);
        }
        return daemon;
    }

    /** POST /commands to the stack's control endpoint, as the launcher does; the lines that come back. */
    private static List<String> command(StackState state, String... args) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + state.controlPort() + "/commands"))
                .header("X-Workshop-Token", state.token())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(String.join("\n", args)))
                .build();
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        return response.body().lines().toList();
    }

    private static String tool(String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", ExerciseClasspath.asString(), mainClass));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean freeAgain(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
