package workshop.graders.ksqldb;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import workshop.grading.Grader;
import workshop.oracle.RatingsJoin;

/** Grades joins-sql1 (twin: joins1): the talk's RATINGS_WITH_CUSTOMER_DATA, checked against the shared oracle. */
@Grader("joins-sql1")
class RatingsWithCustomerDataGrader extends JoinedRatingsGrading {

    @Test
    @Order(2)
    @DisplayName("RATINGS_WITH_CUSTOMER_DATA holds every rating with the customer as they were at its time")
    void joined() {
        expectStream("RATINGS_WITH_CUSTOMER_DATA", joined,
                "LEFT JOIN CUSTOMERS C ON CAST(R.USER_ID AS VARCHAR) = C.ID keeps every rating (an INNER JOIN drops those "
                        + "of users who are not customers) and matches the rating's user to the customer's id (not another column).");
    }
}
