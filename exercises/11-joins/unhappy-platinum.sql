-- Module 11, exercise joins-sql2: the talk's UNHAPPY_PLATINUM_CUSTOMERS, for the customer-care
-- team (the capstone's notifier reads it). Kafka Streams twin: joins2, same oracle.
-- Check it: ./jbang workshop check joins-sql2

SET 'auto.offset.reset' = 'earliest';

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

CREATE STREAM IF NOT EXISTS RATINGS_WITH_CUSTOMER_DATA AS
    SELECT C.ID AS CUSTOMER_ID,
           R.RATING_ID, R.USER_ID, R.STARS, R.ROUTE_ID, R.RATING_TIME, R.CHANNEL, R.MESSAGE,
           C.FIRST_NAME, C.LAST_NAME, C.EMAIL, C.CLUB_STATUS
    FROM RATINGS R
    LEFT JOIN CUSTOMERS C ON CAST(R.USER_ID AS VARCHAR) = C.ID
    EMIT CHANGES;

-- TODO: every rating with fewer than 3 stars from a platinum customer (statuses are stored in
-- lower case), with all the columns of RATINGS_WITH_CUSTOMER_DATA.
CREATE STREAM UNHAPPY_PLATINUM_CUSTOMERS AS
    SELECT *
    FROM RATINGS_WITH_CUSTOMER_DATA
    EMIT CHANGES;
