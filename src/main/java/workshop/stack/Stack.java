package workshop.stack;

import java.util.Set;

/**
 * A real Kafka and the services around it, whichever way they run: embedded in this JVM,
 * as Testcontainers, or external (the docker-compose stack of a live workshop, or the
 * background stack started by {@code ./jbang workshop stack up}).
 *
 * <p>Services start lazily: a grader asks for what its module needs and the stack starts
 * what is missing, reporting progress. Graders isolate themselves by names (topics, groups),
 * never by restarting the stack.
 */
public interface Stack extends AutoCloseable {

    /** "embedded", "testcontainers" or "external". */
    String backend();

    /**
     * Makes sure the given services run and answer; starts those that are missing.
     *
     * @throws StackException with a one-line, learner-grade message when a service cannot be had
     */
    void start(Set<Service> services, Progress progress);

    /** The services that run now. */
    Set<Service> running();

    /** Where the running services answer. */
    Endpoints endpoints();

    /**
     * Stopping and starting brokers of the 3-broker cluster ({@link Service#KAFKA_CLUSTER}), where
     * this backend can do it; empty where it cannot (an external stack belongs to someone else).
     */
    default java.util.Optional<BrokerControl> brokerControl() {
        return java.util.Optional.empty();
    }

    @Override
    void close();
}
