package workshop.graders.ksqldb;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Grader;
import workshop.oracle.RatingsJoin;

/** Grades joins-sql2 (twin: joins2): the talk's UNHAPPY_PLATINUM_CUSTOMERS, checked against the shared oracle. */
@Grader("joins-sql2")
class UnhappyPlatinumCustomersGrader extends JoinedRatingsGrading {

    @Test
    @Order(2)
    @DisplayName("UNHAPPY_PLATINUM_CUSTOMERS holds the ratings under 3 stars of platinum customers, and no other")
    void unhappy() {
        expectStream("UNHAPPY_PLATINUM_CUSTOMERS", RatingsJoin.unhappyPlatinum(joined),
                "WHERE STARS < 3 AND CLUB_STATUS = 'platinum' (statuses are in lower case), on the joined stream.");
    }
}
