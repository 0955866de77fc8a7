-- Orders go to a body and, within it, to a person (派单到人): who handles the
-- order now. Set when it is dispatched to someone, taken by the one who starts
-- it, or handed to a colleague; what is unassigned is every handler's to take.
ALTER TABLE work_orders ADD COLUMN assignee_id BIGINT REFERENCES users(id);
CREATE INDEX work_orders_assignee ON work_orders(assignee_id, status);
