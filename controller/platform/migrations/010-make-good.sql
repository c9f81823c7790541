-- Make-good (补播, issue 8 part 5) and start-deviation figures (part 6).

-- Per column: whether a segment a node missed is replayed later, within how many minutes of its
-- instant, and whether the column is time-bound (weather, warnings: never replayed late).
ALTER TABLE columns ADD COLUMN make_good_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE columns ADD COLUMN make_good_window_min INTEGER NOT NULL DEFAULT 120;
ALTER TABLE columns ADD COLUMN time_bound INTEGER NOT NULL DEFAULT 0;

-- Reports read one date's play events of one type (play.started for start deviations).
CREATE INDEX events_date_type ON events (date, type);

-- Cached day totals were counted before make-goods existed (no madeGood count): recount them.
DELETE FROM report_days;
