package workshop.graders.ksqldb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.ProducerRecord;
import workshop.data.Rating;
import workshop.oracle.Customer;
import workshop.oracle.Customers;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The inputs of the ksqlDB exercises, written as the Kafka Streams twins get them: ratings as
 * module 1 appends them (no key, JSON value, sent now: event time is only in rating_time), and
 * customers as module 7's CDC writes them (the id as key, the row as JSON value, at the time of
 * the change).
 */
public final class Inputs {

    /** The topics as the exercises name them. */
    public static final String RATINGS_TOPIC = "ratings";
    public static final String CUSTOMERS_TOPIC = "workshop.public.customers";

    private Inputs() {
    }

    public static void ratings(KsqlGrading grading, List<Rating> ratings) {
        grading.produce(RATINGS_TOPIC, ratings.stream()
                .map(rating -> grading.record(RATINGS_TOPIC, null, null, rating.toJson()))
                .toList());
    }

    public static void customers(KsqlGrading grading, List<Customers.Change> history) {
        grading.produce(CUSTOMERS_TOPIC, history.stream()
                .map(change -> grading.record(CUSTOMERS_TOPIC, change.time(), change.customer().key(), change.customer().toJson()))
                .toList());
    }

    /** A JSON value as ksqlDB writes it (upper-case column names), with lower-case names, as the oracles' records read it. */
    public static String lowerCaseNames(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = KsqlDb.JSON.readTree(json);
            ObjectNode lower = KsqlDb.JSON.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                lower.set(field.getKey().toLowerCase(Locale.ROOT), field.getValue());
            }
            return lower.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Not JSON: " + json, e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper LENIENT = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * A value ksqlDB wrote, read as one of the oracle's records: names in any case, columns the
     * record does not have (e.g. the join key) ignored; a missing column reads as null or 0.
     */
    public static <T> T read(String ksqlJson, Class<T> type) {
        try {
            return LENIENT.readValue(lowerCaseNames(ksqlJson), type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Not a " + type.getSimpleName() + ": " + ksqlJson, e);
        }
    }

    /** The customers a table holds at the end of a history: the latest row of each id. */
    public static Map<String, Customer> latest(List<Customers.Change> history) {
        return workshop.oracle.Tables.latest(history.stream()
                .map(change -> new workshop.oracle.Tables.Update<>(change.customer().key(), change.customer()))
                .toList());
    }
}
