package workshop.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import workshop.Workshop;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.graders.capstone.AvroRatingsProducer;
import workshop.graders.capstone.CompanionProgram;
import workshop.graders.capstone.ConnectRest;
import workshop.grading.Database;
import workshop.graders.capstone.WebhookReceiver;
import workshop.manifest.Module;
import workshop.stack.Endpoints;
import workshop.stack.Service;
import workshop.stack.Stack;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code pipeline}: the capstone's whole pipeline from one command. Starts the learner's pipeline
 * app (capstone2) and notifier (capstone1) on the stack, a ratings generator at --rate, and a
 * webhook that prints each notification (or --webhook, e.g. a real Slack); prints a live line of
 * what flows; Ctrl-C (or --seconds) stops all it started and deletes the pipeline's connectors.
 */
@Command(name = "pipeline", description = "Run the capstone's whole pipeline (capstone1 + capstone2) on the stack and watch it flow; Ctrl-C stops it.")
public final class PipelineCommand implements java.util.concurrent.Callable<Integer> {

    /** The names the exercises use by default: the pipeline runs as the learner would run it by hand. */
    static final String RATINGS_TOPIC = "ratings-live";
    static final String ENRICHED_TOPIC = "ratings_with_customer_data";
    static final String UNHAPPY_TOPIC = "unhappy_platinum_customers";
    static final String RATINGS_TABLE = "ratings_with_customer_data";
    static final String CONNECTOR_PREFIX = "pipeline";

    @ParentCommand
    Workshop workshop;

    @Option(names = "--rate", defaultValue = "10", description = "Ratings per second the generator sends (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--webhook", description = "Where the notifier posts (e.g. a Slack incoming webhook); default: a local webhook that prints each message.")
    String webhook;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (default: run until Ctrl-C).")
    int seconds;

    @Option(names = "--solution", description = "Run the reference solutions instead of your exercises.")
    boolean solution;

    @Override
    public Integer call() throws Exception {
        WorkshopContext context = workshop.context();
        Terminal terminal = context.terminal();
        if (rate < 1 || rate > 10_000) {
            terminal.println("@|red --rate must be between 1 and 10000 ratings per second, not " + rate + "|@");
            return 2;
        }
        Module capstone = context.manifest().modules().stream().filter(m -> m.id().equals("capstone")).findFirst().orElseThrow();
        Path folder = context.root().resolve(solution ? "solutions" : "exercises").resolve(capstone.directory());
        EnumSet<Service> services = EnumSet.copyOf(capstone.services());
        try (Stack stack = workshop.stack(context, services)) {
            stack.start(services, terminal::progress);
            Endpoints endpoints = stack.endpoints();
            if (endpoints.environment().get("APICURIO_REGISTRY_URL") == null) {
                terminal.println("@|red The capstone's Avro ratings go through Apicurio's serializer, which needs the embedded stack's registry; "
                        + "this stack's registry is " + endpoints.address(Service.SCHEMA_REGISTRY) + ". Run it on the background stack: ./jbang workshop --stack embedded pipeline|@");
                return 1;
            }
            createTopic(endpoints.bootstrapServers(), RATINGS_TOPIC);
            CountDownLatch stop = new CountDownLatch(1);
            CountDownLatch cleanedUp = new CountDownLatch(1);
            // Ctrl-C: the JVM runs this hook and ends when it returns, so it waits for the clean-up below.
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    cleanedUp.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try (WebhookReceiver receiver = WebhookReceiver.start()) {
                receiver.onMessage(text -> terminal.println("\r@|yellow notification|@ " + Terminal.escape(text)));
                Map<String, String> env = new LinkedHashMap<>(endpoints.environment());
                env.put("WEBHOOK_URL", webhook != null ? webhook : receiver.url());
                terminal.println("Starting " + context.relative(folder.resolve("RatingsPipeline.java")) + " and "
                        + context.relative(folder.resolve("Notifier.java")) + "; notifications go to " + env.get("WEBHOOK_URL"));
                try (CompanionProgram pipeline = CompanionProgram.start(folder.resolve("RatingsPipeline.java"), env, show("capstone2", terminal));
                     CompanionProgram notifier = CompanionProgram.start(folder.resolve("Notifier.java"), env, show("capstone1", terminal));
                     AvroRatingsProducer producer = new AvroRatingsProducer(endpoints, RATINGS_TOPIC);
                     Database database = new Database(endpoints.address(Service.POSTGRES));
                     Admin admin = admin(endpoints.bootstrapServers())) {
                    AtomicLong sent = new AtomicLong();
                    Thread generator = generator(producer, sent, stop);
                    generator.start();
                    terminal.println("@|bold Flowing|@ (Ctrl-C stops everything this command started):");
                    // The topics and the table may hold an earlier run's records: count this run's only.
                    long joinedBefore = endOffsets(admin, ENRICHED_TOPIC);
                    long unhappyBefore = endOffsets(admin, UNHAPPY_TOPIC);
                    long rowsBefore = sinkRows(database);
                    long started = System.nanoTime();
                    long lastSent = 0;
                    long lastTime = started;
                    while (!stop.await(1, TimeUnit.SECONDS)) {
                        long now = sent.get();
                        long time = System.nanoTime();
                        terminal.println(String.format("ratings/s %4.0f | sent %6d | joined %6d | unhappy platinum %4d | notifications %4s | rows in sink %6d",
                                (now - lastSent) * 1e9 / (time - lastTime), now, endOffsets(admin, ENRICHED_TOPIC) - joinedBefore,
                                endOffsets(admin, UNHAPPY_TOPIC) - unhappyBefore,
                                webhook == null ? String.valueOf(receiver.accepted().size()) : "?", sinkRows(database) - rowsBefore));
                        lastSent = now;
                        lastTime = time;
                        if (!pipeline.isAlive() || !notifier.isAlive()) {
                            CompanionProgram ended = pipeline.isAlive() ? notifier : pipeline;
                            terminal.println("@|red " + ended.file().getFileName() + " stopped: " + Terminal.escape(ended.tail()) + "|@");
                            stop.countDown();
                        }
                        if (seconds > 0 && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(seconds)) {
                            stop.countDown();
                        }
                    }
                    generator.join(5_000);
                    terminal.println("Stopping the generator, the pipeline, the notifier and the pipeline's connectors...");
                    pipeline.stop();
                    notifier.stop();
                    ConnectRest connect = new ConnectRest(endpoints);
                    for (String connector : List.of("-customers-source", "-ratings-sink", "-counts-sink")) {
                        connect.delete(CONNECTOR_PREFIX + connector);
                    }
                    database.dropSlot(CONNECTOR_PREFIX + "_customers");
                    database.update("DROP PUBLICATION IF EXISTS " + CONNECTOR_PREFIX + "_customers");
                    terminal.println("Stopped. The topics and the tables " + RATINGS_TABLE + " and ratings_by_club_status stay: look at them.");
                }
            } finally {
                cleanedUp.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down already
                }
            }
            return 0;
        }
    }

    /** Prints a program's lines, e.g. its state or a webhook in trouble, but not the lines of stack traces. */
    private static java.util.function.Consumer<String> show(String name, Terminal terminal) {
        return line -> {
            if (!line.startsWith("\tat ") && !line.startsWith("\t... ") && !line.isBlank()) {
                terminal.println("@|faint [" + name + "]|@ " + Terminal.escape(line));
            }
        };
    }

    /** Ratings at {@code rate} per second, stamped now, keyed by user, until {@code stop}. */
    private Thread generator(AvroRatingsProducer producer, AtomicLong sent, CountDownLatch stop) {
        Thread thread = new Thread(() -> {
            Random random = new Random();
            long id = System.currentTimeMillis() / 1000 * 1000;
            long next = System.nanoTime();
            while (stop.getCount() > 0) {
                Rating template = Ratings.generate(random.nextLong(), 1).get(0);
                producer.send(new Rating(++id, template.userId(), template.stars(), template.routeId(), System.currentTimeMillis(),
                        template.channel(), template.message()));
                sent.incrementAndGet();
                next += 1_000_000_000L / rate;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            producer.flush();
        }, "ratings-generator");
        thread.setDaemon(true);
        return thread;
    }

    private static Admin admin(String bootstrap) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(config);
    }

    private static void createTopic(String bootstrap, String topic) throws InterruptedException {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create the topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the topic " + topic + " within 30 s", e);
        }
    }

    /** How many records the topic holds (its end offsets); 0 when it does not exist yet. */
    private static long endOffsets(Admin admin, String topic) {
        try {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private static long sinkRows(Database database) {
        List<Map<String, String>> rows = database.queryIfTableExists("SELECT count(*) AS n FROM " + RATINGS_TABLE);
        return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0).get("n"));
    }
}
