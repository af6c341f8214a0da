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

-- A tumbling window of 1 minute: each rating counts in the minute of its rating_time.
-- A rating that arrives up to 10 s after its minute ended still counts (GRACE PERIOD); later
-- ones are dropped. A count means nothing without its window: WINDOWSTART says which minute.
-- EMIT FINAL writes one count per window, when the window closes: at its end plus the grace
-- period, in event time (a later rating moves time on; without one, the last minute stays open).
-- It looks for closed windows at most once a second, when a rating arrives: RETENTION keeps the
-- windows (default: size + grace) until then, even if event time jumps far ahead meanwhile.
CREATE TABLE RATINGS_BY_CLUB_STATUS_FINAL AS
    SELECT CLUB_STATUS,
           WINDOWSTART AS WINDOW_START,
           WINDOWEND   AS WINDOW_END,
           COUNT(*)    AS RATINGS
    FROM RATINGS_WITH_CUSTOMER_DATA
    WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 10 MINUTES, GRACE PERIOD 10 SECONDS)
    GROUP BY CLUB_STATUS
    EMIT FINAL;
