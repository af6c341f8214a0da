package workshop.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A passenger's rating of a flight, as the ratings app of the talk emits it. */
@JsonPropertyOrder({"rating_id", "user_id", "stars", "route_id", "rating_time", "channel", "message"})
public record Rating(
        @JsonProperty("rating_id") long ratingId,
        @JsonProperty("user_id") int userId,
        @JsonProperty("stars") int stars,
        @JsonProperty("route_id") int routeId,
        @JsonProperty("rating_time") long ratingTime,
        @JsonProperty("channel") String channel,
        @JsonProperty("message") String message) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One line of JSON, fields in a fixed order: the value of a record in the ratings topic. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Rating fromJson(String json) {
        try {
            return JSON.readValue(json, Rating.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a rating: " + json, e);
        }
    }
}
