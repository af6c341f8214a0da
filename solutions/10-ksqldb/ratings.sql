-- Module 10, exercise ksqldb1: the ratings topic, seen as a stream.
--
-- Type these statements into the ksqlDB CLI (docker compose exec ksqldb-server ksql), one at a
-- time, or run the whole file there: RUN SCRIPT '/workshop/exercises/10-ksqldb/ratings.sql';
-- Check it: ./jbang workshop check ksqldb1

-- Queries read every topic from its first record, not only the records that arrive from now on.
SET 'auto.offset.reset' = 'earliest';

-- A stream is a topic with a schema: ksqlDB reads each JSON value into these columns.
-- Event time is the rating's own time (rating_time, epoch milliseconds), not when it was sent.
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

-- A push query: every rating there is, then each new one as it arrives, until you press Ctrl-C.
SELECT USER_ID, STARS, CHANNEL, MESSAGE
FROM RATINGS
EMIT CHANGES;
