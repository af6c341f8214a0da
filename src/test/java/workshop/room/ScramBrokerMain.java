package workshop.room;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Starts a {@link ScramBroker} for trying a room by hand (a ksqlDB server and learners under
 * ACLs): prints its address and writes the instructor's client properties file
 * ({@code admin.properties}, for Kafka's tools' {@code --command-config}) into the folder named
 * by the argument; runs until it is killed, and its broker goes with it.
 */
public final class ScramBrokerMain {

    private ScramBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("Usage: ScramBrokerMain FOLDER (where the broker keeps its data, log and admin.properties)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        try (ScramBroker broker = ScramBroker.start(dir)) {
            Properties admin = new Properties();
            admin.putAll(broker.settings(ScramBroker.ADMIN, ScramBroker.ADMIN_PASSWORD));
            Path file = dir.resolve("admin.properties");
            try (var out = Files.newBufferedWriter(file)) {
                admin.store(out, "the instructor's login (a super user)");
            }
            System.out.println("bootstrap.servers=" + broker.bootstrapServers());
            System.out.println("admin client properties: " + file);
            Thread.currentThread().join(); // until killed: ScramBroker's shutdown hook stops the broker
        }
    }
}
