-- Module 12, exercise windows-sql3: the talk's possible_fraud, more than 3 payments with one card
-- within 5 seconds. Kafka Streams twin: windows3, graded by the same oracle.
-- Check it: ./jbang workshop check windows-sql3

SET 'auto.offset.reset' = 'earliest';

CREATE STREAM PAYMENTS (
    TRANSACTION_ID VARCHAR,
    CARD_NUMBER    VARCHAR,
    LOCATION       VARCHAR,
    AMOUNT         BIGINT,
    `TIME`         BIGINT
) WITH (KAFKA_TOPIC = 'payments', VALUE_FORMAT = 'JSON', TIMESTAMP = 'TIME');

-- Count per card in tumbling windows of 5 seconds; a payment may arrive up to 3 s after its window
-- ended (GRACE PERIOD). HAVING filters the groups after counting (WHERE filters the payments
-- before), so only the windows with more than 3 payments are in the table.
CREATE TABLE POSSIBLE_FRAUD AS
    SELECT CARD_NUMBER,
           WINDOWSTART AS WINDOW_START,
           WINDOWEND   AS WINDOW_END,
           COUNT(*)    AS PAYMENT_COUNT
    FROM PAYMENTS
    WINDOW TUMBLING (SIZE 5 SECONDS, GRACE PERIOD 3 SECONDS)
    GROUP BY CARD_NUMBER
    HAVING COUNT(*) > 3
    EMIT CHANGES;
