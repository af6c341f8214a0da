-- Module 12, exercise windows-sql2: RATINGS_BY_CLUB_STATUS again, but only the final count of each
-- minute, once the minute is over. Kafka Streams twin: windows1 (the finals, with suppress),
-- graded by the same oracle.
-- Check it: ./jbang workshop check windows-sql2

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

-- TODO: the same counts as windows-sql1 (1-minute tumbling windows, GRACE PERIOD of 10 seconds,
-- WINDOW_START, WINDOW_END and RATINGS), but one count per window, written once the window has
-- closed: choose the EMIT clause for that. Keep RETENTION 10 MINUTES: EMIT FINAL looks for closed
-- windows at most once a second, and RETENTION keeps them until it has written them.
CREATE TABLE RATINGS_BY_CLUB_STATUS_FINAL AS
    SELECT CLUB_STATUS,
           WINDOWSTART AS WINDOW_START,
           WINDOWEND   AS WINDOW_END,
           COUNT(*)    AS RATINGS
    FROM RATINGS_WITH_CUSTOMER_DATA
    WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 10 MINUTES)
    GROUP BY CLUB_STATUS
    EMIT CHANGES;
