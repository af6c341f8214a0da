package workshop.stack.containers;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import workshop.stack.Endpoints;
import workshop.stack.Progress;
import workshop.stack.Service;
import workshop.stack.Stack;
import workshop.stack.StackException;

import java.util.EnumSet;
import java.util.Set;

/**
 * The stack as Testcontainers, where a Docker engine answers: how graders check solutions on
 * learners' machines with Docker and in hosted CI. Each container is ready when a real endpoint
 * answers (Testcontainers' wait strategies), not when a log line appears.
 *
 * <p>Never executed on the machine this workshop is developed on (it has no Docker engine).
 */
public final class ContainerStack implements Stack {

    /** Apache Kafka's own image: multi-arch, KRaft, the same Kafka as the embedded backend. */
    static final String KAFKA_IMAGE = "apache/kafka:4.1.1";

    private final Set<Service> running = EnumSet.noneOf(Service.class);
    private KafkaContainer kafka;
    private Endpoints endpoints = Endpoints.none();

    /** True when a Docker engine answers (Testcontainers decides in well under a second when none runs). */
    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public String backend() {
        return "testcontainers";
    }

    @Override
    public synchronized void start(Set<Service> services, Progress progress) {
        for (Service service : services) {
            if (running.contains(service)) {
                continue;
            }
            long started = System.nanoTime();
            progress.report("Starting " + service.title() + " in Docker...");
            switch (service) {
                case KAFKA -> {
                    kafka = new KafkaContainer(KAFKA_IMAGE);
                    kafka.start();
                    endpoints = endpoints.with(Service.KAFKA, kafka.getBootstrapServers());
                }
                default -> throw new StackException(service.title()
                        + " is not available in the Testcontainers backend yet; use WORKSHOP_STACK=embedded or the docker-compose stack.");
            }
            running.add(service);
            progress.report(String.format("%s ready in %.1f s", service.title(), (System.nanoTime() - started) / 1e9));
        }
    }

    @Override
    public synchronized Set<Service> running() {
        return Set.copyOf(running);
    }

    @Override
    public synchronized Endpoints endpoints() {
        return endpoints;
    }

    @Override
    public synchronized void close() {
        if (kafka != null) {
            kafka.stop();
            kafka = null;
        }
        running.clear();
    }
}
