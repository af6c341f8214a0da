package workshop.stack;

/** Where long work reports what it is doing: "Starting Kafka...", "Kafka ready in 1.7 s". */
@FunctionalInterface
public interface Progress {
    void report(String line);

    static Progress silent() {
        return line -> { };
    }
}
