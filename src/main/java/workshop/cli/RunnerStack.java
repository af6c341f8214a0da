package workshop.cli;

import workshop.stack.Endpoints;
import workshop.stack.Ports;
import workshop.stack.Progress;
import workshop.stack.Reachability;
import workshop.stack.Service;
import workshop.stack.Stack;
import workshop.stack.StackChoice;
import workshop.stack.Stacks;
import workshop.stack.background.BackgroundStack;
import workshop.stack.background.BackgroundStackClient;
import workshop.stack.background.StackState;
import workshop.stack.external.ExternalStack;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which stack the runner grades on. With {@code --stack auto} (the default; decided by StackChoice), in this order:
 * an external stack if one is configured (BOOTSTRAP_SERVERS or stack.properties); the background
 * stack if it runs; a Kafka that already answers at localhost:9092 (the docker-compose stack);
 * else the background stack is started, so that the learner's own runs find it too.
 * {@code embedded}, {@code testcontainers} and {@code external} choose one backend outright,
 * as in the tests.
 */
public final class RunnerStack {

    private RunnerStack() {
    }

    /** A description of what {@code auto} would use now, for {@code doctor}; starts nothing. */
    public static String describeAuto(Path root, Path stateDir) {
        return StackChoice.auto(root, stateDir, System.getenv()).reason();
    }

    public static Stack resolve(String backend, Path root, Path stateDir, Set<Service> services, Progress progress) {
        if (!backend.equals("auto")) {
            return Stacks.create(backend, root, System.getenv());
        }
        StackChoice choice = StackChoice.auto(root, stateDir, System.getenv());
        switch (choice.kind()) {
            case EXTERNAL -> {
                progress.report("Using the external stack: Kafka at " + choice.external().orElseThrow().endpoints().bootstrapServers());
                return choice.external().orElseThrow();
            }
            case BACKGROUND -> {
                StackState background = choice.background().orElseThrow();
                progress.report("Using the background stack: Kafka at " + background.endpoints().bootstrapServers());
                return new BackgroundStackClient(stateDir, background);
            }
            case LISTENING -> {
                Endpoints listening = listening();
                progress.report("Using the services already listening at the workshop's ports (the docker-compose stack?): "
                        + listening.addresses().keySet().stream().map(Service::title).toList());
                return new ExternalStack(listening, "the services at the workshop's ports");
            }
            case NEW_BACKGROUND -> {
                // started below
            }
        }
        progress.report("No stack runs yet: starting the workshop stack in the background (stop it with: ./jbang workshop stack down)");
        EnumSet<Service> toStart = EnumSet.of(Service.KAFKA);
        toStart.addAll(services);
        StackState started = BackgroundStack.start(stateDir, toStart, progress);
        return new BackgroundStackClient(stateDir, started);
    }

    /** The services that answer at the workshop's ports on this machine, e.g. the docker-compose stack's. */
    private static Endpoints listening() {
        Map<Service, String> found = new java.util.EnumMap<>(Service.class);
        for (Ports port : Ports.values()) {
            if (port.numbers().stream().allMatch(number -> Reachability.answers("localhost", number))) {
                found.put(port.service(), address(port));
            }
        }
        return new Endpoints(found);
    }

    private static String address(Ports port) {
        return switch (port.service()) {
            case KAFKA, KAFKA_CLUSTER -> String.join(",", port.numbers().stream().map(n -> "localhost:" + n).toList());
            case POSTGRES -> "jdbc:postgresql://localhost:" + port.port() + "/workshop";
            case CONNECT, SCHEMA_REGISTRY, KSQLDB -> "http://localhost:" + port.port();
        };
    }
}
