-- Drops the per-day aggregates older than 13 months (the longest window a rule reads is 12
-- months). Returns the number of rows removed. Run daily (the aml_prune_aggregates job).
CREATE OR REPLACE FUNCTION aml_prune_aggregates() RETURNS bigint
LANGUAGE sql
AS $$
  WITH gone AS (
    DELETE FROM aml_customer_daily WHERE day < ((now() AT TIME ZONE 'UTC') - interval '13 months')::date RETURNING 1
  )
  SELECT count(*) FROM gone;
$$;
