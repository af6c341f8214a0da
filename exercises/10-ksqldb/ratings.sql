-- Module 10, exercise ksqldb1: the ratings topic, seen as a stream.
--
-- Type these statements into the ksqlDB CLI (docker compose exec ksqldb-server ksql), one at a
-- time, or run the whole file there: RUN SCRIPT '/workshop/exercises/10-ksqldb/ratings.sql';
-- Check it: ./jbang workshop check ksqldb1

-- Queries read every topic from its first record, not only the records that arrive from now on.
SET 'auto.offset.reset' = 'earliest';

-- A stream is a topic with a schema: ksqlDB reads each JSON value into these columns.
-- A rating looks like this (one line of data/ratings.jsonl):
--   {"rating_id":1,"user_id":7,"stars":2,"route_id":5114,"rating_time":1767603600000,
--    "channel":"iOS","message":"worst. flight. ever. #neveragain"}
-- TODO: declare the remaining columns, with their types (BIGINT, INT, VARCHAR).
-- TODO: make the rating's own time (RATING_TIME) the stream's event time: TIMESTAMP = '...' in WITH.
CREATE STREAM RATINGS (
    RATING_ID   BIGINT,
    USER_ID     INT
) WITH (
    KAFKA_TOPIC  = 'ratings',
    VALUE_FORMAT = 'JSON'
);

-- TODO: a push query that shows USER_ID, STARS, CHANNEL and MESSAGE of every rating, now and as
-- they arrive (it runs until you press Ctrl-C).
