-- Module 13, exercise capstone-sql2 (ksqlDB track; Kafka Streams track: capstone2): the talk's
-- pipeline in ksqlDB. Debezium captures public.customers to pipeline.public.customers; the
-- ratings arrive in Avro through the schema registry; two JDBC sinks copy
-- RATINGS_WITH_CUSTOMER_DATA and RATINGS_BY_CLUB_STATUS into PostgreSQL (their topics are Avro
-- too, so the sinks know the columns); PushNotifier.java (capstone-sql1) posts
-- UNHAPPY_PLATINUM_CUSTOMERS to the webhook.
-- Run it:   paste it into the ksqlDB CLI, with Debezium's source and the two JDBC sinks running
--           (the grader makes them; docs/modules/13-capstone.adoc shows their settings)
-- Check it: ./jbang workshop check capstone-sql2

SET 'auto.offset.reset' = 'earliest';

-- The columns come from the registry: the ratings' Avro schema (module 8).
CREATE STREAM RATINGS WITH (KAFKA_TOPIC = 'ratings-live', VALUE_FORMAT = 'AVRO', TIMESTAMP = 'RATING_TIME');

-- Debezium writes each customer's row as JSON, keyed by its id as text.
CREATE SOURCE TABLE CUSTOMERS (
    ID          VARCHAR PRIMARY KEY,
    FIRST_NAME  VARCHAR,
    LAST_NAME   VARCHAR,
    EMAIL       VARCHAR,
    GENDER      VARCHAR,
    CLUB_STATUS VARCHAR,
    COMMENTS    VARCHAR
) WITH (KAFKA_TOPIC = 'pipeline.public.customers', VALUE_FORMAT = 'JSON');

-- Every rating, with the customer as they are when it is processed (LEFT: ratings without a
-- customer are kept). Keyed by customer id: the rating's user id, as text.
CREATE STREAM RATINGS_WITH_CUSTOMER_DATA WITH (KAFKA_TOPIC = 'ratings_with_customer_data', VALUE_FORMAT = 'AVRO') AS
    SELECT C.ID AS CUSTOMER_ID,
           R.RATING_ID, R.USER_ID, R.STARS, R.ROUTE_ID, R.RATING_TIME, R.CHANNEL, R.MESSAGE,
           C.FIRST_NAME, C.LAST_NAME, C.EMAIL, C.CLUB_STATUS
    FROM RATINGS R
    LEFT JOIN CUSTOMERS C ON CAST(R.USER_ID AS VARCHAR) = C.ID
    EMIT CHANGES;

-- For the customer-care team: the notifier reads this one.
CREATE STREAM UNHAPPY_PLATINUM_CUSTOMERS WITH (KAFKA_TOPIC = 'unhappy_platinum_customers', VALUE_FORMAT = 'JSON') AS
    SELECT * FROM RATINGS_WITH_CUSTOMER_DATA
    WHERE STARS < 3 AND CLUB_STATUS = 'platinum'
    EMIT CHANGES;

-- Ratings per club status per minute of their own time. The sink needs the club status in the
-- value (the key holds it, with the window): AS_VALUE copies it there.
CREATE TABLE RATINGS_BY_CLUB_STATUS WITH (KAFKA_TOPIC = 'ratings_by_club_status', VALUE_FORMAT = 'AVRO') AS
    SELECT CLUB_STATUS AS STATUS,
           AS_VALUE(CLUB_STATUS) AS CLUB_STATUS,
           WINDOWSTART AS WINDOW_START,
           WINDOWEND AS WINDOW_END,
           COUNT(*) AS `COUNT`
    FROM RATINGS_WITH_CUSTOMER_DATA
    WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS)
    WHERE CLUB_STATUS IS NOT NULL
    GROUP BY CLUB_STATUS
    EMIT CHANGES;
