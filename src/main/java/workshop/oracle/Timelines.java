package workshop.oracle;

import workshop.data.Rating;
import workshop.data.Ratings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Inputs of the windowed exercises, in the order a grader must produce them (one partition):
 * mostly in event-time order, with neighbours swapped (out of order, within the grace period),
 * one event arriving after its window ended but within the grace period (counted only with a
 * grace period), one arriving beyond the grace period (dropped), and last an event far later
 * that moves stream time so that every earlier window closes. Serves windows1 and windows2 and
 * their ksqlDB twins; the expected counts come from {@link Windowing}.
 */
public final class Timelines {

    /** windows1: ratings by club status per minute (the talk's RATINGS_BY_CLUB_STATUS), grace 10 s. */
    public static final long CLUB_STATUS_WINDOW_MS = 60_000;
    public static final long CLUB_STATUS_GRACE_MS = 10_000;
    /** windows2: hopping windows of 1 minute every 20 s; sessions end after 30 s without a rating; grace 10 s. */
    public static final long HOPPING_SIZE_MS = 60_000;
    public static final long HOPPING_ADVANCE_MS = 20_000;
    public static final long SESSION_GAP_MS = 30_000;
    public static final long ACTIVITY_GRACE_MS = 10_000;

    private Timelines() {
    }

    /**
     * windows1's input: {@code count} ratings joined with the customers (users 21..25 have no club
     * status), arranged as described above, then a last rating 3 minutes after the others.
     */
    public static List<EnrichedRating> clubStatusRatings(long seed, int count) {
        List<Rating> ratings = Ratings.generate(seed, count);
        List<Customers.Change> customers = Customers.initial(Ratings.FIRST_RATING_TIME - 3_600_000).stream()
                .map(customer -> new Customers.Change(customer.updateTs(), customer)).toList();
        List<EnrichedRating> joined = RatingsJoin.withCustomers(ratings, customers);
        List<EnrichedRating> arranged;
        try {
            arranged = arrange(joined, EnrichedRating::ratingTime, r -> r.clubStatus() != null, CLUB_STATUS_WINDOW_MS, CLUB_STATUS_GRACE_MS, new Random(seed));
        } catch (IllegalArgumentException tooFewToArrange) {
            return clubStatusRatings(seed * 31 + 7, count); // no window end is followed closely by a rating: take the next seed
        }
        EnrichedRating last = joined.stream().filter(r -> r.clubStatus() != null).reduce((a, b) -> b).orElseThrow();
        long lastTime = joined.stream().mapToLong(EnrichedRating::ratingTime).max().orElseThrow() + 180_000;
        List<EnrichedRating> result = new ArrayList<>(arranged);
        result.add(new EnrichedRating(count + 1, last.userId(), last.stars(), last.routeId(), lastTime, last.channel(), last.message(),
                last.firstName(), last.lastName(), last.email(), last.clubStatus()));
        return result;
    }

    /**
     * windows2's input: ratings of users 1..4 in bursts (2 to 4 ratings a few seconds apart,
     * bursts a minute or two apart), arranged as described above, then a last rating 5 minutes
     * after the others. Keyed by user_id.
     */
    public static List<Rating> activityRatings(long seed) {
        Random random = new Random(seed);
        List<Rating> ratings = new ArrayList<>();
        for (int user = 1; user <= 4; user++) {
            long t = Ratings.FIRST_RATING_TIME + random.nextInt(20_000);
            for (int burst = 0; burst < 3; burst++) {
                int size = 2 + random.nextInt(3);
                for (int i = 0; i < size; i++) {
                    ratings.add(rating(random, 0, user, t));
                    t += 3_000 + random.nextInt(9_000);
                }
                t += 45_000 + random.nextInt(75_000);
            }
        }
        ratings.sort(Comparator.comparingLong(Rating::ratingTime));
        List<Rating> numbered = new ArrayList<>();
        for (Rating r : ratings) {
            numbered.add(new Rating(numbered.size() + 1, r.userId(), r.stars(), r.routeId(), r.ratingTime(), r.channel(), r.message()));
        }
        List<Rating> arranged;
        try {
            arranged = new ArrayList<>(arrange(numbered, Rating::ratingTime, r -> true, HOPPING_SIZE_MS, HOPPING_ADVANCE_MS, ACTIVITY_GRACE_MS, random));
        } catch (IllegalArgumentException tooFewToArrange) {
            return activityRatings(seed * 31 + 7); // this seed's bursts never follow a window's end closely: take the next
        }
        long lastTime = numbered.get(numbered.size() - 1).ratingTime() + 300_000;
        arranged.add(rating(random, numbered.size() + 1, 1, lastTime));
        return arranged;
    }

    private static Rating rating(Random random, long id, int user, long time) {
        int stars = 1 + random.nextInt(5);
        return new Rating(id, user, stars, 1 + random.nextInt(9999), time, Ratings.CHANNELS.get(random.nextInt(Ratings.CHANNELS.size())),
                stars < 3 ? "worst. flight. ever. #neveragain" : "smooth flight and we landed early");
    }

    /**
     * Events in time order, rearranged: some neighbours less than grace / 2 apart swapped; the
     * last event before the end of a window arrives just after the first event past that end,
     * less than grace / 2 later (late, but within the grace period); the first event arrives once
     * stream time is window + grace + 15 s beyond it (too late for every window containing it,
     * and for a session of it with a gap + grace below that). Only events that {@code keyed}
     * accepts are moved or placed before the moved ones: the others never reach a windowed count
     * (grouping drops null keys) and move no stream time.
     */
    static <T> List<T> arrange(List<T> inTimeOrder, ToLongFunction<T> time, Predicate<T> keyed, long window, long grace, Random random) {
        return arrange(inTimeOrder, time, keyed, window, window, grace, random);
    }

    /** As above, with windows ending every {@code advance} (hopping windows). */
    static <T> List<T> arrange(List<T> inTimeOrder, ToLongFunction<T> time, Predicate<T> keyed, long window, long advance, long grace, Random random) {
        List<T> events = new ArrayList<>(inTimeOrder);
        T tooLate = events.stream().filter(keyed).findFirst().orElseThrow();
        long tooLateAt = time.applyAsLong(tooLate) + window + grace + 15_000;
        T withinGrace = null;
        T passedEnd = null;
        for (long end = (time.applyAsLong(events.get(0)) / window + 2) * window; withinGrace == null; end += advance) {
            long windowEnd = end;
            T before = events.stream().filter(e -> time.applyAsLong(e) < windowEnd).reduce((a, b) -> b).orElseThrow();
            T after = first(events, e -> time.applyAsLong(e) >= windowEnd && keyed.test(e));
            if (keyed.test(before) && keyed.test(after) && before != tooLate && time.applyAsLong(after) - windowEnd < grace / 2) {
                withinGrace = before;
                passedEnd = after;
            }
        }
        for (int i = 1; i + 1 < events.size(); i++) {
            T a = events.get(i), b = events.get(i + 1);
            if (a != withinGrace && b != withinGrace && a != passedEnd && b != passedEnd && random.nextInt(6) == 0
                    && time.applyAsLong(b) - time.applyAsLong(a) < grace / 2) {
                events.set(i, b);
                events.set(i + 1, a);
                i++;
            }
        }
        moveAfter(events, withinGrace, passedEnd);
        moveAfter(events, tooLate, first(events, e -> time.applyAsLong(e) >= tooLateAt && keyed.test(e)));
        return events;
    }

    private static <T> T first(List<T> events, Predicate<T> condition) {
        return events.stream().filter(condition).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Too few events to arrange late arrivals"));
    }

    private static <T> void moveAfter(List<T> events, T event, T after) {
        events.remove(event);
        events.add(events.indexOf(after) + 1, event);
    }
}
