-- Module 10, exercise ksqldb2: the customers, as a table.
--
-- Module 7's connector writes every change of the customers table to the topic
-- workshop.public.customers: the row as it is after the change, keyed by the customer's id
-- (e.g. the key 7 and the value {"id":7,"first_name":"Sunniva",...,"club_status":"gold",...}).
-- Check it: ./jbang workshop check ksqldb2

SET 'auto.offset.reset' = 'earliest';

-- A table keeps the latest row per key. The key is the record's key (here the text of the id),
-- declared as the PRIMARY KEY. SOURCE makes ksqlDB keep the table so that pull queries can read it.
CREATE SOURCE TABLE CUSTOMERS (
    ID          VARCHAR PRIMARY KEY,
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

-- A pull query: the current row of customer 2, answered at once (no EMIT CHANGES).
SELECT ID, FIRST_NAME, LAST_NAME, CLUB_STATUS
FROM CUSTOMERS
WHERE ID = '2';
