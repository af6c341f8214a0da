package workshop.graders.ksqldb;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which refusals KsqlDb sends again: the messages are those a ksqlDB 8.3.1 server answered here
 * when three clients sent CREATE and DROP statements at the same moment.
 */
class KsqlDbFencingTest {

    @Test
    void aStatementWhoseProducerWasFencedIsSentAgain() {
        assertTrue(KsqlDb.fencedByAnother("There is a newer producer with the same transactionalId which fences the current one."));
        // The same cause under "Could not write the statement", wrapped by the server: missed before, a grading then failed.
        assertTrue(KsqlDb.fencedByAnother("Could not write the statement 'CREATE STREAM ALICE_FENCE_C_9 (A VARCHAR) WITH (KAFKA_TOPIC='alice.fence-c-9', "
                + "PARTITIONS=1, VALUE_FORMAT='JSON');' into the command topic.\nCaused by: There is a newer producer with the same "
                + "transactionalId which fences\n\tthe current one."));
        assertTrue(KsqlDb.fencedByAnother("Cannot execute transactional method because we are in an error state\n"
                + "Caused by: The producer attempted a transactional operation in an invalid state."));
    }

    @Test
    void aLearnersMistakeIsNot() {
        assertFalse(KsqlDb.fencedByAnother("Could not find source to delete topic for: DROP STREAM ALICE_FENCE_A_1 DELETE TOPIC;"));
        assertFalse(KsqlDb.fencedByAnother("Invalid join condition: stream-table joins require to join on the table's primary key."));
    }
}
