-- Lookups that read a whole table once it holds millions of rows.
-- A unit's latest visits, the staff search without a day (a hospital's visits grow by the thousand a day).
CREATE INDEX visits_unit_recent ON authencode.visits (hcode, service_at DESC, id DESC);
-- The sweeper's spent counters and used card-read ids, every minute in every process.
CREATE INDEX rate_limits_window ON authencode.rate_limits (window_start);
CREATE INDEX card_read_uses_expires ON authencode.card_read_uses (expires_at);
