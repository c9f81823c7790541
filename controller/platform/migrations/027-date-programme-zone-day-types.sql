-- The programme ledger records, per date, the day type of every zone with its own calendar
-- override (zone id → 'working' | 'rest'), beside the district's: a node's day type in its
-- reports is its nearest zone's entry, else the district's. Dates recorded before stay as they
-- were (no zone of its own).
ALTER TABLE date_programmes ADD COLUMN zone_day_types_json TEXT NOT NULL DEFAULT '{}';
