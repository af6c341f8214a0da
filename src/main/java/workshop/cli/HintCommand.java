package workshop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import workshop.Workshop;
import workshop.manifest.Exercise;

import java.util.concurrent.Callable;

/** {@code hint <id>}: one more hint each time it is asked, gentle first. */
@Command(name = "hint", description = "Show a hint for an exercise: one more each time you ask.")
public final class HintCommand implements Callable<Integer> {

    @ParentCommand
    Workshop workshop;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "<id>", description = "The exercise, e.g. log1 (default: the current one).")
    String id;

    @Option(names = "--all", description = "Show every hint at once.")
    boolean all;

    @Override
    public Integer call() {
        WorkshopContext context = workshop.context();
        Exercise exercise = id != null ? context.exercise(id, spec.commandLine())
                : context.current().orElseThrow(() -> new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Every exercise is done: name one, e.g. hint log1"));
        show(context, exercise, all);
        return 0;
    }

    static void show(WorkshopContext context, Exercise exercise, boolean all) {
        Terminal terminal = context.terminal();
        int available = exercise.hints().size();
        int count = all ? available : context.progress().nextHintCount(exercise.id(), available);
        terminal.println("@|bold Hints for " + Terminal.escape(context.describe(exercise)) + "|@");
        for (int i = 0; i < count; i++) {
            terminal.println("  @|cyan " + (i + 1) + ".|@ " + Terminal.escape(exercise.hints().get(i)));
        }
        if (count < available) {
            terminal.println("@|faint   (" + (available - count) + " more: ask again)|@");
        }
        terminal.println("@|faint   Guide: " + Terminal.escape(context.manifest().moduleOf(exercise).guide()) + "|@");
    }
}
