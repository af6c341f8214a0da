-- Module 10, exercise ksqldb3: a persistent query that keeps filtering.
--
-- The Kafka Streams twin of this exercise is streams1: the same input, the same output.
-- Check it: ./jbang workshop check ksqldb3

SET 'auto.offset.reset' = 'earliest';

CREATE STREAM RATINGS (
    RATING_ID   BIGINT,
    USER_ID     INT,
    STARS       INT,
    ROUTE_ID    INT,
    RATING_TIME BIGINT,
    CHANNEL     VARCHAR,
    MESSAGE     VARCHAR
) WITH (
    KAFKA_TOPIC  = 'ratings',
    VALUE_FORMAT = 'JSON',
    TIMESTAMP    = 'RATING_TIME'
);

-- CREATE STREAM ... AS SELECT runs for as long as the server does: every rating with fewer than
-- 3 stars, now and to come, goes to a new topic (named POOR_RATINGS, like the stream), reshaped
-- for the customer-care team. "iOS" and "ios" are one channel: LCASE makes them one.
CREATE STREAM POOR_RATINGS AS
    SELECT RATING_ID, USER_ID, STARS, LCASE(CHANNEL) AS CHANNEL, MESSAGE
    FROM RATINGS
    WHERE STARS < 3
    EMIT CHANGES;
