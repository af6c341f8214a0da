package workshop;

import picocli.CommandLine;
import workshop.stack.Service;

/**
 * One simulated learner of the room benchmark: grades each exercise named in the arguments
 * with the runner's own {@code check --solution}, one after the other, in this JVM, and prints
 * {@code GRADED <id> <exit code> <milliseconds>} after each.
 */
public final class RoomBenchLearner {

    static final String GRADED = "GRADED ";

    private RoomBenchLearner() {
    }

    public static void main(String[] ids) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // as the runner's own main does
        for (String id : ids) {
            long started = System.nanoTime();
            int exit = new CommandLine(new Workshop()).registerConverter(Service.class, Service::fromId)
                    .execute("check", "--solution", id);
            System.out.println(GRADED + id + " " + exit + " " + (System.nanoTime() - started) / 1_000_000);
        }
        System.exit(0);
    }
}
