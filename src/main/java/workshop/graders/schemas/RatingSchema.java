package workshop.graders.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import workshop.data.Rating;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ratings' Avro schema (version 1) and its records as plain field values, to compare with a file's ratings. */
final class RatingSchema {

    private RatingSchema() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, Schema.Type> RATING_FIELDS = ratingFields();

    private static Map<String, Schema.Type> ratingFields() {
        Map<String, Schema.Type> fields = new LinkedHashMap<>();
        fields.put("rating_id", Schema.Type.LONG);
        fields.put("user_id", Schema.Type.INT);
        fields.put("stars", Schema.Type.INT);
        fields.put("route_id", Schema.Type.INT);
        fields.put("rating_time", Schema.Type.LONG);
        fields.put("channel", Schema.Type.STRING);
        fields.put("message", Schema.Type.STRING);
        return fields;
    }

    /** Version 1 of the ratings' schema, as module 8 asks for it (schemas1's solution). */
    static Schema ratingSchemaV1() {
        return new Schema.Parser().parse("""
                {"type": "record", "name": "Rating", "namespace": "workshop.ratings",
                 "fields": [
                   {"name": "rating_id", "type": "long"},
                   {"name": "user_id", "type": "int"},
                   {"name": "stars", "type": "int"},
                   {"name": "route_id", "type": "int"},
                   {"name": "rating_time", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                   {"name": "channel", "type": "string"},
                   {"name": "message", "type": "string"}
                 ]}""");
    }

    /**
     * What is wrong with a schema that should carry a rating: a missing field, a wrong type, a
     * rating_time without its logical type; empty when nothing is.
     */
    static Optional<String> ratingSchemaProblem(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            return Optional.of("it is a " + schema.getType().getName() + ", not a record");
        }
        List<String> missing = new ArrayList<>();
        for (var field : RATING_FIELDS.entrySet()) {
            Schema.Field actual = schema.getField(field.getKey());
            if (actual == null) {
                missing.add(field.getKey());
            } else if (actual.schema().getType() != field.getValue()) {
                return Optional.of("its field " + field.getKey() + " is " + actual.schema() + ", not " + field.getValue().getName());
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("it has no field " + String.join(", ", missing));
        }
        var logicalType = schema.getField("rating_time").schema().getLogicalType();
        if (logicalType == null || !logicalType.getName().equals("timestamp-millis")) {
            return Optional.of("its field rating_time is a plain long, without the logical type timestamp-millis");
        }
        return Optional.empty();
    }

    /** The rating's fields and values, as a decoded record should hold them. */
    static Map<String, Object> fieldsOf(Rating rating) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("rating_id", rating.ratingId());
        fields.put("user_id", (long) rating.userId());
        fields.put("stars", (long) rating.stars());
        fields.put("route_id", (long) rating.routeId());
        fields.put("rating_time", rating.ratingTime());
        fields.put("channel", rating.channel());
        fields.put("message", rating.message());
        return fields;
    }

    /** A decoded record's values for the given fields, numbers as longs and text as strings. */
    static Map<String, Object> fieldsOf(GenericRecord record, Iterable<String> names) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : names) {
            Object value = record.hasField(name) ? record.get(name) : "(no such field)";
            fields.put(name, plain(value));
        }
        return fields;
    }

    static Object plain(Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Utf8 || value instanceof CharSequence) {
            return value.toString();
        }
        if (value instanceof java.time.Instant instant) {
            return instant.toEpochMilli();
        }
        return value;
    }
}
