-- Module 10, exercise ksqldb2: the customers, as a table.
--
-- Module 7's connector writes every change of the customers table to the topic
-- workshop.public.customers: the row as it is after the change, keyed by the customer's id
-- (e.g. the key 7 and the value {"id":7,"first_name":"Sunniva",...,"club_status":"gold",...}).
-- Check it: ./jbang workshop check ksqldb2

SET 'auto.offset.reset' = 'earliest';

-- TODO: a table keeps the latest row per key. Declare the key: ID VARCHAR PRIMARY KEY (the key
-- of each record is the text of the id).
-- TODO: add SOURCE after CREATE, so that ksqlDB keeps the table and pull queries can read it.
CREATE TABLE CUSTOMERS (
    ID          VARCHAR,
    FIRST_NAME  VARCHAR,
    LAST_NAME   VARCHAR,
    EMAIL       VARCHAR,
    GENDER      VARCHAR,
    CLUB_STATUS VARCHAR,
    COMMENTS    VARCHAR,
    UPDATE_TS   BIGINT
) WITH (
    KAFKA_TOPIC  = 'workshop.public.customers',
    VALUE_FORMAT = 'JSON'
);

-- TODO: a pull query (no EMIT CHANGES) that answers with ID, FIRST_NAME, LAST_NAME and
-- CLUB_STATUS of customer '2', as the row is now.
