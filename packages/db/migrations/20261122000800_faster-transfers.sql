-- Up Migration

-- A faster transfer path, from profiling `npm run bench:transfers` (perf on the PostgreSQL
-- backends plus auto_explain of the nested statements; see the issue 5 note). It changed only
-- function bodies (ledger_post, create_transfer), which now live in packages/db/functions; the
-- migration stays so that databases which recorded it keep their migrations in order.

-- Down Migration
