package workshop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.AppInfoParser;
import org.rnorth.ducttape.ratelimits.RateLimiterBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.containers.wait.strategy.LogMessageWaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.MountableFile;
import workshop.stack.Endpoints;
import workshop.stack.Service;
import workshop.stack.StackException;
import workshop.stack.containers.ConnectContainer;
import workshop.stack.containers.ContainerStack;
import workshop.stack.containers.KsqlDbContainer;
import workshop.stack.containers.SchemaRegistryContainer;
import workshop.stack.containers.WorkshopKafkaContainer;
import workshop.stack.containers.WorkshopPostgresContainer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Testcontainers backend. Most of it runs without Docker: the containers are built (not
 * started) and compared with docker-compose.yml, the live workshop's stack, which is the reference
 * for images, tags, environment, network names and dependencies; the HTTP readiness checks are
 * run, as Testcontainers runs them, against a stand-in server. One test starts the whole stack
 * and runs only where a Docker engine answers.
 */
class ContainerStackTest {

    /** Compose service names of the services the Testcontainers backend runs. */
    private static final Map<Service, String> COMPOSE_NAMES = new LinkedHashMap<>();
    private static final Set<Service> ALL = EnumSet.of(
            Service.KAFKA, Service.POSTGRES, Service.SCHEMA_REGISTRY, Service.CONNECT, Service.KSQLDB);

    static {
        COMPOSE_NAMES.put(Service.KAFKA, "kafka");
        COMPOSE_NAMES.put(Service.POSTGRES, "postgres");
        COMPOSE_NAMES.put(Service.SCHEMA_REGISTRY, "schema-registry");
        COMPOSE_NAMES.put(Service.CONNECT, "connect");
        COMPOSE_NAMES.put(Service.KSQLDB, "ksqldb-server");
    }

    /** Set by the module, not by docker-compose.yml: its own listeners (plus kafka:29092, checked separately). */
    private static final Set<String> KAFKA_LISTENER_SETTINGS = Set.of("KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS",
            "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "KAFKA_INTER_BROKER_LISTENER_NAME", "KAFKA_CONTROLLER_QUORUM_VOTERS");

    private static Path root;
    private static JsonNode compose;

    @BeforeAll
    static void readCompose() throws IOException {
        root = WorkshopRoot.find();
        compose = new ObjectMapper(new YAMLFactory()).readTree(root.resolve("docker-compose.yml").toFile()).get("services");
    }

    @Test
    void kafkaImageIsTheKafkaOfTheClientJars() {
        assertEquals("apache/kafka:" + AppInfoParser.getVersion(), ContainerStack.KAFKA_IMAGE);
        assertEquals(ContainerStack.KAFKA_IMAGE, WorkshopKafkaContainer.DEFAULT_IMAGE.asCanonicalNameString());
    }

    @Test
    void imagesAreThoseOfDockerCompose() {
        try (ContainerStack stack = new ContainerStack(root)) {
            Map<Service, GenericContainer<?>> containers = stack.containers(ALL);
            for (Service service : List.of(Service.KAFKA, Service.POSTGRES, Service.SCHEMA_REGISTRY, Service.KSQLDB)) {
                String image = compose.get(COMPOSE_NAMES.get(service)).get("image").asText();
                // The image is not resolved (that would pull it): its name shows in the description.
                assertTrue(containers.get(service).getImage().toString().contains("imageName=" + image + ","),
                        service + " runs " + containers.get(service).getImage() + ", compose runs " + image);
            }
        }
    }

    /** What doctor and the stack's first step ask the engine for: compose's images, Connect's base image. */
    @Test
    void theImagesCheckedBeforeStartingAreThoseOfDockerCompose() throws IOException {
        Set<String> composeImages = new java.util.LinkedHashSet<>();
        compose.fields().forEachRemaining(service -> {
            if (service.getValue().has("image")) {
                composeImages.add(service.getValue().get("image").asText());
            }
        });
        String dockerfile = Files.readString(root.resolve(ContainerStack.CONNECT_BUILD_CONTEXT).resolve("Dockerfile"));
        assertTrue(dockerfile.contains("FROM quay.io/debezium/connect:${DEBEZIUM_VERSION}"), "Connect's base image");
        composeImages.add("quay.io/debezium/connect:" + compose.get("connect").get("build").get("args").get("DEBEZIUM_VERSION").asText());
        assertEquals(composeImages, new HashSet<>(workshop.stack.containers.ContainerImages.all()));
        assertEquals(ConnectContainer.BASE_IMAGE, "quay.io/debezium/connect:" + ConnectContainer.DEBEZIUM_VERSION);
    }

    /** Testcontainers' own helper images, as this Testcontainers version names them (read from its classes). */
    @Test
    void theHelperImagesAreThoseTestcontainersWouldPull() throws Exception {
        java.lang.reflect.Field tiny = org.testcontainers.DockerClientFactory.class.getDeclaredField("TINY_IMAGE");
        tiny.setAccessible(true);
        assertEquals(workshop.stack.containers.ContainerImages.TINY_IMAGE,
                ((org.testcontainers.utility.DockerImageName) tiny.get(null)).asCanonicalNameString());
        var ryukClass = Class.forName("org.testcontainers.utility.RyukContainer");
        var constructor = ryukClass.getDeclaredConstructor();
        constructor.setAccessible(true);
        // getImage() describes the image without resolving it (getDockerImageName() would pull it).
        assertTrue(((GenericContainer<?>) constructor.newInstance()).getImage().toString()
                .contains("imageName=" + workshop.stack.containers.ContainerImages.RYUK_IMAGE + ","));
    }

    @Test
    void connectImageIsBuiltFromTheWorkshopsDockerfileAsComposeBuildsIt() {
        try (ContainerStack stack = new ContainerStack(root)) {
            ConnectContainer connect = (ConnectContainer) stack.containers(Set.of(Service.CONNECT)).get(Service.CONNECT);
            ImageFromDockerfile image = connect.image();
            JsonNode build = compose.get("connect").get("build");

            Map<String, String> composeArgs = new LinkedHashMap<>();
            build.get("args").fields().forEachRemaining(e -> composeArgs.put(e.getKey(), e.getValue().asText()));
            assertEquals(composeArgs, image.getBuildArgs());

            MountableFile context = (MountableFile) image.getTransferables().get(".");
            assertEquals(root.resolve(build.get("context").asText()).normalize(), Path.of(context.getResolvedPath()).normalize());
            assertTrue(Files.isRegularFile(Path.of(context.getResolvedPath(), "Dockerfile")));

            // A stable name, kept after the JVM exits: the next run finds the image in Docker's cache.
            assertEquals(ConnectContainer.IMAGE_NAME, image.getDockerImageName());
            assertFalse(image.isDeleteOnExit());
            assertTrue(ConnectContainer.IMAGE_NAME.startsWith("localhost/"), "never pulled from a registry");
            assertFalse(image.isDone(), "building the image waits for the container's start");
        }
    }

    @Test
    void environmentIsThatOfDockerCompose() {
        try (ContainerStack stack = new ContainerStack(root)) {
            Map<Service, GenericContainer<?>> containers = stack.containers(ALL);
            for (Service service : List.of(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.CONNECT, Service.KSQLDB)) {
                Map<String, String> env = containers.get(service).getEnvMap();
                compose.get(COMPOSE_NAMES.get(service)).get("environment").fields().forEachRemaining(setting -> {
                    if (service == Service.KAFKA && KAFKA_LISTENER_SETTINGS.contains(setting.getKey())) {
                        return;
                    }
                    assertEquals(setting.getValue().asText(), env.get(setting.getKey()), service + " " + setting.getKey());
                });
            }
            WorkshopPostgresContainer postgres = (WorkshopPostgresContainer) containers.get(Service.POSTGRES);
            JsonNode postgresEnv = compose.get("postgres").get("environment");
            // The module puts these into the environment as the container starts.
            assertEquals(postgresEnv.get("POSTGRES_DB").asText(), postgres.getDatabaseName());
            assertEquals(postgresEnv.get("POSTGRES_USER").asText(), postgres.getUsername());
            assertEquals(postgresEnv.get("POSTGRES_PASSWORD").asText(), postgres.getPassword());
            assertEquals(Endpoints.POSTGRES_USER, postgres.getUsername());
            assertEquals(Endpoints.POSTGRES_PASSWORD, postgres.getPassword());
            List<String> command = new ArrayList<>();
            compose.get("postgres").get("command").forEach(part -> command.add(part.asText()));
            assertEquals(command, Arrays.asList(postgres.getCommandParts()));
        }
    }

    @Test
    @SuppressWarnings("deprecation") // getCopyToFileContainerPathMap(): the only public view of the copies
    void composeVolumesAreCopiedIntoTheContainers() {
        try (ContainerStack stack = new ContainerStack(root)) {
            Map<Service, GenericContainer<?>> containers = stack.containers(ALL);
            for (Service service : List.of(Service.POSTGRES, Service.CONNECT)) {
                Map<Path, String> copies = new LinkedHashMap<>();
                containers.get(service).getCopyToFileContainerPathMap()
                        .forEach((file, target) -> copies.put(Path.of(file.getResolvedPath()).normalize(), target));
                Map<Path, String> volumes = new LinkedHashMap<>();
                compose.get(COMPOSE_NAMES.get(service)).get("volumes").forEach(volume -> {
                    String[] parts = volume.asText().split(":");
                    volumes.put(root.resolve(parts[0]).normalize(), parts[1]);
                });
                assertEquals(volumes, copies, service + ": compose's volumes, copied in");
            }
            assertTrue(Files.isRegularFile(root.resolve("docker/postgres/init/01-customers.sql")));
        }
    }

    @Test
    void everyServiceIsOnOneNetworkUnderItsComposeName() {
        try (ContainerStack stack = new ContainerStack(root)) {
            Map<Service, GenericContainer<?>> containers = stack.containers(ALL);
            assertEquals(ALL, containers.keySet());
            containers.forEach((service, container) -> {
                assertSame(stack.network(), container.getNetwork(), service + " is on the stack's network");
                assertTrue(container.getNetworkAliases().contains(COMPOSE_NAMES.get(service)),
                        service + " answers as " + COMPOSE_NAMES.get(service) + " on the network: " + container.getNetworkAliases());
            });
        }
    }

    @Test
    void exposedPortsAreTheServicesPortsInsideTheirContainers() {
        try (ContainerStack stack = new ContainerStack(root)) {
            Map<Service, GenericContainer<?>> containers = stack.containers(ALL);
            Map<Service, Integer> ports = Map.of(Service.KAFKA, 9092, Service.POSTGRES, 5432, Service.SCHEMA_REGISTRY, 8081,
                    Service.CONNECT, 8083, Service.KSQLDB, 8088);
            ports.forEach((service, port) -> assertEquals(List.of(port), containers.get(service).getExposedPorts(), service.toString()));
            // Compose publishes the same container ports (on fixed host ports; Testcontainers maps free ones).
            for (Service service : List.of(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.CONNECT, Service.KSQLDB, Service.POSTGRES)) {
                String published = compose.get(COMPOSE_NAMES.get(service)).get("ports").get(0).asText();
                assertTrue(published.endsWith(":" + ports.get(service)), service + " publishes " + published);
            }
        }
    }

    /** Testcontainers' own subclass hook: resolves the listeners as the container's start does. */
    static final class ConfiguredKafka extends WorkshopKafkaContainer {
        ConfiguredKafka() {
            super(org.testcontainers.containers.Network.newNetwork());
            configure();
        }
    }

    @Test
    void kafkaHasASecondListenerForOtherContainersAtKafka29092() {
        ConfiguredKafka kafka = new ConfiguredKafka();
        Set<String> listeners = Set.of(kafka.getEnvMap().get("KAFKA_LISTENERS").split(","));
        assertTrue(listeners.contains("TC-0://kafka:29092"), "listeners: " + listeners);
        assertTrue(listeners.contains("PLAINTEXT://0.0.0.0:9092"), "the host's listener stays: " + listeners);
        assertTrue(Set.of(kafka.getEnvMap().get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")).contains("TC-0:PLAINTEXT"));
        assertTrue(kafka.getNetworkAliases().contains("kafka"));
        assertEquals("kafka:29092", kafka.networkBootstrapServers());
        // What compose's other services are given, and so what ours are given.
        assertEquals("PLAINTEXT://" + kafka.networkBootstrapServers(),
                compose.get("schema-registry").get("environment").get("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS").asText());
        assertEquals(kafka.networkBootstrapServers(), compose.get("connect").get("environment").get("BOOTSTRAP_SERVERS").asText());
        assertEquals(kafka.networkBootstrapServers(), compose.get("ksqldb-server").get("environment").get("KSQL_BOOTSTRAP_SERVERS").asText());
    }

    @Test
    void dependenciesAreThoseOfDockerCompose() {
        try (ContainerStack stack = new ContainerStack(root)) {
            Map<Service, GenericContainer<?>> containers = stack.containers(ALL);
            COMPOSE_NAMES.forEach((service, name) -> {
                Set<String> composeNeeds = new HashSet<>();
                compose.get(name).path("depends_on").fieldNames().forEachRemaining(composeNeeds::add);
                Set<String> needs = ContainerStack.needs(service).stream().map(COMPOSE_NAMES::get).collect(Collectors.toSet());
                assertEquals(composeNeeds, needs, service + " needs");
                // Declared on the containers too (Testcontainers' dependsOn), as the stack's own container objects.
                Set<Service> dependsOn = containers.get(service).getDependencies().stream()
                        .map(dependency -> containers.entrySet().stream().filter(e -> e.getValue() == dependency)
                                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError(service + " depends on a stranger")))
                        .collect(Collectors.toSet());
                assertEquals(ContainerStack.needs(service), dependsOn, service + " depends on");
            });
        }
    }

    @Test
    void askingForAServiceBringsWhatItNeedsAndTheSameContainersEachTime() {
        assertEquals(EnumSet.of(Service.KAFKA, Service.SCHEMA_REGISTRY, Service.KSQLDB),
                ContainerStack.withDependencies(Set.of(Service.KSQLDB)));
        assertEquals(EnumSet.of(Service.KAFKA, Service.POSTGRES, Service.CONNECT),
                ContainerStack.withDependencies(Set.of(Service.CONNECT)));
        try (ContainerStack stack = new ContainerStack(root)) {
            Map<Service, GenericContainer<?>> connect = stack.containers(Set.of(Service.CONNECT));
            assertEquals(EnumSet.of(Service.KAFKA, Service.POSTGRES, Service.CONNECT), connect.keySet());
            Map<Service, GenericContainer<?>> ksqldb = stack.containers(Set.of(Service.KSQLDB));
            assertSame(connect.get(Service.KAFKA), ksqldb.get(Service.KAFKA), "one Kafka for all");
        }
    }

    @Test
    void kafkaAndPostgresWaitForTheirModulesOwnReadiness() {
        try (ContainerStack stack = new ContainerStack(root)) {
            Map<Service, GenericContainer<?>> containers = stack.containers(Set.of(Service.KAFKA, Service.POSTGRES));
            assertInstanceOf(LogMessageWaitStrategy.class, ((WorkshopKafkaContainer) containers.get(Service.KAFKA)).getWaitStrategy());
            assertInstanceOf(LogMessageWaitStrategy.class, ((WorkshopPostgresContainer) containers.get(Service.POSTGRES)).getWaitStrategy());
        }
    }

    /**
     * Runs each HTTP service's real wait strategy against a stand-in server on this machine, mapped
     * as Docker would map the container's port: it must ask GET on the service's endpoint, keep
     * asking while the answer is not 200, and be satisfied by 200.
     */
    @Test
    @Timeout(60)
    void httpServicesAreReadyWhenTheirEndpointAnswers200() throws IOException {
        try (ContainerStack stack = new ContainerStack(root)) {
            Map<Service, GenericContainer<?>> containers = stack.containers(ALL);
            Map<Service, WaitStrategy> strategies = Map.of(
                    Service.SCHEMA_REGISTRY, ((SchemaRegistryContainer) containers.get(Service.SCHEMA_REGISTRY)).getWaitStrategy(),
                    Service.CONNECT, ((ConnectContainer) containers.get(Service.CONNECT)).getWaitStrategy(),
                    Service.KSQLDB, ((KsqlDbContainer) containers.get(Service.KSQLDB)).getWaitStrategy());
            Map<Service, String> paths = Map.of(Service.SCHEMA_REGISTRY, "/subjects", Service.CONNECT, "/connectors", Service.KSQLDB, "/healthcheck");
            Map<Service, Integer> ports = Map.of(Service.SCHEMA_REGISTRY, 8081, Service.CONNECT, 8083, Service.KSQLDB, 8088);
            for (Service service : strategies.keySet()) {
                List<String> requests = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger asked = new AtomicInteger();
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/", exchange -> {
                    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                    boolean right = exchange.getRequestURI().getPath().equals(paths.get(service));
                    // Not ready on the first call (a service still starting), ready after.
                    int status = !right ? 404 : asked.getAndIncrement() == 0 ? 503 : 200;
                    exchange.sendResponseHeaders(status, -1);
                    exchange.close();
                });
                server.start();
                try {
                    // Testcontainers asks at most once a second by default; the stand-in answers at once.
                    ((AbstractWaitStrategy) strategies.get(service).withStartupTimeout(Duration.ofSeconds(20)))
                            .withRateLimiter(RateLimiterBuilder.newBuilder().withRate(20, TimeUnit.SECONDS).withConstantThroughput().build())
                            .waitUntilReady(new StandIn(ports.get(service), server.getAddress().getPort()));
                } finally {
                    server.stop(0);
                }
                assertEquals(List.of("GET " + paths.get(service), "GET " + paths.get(service)), requests, service.toString());
            }
        }
    }

    @Test
    void aTimeoutIsReportedInOneLineThatNamesTheServiceAndWhatToDo() {
        ContainerLaunchException timeout = new ContainerLaunchException("Container startup failed for image confluentinc/cp-ksqldb-server:8.3.1",
                new ContainerLaunchException("Could not create/start container",
                        new ContainerLaunchException("Timed out waiting for URL to be accessible\n(http://localhost:32771/info should return HTTP [200])")));
        StackException failure = ContainerStack.failure(Service.KSQLDB, timeout);
        assertOneLine(failure.getMessage());
        assertTrue(failure.getMessage().startsWith("ksqlDB server did not start in Docker (Timed out waiting for URL to be accessible "
                + "(http://localhost:32771/info should return HTTP [200]))."), failure.getMessage());
        assertTrue(failure.getMessage().contains("memory"), failure.getMessage());
        assertSame(timeout, failure.getCause());
    }

    @Test
    void aRefusedPullIsReportedInOneLineThatSaysWhatToPull() {
        var pull = new ContainerLaunchException("Container startup failed for image apache/kafka:4.3.1",
                new org.testcontainers.containers.ContainerFetchException("Can't get Docker image: RemoteDockerImage(imageName=apache/kafka:4.3.1)",
                        new org.testcontainers.containers.ContainerFetchException("Failed to pull image: apache/kafka:4.3.1",
                                new RuntimeException("Status 500: dial tcp: lookup registry-1.docker.io: no such host"))));
        StackException failure = ContainerStack.failure(Service.KAFKA, pull);
        assertOneLine(failure.getMessage());
        assertTrue(failure.getMessage().startsWith("Kafka broker: Docker could not get the image apache/kafka:4.3.1 (Failed to pull image"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("docker pull apache/kafka:4.3.1"), failure.getMessage());
        assertTrue(failure.getMessage().contains("WORKSHOP_STACK=embedded"), failure.getMessage());

        StackException build = ContainerStack.failure(Service.CONNECT, pull);
        assertOneLine(build.getMessage());
        assertTrue(build.getMessage().contains("docker/connect/Dockerfile"), build.getMessage());
    }

    /**
     * In a workshop folder of its own, as a fresh clone: no .workshop/tools yet, so the registry's
     * distribution is unpacked there for the first time whatever ran before (test order once hid
     * that the folder was never created).
     */
    @Test
    void withoutConfluentsSerializerTheRegistryRunsEmbeddedBesideTheContainers(@org.junit.jupiter.api.io.TempDir Path freshClone) {
        assertFalse(Files.exists(WorkshopRoot.stateDir(freshClone)), "a fresh clone has no state folder");
        try (ContainerStack stack = new ContainerStack(freshClone)) {
            stack.start(Set.of(Service.SCHEMA_REGISTRY), line -> { });
            String registry = stack.endpoints().address(Service.SCHEMA_REGISTRY);
            assertTrue(registry != null && registry.endsWith("/apis/ccompat/v7"), String.valueOf(registry));
            assertTrue(stack.endpoints().environment().containsKey("APICURIO_REGISTRY_URL"), "module 8's serializer finds its API");
            assertTrue(workshop.stack.Reachability.answers("localhost", java.net.URI.create(registry).getPort()));
        }
    }

    @Test
    void theThreeBrokerClusterRunsEmbeddedBesideTheContainersWithoutDocker() throws Exception {
        try (ContainerStack stack = new ContainerStack(root)) {
            stack.start(Set.of(Service.KAFKA_CLUSTER), line -> { });
            String bootstrap = stack.endpoints().address(Service.KAFKA_CLUSTER);
            assertTrue(bootstrap != null && bootstrap.split(",").length == 3, String.valueOf(bootstrap));
            workshop.stack.Reachability.requireKafka(bootstrap, "the cluster was just started");
            assertTrue(stack.brokerControl().isPresent(), "the replication grader can stop brokers");
            assertEquals(Set.of(Service.KAFKA_CLUSTER), stack.running());
            StackException noContainer = assertThrows(StackException.class, () -> stack.containers(Set.of(Service.KAFKA_CLUSTER)));
            assertOneLine(noContainer.getMessage());
        }
    }

    /**
     * A grader whose services run already is answered at once, even while another grader's start
     * holds the stack (a Connect image build takes minutes): here a start held open in its
     * progress report, then abandoned.
     */
    @Test
    @Timeout(120)
    void servicesThatRunAlreadyDoNotWaitForAnotherStart() throws Exception {
        try (ContainerStack stack = new ContainerStack(root)) {
            stack.start(Set.of(Service.KAFKA_CLUSTER), line -> { });
            java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            var other = java.util.concurrent.CompletableFuture.runAsync(() -> stack.start(Set.of(Service.SCHEMA_REGISTRY), line -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("abandoned by the test");
            }));
            assertTrue(holding.await(60, TimeUnit.SECONDS), "the other start began");
            long asked = System.nanoTime();
            stack.start(Set.of(Service.KAFKA_CLUSTER), line -> { });
            String bootstrap = stack.endpoints().address(Service.KAFKA_CLUSTER);
            assertTrue(stack.running().contains(Service.KAFKA_CLUSTER));
            double seconds = (System.nanoTime() - asked) / 1e9;
            assertFalse(other.isDone(), "the other start still holds the stack");
            release.countDown();
            assertThrows(java.util.concurrent.ExecutionException.class, other::get);
            assertTrue(seconds < 1, "answered in " + seconds + " s");
            assertTrue(bootstrap != null && bootstrap.split(",").length == 3, bootstrap);
        }
    }

    @Test
    void aMissingWorkshopFileIsReportedInOneLine(@org.junit.jupiter.api.io.TempDir Path elsewhere) {
        try (ContainerStack stack = new ContainerStack(elsewhere)) {
            StackException e = assertThrows(StackException.class, () -> stack.containers(Set.of(Service.POSTGRES)));
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().contains("docker/postgres/init"), e.getMessage());
        }
    }

    @Test
    @DisabledIf("workshop.stack.containers.ContainerStack#dockerAvailable")
    @Timeout(30)
    void withoutDockerStartingFailsFastInOneLineAndCloseIsSafeTwice() {
        List<String> progress = new ArrayList<>();
        ContainerStack stack = new ContainerStack(root);
        StackException e = assertThrows(StackException.class, () -> stack.start(Set.of(Service.KAFKA), progress::add));
        assertOneLine(e.getMessage());
        assertTrue(e.getMessage().contains("Docker") && e.getMessage().contains("WORKSHOP_STACK=embedded"), e.getMessage());
        assertTrue(stack.running().isEmpty());
        assertTrue(stack.endpoints().addresses().isEmpty());
        stack.close();
        stack.close();
        assertThrows(IllegalStateException.class, () -> stack.start(Set.of(Service.KAFKA), progress::add));
    }

    /** Starts the whole stack and asks every service something real. Runs only where Docker answers. */
    @Test
    @EnabledIf("workshop.stack.containers.ContainerStack#dockerAvailable")
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void withDockerEveryServiceStartsAndAnswers() throws Exception {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        try (ContainerStack stack = new ContainerStack(root)) {
            stack.start(Set.of(Service.KSQLDB, Service.CONNECT), progress::add);
            assertEquals(ALL, stack.running());
            for (Service service : ALL) {
                assertTrue(progress.contains("Starting " + service.title() + "..."), progress.toString());
                assertTrue(progress.stream().anyMatch(line -> line.startsWith(service.title() + " ready in ")), progress.toString());
            }
            Endpoints endpoints = stack.endpoints();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers()))) {
                assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            }
            HttpClient http = HttpClient.newHttpClient();
            assertEquals("[]", get(http, endpoints.address(Service.SCHEMA_REGISTRY) + "/subjects"));
            String plugins = get(http, endpoints.address(Service.CONNECT) + "/connector-plugins");
            for (String plugin : List.of("io.debezium.connector.postgresql.PostgresConnector",
                    "io.debezium.connector.jdbc.JdbcSinkConnector", "org.apache.kafka.connect.file.FileStreamSourceConnector")) {
                assertTrue(plugins.contains(plugin), plugin + " in " + plugins);
            }
            assertTrue(get(http, endpoints.address(Service.KSQLDB) + "/info").contains("KsqlServerInfo"));
            assertTrue(endpoints.address(Service.POSTGRES).matches("jdbc:postgresql://[^/]+:\\d+/workshop"), endpoints.address(Service.POSTGRES));
            try (Connection db = DriverManager.getConnection(endpoints.address(Service.POSTGRES), Endpoints.POSTGRES_USER, Endpoints.POSTGRES_PASSWORD);
                 ResultSet rows = db.createStatement().executeQuery("SELECT count(*) FROM customers")) {
                rows.next();
                assertEquals(20, rows.getInt(1), "the seed script ran");
            }
            GenericContainer<?> connect = stack.containers(Set.of(Service.CONNECT)).get(Service.CONNECT);
            assertEquals(0, connect.execInContainer("test", "-r", "/data/ratings.jsonl").getExitCode(), "the sample data is in Connect");
            // From inside the network, by compose's names (what connectors and ksqlDB use).
            assertEquals(0, connect.execInContainer("curl", "-fsS", "-o", "/dev/null", "http://schema-registry:8081/subjects").getExitCode());

            stack.start(Set.of(Service.KAFKA), progress::add); // already running: nothing new
            stack.close();
            assertTrue(stack.running().isEmpty());
            stack.close();
        }
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
    }

    /** A container as a wait strategy sees it, its port mapped to a server on this machine. */
    private record StandIn(int containerPort, int hostPort) implements WaitStrategyTarget {
        @Override
        public List<Integer> getExposedPorts() {
            return List.of(containerPort);
        }

        @Override
        public Integer getMappedPort(int port) {
            if (port != containerPort) {
                throw new IllegalArgumentException("Requested port (" + port + ") is not mapped");
            }
            return hostPort;
        }

        @Override
        public String getHost() {
            return "127.0.0.1";
        }

        @Override
        public Set<Integer> getLivenessCheckPortNumbers() {
            return Set.of(hostPort);
        }

        @Override
        public String getContainerId() {
            return "stand-in";
        }

        @Override
        public InspectContainerResponse getContainerInfo() {
            return new InspectContainerResponse();
        }
    }
}
