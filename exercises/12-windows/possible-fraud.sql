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

-- TODO: count the payments per card in tumbling windows of 5 seconds, with a GRACE PERIOD of
-- 3 seconds, and keep only the windows with more than 3 payments. Output CARD_NUMBER,
-- WINDOWSTART AS WINDOW_START, WINDOWEND AS WINDOW_END and COUNT(*) AS PAYMENT_COUNT.
CREATE TABLE POSSIBLE_FRAUD AS
    SELECT CARD_NUMBER,
           COUNT(*) AS PAYMENT_COUNT
    FROM PAYMENTS
    GROUP BY CARD_NUMBER
    EMIT CHANGES;
