-- Whether the reporter agreed to publish the report's own words: GeoReport v2
-- (/open311/v2/requests) shows a report's description only then; category,
-- place and status are public either way. Reports filed before were not
-- asked, so they stay unpublished.
ALTER TABLE work_orders ADD COLUMN public_text INTEGER NOT NULL DEFAULT 0;
