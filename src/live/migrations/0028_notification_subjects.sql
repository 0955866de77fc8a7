-- Notices counted by what they are about (a renovation's publicity notice:
-- sent to how many, read by how many).
CREATE INDEX notifications_subject ON notifications(subject_type, subject_id, read_at);
