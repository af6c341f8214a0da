package workshop.graders.capstone;

import io.apicurio.rest.client.auth.exception.ForbiddenException;
import io.apicurio.rest.client.auth.exception.NotAuthorizedException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import workshop.data.Rating;
import workshop.stack.Endpoints;
import workshop.stack.HttpCredentials;
import workshop.stack.Service;
import workshop.stack.StackException;

import java.util.Properties;

/**
 * The capstone's ratings generator writes through this: each rating as Avro through the schema
 * registry (module 8's schema and Confluent's wire format), keyed by user, stamped with its own
 * rating_time (module 4).
 */
public final class AvroRatingsProducer implements AutoCloseable {

    public static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type": "record", "name": "Rating", "namespace": "workshop.ratings", "fields": [
              {"name": "rating_id",   "type": "long"},
              {"name": "user_id",     "type": "int"},
              {"name": "stars",       "type": "int"},
              {"name": "route_id",    "type": "int"},
              {"name": "rating_time", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "channel",     "type": "string"},
              {"name": "message",     "type": "string"}]}""");

    private final KafkaProducer<String, GenericRecord> producer;
    private final String topic;
    private final String registryUrl;
    private final String userInfo; // room mode: the registry's login, or null

    /**
     * @param endpoints the stack: its Kafka (with a secured cluster's client settings, room mode), and its
     *                  registry's own API (APICURIO_REGISTRY_URL of its environment) with the registry's login, if any
     */
    public AvroRatingsProducer(Endpoints endpoints, String topic) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        config.putAll(endpoints.kafkaClient());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "io.apicurio.registry.serde.avro.AvroKafkaSerializer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put("apicurio.registry.url", endpoints.environment().get("APICURIO_REGISTRY_URL"));
        config.put("apicurio.registry.auto-register", true);
        config.put("apicurio.registry.headers.enabled", false);
        config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler");
        config.put("apicurio.registry.use-id", "contentId");
        this.userInfo = endpoints.userInfo(Service.SCHEMA_REGISTRY);
        config.putAll(HttpCredentials.apicurioSerdes(userInfo));
        this.producer = new KafkaProducer<>(config);
        this.topic = topic;
        this.registryUrl = config.getProperty("apicurio.registry.url");
    }

    public static GenericRecord toAvro(Rating rating) {
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("rating_id", rating.ratingId());
        record.put("user_id", rating.userId());
        record.put("stars", rating.stars());
        record.put("route_id", rating.routeId());
        record.put("rating_time", rating.ratingTime());
        record.put("channel", rating.channel());
        record.put("message", rating.message());
        return record;
    }

    /** @throws StackException when the registry refuses the serializer's login (room mode), before anything reaches Kafka */
    public void send(Rating rating) {
        try {
            producer.send(new ProducerRecord<>(topic, null, rating.ratingTime(), String.valueOf(rating.userId()), toAvro(rating)));
        } catch (NotAuthorizedException | ForbiddenException refused) {
            throw new StackException("The schema registry at " + registryUrl + " refused the ratings producer: HTTP "
                    + (refused instanceof NotAuthorizedException ? "401 Unauthorized" : "403 Forbidden") + ". "
                    + HttpCredentials.hintWhenRefused(Service.SCHEMA_REGISTRY, userInfo));
        }
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
