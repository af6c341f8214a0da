package workshop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import workshop.Workshop;
import workshop.stack.Reachability;
import workshop.stack.Service;
import workshop.stack.StackException;
import workshop.stack.background.BackgroundStack;
import workshop.stack.background.BackgroundStackClient;
import workshop.stack.background.StackState;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code stack up | down | status}: the embedded stack as a background process on the documented
 * ports (Kafka at localhost:9092), which the learner's own programs and Kafka's tools can use.
 */
@Command(name = "stack", description = "Start, stop or inspect the workshop stack running in the background.",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class,
                StackCommand.StopBroker.class, StackCommand.StartBroker.class})
public final class StackCommand {

    @ParentCommand
    Workshop workshop;

    @Command(name = "up", description = "Start the stack in the background (embedded: no Docker needed).")
    static final class Up implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        StackCommand stack;

        @Option(names = "--with", split = ",", paramLabel = "<service>",
                description = "More services besides Kafka: kafka-cluster, connect, postgres, schema-registry.")
        List<Service> with = List.of();

        @Override
        public Integer call() {
            WorkshopContext context = stack.workshop.context();
            EnumSet<Service> services = EnumSet.of(Service.KAFKA);
            services.addAll(with);
            long started = System.nanoTime();
            Optional<StackState> running = StackState.readLive(context.stateDir());
            if (running.isPresent()) {
                return addTo(context, running.get(), services);
            }
            context.terminal().println("Starting the workshop stack (" + services.stream().map(Service::title).toList() + ")...");
            StackState state = BackgroundStack.start(context.stateDir(), services, context.terminal()::progress);
            context.terminal().println(String.format("@|green,bold The stack is up|@ in %.1f s (pid %d).", (System.nanoTime() - started) / 1e9, state.pid()));
            printEndpoints(context, state);
            context.terminal().println("Stop it with: @|bold ./jbang workshop stack down|@");
            return 0;
        }
    }

    /** A stack runs already: start the services it lacks, through its control endpoint (its topics stay). */
    private static int addTo(WorkshopContext context, StackState state, EnumSet<Service> services) {
        BackgroundStackClient client = new BackgroundStackClient(context.stateDir(), state);
        EnumSet<Service> missing = EnumSet.copyOf(services);
        missing.removeAll(client.running());
        if (missing.isEmpty()) {
            context.terminal().println("The workshop stack is already running (pid " + state.pid() + ") with "
                    + services.stream().map(Service::title).toList() + ".");
        } else {
            context.terminal().println("Adding " + missing.stream().map(Service::title).toList()
                    + " to the running workshop stack (pid " + state.pid() + ")...");
            client.start(missing, context.terminal()::progress);
            context.terminal().println("@|green,bold Added.|@");
        }
        printEndpoints(context, StackState.readLive(context.stateDir()).orElse(state));
        return 0;
    }

    @Command(name = "down", description = "Stop the background stack.")
    static final class Down implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        StackCommand stack;

        @Override
        public Integer call() {
            WorkshopContext context = stack.workshop.context();
            if (BackgroundStack.stop(context.stateDir())) {
                context.terminal().println("@|green The stack is stopped.|@");
            } else {
                context.terminal().println("No workshop stack is running.");
            }
            return 0;
        }
    }

    @Command(name = "status", description = "Is the background stack running, and where do its services answer?")
    static final class Status implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        StackCommand stack;

        @Override
        public Integer call() {
            WorkshopContext context = stack.workshop.context();
            Optional<StackState> state = StackState.readLive(context.stateDir());
            if (state.isEmpty()) {
                context.terminal().println("No workshop stack is running. Start one with: @|bold ./jbang workshop stack up|@");
                return 1;
            }
            Duration up = Duration.ofMillis(System.currentTimeMillis() - state.get().startedMillis());
            context.terminal().println(String.format("The stack is running: pid %d, %s backend, up for %dh%02dm.",
                    state.get().pid(), state.get().backend(), up.toHours(), up.toMinutesPart()));
            printEndpoints(context, state.get());
            try {
                Reachability.requireKafka(state.get().endpoints().bootstrapServers(), "See " + BackgroundStack.logFile(context.stateDir()));
                context.terminal().println("@|green Kafka answers.|@");
            } catch (StackException e) {
                context.terminal().println("@|red " + Terminal.escape(e.getMessage()) + "|@");
                return 1;
            }
            context.terminal().println("@|faint Log: " + Terminal.escape(context.relative(BackgroundStack.logFile(context.stateDir())).toString()) + "|@");
            return 0;
        }
    }

    @Command(name = "stop-broker", description = "Stop one broker of the 3-broker cluster, to watch leaders move (replication module).")
    static final class StopBroker extends BrokerCommand {
        @Override
        String act(workshop.stack.BrokerControl brokers) {
            brokers.stopBroker(brokerId);
            return "Broker " + brokerId + " is stopped. Start it again with: @|bold ./jbang workshop stack start-broker " + brokerId + "|@";
        }
    }

    @Command(name = "start-broker", description = "Start a stopped broker of the 3-broker cluster again.")
    static final class StartBroker extends BrokerCommand {
        @Override
        String act(workshop.stack.BrokerControl brokers) {
            brokers.startBroker(brokerId);
            return "Broker " + brokerId + " is running again; it catches up and rejoins the in-sync replicas.";
        }
    }

    /** What stop-broker and start-broker share: the broker id, and the background stack's cluster. */
    abstract static class BrokerCommand implements java.util.concurrent.Callable<Integer> {
        @ParentCommand
        StackCommand stack;

        @picocli.CommandLine.Parameters(paramLabel = "<broker-id>", description = "0, 1 or 2.")
        int brokerId;

        /** Does it, and says what was done. */
        abstract String act(workshop.stack.BrokerControl brokers);

        @Override
        public Integer call() {
            WorkshopContext context = stack.workshop.context();
            context.terminal().println(act(clusterControl(context)));
            return 0;
        }
    }

    private static workshop.stack.BrokerControl clusterControl(WorkshopContext context) {
        StackState state = StackState.readLive(context.stateDir())
                .orElseThrow(() -> new StackException("No workshop stack is running. Start one with: ./jbang workshop stack up --with kafka-cluster"));
        return new workshop.stack.background.BackgroundStackClient(context.stateDir(), state).brokerControl()
                .orElseThrow(() -> new StackException("The stack has no 3-broker cluster. Add it: ./jbang workshop stack down, then ./jbang workshop stack up --with kafka-cluster"));
    }

    static void printEndpoints(WorkshopContext context, StackState state) {
        for (Map.Entry<String, String> entry : state.endpoints().environment().entrySet()) {
            context.terminal().println(String.format("  %-26s %s", entry.getKey(), Terminal.escape(entry.getValue())));
        }
    }
}
