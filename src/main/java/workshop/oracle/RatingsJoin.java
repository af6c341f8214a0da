package workshop.oracle;

import workshop.data.Rating;

import java.util.List;

/**
 * Expected results of the talk's join and its filter. Serves joins1 (Kafka Streams: a KStream-KTable
 * LEFT join of ratings re-keyed by user_id with the customers table; ksqlDB twin: CREATE STREAM
 * RATINGS_WITH_CUSTOMER_DATA AS SELECT ... FROM RATINGS LEFT JOIN CUSTOMERS) and joins2 (the
 * talk's UNHAPPY_PLATINUM_CUSTOMERS: stars < 3 and club_status platinum).
 *
 * <p>A stream-table join looks a rating up in the table as it is when the rating is processed,
 * and both process in event-time order: so each rating meets the customer row valid at its
 * rating_time, and a later change of the customer alters only the ratings after it.
 */
public final class RatingsJoin {

    private RatingsJoin() {
    }

    /** Each rating with the customer valid at its rating_time (null fields for an unknown user), in rating order. */
    public static List<EnrichedRating> withCustomers(List<Rating> ratings, List<Customers.Change> customers) {
        return ratings.stream()
                .map(rating -> EnrichedRating.of(rating,
                        Customers.validAt(customers, rating.userId(), rating.ratingTime()).orElse(null)))
                .toList();
    }

    /** The talk's unhappy platinum customers: joined ratings with fewer than 3 stars from platinum members. */
    public static List<EnrichedRating> unhappyPlatinum(List<EnrichedRating> joined) {
        return joined.stream()
                .filter(rating -> rating.stars() < 3 && "platinum".equals(rating.clubStatus()))
                .toList();
    }
}
