-- Up Migration

-- Ledger account rows are small and updated on every posting: packed 100 to a page, the shared
-- accounts and hundreds of customers' accounts sat on a handful of pages, and every posting's
-- UPDATE queued for the same page locks as every other's. A low fill factor spreads new rows over
-- more pages and leaves each page room for its rows' HOT updates (new versions on the same page,
-- no index writes). Existing rows move as they are next updated; a VACUUM FULL would move them now.
ALTER TABLE ledger_accounts SET (fillfactor = 10);

-- Down Migration
ALTER TABLE ledger_accounts RESET (fillfactor);
