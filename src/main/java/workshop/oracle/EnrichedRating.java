package workshop.oracle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import workshop.data.Rating;

/**
 * A rating joined with the customer who gave it (the talk's RATINGS_WITH_CUSTOMER_DATA): the
 * rating's fields, then the customer's; the customer's fields are null when no customer has the
 * rating's user_id (a LEFT join keeps the rating). Output of joins1, input of windows1.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"rating_id", "user_id", "stars", "route_id", "rating_time", "channel", "message",
        "first_name", "last_name", "email", "club_status"})
public record EnrichedRating(
        @JsonProperty("rating_id") long ratingId,
        @JsonProperty("user_id") int userId,
        @JsonProperty("stars") int stars,
        @JsonProperty("route_id") int routeId,
        @JsonProperty("rating_time") long ratingTime,
        @JsonProperty("channel") String channel,
        @JsonProperty("message") String message,
        @JsonProperty("first_name") String firstName,
        @JsonProperty("last_name") String lastName,
        @JsonProperty("email") String email,
        @JsonProperty("club_status") String clubStatus) {

    /** The rating with the customer's data, or with nulls when {@code customer} is null. */
    public static EnrichedRating of(Rating rating, Customer customer) {
        return new EnrichedRating(rating.ratingId(), rating.userId(), rating.stars(), rating.routeId(), rating.ratingTime(),
                rating.channel(), rating.message(),
                customer == null ? null : customer.firstName(),
                customer == null ? null : customer.lastName(),
                customer == null ? null : customer.email(),
                customer == null ? null : customer.clubStatus());
    }

    public String toJson() {
        return Json.write(this);
    }

    public static EnrichedRating fromJson(String json) {
        return Json.read(json, EnrichedRating.class);
    }
}
