package workshop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import workshop.Workshop;
import workshop.manifest.Exercise;
import workshop.manifest.Module;

import java.util.concurrent.Callable;

/** {@code list}: every module and exercise, with what is done and what comes next. */
@Command(name = "list", description = "List modules and exercises, with your progress.")
public final class ListCommand implements Callable<Integer> {

    @ParentCommand
    Workshop workshop;

    @Override
    public Integer call() {
        print(workshop.context());
        return 0;
    }

    static void print(WorkshopContext context) {
        Terminal terminal = context.terminal();
        String current = context.current().map(Exercise::id).orElse("");
        for (Module module : context.manifest().modules()) {
            String heading = String.format("%2d  %s  (%d min)", module.number(), module.title(), module.minutes());
            if (!module.available()) {
                terminal.println("@|faint " + Terminal.escape(heading) + "  - coming|@");
                continue;
            }
            terminal.println("@|bold " + Terminal.escape(heading) + "|@");
            for (Exercise exercise : module.exercises()) {
                String line = String.format("%-13s %s", exercise.id(), exercise.title());
                if (context.progress().isDone(exercise, context.manifest())) {
                    terminal.println("      @|green ✓|@ " + Terminal.escape(line));
                } else if (exercise.id().equals(current)) {
                    terminal.println("      @|yellow,bold ▶ " + Terminal.escape(line) + "|@  @|faint "
                            + Terminal.escape(context.relative(exercise.exerciseFile(context.root())).toString()) + "|@");
                } else {
                    terminal.println("      · " + Terminal.escape(line));
                }
            }
        }
        terminal.println();
        terminal.print(terminal.bar(context.doneCount(), context.manifest().availableExercises().size()));
    }
}
