///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS org.slf4j:slf4j-simple:2.0.17
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Module 7, exercise connect3 (stretch): an on-call tool that restarts failed tasks.
 *
 * Lists every connector of the Connect worker with its status, and prints each one's state and
 * its tasks' states. For every failed task it prints why it failed: the last "Caused by" line of
 * its stack trace. Then it restarts the failed tasks (once whatever made them fail is fixed, a
 * restart is what brings them back) and waits until everything it restarted is RUNNING.
 * Exits with 1 if something is still not running after WAIT_SECONDS.
 *
 * Output: one line per connector, "name<TAB>connector STATE<TAB>task 0 STATE...", and one per
 * failed task, "name<TAB>task N<TAB>FAILED<TAB>cause".
 *
 *   Run it:    ./jbang connect3
 *   Check it:  ./jbang workshop check connect3
 */
public class RestartFailedTasks {

    // Room mode (docs/instructor-guide.adoc): a learner looks after their own connectors only (WORKSHOP_LEARNER=alice: alice.*).
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String CONNECT_URL = env("CONNECT_URL", "http://localhost:8083");
    static final Duration WAIT = Duration.ofSeconds(Long.parseLong(env("WAIT_SECONDS", "30")));

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        // Every connector with its status, in one call: {"name": {"status": {"connector": ..., "tasks": [...]}}, ...}
        JsonNode connectors = JSON.readTree(send("GET", "/connectors?expand=status"));
        List<String> restart = new ArrayList<>();
        for (Map.Entry<String, JsonNode> connector : connectors.properties()) {
            String name = connector.getKey();
            if (!name.startsWith(PREFIX)) {
                continue;   // room mode: another learner's connector
            }
            JsonNode status = connector.getValue().path("status");
            System.out.println(describe(name, status));

            boolean failed = status.path("connector").path("state").asText().equals("FAILED");
            // TODO 1: a connector can be RUNNING while one of its tasks has FAILED. Look at each
            //         task of status.path("tasks"): print every FAILED one with printFailure(name, task),
            //         and remember that this connector needs a restart (failed = true).

            if (failed) {
                restart.add(name);
            }
        }

        for (String name : restart) {
            // TODO 2: restart what failed, with one request per connector: POST to
            //         /connectors/<name>/restart, whose query parameters choose what restarts.
            //         Without any, only the connector instance restarts, never its tasks.
        }
        if (restart.isEmpty()) {
            System.out.println("Nothing failed: nothing to restart.");
        } else {
            awaitRunning(restart);
        }
    }

    /** "name<TAB>task N<TAB>FAILED<TAB>cause": the last "Caused by" line of the task's stack trace says why. */
    static void printFailure(String connector, JsonNode task) {
        String cause = "";
        for (String line : task.path("trace").asText().lines().toList()) {
            if (cause.isEmpty() || line.startsWith("Caused by: ")) {
                cause = line.replaceFirst("^Caused by: ", "");
            }
        }
        System.out.println(connector + "\ttask " + task.path("id").asInt() + "\tFAILED\t" + cause);
    }

    /** "name<TAB>connector RUNNING<TAB>task 0 FAILED" */
    static String describe(String name, JsonNode status) {
        StringBuilder line = new StringBuilder(name + "\tconnector " + status.path("connector").path("state").asText());
        for (JsonNode task : status.path("tasks")) {
            line.append("\ttask ").append(task.path("id").asInt()).append(' ').append(task.path("state").asText());
        }
        return line.toString();
    }

    /** Waits until each connector and all of its tasks are RUNNING, printing their state; exits with 1 after WAIT_SECONDS. */
    static void awaitRunning(List<String> names) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> waiting = new ArrayList<>(names);
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            for (Iterator<String> it = waiting.iterator(); it.hasNext(); ) {
                String name = it.next();
                JsonNode status = JSON.readTree(send("GET", "/connectors/" + name + "/status"));
                boolean running = status.path("connector").path("state").asText().equals("RUNNING") && !status.path("tasks").isEmpty();
                for (JsonNode task : status.path("tasks")) {
                    running &= task.path("state").asText().equals("RUNNING");
                }
                if (running) {
                    System.out.println(describe(name, status) + "\t(restarted)");
                    it.remove();
                }
            }
        }
        for (String name : waiting) {
            System.out.println(describe(name, JSON.readTree(send("GET", "/connectors/" + name + "/status"))) + "\t(still not running)");
        }
        if (!waiting.isEmpty()) {
            System.exit(1);
        }
    }

    /** Sends a request to Connect's REST API and returns the answer's body; stops the program on an error. */
    static String send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = withLogin(HttpRequest.newBuilder(URI.create(CONNECT_URL + path)))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        // 409: the workers are rebalancing (someone just created or deleted a connector): ask again a moment later.
        for (int attempt = 1; answer.statusCode() == 409 && attempt < 20; attempt++) {
            Thread.sleep(500);
            answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        }
        if (answer.statusCode() >= 300) {
            System.err.println(method + " " + path + " -> HTTP " + answer.statusCode() + ": " + answer.body());
            System.exit(1);
        }
        return answer.body();
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Room mode: Connect's login (CONNECT_BASIC_AUTH_USER_INFO=user:password), when the room's Connect asks for one. */
    static HttpRequest.Builder withLogin(HttpRequest.Builder request) {
        String userInfo = System.getenv("CONNECT_BASIC_AUTH_USER_INFO");
        return userInfo == null || userInfo.isBlank() ? request : request.header("Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString(userInfo.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
