-- Hourly rollups of the readings in InfluxDB (cloud/README.md, History, "Rollups"). An hour is dirty from before a
-- write of its readings until its rollup has been rewritten after the last such write; version counts the marks, so
-- the rollup worker deletes a row only if nobody marked it again while it ran.
CREATE TABLE rollup_dirty (
    hour    INTEGER PRIMARY KEY NOT NULL, -- unix seconds of the hour's start
    version INTEGER NOT NULL
);

-- covered_from: unix seconds of the first hour whose rollups are trusted (older hours are read raw).
CREATE TABLE rollup_state (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT
);
