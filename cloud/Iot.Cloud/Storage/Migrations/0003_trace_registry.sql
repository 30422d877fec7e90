-- The trace registry: who produced what, where, and where it went. Plain SQL (no SQLite-only functions) so a
-- PostgreSQL provider can run the same statements. Times are ISO 8601 UTC text with milliseconds ("...T09:27:19.123Z"),
-- which sorts in time order.

-- Parties (主体): producers, processors, distributors, retailers. A household is identified by its resident
-- identity number, which is personal data: stored whole, shown masked everywhere except to the party itself.
CREATE TABLE parties (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                 TEXT NOT NULL CHECK (kind IN ('enterprise', 'household')),
    role                 TEXT NOT NULL CHECK (role IN ('farm', 'processor', 'distributor', 'retailer')),
    name                 TEXT NOT NULL,
    credit_code          TEXT UNIQUE,
    resident_id          TEXT UNIQUE,
    division_code        TEXT NOT NULL,
    national_entity_code TEXT UNIQUE,
    warnings             TEXT NOT NULL DEFAULT '',
    access_key_hash      TEXT,
    created_at           TEXT NOT NULL,
    CHECK ((kind = 'enterprise' AND credit_code IS NOT NULL AND resident_id IS NULL)
        OR (kind = 'household' AND resident_id IS NOT NULL AND credit_code IS NULL))
);

CREATE TABLE products (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    category   TEXT NOT NULL DEFAULT '',
    gtin       TEXT UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE batches (
    code          TEXT PRIMARY KEY NOT NULL,
    product_id    INTEGER NOT NULL REFERENCES products (id),
    producer_id   INTEGER NOT NULL REFERENCES parties (id),
    status        TEXT NOT NULL CHECK (status IN ('growing', 'harvested', 'packed', 'shipped', 'recalled')),
    national_code TEXT UNIQUE,
    lot           TEXT,
    created_at    TEXT NOT NULL,
    recalled_at   TEXT,
    recall_reason TEXT
);
CREATE INDEX batches_by_producer ON batches (producer_id);

-- Zones and lines. gateway_id + gateway_zone is the zone as the gateway's readings name it (the InfluxDB tags
-- gateway and zone); registered = 0 marks a zone a gateway reported before anyone registered it.
CREATE TABLE zones (
    id           TEXT PRIMARY KEY NOT NULL,
    party_id     INTEGER REFERENCES parties (id),
    kind         TEXT NOT NULL CHECK (kind IN ('greenhouse', 'field', 'coldRoom', 'packingLine', 'other')),
    name         TEXT NOT NULL DEFAULT '',
    gateway_id   TEXT,
    gateway_zone TEXT,
    registered   INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    UNIQUE (gateway_id, gateway_zone)
);

ALTER TABLE gateways ADD COLUMN party_id INTEGER REFERENCES parties (id);

-- Which batch was in which zone when. left_at is null while it is still there.
CREATE TABLE occupancy (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_code      TEXT NOT NULL,
    zone_id         TEXT NOT NULL REFERENCES zones (id),
    entered_at      TEXT NOT NULL,
    left_at         TEXT,
    entered_event   INTEGER,
    left_event      INTEGER
);
CREATE INDEX occupancy_by_batch ON occupancy (batch_code, entered_at);
CREATE INDEX occupancy_by_zone ON occupancy (zone_id, entered_at);

-- Trace events with EPCIS semantics. A gateway's event is unique by (gateway_id, seq, event_index), so a
-- redelivered message finds its events already recorded; events from people have source 'api' and no seq.
CREATE TABLE trace_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    type        TEXT NOT NULL,
    event_time  TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    source      TEXT NOT NULL CHECK (source IN ('gateway', 'api')),
    gateway_id  TEXT,
    seq         INTEGER,
    event_index INTEGER,
    zone_id     TEXT,
    batch_code  TEXT,
    details     TEXT NOT NULL,
    UNIQUE (gateway_id, seq, event_index)
);
CREATE INDEX trace_events_by_batch ON trace_events (batch_code, event_time);
CREATE INDEX trace_events_by_zone ON trace_events (zone_id, event_time);

-- What an event is about, for tracing: role 'object' (the batch it concerns), 'crate', 'input' and 'output'
-- (transformation), 'receiver' and 'sender' (parties, by id); kind 'batch', 'epc', 'uid', 'party'.
CREATE TABLE event_links (
    event_id   INTEGER NOT NULL REFERENCES trace_events (id),
    role       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    identifier TEXT NOT NULL,
    PRIMARY KEY (event_id, role, kind, identifier)
);
CREATE INDEX event_links_by_identifier ON event_links (kind, identifier);
