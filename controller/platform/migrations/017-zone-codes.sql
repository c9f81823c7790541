-- Zone codes are unique (issue 11): GB/T 2260 style, 6 digits for a district, 9 for a town or
-- street (街道/镇), 12 for a community or village (社区/村). Empty codes become none; where an
-- older install gave two zones the same code, the later zones lose it (the zones page shows
-- them without a code, to be set again).
UPDATE zones SET code = NULL WHERE code IS NOT NULL AND trim(code) = '';
UPDATE zones SET code = NULL WHERE code IS NOT NULL AND rowid NOT IN (
  SELECT min(rowid) FROM zones WHERE code IS NOT NULL GROUP BY code
);
CREATE UNIQUE INDEX zones_code ON zones (code) WHERE code IS NOT NULL;
