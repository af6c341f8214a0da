package workshop.graders.ksqldb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.data.Ratings;
import workshop.grading.Expect;
import workshop.grading.Grader;
import workshop.grading.Workbench;
import workshop.oracle.CardTransaction;
import workshop.oracle.Fraud;
import workshop.oracle.PossibleFraud;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Grades joins-sql3 (twin: joins3, same oracle and input): a stream-stream join WITHIN 2 minutes
 * with a grace period of 1 minute finds one card at two places, including a payment that arrives
 * late but within the grace period, and not one that arrives beyond it.
 */
@Grader("joins-sql3")
class CardInTwoPlacesGrader {

    private KsqlGrading grading;
    private List<PossibleFraud> expected;
    private ScriptRun run;
    private List<PossibleFraud> written;

    @BeforeAll
    void runScript(Workbench bench) {
        grading = new KsqlGrading(bench, "PAYMENTS", "PAYMENTS_COPY", "CARD_IN_TWO_PLACES");
        List<CardTransaction> payments = Fraud.travels(ThreadLocalRandom.current().nextLong(), Ratings.FIRST_RATING_TIME);
        expected = Fraud.twoPlaces(payments, Fraud.TWO_PLACES_WITHIN_MS, Fraud.TWO_PLACES_GRACE_MS).stream()
                .sorted(java.util.Comparator.comparing(PossibleFraud::pair)).toList();
        grading.produce("payments", payments.stream()
                .map(payment -> grading.record("payments", null, payment.cardNumber(), payment.toJson())).toList());
        run = grading.run(bench.target(), 1);
        grading.awaitQueriesCaughtUp(KsqlGrading.CATCH_UP);
        written = grading.sinkRecords("CARD_IN_TWO_PLACES").stream()
                .map(record -> withCard(Inputs.read(record.value(), PossibleFraud.class), record.key()))
                .sorted(java.util.Comparator.comparing(PossibleFraud::pair))
                .toList();
    }

    /** CARD_NUMBER, the join key, is the record's key (ksqlDB keeps key columns out of the value). */
    private static PossibleFraud withCard(PossibleFraud pair, String key) {
        return pair.cardNumber() != null ? pair : new PossibleFraud(key, pair.firstTransactionId(), pair.firstLocation(),
                pair.firstTime(), pair.secondTransactionId(), pair.secondLocation(), pair.secondTime());
    }

    @Test
    @Order(1)
    @DisplayName("ksqlDB accepts every statement of the file")
    void accepted() {
        run.expectAccepted("Fix the statement named above with ksqlDB's message. A stream-stream join needs WITHIN; "
                + "ksqlDB cannot join a stream with itself: PAYMENTS_COPY declares the same topic again.");
    }

    @Test
    @Order(2)
    @DisplayName("CARD_IN_TWO_PLACES pairs each card's payments at two places within 2 minutes, once, earlier first")
    void pairs() {
        Expect.isTrue(run.created("CARD_IN_TWO_PLACES"), "The file does not create the stream CARD_IN_TWO_PLACES",
                "CREATE STREAM CARD_IN_TWO_PLACES AS SELECT ...", "no such statement", "A persistent query: CREATE STREAM ... AS SELECT ... EMIT CHANGES;");
        List<String> want = expected.stream().map(PossibleFraud::toJson).toList();
        List<String> got = written.stream().map(PossibleFraud::toJson).toList();
        String hint;
        if (got.size() > want.size()) {
            hint = "Too many pairs: each pair is found from both sides (keep P1.`TIME` < P2.`TIME`), payments at the same place "
                    + "are no fraud (P1.LOCATION <> P2.LOCATION), and a payment later than the GRACE PERIOD must not match "
                    + "(without GRACE PERIOD, ksqlDB waits 24 hours).";
        } else {
            hint = "Too few pairs: WITHIN 2 MINUTES matches payments up to 2 minutes apart, and GRACE PERIOD 1 MINUTE still "
                    + "accepts a payment that arrives late by less than that.";
        }
        Expect.equal("CARD_IN_TWO_PLACES does not hold exactly the suspicious pairs", want, got, hint);
    }
}
