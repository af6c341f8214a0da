package workshop.stack.embedded;

import workshop.WorkshopRoot;
import workshop.stack.BrokerControl;
import workshop.stack.Endpoints;
import workshop.stack.Ports;
import workshop.stack.Progress;
import workshop.stack.Reachability;
import workshop.stack.Service;
import workshop.stack.Stack;
import workshop.stack.StackException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.Set;

/**
 * The stack without Docker: every service from Maven Central jars, started in this JVM (or as a
 * child process where a service needs one) when first asked for.
 *
 * <p>With {@code fixedPorts} the services listen on the documented ports ({@link Ports}), which
 * is how the background stack of {@code stack up} runs; without, they take free ports, which is
 * how tests run, so that a learner's running stack never disturbs a test run.
 */
public final class EmbeddedStack implements Stack {

    private final Path root;
    private final Path dataDir;
    private final boolean fixedPorts;
    /** Guarded by itself: services start side by side. */
    private final Set<Service> running = EnumSet.noneOf(Service.class);
    /** What runs, for the answer without a lock (see start). */
    private volatile Set<Service> runningView = Set.of();
    /** Guarded by itself, not by the stack: close() must not wait for a start in progress (Ctrl-C while starting). */
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private volatile EmbeddedKafka cluster;
    /** Replaced whole as each service starts (side by side: see {@link #publish}). */
    private volatile Endpoints endpoints = Endpoints.none();
    private volatile boolean closed;

    /**
     * @param root       the workshop folder: seed scripts come from it, downloads go to its .workshop/tools
     * @param dataDir    where the services keep their data
     * @param fixedPorts the documented ports (the background stack), or free ones (tests)
     */
    public EmbeddedStack(Path root, Path dataDir, boolean fixedPorts) {
        this.root = root;
        this.dataDir = dataDir;
        this.fixedPorts = fixedPorts;
    }

    /** An embedded stack on free ports with its data in a fresh temporary folder. */
    public static EmbeddedStack onFreePorts() {
        try {
            Path dataDir = Files.createTempDirectory("workshop-stack-");
            EmbeddedStack stack = new EmbeddedStack(WorkshopRoot.find(), dataDir, false);
            stack.closeables.add(() -> org.apache.commons.io.FileUtils.deleteQuietly(dataDir.toFile())); // closed last
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String backend() {
        return "embedded";
    }

    /**
     * Starts what is not running yet: Kafka first (Connect needs it, and its start time measures the
     * machine: MachinePace), then the others side by side (PostgreSQL unpacks and starts its server,
     * the schema registry is a JVM of its own). Services that run already are answered at once,
     * even while another start is under way: a grading that needs only Kafka does not wait for
     * PostgreSQL.
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
            throw new IllegalStateException("The embedded stack is closed");
        }
        Set<Service> missing = EnumSet.noneOf(Service.class);
        missing.addAll(services);
        if (missing.contains(Service.CONNECT)) {
            missing.add(Service.KAFKA);
        }
        missing.removeAll(running);
        if (missing.remove(Service.KAFKA)) {
            startService(Service.KAFKA, progress);
        }
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (Service service : missing) {
            starts.add(CompletableFuture.runAsync(() -> startService(service, progress), task -> {
                Thread thread = new Thread(task, "start " + service.title());
                thread.setDaemon(true);
                thread.start();
            }));
        }
        RuntimeException failed = null;
        for (CompletableFuture<Void> start : starts) {
            try {
                start.join();
            } catch (java.util.concurrent.CompletionException e) {
                // The others keep starting (and count as running); the first failure is reported.
                if (failed == null) {
                    failed = e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private void startService(Service service, Progress progress) {
        progress.timed(service, "", () -> start(service, progress));
        synchronized (running) {
            running.add(service);
            runningView = Set.copyOf(running);
        }
    }

    private void start(Service service, Progress progress) {
        switch (service) {
            case KAFKA -> {
                long begun = System.nanoTime();
                EmbeddedKafka kafka = startKafka(1, Ports.KAFKA, "kafka");
                workshop.stack.MachinePace.observeKafkaStart(java.time.Duration.ofNanos(System.nanoTime() - begun));
                publish(Service.KAFKA, kafka.bootstrapServers());
            }
            case KAFKA_CLUSTER -> {
                cluster = startKafka(3, Ports.KAFKA_CLUSTER, "kafka-cluster");
                publish(Service.KAFKA_CLUSTER, cluster.bootstrapServers());
            }
            case POSTGRES -> {
                EmbeddedPostgres postgres = EmbeddedPostgres.start(port(Ports.POSTGRES), folder("postgres"),
                        root.resolve("docker/postgres/init/01-customers.sql"), WorkshopRoot.stateDir(root).resolve("tools"), progress);
                register(postgres);
                publish(Service.POSTGRES, postgres.jdbcUrl());
            }
            case CONNECT -> {
                EmbeddedConnect connect = EmbeddedConnect.start(endpoints.bootstrapServers(), port(Ports.CONNECT));
                register(connect);
                publish(Service.CONNECT, connect.url());
            }
            case SCHEMA_REGISTRY -> {
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(port(Ports.SCHEMA_REGISTRY), folder("schema-registry"),
                        WorkshopRoot.stateDir(root).resolve("tools"), progress);
                register(registry);
                publish(Service.SCHEMA_REGISTRY, registry.confluentApiUrl());
            }
            case KSQLDB -> publish(Service.KSQLDB, workshop.stack.KsqlDbServer.given());
        }
    }

    /** Adds a started service's address (two services may finish starting at the same time). */
    private void publish(Service service, String address) {
        synchronized (running) { // not the stack's lock: startMissing holds that while the services start
            endpoints = endpoints.with(service, address);
        }
    }

    /** The documented port (checked free) with fixed ports, else 0: a free one. */
    private int port(Ports port) {
        if (!fixedPorts) {
            return 0;
        }
        requireFree(port, port.port());
        return port.port();
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(dataDir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private EmbeddedKafka startKafka(int brokers, Ports port, String folder) {
        int fixedPort = 0;
        if (fixedPorts) {
            fixedPort = port.port();
            for (int i = 0; i < brokers; i++) {
                requireFree(port, fixedPort + i);
            }
        }
        try {
            Path dir = Files.createDirectories(dataDir.resolve(folder));
            EmbeddedKafka kafka = EmbeddedKafka.start(brokers, fixedPort, dir);
            register(kafka);
            return kafka;
        } catch (StackException e) {
            throw e;
        } catch (Exception e) {
            throw new StackException("The embedded Kafka did not start: " + e.getMessage(), e);
        }
    }

    private static void requireFree(Ports port, int number) {
        if (!Reachability.portFree(number)) {
            throw new StackException("Port " + number + " (" + port.service().title() + ") is already in use by another program. "
                    + "Stop that program, or choose another port: " + port.variable() + "=<port> ./jbang workshop stack up");
        }
    }

    @Override
    public Set<Service> running() {
        return runningView;
    }

    @Override
    public Endpoints endpoints() {
        return endpoints;
    }

    @Override
    public Optional<BrokerControl> brokerControl() {
        return Optional.ofNullable(cluster);
    }

    /**
     * Keeps a started service for close(); closes it at once if the stack was closed while it
     * started (Ctrl-C while starting), so nothing outlives the stack.
     */
    private void register(AutoCloseable service) {
        synchronized (closeables) {
            if (!closed) {
                closeables.add(service);
                return;
            }
        }
        closeQuietly(service);
        throw new StackException("The stack was stopped while it was starting.");
    }

    /**
     * Closes the services in reverse start order; safe to call more than once, and from another
     * thread while a service is starting (that one is closed as soon as it has started).
     */
    @Override
    public void close() {
        List<AutoCloseable> started;
        synchronized (closeables) {
            if (closed) {
                return;
            }
            closed = true;
            started = new ArrayList<>(closeables);
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            closeQuietly(started.get(i));
        }
    }

    private static void closeQuietly(AutoCloseable service) {
        try {
            service.close();
        } catch (Exception e) {
            // Keep closing the others; a half-closed stack would leave processes behind.
        }
    }
}
