package workshop.cli;

import workshop.Workshop;
import workshop.stack.background.CommandHost;

import java.io.PrintStream;

/** The runner's commands, run in the background stack's JVM on behalf of {@code ./jbang workshop}. */
public final class HostedCommands implements CommandHost {

    @Override
    public int run(String[] args, PrintStream out, PrintStream err, boolean colours) {
        return Workshop.execute(args, out, err, colours);
    }
}
