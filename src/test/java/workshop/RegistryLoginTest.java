package workshop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import workshop.data.Ratings;
import workshop.graders.capstone.AvroRatingsProducer;
import workshop.grading.Broker;
import workshop.grading.CheckResult;
import workshop.grading.GradeResult;
import workshop.grading.GraderLauncher;
import workshop.grading.GradingSession;
import workshop.manifest.Exercise;
import workshop.stack.Endpoints;
import workshop.stack.HttpCredentials;
import workshop.stack.Service;
import workshop.stack.StackException;
import workshop.stack.Stacks;
import workshop.stack.external.ExternalStack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Room mode: a schema registry that asks for a login. The embedded registry (Apicurio) has no
 * login of its own, so a reverse proxy with HTTP basic authentication stands in front of it:
 * a request without alice's login gets 401, the others go through to the real registry. Module
 * 8's programs (their registry-aware serializers and deserializers, and their own HTTP calls),
 * the graders and the capstone's ratings producer all pass through it with the login, and
 * without it they fail saying that the registry answered 401.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryLoginTest {

    private static final String LOGIN = "alice:alice-secret";
    /** Where the proxy serves the registry's Confluent API alone: a stack with that registry runs Confluent's serdes. */
    private static final String CONFLUENT_ROOT = "/confluent";
    private static final Set<Service> SERVICES = EnumSet.of(Service.KAFKA, Service.SCHEMA_REGISTRY);

    private HttpServer proxy;
    private ExecutorService proxyThreads;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final Map<String, AtomicInteger> forwardedByApi = new java.util.concurrent.ConcurrentHashMap<>();
    private String registryRoot;
    private String proxyRoot;

    @BeforeAll
    void startRegistryBehindALogin() throws IOException {
        Stacks.shared().start(SERVICES, line -> System.out.println("    [stack] " + line));
        String confluentApi = Stacks.shared().endpoints().address(Service.SCHEMA_REGISTRY);
        assertTrue(confluentApi.endsWith(Endpoints.APICURIO_CONFLUENT_API), "the embedded registry is Apicurio's: " + confluentApi);
        registryRoot = confluentApi.substring(0, confluentApi.length() - Endpoints.APICURIO_CONFLUENT_API.length());
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxyThreads = Executors.newCachedThreadPool();
        proxy.setExecutor(proxyThreads);
        proxy.createContext("/", this::forwardIfLoggedIn);
        proxy.start();
        proxyRoot = "http://127.0.0.1:" + proxy.getAddress().getPort();
    }

    @AfterAll
    void stopProxy() {
        if (proxy != null) {
            proxy.stop(0);
            proxyThreads.shutdownNow();
        }
    }

    /** The proxy: 401 (as Confluent's registry answers it) without the right Basic header, the registry's own answer with it. */
    private void forwardIfLoggedIn(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] requestBody = body.readAllBytes();
            if (!HttpCredentials.basic(LOGIN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                byte[] answer = "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"schema-registry\"");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, answer.length);
                exchange.getResponseBody().write(answer);
                return;
            }
            String path = exchange.getRequestURI().toString();
            if (path.startsWith(CONFLUENT_ROOT + "/")) { // a registry with Confluent's API alone, as Confluent's own
                path = Endpoints.APICURIO_CONFLUENT_API + path.substring(CONFLUENT_ROOT.length());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(registryRoot + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(requestBody));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!Set.of("host", "connection", "content-length", "expect", "upgrade", "authorization").contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value)); // e.g. Apicurio's X-Registry-ArtifactId
                }
            });
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            forwarded.incrementAndGet();
            forwardedByApi.computeIfAbsent(path.startsWith(Endpoints.APICURIO_CONFLUENT_API)
                    ? "confluent" : "apicurio", api -> new AtomicInteger()).incrementAndGet();
            answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
            byte[] bytes = answer.body();
            exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The shared broker, and the registry behind the proxy, with or without alice's login. */
    private ExternalStack room(String login) {
        return room(login, Endpoints.APICURIO_CONFLUENT_API);
    }

    /** @param api the registry's path on the proxy: Apicurio's Confluent API (its serdes then) or {@link #CONFLUENT_ROOT} */
    private ExternalStack room(String login, String api) {
        return new ExternalStack(new Endpoints(Map.of(
                Service.KAFKA, Stacks.shared().endpoints().bootstrapServers(),
                Service.SCHEMA_REGISTRY, proxyRoot + api),
                Map.of(), login == null ? Map.of() : Map.of(Service.SCHEMA_REGISTRY, login)), "the test's room");
    }

    private static GradeResult gradeSolution(String exerciseId, ExternalStack stack) {
        Exercise exercise = Grading.MANIFEST.exercise(exerciseId).orElseThrow();
        GradeResult result = GraderLauncher.grade(new GradingSession(exerciseId, exercise.solutionFile(Grading.ROOT), Grading.ROOT,
                stack, SERVICES, line -> { }), exercise.grader());
        Grading.log("registry login", exercise, result);
        return result;
    }

    @Test
    void module8sSolutionsPassWithTheLogin() {
        int refusedBefore = refused.get();
        for (String exercise : List.of("schemas1", "schemas2")) {
            GradeResult result = gradeSolution(exercise, room(LOGIN));
            assertTrue(result.passed(), () -> Grading.report(Grading.MANIFEST.exercise(exercise).orElseThrow(), result));
        }
        assertEquals(refusedBefore, refused.get(), "no request went without the login");
        // Both APIs went through the proxy: Apicurio's own (the serializers) and Confluent's (the graders, schemas2's checks).
        assertTrue(forwardedByApi.getOrDefault("apicurio", new AtomicInteger()).get() > 0, forwardedByApi.toString());
        assertTrue(forwardedByApi.getOrDefault("confluent", new AtomicInteger()).get() > 0, forwardedByApi.toString());
    }

    @Test
    void withoutTheLoginTheGradingSaysTheRegistryAnswered401() {
        GradeResult result = gradeSolution("schemas1", room(null));
        String report = Grading.report(Grading.MANIFEST.exercise("schemas1").orElseThrow(), result);
        assertFalse(result.passed(), report);
        CheckResult runs = result.checks().get(0);
        assertEquals(CheckResult.Status.FAILED, runs.status(), report);
        System.out.println(report);
        assertTrue(runs.failure().getMessage().contains("HTTP 401"), report);
        assertTrue(runs.failure().getMessage().contains("schema.registry.basic.auth.user.info"), "says what to set: " + report);
        assertFalse(report.contains("\tat ") || report.contains("at io.apicurio"), "no stack trace: " + report);
    }

    /**
     * The same with Confluent's serializers and deserializers, which module 8's programs use with a registry that is not
     * Apicurio's (mvn -Pconfluent puts them on the classpath; skipped without them).
     */
    @Test
    void confluentsSerdesSendTheLoginToo() {
        try {
            Class.forName("io.confluent.kafka.serializers.KafkaAvroSerializer");
        } catch (ClassNotFoundException e) {
            org.junit.jupiter.api.Assumptions.abort("Confluent's serializer is not on the classpath: run with mvn -Pconfluent");
        }
        int refusedBefore = refused.get();
        for (String exercise : List.of("schemas1", "schemas2")) {
            GradeResult result = gradeSolution(exercise, room(LOGIN, CONFLUENT_ROOT));
            assertTrue(result.passed(), () -> Grading.report(Grading.MANIFEST.exercise(exercise).orElseThrow(), result));
        }
        assertEquals(refusedBefore, refused.get(), "no request went without the login");

        GradeResult result = gradeSolution("schemas1", room(null, CONFLUENT_ROOT));
        String report = Grading.report(Grading.MANIFEST.exercise("schemas1").orElseThrow(), result);
        System.out.println(report);
        assertTrue(result.checks().get(0).failure().getMessage().contains("HTTP 401"), report);
        assertFalse(report.contains("\tat "), "no stack trace: " + report);
    }

    /** The capstone's generator (and `workshop pipeline`) writes its Avro ratings through the registry too. */
    @Test
    void theCapstonesRatingsProducerLogsIn() {
        String topic = "ratings-login-" + UUID.randomUUID().toString().substring(0, 8);
        List<ConsumerRecord<byte[], byte[]>> records;
        try (Broker broker = new Broker(Stacks.shared().endpoints().bootstrapServers())) {
            broker.createTopic(topic, 1);
            try (AvroRatingsProducer producer = new AvroRatingsProducer(room(LOGIN).endpoints(), topic)) {
                Ratings.generate(7, 3).forEach(producer::send);
                producer.flush();
            }
            records = broker.records(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        assertEquals(3, records.size());
        assertEquals(0, records.get(0).value()[0], "Confluent's wire format: the magic byte");

        try (AvroRatingsProducer producer = new AvroRatingsProducer(room(null).endpoints(), topic + "-nologin")) {
            StackException refusal = assertThrows(StackException.class, () -> producer.send(Ratings.generate(8, 1).get(0)));
            assertTrue(refusal.getMessage().contains("HTTP 401") && refusal.getMessage().contains("schema.registry.basic.auth.user.info"),
                    refusal.getMessage());
        }
    }
}
