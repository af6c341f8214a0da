-- Module 11, exercise joins-sql3: one card, two places, within two minutes (the ATM fraud demo
-- of the talks). A stream-stream join, WITHIN a window. Kafka Streams twin: joins3, same oracle.
-- Check it: ./jbang workshop check joins-sql3

SET 'auto.offset.reset' = 'earliest';

-- Card payments, keyed by card number, e.g. {"transaction_id":"tx-7","location":"Leeds",
-- "amount":42,"time":1767603660000}; their event time is "time". Joining on the key needs no
-- repartitioning: both sides read the topic as it is, in the order payments arrived.
CREATE STREAM PAYMENTS (
    TRANSACTION_ID VARCHAR,
    CARD_NUMBER    VARCHAR KEY,
    LOCATION       VARCHAR,
    AMOUNT         BIGINT,
    `TIME`         BIGINT
) WITH (KAFKA_TOPIC = 'payments', VALUE_FORMAT = 'JSON', TIMESTAMP = 'TIME');

-- ksqlDB joins two different streams, not a stream with itself: declare the topic a second
-- time, under another name. (A copy made with CREATE STREAM ... AS SELECT would be a topic of its
-- own, read beside the first in time order: a payment that arrived late there would not be late.)
CREATE STREAM PAYMENTS_COPY (
    TRANSACTION_ID VARCHAR,
    CARD_NUMBER    VARCHAR KEY,
    LOCATION       VARCHAR,
    AMOUNT         BIGINT,
    `TIME`         BIGINT
) WITH (KAFKA_TOPIC = 'payments', VALUE_FORMAT = 'JSON', TIMESTAMP = 'TIME');

-- Two payments of one card match when they are at most 2 minutes apart (WITHIN). A payment that
-- arrives late still matches if it arrives within the GRACE PERIOD after the window closed.
-- Each pair is found from both sides: keep the one where the first payment is the earlier.
CREATE STREAM CARD_IN_TWO_PLACES AS
    SELECT P1.CARD_NUMBER    AS CARD_NUMBER,
           P1.TRANSACTION_ID AS FIRST_TRANSACTION_ID,
           P1.LOCATION       AS FIRST_LOCATION,
           P1.`TIME`         AS FIRST_TIME,
           P2.TRANSACTION_ID AS SECOND_TRANSACTION_ID,
           P2.LOCATION       AS SECOND_LOCATION,
           P2.`TIME`         AS SECOND_TIME
    FROM PAYMENTS P1
    INNER JOIN PAYMENTS_COPY P2
        WITHIN 2 MINUTES GRACE PERIOD 1 MINUTE
        ON P1.CARD_NUMBER = P2.CARD_NUMBER
    WHERE P1.LOCATION <> P2.LOCATION
      AND P1.`TIME` < P2.`TIME`
    EMIT CHANGES;
