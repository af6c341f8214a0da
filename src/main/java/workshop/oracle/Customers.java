package workshop.oracle;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The customers of docker/postgres/init/01-customers.sql (ids 1..20, emails masked as module 7's
 * CDC masks them), and changes of club status over time: what the customers topic holds. Serves
 * joins1 and joins2 (and their ksqlDB twins): a customer's change must alter only the joins after it.
 */
public final class Customers {

    public static final List<String> CLUB_STATUSES = List.of("bronze", "silver", "gold", "platinum");
    /** What module 7's MaskField transform writes instead of an email address. */
    public static final String MASKED_EMAIL = "****";

    private static final String[][] ROWS = {
            {"1", "Maren", "Holloway", "Female", "bronze", "Books the window seat every time"},
            {"2", "Tobias", "Quenneville", "Male", "platinum", "Flies the morning shuttle twice a week"},
            {"3", "Priya", "Ramaswamy", "Female", "silver", "Asked twice about the lounge opening hours"},
            {"4", "Oskar", "Lindqvist", "Male", "gold", "Prefers an aisle seat near the front"},
            {"5", "Adaeze", "Okonkwo", "Female", "platinum", "Corporate account, travels with a team"},
            {"6", "Luca", "Bernardi", "Male", "bronze", "First booking came from a price alert"},
            {"7", "Sunniva", "Aakre", "Female", "gold", "Always checks a bicycle in the hold"},
            {"8", "Dmitri", "Vasquez", "Male", "silver", "Missed a connection last spring"},
            {"9", "Yara", "Haddad", "Female", "bronze", "Signed up for the newsletter at the gate"},
            {"10", "Kofi", "Mensah", "Male", "platinum", "Million-mile member since 2016"},
            {"11", "Ingrid", "Solberg", "Female", "silver", "Requests a vegetarian meal"},
            {"12", "Ren", "Takahashi", "Non-binary", "gold", "Uses the app for every check-in"},
            {"13", "Beatriz", "Carvalho", "Female", "platinum", "Filed a complaint about a delayed bag"},
            {"14", "Hamish", "McAllister", "Male", "bronze", "Travels once a year to see family"},
            {"15", "Noor", "Siddiqui", "Female", "gold", "Upgraded with points last month"},
            {"16", "Emil", "Novak", "Male", "silver", "Often changes flights on the day"},
            {"17", "Clementine", "Dubois", "Female", "bronze", "Student fare, flies home for the holidays"},
            {"18", "Rafael", "Ortega", "Male", "gold", "Weekly commuter on the same route"},
            {"19", "Astrid", "Kjeldsen", "Female", "platinum", "Rates every flight, good or bad"},
            {"20", "Jonah", "Whitfield", "Male", "bronze", "Prefers to travel light, cabin bag only"},
    };

    private Customers() {
    }

    /** The 20 customers as the table is seeded, each last updated at {@code time}. */
    public static List<Customer> initial(long time) {
        List<Customer> customers = new ArrayList<>();
        for (String[] row : ROWS) {
            customers.add(new Customer(Integer.parseInt(row[0]), row[1], row[2], MASKED_EMAIL, row[3], row[4], row[5], time));
        }
        return customers;
    }

    /** A customer's row as it is from {@code time} on: one event of the customers topic. */
    public record Change(long time, Customer customer) {
    }

    /**
     * The customers topic's events: the 20 rows at {@code start}, then {@code updates} changes of
     * club status at random times in [{@code start}, {@code end}), in time order. Deterministic
     * for a seed; no update shares a time with another or with {@code avoid} (e.g. the ratings'
     * times: at equal times, which comes first is not defined).
     */
    public static List<Change> history(long seed, long start, long end, int updates, java.util.Collection<Long> avoid) {
        return history(seed, start, start, end, updates, avoid);
    }

    /** As above, with the 20 rows at {@code initial} and the changes in ({@code start}, {@code end}). */
    public static List<Change> history(long seed, long initial, long start, long end, int updates, java.util.Collection<Long> avoid) {
        Random random = new Random(seed);
        List<Change> changes = new ArrayList<>();
        List<Customer> current = new ArrayList<>(initial(initial));
        current.forEach(customer -> changes.add(new Change(initial, customer)));
        List<Long> times = new ArrayList<>();
        while (times.size() < updates) {
            long time = start + 1 + (long) (random.nextDouble() * (end - start - 1));
            if (!times.contains(time) && !avoid.contains(time)) {
                times.add(time);
            }
        }
        times.sort(Comparator.naturalOrder());
        for (long time : times) {
            int index = random.nextInt(current.size());
            Customer before = current.get(index);
            String status;
            do {
                status = CLUB_STATUSES.get(random.nextInt(CLUB_STATUSES.size()));
            } while (status.equals(before.clubStatus()));
            Customer after = before.withClubStatus(status, time);
            current.set(index, after);
            changes.add(new Change(time, after));
        }
        return changes;
    }

    /** The row of customer {@code id} valid at {@code time}: its last change at or before then. */
    public static Optional<Customer> validAt(List<Change> history, int id, long time) {
        Customer found = null;
        for (Change change : history) {
            if (change.customer().id() == id && change.time() <= time) {
                found = change.customer();
            }
        }
        return Optional.ofNullable(found);
    }
}
