///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-simple:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//JAVA_OPTIONS -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Module 4, exercise producing2: a producer you can rely on.
 *
 * Sends the ratings of the ratings file to the topic "ratings" as Rating objects, keyed by
 * user, turned into JSON by a serializer of its own. The producer waits until every in-sync
 * replica has a record (acks=all) and never writes a record twice when it retries
 * (idempotence). A callback learns, for each record, whether the broker took it: it prints
 * "acked<TAB>rating_id<TAB>partition<TAB>offset" for each acknowledged rating, and at the end
 * the program prints how many were acknowledged and how many failed.
 *
 *   Run it:    ./jbang producing2
 *   Check it:  ./jbang workshop check producing2
 */
public class ReliableProducer {

    // Room mode (docs/instructor-guide.adoc): a shared cluster's security settings (security.protocol, sasl.*, ssl.*)
    // from the file KAFKA_CLIENT_PROPERTIES names, and the learner's prefix for names (WORKSHOP_LEARNER=alice: alice.ratings).
    static final Properties CLIENT_SETTINGS = clientSettings(System.getenv("KAFKA_CLIENT_PROPERTIES"));
    static final String PREFIX = System.getenv("WORKSHOP_LEARNER") == null ? "" : System.getenv("WORKSHOP_LEARNER") + ".";
    static final String BOOTSTRAP_SERVERS = System.getenv().getOrDefault("BOOTSTRAP_SERVERS", "localhost:9092");
    static final String TOPIC = System.getenv().getOrDefault("RATINGS_TOPIC", PREFIX + "ratings");
    static final Path RATINGS_FILE = Path.of(System.getenv().getOrDefault("RATINGS_FILE", "data/ratings.jsonl"));

    /** A passenger's rating of a flight; the JSON names are the ones of the ratings file. */
    record Rating(
            @JsonProperty("rating_id") long ratingId,
            @JsonProperty("user_id") int userId,
            @JsonProperty("stars") int stars,
            @JsonProperty("route_id") int routeId,
            @JsonProperty("rating_time") long ratingTime,
            @JsonProperty("channel") String channel,
            @JsonProperty("message") String message) {
    }

    /** Turns a Rating into the bytes the broker stores: its JSON document, in UTF-8. */
    public static class RatingSerializer implements Serializer<Rating> {

        private final ObjectMapper json = new ObjectMapper();

        @Override
        public byte[] serialize(String topic, Rating rating) {
            // TODO 1: return the rating as a JSON document, in bytes, with the field names of the ratings
            //         file (the record's @JsonProperty names). The ObjectMapper above can do it; a checked
            //         JsonProcessingException is best rethrown as Kafka's SerializationException.
            return null;
        }
    }

    static Properties producerConfig() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP_SERVERS);
        config.putAll(CLIENT_SETTINGS);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, RatingSerializer.class);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 100);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        // TODO 2: say what "written" means: acknowledged only once every in-sync replica has the record,
        //         and retries that never write a record twice. (Two ProducerConfig settings.)
        return config;
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Rating> ratings = new ArrayList<>();
        for (String line : Files.readAllLines(RATINGS_FILE)) {
            ratings.add(json.readValue(line, Rating.class));
        }

        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        KafkaProducer<String, Rating> producer = new KafkaProducer<>(producerConfig());
        for (Rating rating : ratings) {
            ProducerRecord<String, Rating> record =
                    new ProducerRecord<>(TOPIC, null, rating.ratingTime(), String.valueOf(rating.userId()), rating);
            // The callback runs on the producer's I/O thread once the broker has answered.
            producer.send(record, (metadata, error) -> {
                // TODO 3: error is null when the broker acknowledged the record. Then count it and print
                //         "acked<TAB>rating_id<TAB>partition<TAB>offset"; otherwise count a failure and print
                //         "failed<TAB>rating_id<TAB>error".
            });
        }
        // TODO 4: the counts below are only right once every callback has run. And the records?

        System.out.printf("%d acknowledged, %d failed%n", acknowledged.get(), failed.get());
    }

    /** Room mode: the client settings in a properties file; none when no file is named. */
    static Properties clientSettings(String file) {
        Properties settings = new Properties();
        if (file != null) {
            try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(file))) {
                settings.load(reader);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot read KAFKA_CLIENT_PROPERTIES=" + file, e);
            }
        }
        return settings;
    }
}
