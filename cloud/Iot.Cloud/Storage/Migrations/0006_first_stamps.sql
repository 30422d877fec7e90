-- When each batch's first stamped reading was taken (unix ms), so a batch's default history window needs no scan of
-- InfluxDB (History/FirstStamps.cs): learned from InfluxDB once, then lowered by every write of an earlier reading.
CREATE TABLE batch_first_stamps (
    batch_code TEXT PRIMARY KEY,
    first_ms INTEGER NOT NULL
);
