package workshop.stack.background;

import workshop.stack.BrokerControl;
import workshop.stack.Endpoints;
import workshop.stack.Progress;
import workshop.stack.Service;
import workshop.stack.Stack;
import workshop.stack.StackException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The background stack seen from the runner: its endpoints, and services started on request
 * through its control endpoint (with the progress shown as it happens). Closing it leaves the
 * stack running: it belongs to {@code stack up} / {@code stack down}.
 */
public final class BackgroundStackClient implements Stack {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path stateDir;
    private StackState state;

    public BackgroundStackClient(Path stateDir, StackState state) {
        this.stateDir = stateDir;
        this.state = state;
    }

    @Override
    public String backend() {
        return state.backend();
    }

    @Override
    public synchronized void start(Set<Service> services, Progress progress) {
        EnumSet<Service> missing = EnumSet.noneOf(Service.class);
        missing.addAll(services);
        missing.removeAll(running());
        if (missing.isEmpty()) {
            return;
        }
        String ids = missing.stream().map(Service::id).collect(Collectors.joining(","));
        HttpRequest request = post("/services?ids=" + ids, START_TIMEOUT);
        // Ctrl-C while waiting: only this command stops; the stack goes on starting the services.
        Thread interrupted = new Thread(() -> System.err.println("Stopped waiting; the workshop stack goes on starting "
                + missing.stream().map(Service::title).toList() + " in the background (./jbang workshop stack status)."));
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            HttpResponse<Stream<String>> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(request, HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                throw new StackException("The background stack refused to start " + ids + " (HTTP " + response.statusCode() + ").");
            }
            Iterator<String> lines = response.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.equals(StackDaemon.READY)) {
                    state = StackState.readLive(stateDir).orElseThrow(() -> new StackException("The background stack stopped."));
                    return;
                }
                if (line.startsWith(StackDaemon.FAILED)) {
                    throw new StackException(line.substring(StackDaemon.FAILED.length()));
                }
                if (line.startsWith(StackDaemon.PROGRESS)) {
                    progress.report(line.substring(StackDaemon.PROGRESS.length()));
                }
            }
            throw new StackException("The background stack stopped while starting " + ids + "; see " + BackgroundStack.logFile(stateDir));
        } catch (IOException e) {
            throw new StackException("The background stack does not answer (" + e.getMessage() + "). Restart it: ./jbang workshop stack down, then stack up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while the background stack started " + ids);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs: it says what happened.
            }
        }
    }

    /** Stops and starts brokers of the background stack's 3-broker cluster, through its control endpoint. */
    @Override
    public Optional<BrokerControl> brokerControl() {
        if (!running().contains(Service.KAFKA_CLUSTER)) {
            return Optional.empty();
        }
        return Optional.of(new BrokerControl() {
            @Override
            public void stopBroker(int brokerId) {
                post("/brokers/" + brokerId + "/stop");
            }

            @Override
            public void startBroker(int brokerId) {
                post("/brokers/" + brokerId + "/start");
            }
        });
    }

    /** A request to the stack's control endpoint, with its token. */
    private HttpRequest post(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + state.controlPort() + path))
                .header(StackDaemon.TOKEN_HEADER, state.token())
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
    }

    private void post(String path) {
        HttpRequest request = post(path, Duration.ofSeconds(60));
        try {
            int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 404) {
                throw new StackException("The 3-broker cluster has no such broker: its brokers are 0, 1 and 2.");
            }
            if (status != 204) {
                throw new StackException("The background stack could not do " + path + " (HTTP " + status + "); see " + BackgroundStack.logFile(stateDir));
            }
        } catch (IOException e) {
            throw new StackException("The background stack does not answer (" + e.getMessage() + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted");
        }
    }

    @Override
    public synchronized Set<Service> running() {
        return state.endpoints().addresses().keySet();
    }

    @Override
    public synchronized Endpoints endpoints() {
        return state.endpoints();
    }

    /** The stack keeps running: {@code stack down} stops it. */
    @Override
    public void close() {
    }
}
