package workshop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hosted-CI workflows, read as YAML: what runs on every push, where, and that every job's
 * commands are a script of scripts/ (so that they run the same on a developer's machine).
 * actionlint checks the workflow syntax and expressions (scripts/ci-lint.sh, the "lint" job).
 */
class WorkflowsTest {

    private static final Path WORKFLOWS = Grading.ROOT.resolve(".github/workflows");
    private static final Pattern SCRIPT = Pattern.compile("^scripts[/\\\\](ci-[a-z-]+\\.(sh|cmd))$");

    private static JsonNode ci;

    @BeforeAll
    static void read() throws IOException {
        ci = new ObjectMapper(new YAMLFactory()).readTree(WORKFLOWS.resolve("ci.yml").toFile());
    }

    private static JsonNode job(String id) {
        JsonNode job = ci.path("jobs").path(id);
        assertFalse(job.isMissingNode(), "job " + id + " in ci.yml");
        return job;
    }

    @Test
    void runsOnEveryPushAndPullRequest() {
        JsonNode on = ci.get("on");
        assertTrue(on.has("push") && on.get("push").isNull(), "every push, every branch: " + on);
        assertTrue(on.has("pull_request"), on.toString());
        assertEquals("read", ci.path("permissions").path("contents").asText(), "the jobs only read the repository");
    }

    @Test
    void theDefaultBuildRunsOnLinuxMacAndWindowsWithJava17And21() {
        JsonNode matrix = job("verify").path("strategy").path("matrix");
        assertEquals(Set.of("ubuntu-latest", "macos-latest", "windows-latest"), texts(matrix.get("os")));
        assertEquals(Set.of("17", "21"), texts(matrix.get("java")));
        assertEquals("${{ matrix.os }}", job("verify").get("runs-on").asText());
        assertEquals("${{ matrix.java }}", step(job("verify"), "actions/setup-java").path("with").path("java-version").asText());
        assertFalse(job("verify").path("strategy").path("fail-fast").asBoolean(true), "one platform's failure does not hide the others'");
        JsonNode windowsSmoke = runSteps(job("verify")).stream().filter(s -> s.path("run").asText().endsWith(".cmd")).findFirst().orElseThrow();
        assertEquals("runner.os == 'Windows'", windowsSmoke.path("if").asText());
        assertEquals("cmd", windowsSmoke.path("shell").asText(), "jbang.cmd runs in cmd.exe, as a learner starts it");
    }

    @Test
    void theDockerJobsRunOnLinux() {
        Map<String, String> scripts = Map.of("testcontainers", "scripts/ci-testcontainers.sh", "compose", "scripts/ci-compose.sh",
                "confluent", "scripts/ci-confluent.sh", "lint", "scripts/ci-lint.sh");
        scripts.forEach((id, script) -> {
            assertEquals("ubuntu-latest", job(id).get("runs-on").asText(), id + ": Docker with Linux images");
            assertTrue(runSteps(job(id)).stream().anyMatch(s -> s.path("run").asText().equals(script)), id + " runs " + script);
        });
        assertTrue(job("confluent").path("env").has("CONFLUENT_REPOSITORY_URL"), "the confluent profile's repository");
    }

    @Test
    void everyJobHasATimeoutAndPinnedActions() {
        ci.get("jobs").fields().forEachRemaining(job -> {
            assertTrue(job.getValue().path("timeout-minutes").asInt() > 0, job.getKey() + " has a timeout (the default is 6 hours)");
            job.getValue().path("steps").forEach(step -> {
                if (step.has("uses")) {
                    assertTrue(step.get("uses").asText().matches("[\\w.-]+/[\\w.-]+@v\\d+"), "a released major version: " + step.get("uses"));
                }
            });
        });
    }

    /** A job's commands are a script of scripts/, one per step, so that they run here too. */
    @Test
    void everyCommandIsACiScriptThatExistsAndEveryCiScriptIsUsed() throws IOException {
        Set<String> used = new HashSet<>();
        ci.get("jobs").fields().forEachRemaining(job -> runSteps(job.getValue()).forEach(step -> {
            Matcher script = SCRIPT.matcher(step.get("run").asText().trim());
            assertTrue(script.matches(), job.getKey() + " runs a script of scripts/, not inline commands: " + step.get("run"));
            used.add(script.group(1));
        }));
        Set<String> present = new HashSet<>();
        try (Stream<Path> files = Files.list(Grading.ROOT.resolve("scripts"))) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.matches("ci-.*\\.(sh|cmd)")).forEach(present::add);
        }
        assertEquals(present, used, "scripts/ci-* and the workflow's steps");
        for (String name : present) {
            Path script = Grading.ROOT.resolve("scripts").resolve(name);
            String text = Files.readString(script);
            if (name.endsWith(".sh")) {
                assertTrue(text.startsWith("#!/usr/bin/env bash\n"), name);
                assertTrue(text.contains("set -euo pipefail"), name + " stops at the first failure");
                assertTrue(text.contains("cd \"$(dirname \"$0\")/..\""), name + " runs from the workshop folder, wherever it is called from");
                assertTrue(!Files.getFileStore(script).supportsFileAttributeView("posix") || Files.isExecutable(script), name + " is executable");
            } else {
                assertTrue(text.contains("cd /d \"%~dp0..\""), name + " runs from the workshop folder");
            }
        }
    }

    private static List<JsonNode> runSteps(JsonNode job) {
        List<JsonNode> steps = new ArrayList<>();
        job.path("steps").forEach(step -> {
            if (step.has("run")) {
                steps.add(step);
            }
        });
        return steps;
    }

    private static JsonNode step(JsonNode job, String action) {
        for (JsonNode step : job.path("steps")) {
            if (step.path("uses").asText().startsWith(action + "@")) {
                return step;
            }
        }
        throw new AssertionError(action + " in " + job);
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> values = new HashSet<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
