package workshop.graders.capstone;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.RunningProgram;
import workshop.grading.Workbench;
import workshop.stack.MachinePace;
import workshop.graders.capstone.Notifications.Customer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades capstone1: the notifier. The grader feeds a topic of its own with unhappy platinum
 * customers' ratings, points the notifier at a webhook of its own and makes that webhook
 * misbehave: 503 to everything while the notifier is killed, then 503 in the middle of a batch,
 * then a restart, then no webhook at all for a while. Every notification must arrive exactly
 * once, with the right text.
 */
@Grader("capstone1")
class NotifierGrader {

    static final int PARTITIONS = 3;
    static final Duration DELIVERY = Duration.ofSeconds(90);
    static final Duration STARTUP = Duration.ofSeconds(60);
    /** The notifier's longest backoff is 5 s: this long without any post means it stopped trying. */
    static final Duration QUIET = Duration.ofSeconds(20);
    /**
     * Once its group has committed the whole topic, a notifier has nothing left to deliver but the
     * retry in progress, which comes within its longest backoff (5 s): this long without a post, it is done.
     */
    static final Duration QUIET_AFTER_COMMIT = Duration.ofSeconds(7);
    /** A default auto-commit (5 s) or a commitSync after each post has committed the delivered records within this. */
    static final Duration COMMIT = Duration.ofSeconds(6);
    /**
     * A notifier assigned its partitions tries its first post within a poll (500 ms) and a refused
     * connection. That is work (a fetch, HttpClient's first use), not a timer: it stretches fully.
     */
    static final Duration FIRST_POST = Duration.ofSeconds(5);
    /** Retries at 0.2, 0.4, 0.8, 1.6 s of backoff: a notifier printing at each retry has printed more than this by then. */
    static final int TROUBLE_LINES = 3;

    private final Map<Long, String> expected = new LinkedHashMap<>();
    private final List<Long> crashBatch = new ArrayList<>();
    private final List<Long> restartBatch = new ArrayList<>();
    private final List<Long> outageBatch = new ArrayList<>();
    private boolean firstRunAlive;
    private List<String> firstRunOutput = List.of();
    private List<String> acceptedBeforeRestart = List.of();
    private List<String> acceptedAfterRestart = List.of();
    private List<String> acceptedAfterOutage = List.of();
    private List<String> outageOutput = List.of();
    private int refusedBeforeCrash;
    private boolean sawOutageLine;
    private String webhookUrl;

    @BeforeAll
    void runNotifier(Workbench bench) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String topic = bench.name("unhappy_platinum_customers");
        broker(bench).createTopic(topic, PARTITIONS);
        List<Customer> platinum = List.of(
                new Customer(3, "Merilyn", "Doughartie", "mdoughartie1@example.com", "platinum"),
                new Customer(7, "Hashim", "Rumke", "hrumke3@example.com", "platinum"),
                new Customer(12, "Ruthanne", "Vinker", "rvinker" + random.nextInt(100) + "@example.com", "platinum"),
                new Customer(18, "Brena", "Tollerton", "btollerton@example.com", "platinum"));
        List<ProducerRecord<String, String>> all = new ArrayList<>();
        for (Rating generated : Ratings.generate(random.nextLong(), 200)) {
            if (generated.stars() >= 3) {
                continue;
            }
            Customer customer = platinum.get(random.nextInt(platinum.size()));
            Rating rating = new Rating(generated.ratingId(), customer.id(), generated.stars(), generated.routeId(),
                    generated.ratingTime(), generated.channel(), generated.message());
            expected.put(rating.ratingId(), Notifications.text(rating, customer));
            all.add(new ProducerRecord<>(topic, String.valueOf(customer.id()), Notifications.enriched(rating, customer)));
            if (all.size() == 36) {
                break;
            }
        }
        // The first 24 in one partition: the notifier's first poll after the crash then holds them
        // as one batch, so the 503 after three posts falls in its middle (spread over partitions by
        // customer, a partition's batch could end right there, and a notifier that retries its
        // whole batch would pass).
        for (int i = 0; i < 24; i++) {
            ProducerRecord<String, String> record = all.get(i);
            all.set(i, new ProducerRecord<>(record.topic(), 0, record.key(), record.value()));
        }
        List<Long> ids = new ArrayList<>(expected.keySet());
        crashBatch.addAll(ids.subList(0, 24));
        restartBatch.addAll(ids.subList(24, 30));
        outageBatch.addAll(ids.subList(30, 36));

        Map<String, String> env = environment(bench, topic);
        WebhookReceiver receiver = WebhookReceiver.start();
        webhookUrl = receiver.url();
        env.put("WEBHOOK_URL", webhookUrl);
        try {
            // 1. The webhook is down (503) and the notifier is killed in the middle of its retries.
            receiver.down();
            broker(bench).produce(all.subList(0, 24));
            RunningProgram first = bench.program().start(env);
            receiver.await(r -> r.refused() >= 3 || !first.isAlive(), MachinePace.scale(STARTUP));
            firstRunAlive = first.isAlive();
            refusedBeforeCrash = receiver.refused();
            kill(bench, first, env.get("GROUP_ID"));
            firstRunOutput = output(first);

            // 2. It comes back; three posts later it fails three times: in the middle of a batch.
            receiver.up();
            receiver.acceptThenRefuse(3, 3);
            RunningProgram second = bench.program().start(env);
            awaitDelivered(bench, receiver, crashBatch, second, env.get("GROUP_ID"), topic);
            settle(bench, env, topic);
            kill(bench, second, env.get("GROUP_ID"));
            acceptedBeforeRestart = receiver.texts();

            // 3. A restart: only the new ones may come.
            broker(bench).produce(all.subList(24, 30));
            RunningProgram third = bench.program().start(env);
            awaitDelivered(bench, receiver, restartBatch, third, env.get("GROUP_ID"), topic);
            settle(bench, env, topic);
            kill(bench, third, env.get("GROUP_ID"));
            acceptedAfterRestart = receiver.texts().subList(acceptedBeforeRestart.size(), receiver.texts().size());
        } finally {
            receiver.close();
        }

        // 4. Nothing listens at the webhook's address for a while; then it answers again.
        broker(bench).produce(all.subList(30, 36));
        RunningProgram fourth = bench.program().start(env);
        long deadline = System.nanoTime() + MachinePace.scale(STARTUP).toNanos();
        long assignedAt = 0;
        while (System.nanoTime() < deadline && fourth.isAlive() && output(fourth).stream().noneMatch(NotifierGrader::mentionsTrouble)) {
            // Once it holds its partitions, its first post fails within FIRST_POST: no line by then, none comes.
            if (assignedAt == 0 && assigned(bench, env.get("GROUP_ID"))) {
                assignedAt = System.nanoTime();
            } else if (assignedAt != 0 && System.nanoTime() - assignedAt > MachinePace.scale(FIRST_POST).toNanos()) {
                break;
            }
            sleep(200);
        }
        sawOutageLine = output(fourth).stream().anyMatch(NotifierGrader::mentionsTrouble);
        // Long enough for a few retries: each must not print a line of its own (over as soon as they do).
        long retries = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < retries && output(fourth).stream().filter(NotifierGrader::mentionsTrouble).count() <= TROUBLE_LINES) {
            sleep(100);
        }
        try (WebhookReceiver again = WebhookReceiver.on(portOf(webhookUrl))) {
            awaitDelivered(bench, again, outageBatch, fourth, env.get("GROUP_ID"), topic);
            kill(bench, fourth, env.get("GROUP_ID"));
            acceptedAfterOutage = again.texts();
        } catch (RuntimeException e) {
            kill(bench, fourth, env.get("GROUP_ID"));
            throw e;
        }
        outageOutput = output(fourth);
    }

    /**
     * Waits until the notifications arrived, the notifier ended, or it went quiet: a notifier that
     * still has undelivered work retries every few seconds, so QUIET without a post means it gave up;
     * one whose group committed the whole topic has nothing left to retry after QUIET_AFTER_COMMIT.
     */
    private void awaitDelivered(Workbench bench, WebhookReceiver receiver, List<Long> ids, RunningProgram program, String group, String topic) {
        List<String> texts = ids.stream().map(expected::get).toList();
        long start = System.nanoTime();
        long deadline = start + MachinePace.scale(DELIVERY).toNanos();
        // A correct notifier ends this wait by delivering (it commits nothing it has not delivered):
        // the quiet periods only tell when a wrong one is done. A busy machine delays its retries, up to QUIET.
        Duration quiet = QUIET;
        Duration quietAfterCommit = MachinePace.scaleTimer(QUIET_AFTER_COMMIT); // its backoff is a timer
        while (System.nanoTime() < deadline) {
            // A second at a time, so that the broker is asked outside the receiver's lock.
            if (receiver.await(r -> r.texts().containsAll(texts) || !program.isAlive(), Duration.ofSeconds(1))) {
                return;
            }
            Duration silent = receiver.quietSince(start); // this run's notifier gets its time too
            // Committed to the end (a wrong notifier commits before posting): nothing left to read, and
            // a silence longer than its longest backoff means no retry is on its way either.
            boolean doneAfterCommit = silent.compareTo(quietAfterCommit) > 0 && committedAll(bench, group, topic);
            if ((silent.compareTo(quiet) > 0 && System.nanoTime() - start > MachinePace.scale(STARTUP).toNanos() / 2) || doneAfterCommit) {
                return;
            }
        }
    }

    /** Where the notifier's input topic lives (the ksqlDB track's twin: the Kafka that ksqlDB reads). */
    workshop.grading.Broker broker(Workbench bench) {
        return bench.broker();
    }

    /** The notifier's environment besides WEBHOOK_URL; the same for each of its runs. */
    Map<String, String> environment(Workbench bench, String topic) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("UNHAPPY_TOPIC", topic);
        env.put("GROUP_ID", bench.name("notifier"));
        return env;
    }

    /** Waits (briefly) until the group has committed up to the end of the topic, so a kill finds nothing in flight. */
    void settle(Workbench bench, Map<String, String> env, String topic) {
        String group = env.get("GROUP_ID");
        long deadline = System.nanoTime() + MachinePace.scaleTimer(COMMIT).toNanos(); // an auto-commit interval is a timer
        while (System.nanoTime() < deadline && !committedAll(bench, group, topic)) {
            sleep(300);
        }
    }

    /** Whether the notifier's group committed the whole topic (never, for a notifier without a group: the ksqlDB twin's push query). */
    private boolean committedAll(Workbench bench, String group, String topic) {
        return group != null && broker(bench).caughtUp(group, List.of(topic));
    }

    /** Whether a member of the group holds partitions (it then reads and posts at once). */
    private boolean assigned(Workbench bench, String group) {
        if (group == null) {
            return false;
        }
        try {
            return broker(bench).admin().describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(10, java.util.concurrent.TimeUnit.SECONDS).members().stream()
                    .anyMatch(member -> !member.assignment().topicPartitions().isEmpty());
        } catch (Exception e) {
            return false; // no group yet, or a slow broker: look again
        }
    }

    /**
     * Kills the notifier (SIGKILL: a crash) and evicts it from its group, as its session timeout
     * would 10 s later: the next notifier takes its partitions at once.
     */
    private void kill(Workbench bench, RunningProgram program, String group) {
        program.kill();
        if (group != null) {
            broker(bench).evictMembers(group);
        }
    }

    static boolean mentionsTrouble(String line) {
        String lower = line.toLowerCase();
        return lower.contains("webhook") || lower.contains("refused") || lower.contains("unreachable") || lower.contains("cannot");
    }

    private static List<String> output(RunningProgram program) {
        List<String> lines = new ArrayList<>(program.stdoutLines());
        lines.addAll(program.stderrLines());
        return lines;
    }

    private static int portOf(String url) {
        return java.net.URI.create(url).getPort();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> texts(List<Long> ids) {
        return ids.stream().map(expected::get).toList();
    }

    // ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    @DisplayName("the notifier runs until stopped and posts to the webhook")
    void runs() {
        Expect.isTrue(firstRunAlive, "The notifier ended by itself while the webhook answered 503",
                "a program that keeps running (and retrying) until stopped", "it ended: " + tail(firstRunOutput),
                "A notifier is a service: poll in a loop that only ends at Ctrl-C; a failed POST is retried, not fatal.");
        Expect.isTrue(refusedBeforeCrash >= 1, "The notifier never posted anything to the webhook",
                "POSTs to WEBHOOK_URL", "none in " + STARTUP.toSeconds() + " s: " + tail(firstRunOutput),
                "For each record of UNHAPPY_TOPIC, POST its Slack message to WEBHOOK_URL.");
    }

    @Test
    @Order(2)
    @DisplayName("each notification is a Slack-style JSON message {\"text\": ...} with the expected text")
    void rightText() {
        Expect.isTrue(!acceptedBeforeRestart.isEmpty(), "The webhook accepted no notification at all",
                crashBatch.size() + " notifications", "none",
                "POST the JSON {\"text\": text(rating)} with Content-Type application/json; see the first check.");
        for (String text : acceptedBeforeRestart) {
            if (!expected.containsValue(text)) {
                throw Expect.fail("A notification's text is not the one expected", closest(text), text,
                        "The message is {\"text\": text(rating)}: keep text() as given and send JSON, e.g. JSON.writeValueAsString(Map.of(\"text\", text)).");
            }
        }
    }

    @Test
    @Order(3)
    @DisplayName("a crash while the webhook answers 503 loses no notification")
    void crashLosesNothing() {
        List<Long> missing = crashBatch.stream().filter(id -> !acceptedBeforeRestart.contains(expected.get(id))).toList();
        Expect.isTrue(missing.isEmpty(), "Notifications were lost: the webhook answered 503, the notifier was killed and restarted, and these never arrived",
                "all " + crashBatch.size() + " notifications delivered", "missing ratings " + missing,
                advice(Advice.LOST_IN_CRASH));
    }

    @Test
    @Order(4)
    @DisplayName("retrying after a 503 in the middle of a batch posts no notification twice")
    void retriesPostNothingTwice() {
        List<Long> twice = duplicates(acceptedBeforeRestart);
        Expect.isTrue(twice.isEmpty(), "The webhook received some notifications twice after a 503",
                "each notification once", "twice or more: ratings " + twice,
                advice(Advice.TWICE_AFTER_FAILURE));
    }

    @Test
    @Order(5)
    @DisplayName("after a restart it posts the new notifications, and none of the old ones again")
    void restartPostsNothingTwice() {
        List<Long> missing = restartBatch.stream().filter(id -> !acceptedAfterRestart.contains(expected.get(id))).toList();
        Expect.isTrue(missing.isEmpty(), "After a restart, new notifications did not arrive", texts(restartBatch).size() + " new notifications",
                "missing ratings " + missing, advice(Advice.MISSING_AFTER_RESTART));
        List<Long> again = acceptedAfterRestart.stream().map(Notifications::ratingId).filter(id -> !restartBatch.contains(id)).toList();
        Expect.isTrue(again.isEmpty(), "After a restart the notifier posted notifications it had delivered before",
                "only the " + restartBatch.size() + " new ones", "again: ratings " + again,
                advice(Advice.AGAIN_AFTER_RESTART));
    }

    @Test
    @Order(6)
    @DisplayName("a webhook URL where nothing listens gives one clear line, not one per retry")
    void unreachableWebhookOneLine() {
        List<String> trouble = outageOutput.stream().filter(NotifierGrader::mentionsTrouble)
                .filter(line -> !line.toLowerCase().contains("answers again")).toList();
        Expect.isTrue(sawOutageLine, "Nothing listened at " + webhookUrl + " and the notifier said nothing about it",
                "one line such as: Webhook " + webhookUrl + " cannot be reached (Connection refused): retrying",
                tail(outageOutput), "Catch the IOException of HttpClient.send, print one line naming the webhook, and retry.");
        boolean stackTrace = outageOutput.stream().anyMatch(line -> line.startsWith("\tat ") || line.startsWith("    at "));
        Expect.isTrue(!stackTrace && trouble.size() <= 3, "The notifier printed a line (or a stack trace) at every retry while the webhook was unreachable",
                "one line when the webhook stops answering", trouble.size() + " lines" + (stackTrace ? " and a stack trace" : "") + ": " + tail(trouble),
                "Print only when the state changes: remember that the webhook is in trouble and say nothing more until it answers again.");
    }

    @Test
    @Order(7)
    @DisplayName("once the webhook answers again, every waiting notification arrives, once")
    void nothingLostWhileUnreachable() {
        List<Long> missing = outageBatch.stream().filter(id -> !acceptedAfterOutage.contains(expected.get(id))).toList();
        Expect.isTrue(missing.isEmpty(), "Notifications produced while the webhook was unreachable never arrived",
                outageBatch.size() + " notifications", "missing ratings " + missing,
                advice(Advice.LOST_WHILE_UNREACHABLE));
        List<Long> twice = duplicates(acceptedAfterOutage);
        Expect.isTrue(twice.isEmpty(), "Some notifications arrived twice after the webhook came back", "each once", "twice: ratings " + twice,
                "Retry from the failed record only.");
    }

    /** What a failed check advises: how a notifier keeps its position (here with a consumer group; the ksqlDB twin keeps its own). */
    enum Advice { LOST_IN_CRASH, TWICE_AFTER_FAILURE, MISSING_AFTER_RESTART, AGAIN_AFTER_RESTART, LOST_WHILE_UNREACHABLE }

    String advice(Advice advice) {
        return switch (advice) {
            case LOST_IN_CRASH -> "Commit a record's offset only after the webhook answered 2xx (commitSync with offset + 1), and on a failure "
                    + "seek back to that record and retry it after a backoff. Committing right after poll() or skipping a failed post loses it.";
            case TWICE_AFTER_FAILURE -> "On a failure, retry from the record that failed (consumer.seek(partition, record.offset())), "
                    + "not from the start of the batch: the records before it were delivered and committed already.";
            case MISSING_AFTER_RESTART -> "Subscribe with the same GROUP_ID and keep polling: the group resumes at its committed offsets.";
            case AGAIN_AFTER_RESTART -> "Commit each delivered record's offset at once (commitSync), not at close or every few seconds: "
                    + "a killed notifier never gets to commit at the end.";
            case LOST_WHILE_UNREACHABLE -> "A connection refused is a failed delivery like a 503: do not commit, seek back and retry with a backoff.";
        };
    }

    private static List<Long> duplicates(List<String> texts) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        texts.forEach(t -> counts.merge(t, 1, Integer::sum));
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> Notifications.ratingId(e.getKey())).toList();
    }

    private String closest(String text) {
        long id = Notifications.ratingId(text);
        return expected.getOrDefault(id, expected.values().iterator().next());
    }

    private static String tail(List<String> lines) {
        if (lines.isEmpty()) {
            return "(no output)";
        }
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
    }
}
