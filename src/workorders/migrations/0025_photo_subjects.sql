-- Photos shown by things of other modules (a topic, a renovation log): the
-- photo is served to whoever may read the thing, asked of the module that
-- answers for its kind (its live topic's authorize).
CREATE TABLE photo_subjects (
  photo_id TEXT NOT NULL REFERENCES photos(id),
  subject_type TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  PRIMARY KEY (photo_id, subject_type, subject_id)
);
CREATE INDEX photo_subjects_subject ON photo_subjects(subject_type, subject_id);
