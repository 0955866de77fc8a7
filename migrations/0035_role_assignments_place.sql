-- Whom to tell of work waiting at a place (api::holders): the assignments at
-- the places on its line, found by place and role without reading the places.
CREATE INDEX role_assignments_place ON role_assignments(place_id, role);
