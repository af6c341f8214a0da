package workshop.oracle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A row of the customers table as module 7's CDC writes it to Kafka: Debezium's new row state
 * (unwrapped), keyed by the id alone, email masked. Graders of the joins (joins1, joins2 and their
 * ksqlDB twins) write customers in this shape themselves, so they run without Connect.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"id", "first_name", "last_name", "email", "gender", "club_status", "comments", "update_ts"})
public record Customer(
        @JsonProperty("id") int id,
        @JsonProperty("first_name") String firstName,
        @JsonProperty("last_name") String lastName,
        @JsonProperty("email") String email,
        @JsonProperty("gender") String gender,
        @JsonProperty("club_status") String clubStatus,
        @JsonProperty("comments") String comments,
        @JsonProperty("update_ts") long updateTs) {

    /** The record key CDC gives a customer: its id as JSON, e.g. {@code 7}. */
    public String key() {
        return String.valueOf(id);
    }

    public String toJson() {
        return Json.write(this);
    }

    public static Customer fromJson(String json) {
        return Json.read(json, Customer.class);
    }

    public Customer withClubStatus(String status, long time) {
        return new Customer(id, firstName, lastName, email, gender, status, comments, time);
    }
}
