-- The work-order list sorts the caller's whole scope before taking a page: a
-- covering index over the columns its filters and sorts use lets it do that
-- without reading the orders themselves (measured in bench/: city scale).
CREATE INDEX work_orders_scope ON work_orders(path, created_at, status, category, body, deadline_at);

-- Who uploaded a photo: the same picture (same content, same id) may be
-- uploaded by several people, and each may attach it.
CREATE TABLE photo_uploads (
  photo_id TEXT NOT NULL REFERENCES photos(id),
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (photo_id, user_id)
);
INSERT INTO photo_uploads (photo_id, user_id, created_at)
  SELECT id, uploaded_by, created_at FROM photos WHERE uploaded_by IS NOT NULL;
