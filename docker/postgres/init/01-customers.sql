-- Seed data of the live-workshop stack: the customers of the talk's airline.
--
-- The official postgres image runs this file once, when its data directory is empty, as user
-- "workshop" in database "workshop" (psql -v ON_ERROR_STOP=1: any error stops the container's
-- first start). To run it again: docker compose down -v && docker compose up -d
--
-- Debezium captures this table (module 7, capstone); ratings events join it on user_id = id.
-- Ids run 1..20 on purpose: data/ratings.jsonl also has ratings from users 21..25, who have no
-- row here, so joins must cope with misses.

BEGIN;

CREATE TABLE customers (
    id          INTEGER      PRIMARY KEY,
    first_name  VARCHAR(50),
    last_name   VARCHAR(50),
    email       VARCHAR(100),
    gender      VARCHAR(50),
    club_status VARCHAR(8)   NOT NULL
                CONSTRAINT customers_club_status_check
                CHECK (club_status IN ('bronze', 'silver', 'gold', 'platinum')),
    comments    VARCHAR(200),
    -- TIMESTAMP(3): millisecond precision, which Debezium sends as epoch milliseconds
    -- (io.debezium.time.Timestamp) and ksqlDB reads as a BIGINT or TIMESTAMP.
    -- Both hold UTC wall-clock time whatever the session time zone (the JDBC driver sets the
    -- session time zone to the JVM's, psql leaves the server's).
    create_ts   TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    update_ts   TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

COMMENT ON TABLE customers IS 'Airline customers; ratings.user_id refers to customers.id';

-- update_ts follows every change, like MySQL's ON UPDATE CURRENT_TIMESTAMP in the talk's demo.
CREATE FUNCTION customers_touch_update_ts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.update_ts := now() AT TIME ZONE 'UTC';
    RETURN NEW;
END;
$$;

CREATE TRIGGER customers_touch_update_ts
    BEFORE UPDATE ON customers
    FOR EACH ROW
    EXECUTE FUNCTION customers_touch_update_ts();

-- Change events carry the whole old row ("before") on UPDATE and DELETE, not only the key.
ALTER TABLE customers REPLICA IDENTITY FULL;

INSERT INTO customers (id, first_name, last_name, email, gender, club_status, comments) VALUES
    ( 1, 'Maren',    'Holloway',   'maren.holloway@example.com',    'Female',     'bronze',   'Books the window seat every time'),
    ( 2, 'Tobias',   'Quenneville','tquenneville@example.net',       'Male',       'platinum', 'Flies the morning shuttle twice a week'),
    ( 3, 'Priya',    'Ramaswamy',  'priya.r@example.org',            'Female',     'silver',   'Asked twice about the lounge opening hours'),
    ( 4, 'Oskar',    'Lindqvist',  'oskar.lindqvist@example.com',    'Male',       'gold',     'Prefers an aisle seat near the front'),
    ( 5, 'Adaeze',   'Okonkwo',    'adaeze.okonkwo@example.net',     'Female',     'platinum', 'Corporate account, travels with a team'),
    ( 6, 'Luca',     'Bernardi',   'lbernardi@example.org',          'Male',       'bronze',   'First booking came from a price alert'),
    ( 7, 'Sunniva',  'Aakre',      'sunniva.aakre@example.com',      'Female',     'gold',     'Always checks a bicycle in the hold'),
    ( 8, 'Dmitri',   'Vasquez',    'dmitri.vasquez@example.net',     'Male',       'silver',   'Missed a connection last spring'),
    ( 9, 'Yara',     'Haddad',     'yhaddad@example.org',            'Female',     'bronze',   'Signed up for the newsletter at the gate'),
    (10, 'Kofi',     'Mensah',     'kofi.mensah@example.com',        'Male',       'platinum', 'Million-mile member since 2016'),
    (11, 'Ingrid',   'Solberg',    'ingrid.solberg@example.net',     'Female',     'silver',   'Requests a vegetarian meal'),
    (12, 'Ren',      'Takahashi',  'ren.takahashi@example.org',      'Non-binary', 'gold',     'Uses the app for every check-in'),
    (13, 'Beatriz',  'Carvalho',   'bcarvalho@example.com',          'Female',     'platinum', 'Filed a complaint about a delayed bag'),
    (14, 'Hamish',   'McAllister', 'hamish.mcallister@example.net',  'Male',       'bronze',   'Travels once a year to see family'),
    (15, 'Noor',     'Siddiqui',   'noor.siddiqui@example.org',      'Female',     'gold',     'Upgraded with points last month'),
    (16, 'Emil',     'Novak',      'emil.novak@example.com',         'Male',       'silver',   'Often changes flights on the day'),
    (17, 'Clementine','Dubois',    'clementine.dubois@example.net',  'Female',     'bronze',   'Student fare, flies home for the holidays'),
    (18, 'Rafael',   'Ortega',     'rafael.ortega@example.org',      'Male',       'gold',     'Weekly commuter on the same route'),
    (19, 'Astrid',   'Kjeldsen',   'astrid.kjeldsen@example.com',    'Female',     'platinum', 'Rates every flight, good or bad'),
    (20, 'Jonah',    'Whitfield',  'jonah.whitfield@example.net',    'Male',       'bronze',   'Prefers to travel light, cabin bag only');

COMMIT;
