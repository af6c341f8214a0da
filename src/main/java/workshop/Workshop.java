package workshop;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import workshop.cli.CatalogCommand;
import workshop.cli.CheckCommand;
import workshop.cli.DoctorCommand;
import workshop.cli.HintCommand;
import workshop.cli.ListCommand;
import workshop.cli.ResetCommand;
import workshop.cli.RunnerStack;
import workshop.cli.StackCommand;
import workshop.cli.Terminal;
import workshop.cli.WarmCommand;
import workshop.cli.WatchCommand;
import workshop.cli.WorkshopContext;
import workshop.stack.Service;
import workshop.stack.Stack;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The workshop runner. Run it from the workshop's folder: {@code ./jbang workshop}.
 *
 * <p>Without a command it watches the current exercise and grades it on every save; the
 * commands list the exercises, grade one or all, give hints, reset an exercise, run the
 * background stack, and check the machine.
 */
@Command(name = "workshop",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // --help on every command
        version = "Apache Kafka and ksqlDB in action: the workshop",
        description = "Graded exercises on a real Kafka. Without a command: watch and grade the current exercise.",
        subcommands = {WatchCommand.class, ListCommand.class, CheckCommand.class, HintCommand.class, ResetCommand.class,
                StackCommand.class, DoctorCommand.class, CatalogCommand.class, WarmCommand.class, workshop.cli.SlidesCommand.class,
                workshop.cli.RoomCommand.class, workshop.cli.PipelineCommand.class})
public final class Workshop implements Callable<Integer> {

    @Option(names = "--stack", scope = CommandLine.ScopeType.INHERIT, paramLabel = "<backend>",
            defaultValue = "${env:WORKSHOP_STACK:-auto}",
            description = "Where to grade: auto (default: the running or a new background stack), embedded, testcontainers, external.")
    String backend;

    private final Terminal terminal;
    private WorkshopContext context;

    public Workshop() {
        this(Terminal.system());
    }

    private Workshop(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        quietLogging();
        System.exit(commandLine(Terminal.system()).execute(args));
    }

    /**
     * Runs one command with its output on these streams, and returns its exit code: how the
     * background stack runs commands in its JVM for {@code ./jbang workshop} (see Launcher).
     */
    public static int execute(String[] args, PrintStream out, PrintStream err, boolean colours) {
        CommandLine.Help.Ansi ansi = colours ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF;
        CommandLine commandLine = commandLine(new Terminal(out, ansi))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
        return commandLine.execute(args);
    }

    private static CommandLine commandLine(Terminal terminal) {
        return new CommandLine(new Workshop(terminal))
                .registerConverter(Service.class, Workshop::service)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Workshop::onError)
                .setParameterExceptionHandler(Workshop::onBadInput);
    }

    @Override
    public Integer call() throws Exception {
        WatchCommand watch = new WatchCommand();
        watch.workshop(this);
        return watch.call();
    }

    /** The workshop's folder, manifest and the learner's progress, read once per command. */
    public synchronized WorkshopContext context() {
        if (context == null) {
            try {
                context = new WorkshopContext(WorkshopRoot.find(), terminal);
            } catch (IllegalStateException e) {
                throw new WorkshopException(e.getMessage());
            }
        }
        return context;
    }

    /** The stack to grade on, chosen by --stack, with the services these exercises need. */
    public Stack stack(WorkshopContext context, Set<Service> services) {
        return RunnerStack.resolve(backend, context.root(), context.stateDir(), services, context.terminal()::progress);
    }

    /** A service id from the command line; a typo is a usage error that names the known ones. */
    private static Service service(String id) {
        try {
            return Service.fromId(id);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** Kafka and its clients log every configuration at INFO: the learner's screen is no place for it. */
    private static void quietLogging() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.testcontainers", "off");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.controller", "error");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.common.test", "error");
    }

    /** A learner-fixable problem: its message, in one line; anything else: a short line, the trace on demand. */
    private static int onError(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        CommandLine.Help.Ansi ansi = commandLine.getColorScheme().ansi();
        if (shuttingDown(e)) {
            return 130; // Ctrl-C: what was stopped is said by whoever stopped it, not by a half-initialised class
        }
        if (e instanceof WorkshopException) {
            commandLine.getErr().println(ansi.string("@|red " + Terminal.escape(e.getMessage()) + "|@"));
            return 1;
        }
        commandLine.getErr().println(ansi.string("@|red Unexpected error: " + Terminal.escape(String.valueOf(e)) + "|@"));
        if (System.getenv("WORKSHOP_DEBUG") != null) {
            e.printStackTrace(commandLine.getErr());
        } else {
            commandLine.getErr().println("Set WORKSHOP_DEBUG=1 to see the details, and please report it.");
        }
        return 1;
    }

    /** Ctrl-C arrived while a class registered a shutdown hook, or a client closed under it. */
    private static boolean shuttingDown(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalStateException && "Shutdown in progress".equals(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** A typo'd command or exercise id: one line saying what is wrong, and where to look. */
    private static int onBadInput(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        commandLine.getErr().println(commandLine.getColorScheme().ansi().string("@|red " + Terminal.escape(e.getMessage()) + "|@"));
        CommandLine.UnmatchedArgumentException.printSuggestions(e, commandLine.getErr());
        commandLine.getErr().println("See: ./jbang " + commandLine.getCommandSpec().qualifiedName() + " --help");
        return 2;
    }
}
