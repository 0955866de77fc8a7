-- Covering indexes for the scoped aggregates and lists measured in bench/.
CREATE INDEX places_path_kind ON places(path, kind);
CREATE INDEX household_members_path_resident ON household_members(path, resident_id);
CREATE INDEX needs_path_status ON needs(path, status);
