package workshop.oracle;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import workshop.data.Rating;

import java.util.List;

/**
 * A poor rating (fewer than 3 stars) reshaped for the customer-care team: who, how many stars,
 * what they said, through which channel (lower case: "iOS" and "ios" are one channel). Keyed by
 * user_id. Serves streams1 (a stateless Kafka Streams topology; ksqlDB twin: CREATE STREAM
 * POOR_RATINGS AS SELECT ... FROM RATINGS WHERE STARS < 3).
 */
@JsonPropertyOrder({"rating_id", "user_id", "stars", "channel", "message"})
public record PoorRating(
        @JsonProperty("rating_id") long ratingId,
        @JsonProperty("user_id") int userId,
        @JsonProperty("stars") int stars,
        @JsonProperty("channel") String channel,
        @JsonProperty("message") String message) {

    public static final int BELOW_STARS = 3;

    public static PoorRating of(Rating rating) {
        return new PoorRating(rating.ratingId(), rating.userId(), rating.stars(),
                rating.channel().toLowerCase(java.util.Locale.ROOT), rating.message());
    }

    /** The record key: the user_id, as text. */
    public String key() {
        return String.valueOf(userId);
    }

    /** The poor ratings among {@code ratings}, reshaped, in input order. */
    public static List<PoorRating> expected(List<Rating> ratings) {
        return ratings.stream().filter(rating -> rating.stars() < BELOW_STARS).map(PoorRating::of).toList();
    }

    public String toJson() {
        return Json.write(this);
    }

    public static PoorRating fromJson(String json) {
        return Json.read(json, PoorRating.class);
    }
}
