-- Module 11, exercise joins-sql1: each rating joined with the customer who gave it (the talk's
-- RATINGS_WITH_CUSTOMER_DATA). Kafka Streams twin: joins1, graded by the same oracle.
-- Check it: ./jbang workshop check joins-sql1

SET 'auto.offset.reset' = 'earliest';

-- Module 10's stream and table (IF NOT EXISTS: harmless if you created them there).
CREATE STREAM IF NOT EXISTS RATINGS (
    RATING_ID   BIGINT,
    USER_ID     INT,
    STARS       INT,
    ROUTE_ID    INT,
    RATING_TIME BIGINT,
    CHANNEL     VARCHAR,
    MESSAGE     VARCHAR
) WITH (KAFKA_TOPIC = 'ratings', VALUE_FORMAT = 'JSON', TIMESTAMP = 'RATING_TIME');

CREATE SOURCE TABLE IF NOT EXISTS CUSTOMERS (
    ID          VARCHAR PRIMARY KEY,
    FIRST_NAME  VARCHAR,
    LAST_NAME   VARCHAR,
    EMAIL       VARCHAR,
    GENDER      VARCHAR,
    CLUB_STATUS VARCHAR,
    COMMENTS    VARCHAR,
    UPDATE_TS   BIGINT
) WITH (KAFKA_TOPIC = 'workshop.public.customers', VALUE_FORMAT = 'JSON');

-- A stream-table join looks each rating up in the table as the table is at that moment.
-- LEFT JOIN keeps the ratings of users who are not customers (their customer columns are null).
-- The table's key is text, USER_ID a number: the CAST makes them comparable. ksqlDB then
-- re-keys the ratings by that value, so that each rating meets its customer's partition; the
-- result is keyed by the customer's id, which must be in the SELECT list.
CREATE STREAM RATINGS_WITH_CUSTOMER_DATA AS
    SELECT C.ID AS CUSTOMER_ID,
           R.RATING_ID, R.USER_ID, R.STARS, R.ROUTE_ID, R.RATING_TIME, R.CHANNEL, R.MESSAGE,
           C.FIRST_NAME, C.LAST_NAME, C.EMAIL, C.CLUB_STATUS
    FROM RATINGS R
    LEFT JOIN CUSTOMERS C ON CAST(R.USER_ID AS VARCHAR) = C.ID
    EMIT CHANGES;
