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

    /** The command for a learner's JVM grading these exercises: the runner's own command line, with this class as main. */
    static ProcessBuilder builder(java.nio.file.Path workshop, java.util.Map<String, String> env, java.util.List<String> ids) {
        ProcessBuilder builder = Cli.builder(workshop, env, "--version");
        java.util.List<String> command = new java.util.ArrayList<>(builder.command());
        command.subList(command.indexOf(Workshop.class.getName()), command.size()).clear();
        command.add(RoomBenchLearner.class.getName());
        command.addAll(ids);
        return builder.command(command).redirectErrorStream(true);
    }

    /** One grading of a learner's JVM: its exit code, time and output (the report). */
    record Graded(String id, int exitCode, long millis, String output) {
        /** The report's lines of failed checks. */
        java.util.List<String> failedChecks() {
            return output.lines().map(String::trim).filter(line -> line.startsWith("✗") || line.startsWith("x ")).toList();
        }
    }

    /** Reads a learner JVM's output to its end: each grading, with the lines printed before its GRADED line. */
    static java.util.List<Graded> read(Process process) throws java.io.IOException {
        return read(process, line -> { }, graded -> { });
    }

    /** As {@link #read(Process)}, handing on every line as it comes, and each grading as it ends (a benchmark reports them live). */
    static java.util.List<Graded> read(Process process, java.util.function.Consumer<String> onLine,
                                       java.util.function.Consumer<Graded> onGraded) throws java.io.IOException {
        java.util.List<Graded> graded = new java.util.ArrayList<>();
        StringBuilder output = new StringBuilder();
        try (java.io.BufferedReader out = process.inputReader(java.nio.charset.StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                onLine.accept(line);
                if (line.startsWith(GRADED)) { // GRADED <id> <exit> <millis>
                    String[] parts = line.split(" ");
                    Graded one = new Graded(parts[1], Integer.parseInt(parts[2]), Long.parseLong(parts[3]), output.toString());
                    graded.add(one);
                    onGraded.accept(one);
                    output.setLength(0);
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        return graded;
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
