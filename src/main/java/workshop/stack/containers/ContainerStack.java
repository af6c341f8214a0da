package workshop.stack.containers;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerFetchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import workshop.WorkshopRoot;
import workshop.stack.BrokerControl;
import workshop.stack.Endpoints;
import workshop.stack.Progress;
import workshop.stack.Service;
import workshop.stack.Stack;
import workshop.stack.StackException;
import workshop.stack.embedded.EmbeddedKafka;
import workshop.stack.embedded.EmbeddedSchemaRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The stack as Testcontainers, where a Docker engine answers: how graders check solutions on
 * learners' machines with Docker and in hosted CI. The services are those of docker-compose.yml
 * (same images, tags and environment), all on one Docker network under the compose service names
 * ({@code kafka:29092}, {@code schema-registry:8081}, {@code connect:8083}, {@code postgres:5432},
 * {@code ksqldb-server:8088}), with their ports mapped to free host ports.
 *
 * <p>Services start when first asked for, with what they need: Schema Registry, Connect and
 * ksqlDB need Kafka; Connect needs PostgreSQL; ksqlDB needs the Schema Registry. What can start in
 * parallel does (Kafka and PostgreSQL; then Schema Registry and Connect), each once its
 * dependencies answer. A service is ready when a real endpoint answers (Testcontainers' wait
 * strategies): the Kafka and PostgreSQL modules' own, {@code GET /subjects}, {@code GET /connectors}
 * and {@code GET /info} with 200.
 *
 * <p>The 3-broker cluster of the replication module runs embedded, in this JVM, beside the
 * containers: its grader stops and restarts brokers, and Testcontainers removes a container it
 * stops, so a broker container could not come back with the same identity and ports.
 *
 * <p>The machine this workshop is developed on has no Docker engine: there, only the containers'
 * configuration is tested (ContainerStackTest); the test that starts them runs where Docker answers.
 */
public final class ContainerStack implements Stack {

    /** Apache Kafka's own image: multi-arch, KRaft, the same Kafka as the client jars (pom.xml kafka.version). */
    public static final String KAFKA_IMAGE = "apache/kafka:4.3.1";

    /** Where, in the workshop's folder, the containers find their files. */
    public static final String CONNECT_BUILD_CONTEXT = "docker/connect";
    public static final String POSTGRES_INIT_SCRIPTS = "docker/postgres/init";
    public static final String DATA = "data";

    /** The order in which services are created; a service's dependencies always come before it. */
    private static final List<Service> ORDER = List.of(
            Service.KAFKA, Service.POSTGRES, Service.SCHEMA_REGISTRY, Service.CONNECT, Service.KSQLDB);

    private final Path givenRoot;
    private final Network network = Network.newNetwork();
    private final Map<Service, GenericContainer<?>> containers = new EnumMap<>(Service.class);
    private final Set<Service> running = EnumSet.noneOf(Service.class);
    /** Containers in the order they became ready: closed in reverse. */
    private final List<GenericContainer<?>> started = Collections.synchronizedList(new ArrayList<>());
    /** Containers of a start that failed or was interrupted: replaced by fresh ones next time, stopped on close. */
    private final List<GenericContainer<?>> discarded = new ArrayList<>();
    private final Object progressLock = new Object();
    /** Written under the lock, read without it: graders whose services run already do not wait for another's start. */
    private volatile Endpoints endpoints = Endpoints.none();
    private volatile Set<Service> runningView = Set.of();
    private EmbeddedKafka cluster;
    private EmbeddedSchemaRegistry registry;
    private volatile boolean closed;

    /** A stack whose files (Dockerfile, seed scripts, data) come from the workshop folder, found when first needed. */
    public ContainerStack() {
        this(null);
    }

    /** A stack whose files come from this workshop folder. */
    public ContainerStack(Path root) {
        this.givenRoot = root;
    }

    /**
     * True when a Docker engine answers. Asks only for Testcontainers' connection to the engine (a
     * ping, well under a second either way): {@code isDockerAvailable()} would create its full
     * client, which starts Ryuk and so pulls its image, for minutes on an engine with no registry.
     */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().getTransportConfig() != null;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The services a service needs running before it starts. */
    public static Set<Service> needs(Service service) {
        return switch (service) {
            case KAFKA, POSTGRES, KAFKA_CLUSTER -> EnumSet.noneOf(Service.class);
            case SCHEMA_REGISTRY -> EnumSet.of(Service.KAFKA);
            case CONNECT -> EnumSet.of(Service.KAFKA, Service.POSTGRES);
            case KSQLDB -> EnumSet.of(Service.KAFKA, Service.SCHEMA_REGISTRY);
        };
    }

    /** These services and everything they need, directly or not. */
    public static Set<Service> withDependencies(Set<Service> services) {
        Set<Service> all = services.isEmpty() ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(services);
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Service service : Set.copyOf(all)) {
                grew |= all.addAll(needs(service));
            }
        }
        return all;
    }

    @Override
    public String backend() {
        return "testcontainers";
    }

    /**
     * The containers of these services and of the services they need, created (not started) where
     * not yet: their configuration can be checked without a Docker engine. {@link #start} starts
     * these same containers.
     *
     * @throws StackException for the 3-broker cluster, or when a file the containers need is missing
     */
    public synchronized Map<Service, GenericContainer<?>> containers(Set<Service> services) {
        if (closed) {
            throw new IllegalStateException("The Testcontainers stack is closed");
        }
        if (services.contains(Service.KAFKA_CLUSTER)) {
            throw clusterUnsupported();
        }
        Set<Service> wanted = withDependencies(services);
        Map<Service, GenericContainer<?>> result = new EnumMap<>(Service.class);
        for (Service service : ORDER) {
            if (wanted.contains(service)) {
                result.put(service, containers.computeIfAbsent(service, this::create));
            }
        }
        return Collections.unmodifiableMap(result);
    }

    /** The one Docker network every container of this stack joins (created by Docker when the first container starts). */
    public Network network() {
        return network;
    }

    private GenericContainer<?> create(Service service) {
        return switch (service) {
            case KAFKA -> new WorkshopKafkaContainer(network);
            case POSTGRES -> new WorkshopPostgresContainer(workshopFolder(POSTGRES_INIT_SCRIPTS, service), network);
            case SCHEMA_REGISTRY -> new SchemaRegistryContainer(kafka(), network);
            case CONNECT -> {
                workshopFolder(CONNECT_BUILD_CONTEXT + "/Dockerfile", service);
                yield new ConnectContainer(workshopFolder(CONNECT_BUILD_CONTEXT, service), workshopFolder(DATA, service),
                        kafka(), (WorkshopPostgresContainer) containers.get(Service.POSTGRES), network);
            }
            case KSQLDB -> new KsqlDbContainer(kafka(), (SchemaRegistryContainer) containers.get(Service.SCHEMA_REGISTRY), network);
            case KAFKA_CLUSTER -> throw clusterUnsupported();
        };
    }

    private WorkshopKafkaContainer kafka() {
        return (WorkshopKafkaContainer) containers.get(Service.KAFKA);
    }

    private Path workshopFolder(String relative, Service service) {
        Path root = givenRoot != null ? givenRoot : WorkshopRoot.find();
        Path path = root.resolve(relative);
        if (!Files.exists(path)) {
            throw new StackException(service.title() + " needs " + relative + " in the workshop folder (" + root
                    + "), and it is missing: restore it with git (git checkout -- " + relative + ").");
        }
        return path;
    }

    private static StackException clusterUnsupported() {
        return new StackException("The " + Service.KAFKA_CLUSTER.title() + " has no container: it runs embedded (start it with start()).");
    }

    /** The 3-broker cluster, in this JVM: its brokers can be stopped and started again. */
    private void startCluster(Progress progress) {
        progress.timed(Service.KAFKA_CLUSTER, " (embedded)", () -> {
            try {
                cluster = EmbeddedKafka.start(3, 0, Files.createTempDirectory("workshop-cluster-"));
            } catch (Exception e) {
                throw new StackException("The embedded " + Service.KAFKA_CLUSTER.title() + " did not start: " + e.getMessage(), e);
            }
        });
        running.add(Service.KAFKA_CLUSTER);
        runningView = Set.copyOf(running);
        endpoints = endpoints.with(Service.KAFKA_CLUSTER, cluster.bootstrapServers());
    }

    /**
     * Without Confluent's Avro serializer on the classpath (the default build sees only Maven
     * Central), module 8's exercises write through Apicurio's serializer, which needs Apicurio's
     * own API: the registry then runs embedded (Apicurio, with Confluent's API too) beside the
     * containers. With ksqlDB, which needs a registry on the Docker network, the container wins.
     */
    static boolean confluentSerializerAvailable() {
        try {
            Class.forName("io.confluent.kafka.serializers.KafkaAvroSerializer", false, ContainerStack.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private void startRegistry(Progress progress) {
        Path root = givenRoot != null ? givenRoot : WorkshopRoot.find();
        progress.timed(Service.SCHEMA_REGISTRY, " (embedded)", () -> {
            try {
                registry = EmbeddedSchemaRegistry.start(0, Files.createTempDirectory("workshop-registry-"),
                        WorkshopRoot.stateDir(root).resolve("tools"), progress);
            } catch (java.io.IOException e) {
                throw new StackException("The embedded schema registry did not start: " + e.getMessage(), e);
            }
        });
        running.add(Service.SCHEMA_REGISTRY);
        runningView = Set.copyOf(running);
        endpoints = endpoints.with(Service.SCHEMA_REGISTRY, registry.confluentApiUrl());
    }

    @Override
    public synchronized Optional<BrokerControl> brokerControl() {
        return Optional.ofNullable(cluster);
    }

    /**
     * Starts what is not running yet. Services that run already are answered at once, without
     * waiting for another grader's start in progress (a Connect image build takes minutes).
     */
    @Override
    public void start(Set<Service> services, Progress progress) {
        if (!closed && runningView.containsAll(services)) {
            return;
        }
        startMissing(services, progress);
    }

    private synchronized void startMissing(Set<Service> services, Progress progress) {
        if (closed) {
            throw new IllegalStateException("The Testcontainers stack is closed");
        }
        if (services.contains(Service.KAFKA_CLUSTER) && cluster == null) {
            startCluster(progress);
        }
        boolean embeddedRegistry = services.contains(Service.SCHEMA_REGISTRY) && !services.contains(Service.KSQLDB)
                && !confluentSerializerAvailable();
        if (embeddedRegistry && registry == null && !running.contains(Service.SCHEMA_REGISTRY)) {
            startRegistry(progress);
        }
        Set<Service> containerServices = EnumSet.noneOf(Service.class);
        services.stream().filter(s -> s != Service.KAFKA_CLUSTER && !(s == Service.SCHEMA_REGISTRY && registry != null))
                .forEach(containerServices::add);
        Set<Service> missing = withDependencies(containerServices);
        missing.removeAll(running);
        if (missing.isEmpty()) {
            return;
        }
        if (!dockerAvailable()) {
            throw new StackException("No Docker engine answers, so the Testcontainers stack cannot start "
                    + titles(missing) + ": start Docker (docker info must answer), or run with WORKSHOP_STACK=embedded.");
        }
        Map<Service, GenericContainer<?>> toStart = containers(missing);
        requireImages(missing, progress);
        Progress serial = line -> {
            synchronized (progressLock) {
                progress.report(line);
            }
        };
        Map<Service, StackException> failures = Collections.synchronizedMap(new EnumMap<>(Service.class));
        Map<Service, CompletableFuture<Void>> futures = new EnumMap<>(Service.class);
        ExecutorService pool = Executors.newCachedThreadPool(daemonThreads());
        try {
            for (Service service : ORDER) {
                if (!missing.contains(service)) {
                    continue;
                }
                CompletableFuture<?>[] dependencies = needs(service).stream()
                        .filter(missing::contains)
                        .map(futures::get)
                        .toArray(CompletableFuture[]::new);
                GenericContainer<?> container = toStart.get(service);
                futures.put(service, CompletableFuture.allOf(dependencies)
                        .thenRunAsync(() -> startOne(service, container, serial, failures), pool));
            }
            try {
                CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).get();
            } catch (ExecutionException e) {
                // Reported below, service by service: every future has completed by now.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("Interrupted while starting " + titles(missing) + " in Docker.", e);
            }
        } finally {
            pool.shutdown();
            futures.forEach((service, future) -> {
                if (future.isDone() && !future.isCompletedExceptionally()) {
                    running.add(service);
                    endpoints = endpoints.with(service, address(service, containers.get(service)));
                }
            });
            runningView = Set.copyOf(running);
            // A service that did not start gets fresh containers next time (its own and those that
            // depend on it), so that a second try does not inherit the first one's state.
            containers.entrySet().removeIf(entry -> {
                boolean stale = !running.contains(entry.getKey());
                if (stale) {
                    discarded.add(entry.getValue());
                }
                return stale;
            });
        }
        StackException first = null;
        for (Service service : ORDER) {
            StackException failure = failures.get(service);
            if (failure != null && first == null) {
                first = failure;
            } else if (failure != null) {
                first.addSuppressed(failure);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Every image these services need, and Testcontainers' own: present, or pulled once, or a one-line failure at once. */
    private static void requireImages(Set<Service> services, Progress progress) {
        Set<String> images = new java.util.LinkedHashSet<>(ContainerImages.testcontainersHelpers());
        images.addAll(ContainerImages.forServices(services));
        ContainerImages.require(images, progress);
    }

    private void startOne(Service service, GenericContainer<?> container, Progress progress, Map<Service, StackException> failures) {
        progress.timed(service, "", () -> {
            try {
                container.start();
            } catch (RuntimeException | Error e) {
                StackException failure = failure(service, e);
                failures.put(service, failure);
                throw failure;
            }
        });
        started.add(container);
    }

    private static String address(Service service, GenericContainer<?> container) {
        return switch (service) {
            case KAFKA -> ((WorkshopKafkaContainer) container).getBootstrapServers();
            case POSTGRES -> ((WorkshopPostgresContainer) container).workshopJdbcUrl();
            case SCHEMA_REGISTRY -> ((SchemaRegistryContainer) container).url();
            case CONNECT -> ((ConnectContainer) container).url();
            case KSQLDB -> ((KsqlDbContainer) container).url();
            case KAFKA_CLUSTER -> throw clusterUnsupported();
        };
    }

    /**
     * What a learner reads when a service did not start: one line that names the service, says
     * what went wrong (an image that could not be had, a timeout, a crash) and what to do.
     */
    public static StackException failure(Service service, Throwable e) {
        String cause = cause(e);
        boolean imageProblem = false;
        for (Throwable t = e; t != null && !imageProblem; t = t.getCause()) {
            imageProblem = t instanceof ContainerFetchException;
        }
        String message;
        if (imageProblem && service == Service.CONNECT) {
            message = "Kafka Connect: Docker could not build its image from " + CONNECT_BUILD_CONTEXT + "/Dockerfile (" + cause
                    + "). The first build pulls " + ConnectContainer.BASE_IMAGE
                    + ": run it once while online (docker compose build connect does the same).";
        } else if (imageProblem) {
            String image = image(service);
            message = service.title() + ": Docker could not get the image " + image + " (" + cause + "). Pull it once while online: docker pull "
                    + image + (service == Service.KAFKA ? " (or run with WORKSHOP_STACK=embedded)." : ".");
        } else {
            message = service.title() + " did not start in Docker (" + cause + "). Give Docker more memory (at least 4 GB) and try again"
                    + (service == Service.KAFKA ? ", or run with WORKSHOP_STACK=embedded." : ", or run the docker-compose stack (docker compose up -d).");
        }
        return new StackException(message, e);
    }

    private static String image(Service service) {
        return ContainerImages.image(service);
    }

    /** The first telling message of a Testcontainers exception chain, on one line. */
    private static String cause(Throwable e) {
        List<String> generic = List.of("Container startup failed for image", "Could not create/start container",
                "Can't get Docker image", "Retry limit hit", "Timeout waiting for result");
        String first = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().replaceAll("\\s+", " ").trim();
            if (message.isEmpty()) {
                continue;
            }
            if (generic.stream().noneMatch(message::startsWith)) {
                return shorten(message);
            }
            first = first == null ? message : first;
        }
        return shorten(first != null ? first : e.getClass().getSimpleName());
    }

    private static String shorten(String message) {
        return message.length() <= 240 ? message : message.substring(0, 237) + "...";
    }

    private static String titles(Set<Service> services) {
        return ORDER.stream().filter(services::contains).map(Service::title).collect(Collectors.joining(", "));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "workshop-container-start-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public Set<Service> running() {
        return runningView;
    }

    @Override
    public Endpoints endpoints() {
        return endpoints;
    }

    /** Stops the containers in reverse start order, then removes the network; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<GenericContainer<?>> stopping;
        synchronized (started) {
            stopping = new ArrayList<>(started);
        }
        Collections.reverse(stopping);
        List<GenericContainer<?>> others = new ArrayList<>(containers.values());
        others.addAll(discarded);
        for (GenericContainer<?> container : others) {
            if (!stopping.contains(container)) {
                stopping.add(container);
            }
        }
        for (GenericContainer<?> container : stopping) {
            try {
                container.stop();
            } catch (RuntimeException e) {
                // Keep stopping the others; Testcontainers' reaper removes what is left when the JVM exits.
            }
        }
        try {
            network.close();
        } catch (RuntimeException e) {
            // Same: the reaper removes it.
        }
        if (registry != null) {
            registry.close();
            registry = null;
        }
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                // Its temporary folder goes with the JVM's.
            }
            cluster = null;
        }
        running.clear();
        runningView = Set.of();
        endpoints = Endpoints.none();
    }
}
