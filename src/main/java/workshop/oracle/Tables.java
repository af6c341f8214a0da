package workshop.oracle;

import workshop.data.Rating;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The stream/table duality of the talk: a table is the latest value per key of a stream. Serves
 * streams2 (Kafka Streams: KTables built by aggregating and by reducing a stream; ksqlDB twin:
 * CREATE TABLE BALANCES AS SELECT ACCOUNT_ID, SUM(AMOUNT) ... GROUP BY ACCOUNT_ID, and a table of
 * the latest rating per user with LATEST_BY_OFFSET) and streams3 (the same balances, exactly once).
 */
public final class Tables {

    /** The talk's account and its three payments: balances 50, 75, 15. */
    public static final String TALK_ACCOUNT = "12345";
    public static final List<Long> TALK_AMOUNTS = List.of(50L, 25L, -60L);

    private Tables() {
    }

    /** One update of a table: the key's new value, in the order the stream gave them. */
    public record Update<V>(String key, V value) {
    }

    /**
     * The talk's three payments to account 12345 first, then {@code count} more over
     * {@code accounts} other accounts (ids 10001, 10002, ...), amounts in -80..+120 (never 0), a
     * second apart from {@code start}. Deterministic for a seed.
     */
    public static List<Transaction> transactions(long seed, int accounts, int count, long start) {
        Random random = new Random(seed);
        List<Transaction> transactions = new ArrayList<>();
        long time = start;
        for (long amount : TALK_AMOUNTS) {
            transactions.add(new Transaction(TALK_ACCOUNT, amount, time));
            time += 1000;
        }
        for (int i = 0; i < count; i++) {
            long amount;
            do {
                amount = -80 + random.nextInt(201);
            } while (amount == 0);
            transactions.add(new Transaction(String.valueOf(10001 + random.nextInt(accounts)), amount, time));
            time += 1000;
        }
        return transactions;
    }

    /** Every change of the balance table, one per transaction: the account and its balance after it. */
    public static List<Update<Long>> balanceUpdates(List<Transaction> transactions) {
        Map<String, Long> balances = new LinkedHashMap<>();
        List<Update<Long>> updates = new ArrayList<>();
        for (Transaction transaction : transactions) {
            long balance = balances.merge(transaction.accountId(), transaction.amount(), Long::sum);
            updates.add(new Update<>(transaction.accountId(), balance));
        }
        return updates;
    }

    /** The balance table at the end: the latest balance of each account. */
    public static Map<String, Long> balances(List<Transaction> transactions) {
        return latest(balanceUpdates(transactions));
    }

    /** The table of the latest rating per user (by user_id, as text), in the order the ratings arrive. */
    public static Map<String, Rating> latestRatings(List<Rating> ratings) {
        Map<String, Rating> latest = new LinkedHashMap<>();
        ratings.forEach(rating -> latest.put(String.valueOf(rating.userId()), rating));
        return latest;
    }

    /** The table that a stream of updates describes: the last value per key (what compaction keeps). */
    public static <V> Map<String, V> latest(List<Update<V>> updates) {
        Map<String, V> table = new LinkedHashMap<>();
        updates.forEach(update -> table.put(update.key(), update.value()));
        return table;
    }
}
