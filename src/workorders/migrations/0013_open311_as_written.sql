-- Whether the reporter agreed to publish the report's own words: GeoReport v2
-- (/open311/v2/requests) shows a report's description only then; category,
-- place and status are public either way. Reports filed before were not
-- asked, so they stay unpublished.
ALTER TABLE work_orders ADD COLUMN public_text INTEGER NOT NULL DEFAULT 0;

-- What an Open311 client sent as it was written: the address (the place is
-- matched from it, or from the point given with it) and a link to its own
-- photo (public with the text only).
ALTER TABLE work_orders ADD COLUMN address_text TEXT;
ALTER TABLE work_orders ADD COLUMN media_url TEXT;
