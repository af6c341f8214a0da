package workshop.stack.background;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.io.FileUtils;
import workshop.stack.Service;
import workshop.stack.StackException;
import workshop.stack.embedded.EmbeddedStack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The background stack's process: starts the embedded stack on the documented ports, writes
 * {@link StackState} when ready, and runs until stopped ({@code stack down} sends it SIGTERM).
 * Its standard output goes to .workshop/logs/stack.log, where {@code stack up} follows it.
 *
 * <p>It starts more services on request, when a module needs them: a POST to its control
 * endpoint (loopback only, with the token from the state file) streams the progress back.
 *
 * <p>Ctrl-C while it starts stops it cleanly; once ready it ignores Ctrl-C and hang-ups, so the
 * stack outlives the terminal command that started it.
 */
public final class StackDaemon {

    /** The line that says the stack (or the services asked for) is ready. */
    static final String READY = "READY";
    /** Prefix of the line that says why the stack could not start. */
    static final String FAILED = "FAILED: ";
    /** Prefix of progress lines, which {@code stack up} shows (other lines are logging). */
    static final String PROGRESS = "stack: ";
    /** Header that carries the control token. */
    static final String TOKEN_HEADER = "X-Workshop-Token";

    private final Path stateDir;
    private final EmbeddedStack stack;
    private final long startedMillis = System.currentTimeMillis();
    private final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private HttpServer control;
    /** Guards ready and stopping apart from the start lock: a stop must not wait for a start to finish. */
    private final Object lifecycle = new Object();
    private boolean ready;
    private boolean stopping;

    private StackDaemon(Path stateDir, EmbeddedStack stack) {
        this.stateDir = stateDir;
        this.stack = stack;
    }

    /** Arguments: the state folder, then the ids of the services to start. */
    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        if (System.getProperty("workshop.root") == null) {
            System.setProperty("workshop.root", stateDir.toAbsolutePath().getParent().toString()); // commands run for this workshop
        }
        EnumSet<Service> services = EnumSet.noneOf(Service.class);
        Arrays.stream(args).skip(1).map(Service::fromId).forEach(services::add);

        Path dataDir = dataDir(stateDir);
        FileUtils.deleteQuietly(dataDir.toFile()); // every start begins with empty topics
        Files.createDirectories(dataDir);
        StackDaemon daemon = new StackDaemon(stateDir, new EmbeddedStack(stateDir.toAbsolutePath().getParent(), dataDir, true));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.stopping();
            daemon.close();
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly); // a service caught mid-start
            StackState.delete(stateDir);
            FileUtils.deleteQuietly(dataDir.toFile());
            stopped.countDown();
        }, "stack-shutdown"));
        watchStarter(daemon);

        try {
            daemon.start(services, System.out);
            daemon.openControl();
        } catch (StackException e) {
            System.out.println(FAILED + e.getMessage());
            System.exit(1);
        } catch (RuntimeException | Error e) {
            // Anything else must end the process too, or stack up would wait for a stack that never comes.
            e.printStackTrace(System.out);
            System.out.println(FAILED + "The stack could not start (" + e + "); see .workshop/logs/stack.log");
            System.exit(1);
        }
        if (!daemon.ready()) {
            return; // stopping: the shutdown hook cleans up
        }
        ignoreTerminalSignals();
        System.out.println(READY);
        stopped.await();
    }

    /**
     * Until the stack is ready, it lives only as long as the command that started it: that command
     * holds the other end of this process's standard input, so end-of-file means it is gone,
     * however it ended (Ctrl-C in its terminal, a kill, a crash) and whoever got the signal.
     */
    private static void watchStarter(StackDaemon daemon) {
        Thread watch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // The starter writes nothing; only the end of the stream matters.
                }
            } catch (IOException e) {
                // A broken pipe: the starter is gone too.
            }
            if (!daemon.isReady()) {
                System.out.println(FAILED + "The command that started the stack ended before the stack was ready.");
                System.exit(130);
            }
        }, "stack-starter-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** Writes the state file and marks the stack ready, unless it is stopping already. */
    private boolean ready() {
        synchronized (lifecycle) {
            if (stopping) {
                return false;
            }
            writeState();
            ready = true;
            return true;
        }
    }

    private boolean isReady() {
        synchronized (lifecycle) {
            return ready;
        }
    }

    private void stopping() {
        synchronized (lifecycle) {
            stopping = true;
        }
    }

    private synchronized void start(Set<Service> services, PrintStream out) {
        stack.start(services, line -> {
            out.println(PROGRESS + line);
            if (out != System.out) {
                System.out.println(PROGRESS + line); // the log shows every start
            }
        });
    }

    private void writeState() {
        StackState.of(ProcessHandle.current().pid(), stack.backend(), startedMillis, stack.endpoints(),
                control.getAddress().getPort(), token).write(stateDir);
    }

    /** POST /services?ids=connect,postgres starts those services and streams the progress. */
    private void openControl() {
        try {
            control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new StackException("Cannot open the stack's control endpoint: " + e.getMessage());
        }
        control.createContext("/services", this::startServices);
        control.createContext("/brokers", this::controlBroker);
        control.createContext("/commands", this::runCommand);
        control.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a command may ask for services meanwhile
        control.start();
    }

    private void startServices(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                return;
            }
            String query = exchange.getRequestURI().getQuery();
            EnumSet<Service> services = EnumSet.noneOf(Service.class);
            if (query != null && query.startsWith("ids=")) {
                Arrays.stream(query.substring(4).split(",")).filter(id -> !id.isBlank()).map(Service::fromId).forEach(services::add);
            }
            exchange.sendResponseHeaders(200, 0);
            PrintStream out = new PrintStream(exchange.getResponseBody(), true, StandardCharsets.UTF_8);
            try {
                start(services, out);
                writeState();
                out.println(READY);
            } catch (RuntimeException e) {
                out.println(FAILED + e.getMessage());
            }
            out.flush();
        }
    }

    /**
     * POST /commands, the runner's arguments one per line: runs the command in this JVM (see
     * {@link CommandHost}) and streams its output back as lines "o text" (stdout), "e text"
     * (stderr), and last "x exit-code". 404 when the runner's classes provide no host.
     */
    private void runCommand(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                return;
            }
            java.util.Optional<CommandHost> host = java.util.ServiceLoader.load(CommandHost.class).findFirst();
            if (host.isEmpty()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String[] args = body.isEmpty() ? new String[0] : body.split("\n", -1);
            boolean colours = "true".equals(exchange.getRequestHeaders().getFirst("X-Workshop-Ansi"));
            exchange.sendResponseHeaders(200, 0);
            Object lock = new Object();
            try (PrintStream out = prefixedLines(exchange.getResponseBody(), "o ", lock);
                 PrintStream err = prefixedLines(exchange.getResponseBody(), "e ", lock)) {
                int exitCode;
                try {
                    exitCode = host.get().run(args, out, err, colours);
                } catch (RuntimeException e) {
                    err.println("The workshop stack could not run the command: " + e);
                    exitCode = 1;
                }
                out.close();
                err.close();
                synchronized (lock) {
                    exchange.getResponseBody().write(("x " + exitCode + "\n").getBytes(StandardCharsets.UTF_8));
                    exchange.getResponseBody().flush();
                }
            }
        }
    }

    /** A stream that sends each complete line as prefix + line, so that two streams can share one response. */
    private static PrintStream prefixedLines(java.io.OutputStream response, String prefix, Object lock) {
        java.io.OutputStream lines = new java.io.OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public void write(int b) throws IOException {
                if (b == '\n') {
                    synchronized (lock) {
                        response.write(prefix.getBytes(StandardCharsets.UTF_8));
                        line.writeTo(response);
                        response.write('\n');
                        response.flush();
                    }
                    line.reset();
                } else if (b != '\r') {
                    line.write(b);
                }
            }

            @Override
            public void close() throws IOException {
                if (line.size() > 0) {
                    write('\n'); // the last line, unfinished; the response itself is closed with the exchange
                }
            }
        };
        return new PrintStream(lines, true, StandardCharsets.UTF_8);
    }

    /** POST /brokers/{id}/stop or /brokers/{id}/start, on the 3-broker cluster: 204, or 404 for no such broker. */
    private void controlBroker(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                return;
            }
            exchange.sendResponseHeaders(brokerAction(exchange.getRequestURI().getPath()), -1);
        }
    }

    private int brokerAction(String path) {
        String[] parts = path.split("/"); // "", "brokers", id, action
        var control = stack.brokerControl();
        if (parts.length != 4 || control.isEmpty() || !parts[2].matches("\\d+")) {
            return 404;
        }
        try {
            int brokerId = Integer.parseInt(parts[2]);
            switch (parts[3]) {
                case "stop" -> control.get().stopBroker(brokerId);
                case "start" -> control.get().startBroker(brokerId);
                default -> {
                    return 404;
                }
            }
            return 204;
        } catch (IllegalArgumentException noSuchBroker) {
            return 404;
        }
    }

    /** Only POSTs that carry the token from the state file; anything else gets 403. */
    private boolean authorized(HttpExchange exchange) throws IOException {
        if ("POST".equals(exchange.getRequestMethod()) && token.equals(exchange.getRequestHeaders().getFirst(TOKEN_HEADER))) {
            return true;
        }
        exchange.sendResponseHeaders(403, -1);
        return false;
    }

    private void close() {
        if (control != null) {
            control.stop(0);
        }
        stack.close();
    }

    /**
     * PostgreSQL runs as a process of its own: if a previous stack was killed (kill -9, a crash),
     * its server may still hold the port. Its postmaster.pid says which process to stop.
     */
    static void stopOrphanedPostgres(Path stateDir) {
        Path pidFile = dataDir(stateDir).resolve("postgres").resolve("postmaster.pid");
        try {
            if (Files.isRegularFile(pidFile)) {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                ProcessHandle.of(pid).ifPresent(server -> {
                    server.destroy();
                    server.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
                });
            }
        } catch (IOException | RuntimeException e) {
            // No readable pid file: nothing was left behind.
        }
    }

    static Path dataDir(Path stateDir) {
        return stateDir.resolve("stack").resolve("data");
    }

    /** Once ready, Ctrl-C in the terminal that started the stack (or closing it) must not stop it. */
    private static void ignoreTerminalSignals() {
        for (String signal : new String[] {"INT", "HUP"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), sun.misc.SignalHandler.SIG_IGN);
            } catch (IllegalArgumentException e) {
                // This platform has no such signal (HUP on Windows).
            }
        }
    }
}
