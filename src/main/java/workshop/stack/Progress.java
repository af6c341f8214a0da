package workshop.stack;

/** Where long work reports what it is doing: "Starting Kafka...", "Kafka ready in 1.7 s". */
@FunctionalInterface
public interface Progress {
    void report(String line);

    /**
     * Reports "Starting X...", starts it, then reports "X ready in 1.7 s".
     *
     * @param how what to add after the service's name, e.g. " (embedded)", or ""
     */
    default void timed(Service service, String how, Runnable start) {
        long begun = System.nanoTime();
        report("Starting " + service.title() + how + "...");
        start.run();
        report(String.format("%s ready in %.1f s", service.title(), (System.nanoTime() - begun) / 1e9));
    }

    static Progress silent() {
        return line -> { };
    }
}
