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

-- TODO: join each rating with the customer who gave it, keeping ratings of users who are not
-- customers. Select the join key first (C.ID AS CUSTOMER_ID), then every
-- column of the rating, then FIRST_NAME, LAST_NAME, EMAIL and CLUB_STATUS of the customer.
-- The table's key (ID) is text; USER_ID is a number.
CREATE STREAM RATINGS_WITH_CUSTOMER_DATA AS
    SELECT R.RATING_ID, R.USER_ID, R.STARS, R.ROUTE_ID, R.RATING_TIME, R.CHANNEL, R.MESSAGE
    FROM RATINGS R
    EMIT CHANGES;
