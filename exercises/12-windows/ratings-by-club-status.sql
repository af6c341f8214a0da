-- Module 12, exercise windows-sql1: the talk's RATINGS_BY_CLUB_STATUS, ratings per club status per
-- minute, every change of a count as it happens. Kafka Streams twin: windows1 (the updates),
-- graded by the same oracle.
-- Check it: ./jbang workshop check windows-sql1

SET 'auto.offset.reset' = 'earliest';

-- Module 11's joined ratings (IF NOT EXISTS: it is there if you did module 11; this declares it
-- over its topic otherwise).
CREATE STREAM IF NOT EXISTS RATINGS_WITH_CUSTOMER_DATA (
    CUSTOMER_ID VARCHAR KEY,
    RATING_ID   BIGINT,
    USER_ID     INT,
    STARS       INT,
    ROUTE_ID    INT,
    RATING_TIME BIGINT,
    CHANNEL     VARCHAR,
    MESSAGE     VARCHAR,
    FIRST_NAME  VARCHAR,
    LAST_NAME   VARCHAR,
    EMAIL       VARCHAR,
    CLUB_STATUS VARCHAR
) WITH (KAFKA_TOPIC = 'RATINGS_WITH_CUSTOMER_DATA', VALUE_FORMAT = 'JSON', TIMESTAMP = 'RATING_TIME');

-- TODO: count the ratings per CLUB_STATUS in tumbling windows of 1 minute, with a GRACE PERIOD of
-- 10 seconds. Name the count RATINGS and put the window in the output: WINDOWSTART AS
-- WINDOW_START, WINDOWEND AS WINDOW_END. Every change of a count goes out as it happens.
CREATE TABLE RATINGS_BY_CLUB_STATUS AS
    SELECT CLUB_STATUS,
           COUNT(*) AS RATINGS
    FROM RATINGS_WITH_CUSTOMER_DATA
    GROUP BY CLUB_STATUS
    EMIT CHANGES;
