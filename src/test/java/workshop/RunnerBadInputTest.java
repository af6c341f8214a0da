package workshop;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import workshop.stack.Service;
import workshop.stack.Stacks;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input gets one clear line and a non-zero exit, fast: a typo'd exercise or command, no
 * broker, a port in use, an exercise that does not compile.
 */
class RunnerBadInputTest {

    private static final Duration FAST = Duration.ofSeconds(10);
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

    private static void expectNoStackTrace(Cli.Result result) {
        assertFalse(result.all().contains("\tat "), "no stack trace: " + result.all());
        assertFalse(result.all().contains("Exception"), "no exception names: " + result.all());
    }

    private static void assertFast(Cli.Result result) {
        assertTrue(result.took().compareTo(FAST) < 0, "took " + result.took());
    }
}
