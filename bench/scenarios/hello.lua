-- The ceiling: a constant answer from the network thread, no database.
wrk.path = "/hello"
