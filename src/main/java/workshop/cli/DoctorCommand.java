package workshop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import workshop.Workshop;
import workshop.stack.Ports;
import workshop.stack.Reachability;
import workshop.stack.background.StackState;
import workshop.stack.containers.ContainerImages;
import workshop.stack.external.ExternalStack;

import javax.tools.ToolProvider;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code doctor}: is this machine ready for the workshop, and what would each backend do here?
 * Exit code 1 when something blocks the workshop (an old Java, no compiler).
 */
@Command(name = "doctor", description = "Check this machine: Java, memory, ports, Docker, and which stack would be used.")
public final class DoctorCommand implements Callable<Integer> {

    private static final int MINIMUM_JAVA = 17;
    private static final long RECOMMENDED_MEMORY_MB = 4096;

    @ParentCommand
    Workshop workshop;

    private Terminal terminal;
    private boolean blocked;

    @Override
    public Integer call() {
        WorkshopContext context = workshop.context();
        terminal = context.terminal();
        terminal.println("@|bold Workshop doctor|@");

        int feature = Runtime.version().feature();
        report(feature >= MINIMUM_JAVA, true, "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                "Java " + MINIMUM_JAVA + " or newer is needed: install a JDK " + MINIMUM_JAVA + "+ and set JAVA_HOME.");
        report(ToolProvider.getSystemJavaCompiler() != null, true, "a Java compiler is available (a JDK, not a JRE)",
                "The graders compile your exercises: run with a JDK, not a JRE.");
        report(true, false, "Operating system: " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + ", CPU architecture " + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores", "");
        long memoryMb = totalMemoryMb();
        report(memoryMb >= RECOMMENDED_MEMORY_MB, false, "Memory: " + memoryMb + " MB",
                "The embedded stack needs about 1 GB; the docker-compose stack about 4 GB more. Close what you can.");
        long freeDiskMb = context.root().toFile().getUsableSpace() / (1024 * 1024);
        report(freeDiskMb >= 1024, false, "Free disk where the workshop is: " + freeDiskMb + " MB",
                "Kafka's logs and Maven's downloads need about 1 GB.");

        Optional<StackState> background = StackState.readLive(context.stateDir());
        for (Ports port : Ports.values()) {
            String owner = background.isPresent() && background.get().endpoints().address(port.service()) != null
                    ? " (the workshop stack)" : "";
            for (int number : port.numbers()) {
                boolean free = Reachability.portFree(number);
                report(free || !owner.isEmpty(), false,
                        String.format("Port %d for %s: %s%s", number, port.service().title(), free ? "free" : "in use", owner),
                        "Another program holds it. Stop it, or move the workshop's " + port.service().title() + ": " + port.variable() + "=<port>");
            }
        }

        // The engine's image list only: no pull and no Ryuk, so an offline engine answers in seconds.
        long dockerStarted = System.nanoTime();
        Set<String> images = new LinkedHashSet<>(ContainerImages.testcontainersHelpers());
        images.addAll(ContainerImages.all());
        Optional<ContainerImages.Check> docker = ContainerImages.check(images);
        report(true, false, String.format("Docker engine: %s (asked in %.1f s)", docker.isPresent() ? "answers" : "not found",
                (System.nanoTime() - dockerStarted) / 1e9), "");
        docker.ifPresent(check -> report(check.complete(), false,
                check.complete() ? "Docker images: all " + images.size() + " present (" + String.join(", ", images) + ")"
                        : "Docker images missing: " + String.join(", ", check.missing()),
                "Get them once while online: " + check.pullCommand()
                        + " . Until then the Testcontainers stack stops at once and names them; the runner grades on "
                        + RunnerStack.describeAuto(context.root(), context.stateDir()) + "."));

        terminal.println();
        terminal.println("@|bold What each stack backend would do here|@");
        terminal.println("  embedded        " + (feature >= MINIMUM_JAVA ? "ready: Kafka from Maven Central jars, in a JVM, no Docker" : "needs Java 17+"));
        terminal.println("  testcontainers  " + docker.map(check -> check.complete() ? "ready: containers through Docker"
                : "engine answers, " + check.missing().size() + " of " + images.size() + " images missing: stops at once, naming them")
                .orElse("unavailable: no Docker engine answers"));
        Optional<ExternalStack> external = ExternalStack.configured(context.root(), System.getenv());
        terminal.println("  external        " + external.map(e -> "configured: Kafka at " + e.endpoints().bootstrapServers())
                .orElse("not configured (set BOOTSTRAP_SERVERS or write stack.properties)"));
        terminal.println("  check/watch use " + Terminal.escape(RunnerStack.describeAuto(context.root(), context.stateDir())));
        terminal.println();
        terminal.println(blocked ? "@|red,bold Something above blocks the workshop.|@" : "@|green,bold Ready for the workshop.|@");
        return blocked ? 1 : 0;
    }

    private void report(boolean ok, boolean blocking, String what, String advice) {
        if (ok) {
            terminal.println("  @|green ✓|@ " + Terminal.escape(what));
        } else {
            blocked |= blocking;
            terminal.println("  " + (blocking ? "@|red ✗|@ " : "@|yellow !|@ ") + Terminal.escape(what));
            terminal.println("      " + Terminal.escape(advice));
        }
    }

    private static long totalMemoryMb() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize() / (1024 * 1024);
        }
        return -1;
    }
}
