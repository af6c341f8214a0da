package workshop.oracle;

import org.junit.jupiter.api.Test;
import workshop.data.Rating;
import workshop.data.Ratings;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The oracles' inputs hold the cases the graders rely on, for many seeds; their answers match the talk's examples. */
class OraclesTest {

    @Test
    void talkBalances() {
        List<Transaction> transactions = Tables.transactions(1, 3, 10, 0);
        List<Long> talk = Tables.balanceUpdates(transactions).stream()
                .filter(u -> u.key().equals(Tables.TALK_ACCOUNT)).map(Tables.Update::value).toList();
        assertEquals(List.of(50L, 75L, 15L), talk);
    }

    @Test
    void joinUsesTheCustomerValidAtTheRatingsTime() {
        for (long seed = 0; seed < 50; seed++) {
            List<Rating> ratings = Ratings.generate(seed, 40);
            long start = Ratings.FIRST_RATING_TIME;
            List<Customers.Change> history = Customers.history(seed, start - 1000, ratings.get(39).ratingTime(), 5,
                    ratings.stream().map(Rating::ratingTime).toList());
            List<EnrichedRating> joined = RatingsJoin.withCustomers(ratings, history);
            for (EnrichedRating rating : joined) {
                if (rating.userId() > 20) {
                    assertNull(rating.clubStatus());
                } else {
                    assertEquals(Customers.validAt(history, rating.userId(), rating.ratingTime()).orElseThrow().clubStatus(), rating.clubStatus());
                }
            }
            assertTrue(RatingsJoin.unhappyPlatinum(joined).stream().allMatch(r -> r.stars() < 3 && r.clubStatus().equals("platinum")));
        }
    }

    @Test
    void burstsAlertOnlyCardsAAndB() {
        for (long seed = 0; seed < 50; seed++) {
            List<CardTransaction> payments = Fraud.bursts(seed, Ratings.FIRST_RATING_TIME);
            List<WindowCount> alerts = Fraud.burstAlerts(payments, Fraud.BURST_GRACE_MS);
            assertEquals(List.of(5L, 4L), alerts.stream().map(WindowCount::count).toList(), "seed " + seed);
            assertEquals(1, Fraud.burstAlerts(payments, 0).size(), "without grace B's late payment is dropped");
            assertEquals(3, Fraud.burstAlerts(payments, 10_000).size(), "with a long grace C's too-late payment counts");
        }
    }

    @Test
    void travelsMatchCardsAAndC() {
        for (long seed = 0; seed < 50; seed++) {
            List<CardTransaction> payments = Fraud.travels(seed, Ratings.FIRST_RATING_TIME);
            List<PossibleFraud> matches = Fraud.twoPlaces(payments, Fraud.TWO_PLACES_WITHIN_MS, Fraud.TWO_PLACES_GRACE_MS);
            assertEquals(2, matches.size(), "seed " + seed + ": " + matches);
            assertEquals(1, Fraud.twoPlaces(payments, Fraud.TWO_PLACES_WITHIN_MS, 0).size());
            assertEquals(3, Fraud.twoPlaces(payments, Fraud.TWO_PLACES_WITHIN_MS, 3_600_000).size());
        }
    }

    @Test
    void clubStatusTimelineHasLateArrivals() {
        for (long seed = 0; seed < 50; seed++) {
            List<EnrichedRating> ratings = Timelines.clubStatusRatings(seed, 80);
            var withGrace = Windowing.tumbling(ratings, EnrichedRating::clubStatus, EnrichedRating::ratingTime,
                    Timelines.CLUB_STATUS_WINDOW_MS, Timelines.CLUB_STATUS_GRACE_MS);
            var noGrace = Windowing.tumbling(ratings, EnrichedRating::clubStatus, EnrichedRating::ratingTime,
                    Timelines.CLUB_STATUS_WINDOW_MS, 0);
            long known = ratings.stream().filter(r -> r.clubStatus() != null).count();
            assertTrue(withGrace.late().size() <= 1, "seed " + seed);
            assertTrue(noGrace.late().size() > withGrace.late().size(), "seed " + seed);
            assertEquals(known - withGrace.late().size(), withGrace.all().stream().mapToLong(WindowCount::count).sum());
            Set<Long> finalEnds = withGrace.finals().stream().map(WindowCount::end).collect(Collectors.toSet());
            assertTrue(finalEnds.size() >= 3, "seed " + seed);
            assertEquals(withGrace.all().size() - 1, withGrace.finals().size(), "all but the last rating's window close");
            assertNotEquals(withGrace.finals(), noGrace.finals());
        }
    }

    @Test
    void activityTimelineHasLateArrivals() {
        for (long seed = 0; seed < 50; seed++) {
            List<Rating> ratings = Timelines.activityRatings(seed);
            var hopping = Windowing.hopping(ratings, r -> String.valueOf(r.userId()), Rating::ratingTime,
                    Timelines.HOPPING_SIZE_MS, Timelines.HOPPING_ADVANCE_MS, Timelines.ACTIVITY_GRACE_MS);
            var sessions = Windowing.session(ratings, r -> String.valueOf(r.userId()), Rating::ratingTime,
                    Timelines.SESSION_GAP_MS, Timelines.ACTIVITY_GRACE_MS);
            assertEquals(1, hopping.late().size(), "seed " + seed);
            assertEquals(1, sessions.late().size(), "seed " + seed);
            assertTrue(sessions.finals().size() >= 8, "seed " + seed);
            assertFalse(hopping.finals().isEmpty());
            var noGrace = Windowing.session(ratings, r -> String.valueOf(r.userId()), Rating::ratingTime, Timelines.SESSION_GAP_MS, 0);
            var hoppingNoGrace = Windowing.hopping(ratings, r -> String.valueOf(r.userId()), Rating::ratingTime,
                    Timelines.HOPPING_SIZE_MS, Timelines.HOPPING_ADVANCE_MS, 0);
            assertNotEquals(hopping.finals(), hoppingNoGrace.finals(), "seed " + seed);
        }
    }
}
