package workshop;

import org.junit.jupiter.api.Test;
import workshop.stack.Service;
import workshop.stack.Stacks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The learner's loop, end to end, as rustlings users know it: the runner grades the current
 * exercise, the learner saves a fix, the runner grades again on its own, moves on when it
 * passes, and remembers. Also hints and reset, which keeps a backup.
 */
class LearnerLoopTest {

    @Test
    void watchGradesOnSaveAndMovesOn() throws Exception {
        Path workshop = Cli.copyOfWorkshop();
        Map<String, String> env = Map.of("BOOTSTRAP_SERVERS", sharedBroker());
        Process runner = Cli.builder(workshop, env).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8))
                .lines().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try (OutputStream keyboard = runner.getOutputStream()) {
            awaitLine(lines, l -> l.contains("checks pass"), "the first grading of setup1");
            awaitLine(lines, l -> l.contains("Save the file to grade it again"), "the prompt");

            keyboard.write("h\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            awaitLine(lines, l -> l.contains("1. producer.send(event) does not wait"), "the first hint");

            // The learner solves the exercise and saves: the runner grades again by itself.
            Files.copy(workshop.resolve("solutions/00-setup/HelloKafka.java"), workshop.resolve("exercises/00-setup/HelloKafka.java"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            awaitLine(lines, l -> l.contains("setup1 passes!"), "setup1 passing after the save");
            awaitLine(lines, l -> l.contains("log1 · Append rating events to the log"), "the next exercise");
            awaitLine(lines, l -> l.contains("Save the file to grade it again"), "the prompt for log1");

            keyboard.write("q\n".getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            assertTrue(runner.waitFor(20, TimeUnit.SECONDS), "q quits");
            assertEquals(0, runner.exitValue());
        } finally {
            runner.destroyForcibly();
        }
        String progress = Files.readString(workshop.resolve(".workshop/progress.json"));
        assertTrue(progress.contains("\"setup1\""), progress);

        Cli.Result list = Cli.run(workshop, Map.of(), "list");
        assertTrue(list.stdout().contains("1/" ), list.all());
        assertTrue(list.stdout().contains("▶ log1") || list.stdout().contains("> log1"), list.all());
    }

    @Test
    void resetKeepsABackupAndRestoresTheShippedFile() throws Exception {
        Path workshop = Cli.copyOfWorkshop();
        git(workshop, "init", "-q");
        git(workshop, "add", "-A");
        git(workshop, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "shipped");
        Path exercise = workshop.resolve("exercises/01-log/AppendRatings.java");
        String shipped = Files.readString(exercise);
        Files.writeString(exercise, shipped.replace("// TODO 1", "producer.send(null); // my attempt"));

        Cli.Result reset = Cli.run(workshop, Map.of(), "reset", "log1");
        assertEquals(0, reset.exitCode(), reset.all());
        assertEquals(shipped, Files.readString(exercise));
        try (Stream<Path> backups = Files.list(workshop.resolve(".workshop/backups"))) {
            List<Path> files = backups.toList();
            assertEquals(1, files.size());
            assertTrue(Files.readString(files.get(0)).contains("// my attempt"), "the backup holds the learner's version");
        }
        Cli.Result again = Cli.run(workshop, Map.of(), "reset", "log1");
        assertTrue(again.stdout().contains("already as shipped"), again.all());
    }

    private static String sharedBroker() {
        Stacks.shared().start(Set.of(Service.KAFKA), line -> { });
        return Stacks.shared().endpoints().bootstrapServers();
    }

    private static void awaitLine(BlockingQueue<String> lines, Predicate<String> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.append(line).append('\n');
                if (wanted.test(line)) {
                    return;
                }
            }
        }
        throw new AssertionError("Waited in vain for " + what + "; the runner printed:\n" + seen);
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, git.waitFor(), output);
    }
}
