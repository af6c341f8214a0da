package workshop.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic ratings: the same seed gives the same ratings, so a grader knows exactly what an
 * exercise must produce. User ids run past the customers table (ids 1..20) on purpose: some
 * ratings have no customer, which is why joins must handle misses.
 */
public final class Ratings {

    /** Customers in the database have ids 1..20; ratings also come from users 21..25. */
    public static final int MAX_USER_ID = 25;
    public static final List<String> CHANNELS = List.of("web", "iOS", "ios", "iOS-test", "android");
    /** Rating times start here (2026-01-05T09:00:00Z) and move forward a few seconds each. */
    public static final long FIRST_RATING_TIME = 1_767_603_600_000L;

    private static final List<String> POOR = List.of(
            "worst. flight. ever. #neveragain",
            "two hours on the tarmac and not a word from the crew",
            "my bag went to Lisbon, I went to Oslo",
            "the seat did not recline and the wifi did not connect");
    private static final List<String> FAIR = List.of(
            "on time, nothing more to say",
            "ok flight, the sandwich was stale",
            "boarding was chaos but the crew were kind");
    private static final List<String> GOOD = List.of(
            "thank you for the upgrade, what a treat",
            "friendliest cabin crew I have flown with",
            "smooth flight and we landed early",
            "the new lounge is excellent");

    private Ratings() {
    }

    public static List<Rating> generate(long seed, int count) {
        Random random = new Random(seed);
        List<Rating> ratings = new ArrayList<>(count);
        long time = FIRST_RATING_TIME;
        for (int i = 1; i <= count; i++) {
            int stars = 1 + random.nextInt(5);
            List<String> messages = stars <= 2 ? POOR : stars == 3 ? FAIR : GOOD;
            ratings.add(new Rating(
                    i,
                    1 + random.nextInt(MAX_USER_ID),
                    stars,
                    1 + random.nextInt(9999),
                    time,
                    CHANNELS.get(random.nextInt(CHANNELS.size())),
                    messages.get(random.nextInt(messages.size()))));
            time += 500 + random.nextInt(4500);
        }
        return ratings;
    }
}
