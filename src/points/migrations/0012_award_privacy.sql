-- What a by-hand award asked for (its points may be capped to less), so that a
-- retry with the same key and another request is told apart.
ALTER TABLE point_awards ADD COLUMN requested_points BIGINT;

-- An award for an act its doer did not make public (an anonymous report): its
-- public notice names neither the act nor the person's record. Awards made
-- before this column existed are marked from the reports they were paid for.
ALTER TABLE point_awards ADD COLUMN private_event INTEGER NOT NULL DEFAULT 0;
UPDATE point_awards SET private_event = 1, reason = '诉求已核实'
  WHERE event_kind = 'verified_report'
    AND event_id IN (SELECT CAST(id AS TEXT) FROM work_orders WHERE anonymous = 1);
