-- Text the server writes on a timeline is stored as a message key with its
-- parameters and rendered in the reader's language; `note` keeps what a
-- person wrote. Earlier entries keep their text in `note`.
ALTER TABLE wo_events ADD COLUMN note_key TEXT;
ALTER TABLE wo_events ADD COLUMN note_params TEXT;
