-- Gateways the cloud accepts traffic from; traffic from any other id is dead-lettered.
CREATE TABLE gateways (
    id            TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    registered_at TEXT NOT NULL
);

-- Every refused message, whole, with why. A message refused again (same topic and payload) counts up instead of
-- storing a second copy, so a gateway repeating one bad message cannot fill the disk.
CREATE TABLE dead_letters (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    first_at       TEXT NOT NULL,
    last_at        TEXT NOT NULL,
    times          INTEGER NOT NULL DEFAULT 1,
    topic          TEXT NOT NULL,
    payload        BLOB NOT NULL,
    payload_sha256 TEXT NOT NULL,
    reason_code    TEXT NOT NULL,
    reason         TEXT NOT NULL,
    client_id      TEXT,
    gateway_id     TEXT,
    seq            INTEGER,
    replayed_at    TEXT,
    replay_outcome TEXT
);
CREATE UNIQUE INDEX dead_letters_by_content ON dead_letters (topic, payload_sha256, reason_code);
CREATE INDEX dead_letters_by_gateway ON dead_letters (gateway_id, id);
