-- Up Migration

-- Issue 15 item 8: Drop measures its own service level (packages/core/src/ops/sla/).
--
-- One row per health probe of each server's HealthMonitor (every HEALTH_MONITOR_INTERVAL_MS,
-- 5 s by default). The server buffers them in memory and writes them in one statement every few
-- seconds; while the database is down the buffer keeps them (bounded) and writes them when it is
-- back, so the probes that failed are what records the outage. A server that died meanwhile
-- leaves a gap, and the report counts a gap in every instance's probes as downtime.
-- instance_id is per process (host, pid, a random part), so a restart never overwrites a row.
CREATE TABLE availability_samples (
  sampled_at    timestamptz NOT NULL,
  instance_id   text        NOT NULL CHECK (length(instance_id) BETWEEN 1 AND 200),
  status        text        NOT NULL CHECK (status IN ('ok', 'down')),
  db_latency_ms real        CHECK (db_latency_ms >= 0),
  -- The probe interval then: a probe vouches for this long, so longer intervals leave no false gaps.
  interval_ms   integer     NOT NULL CHECK (interval_ms > 0),
  -- The health check's own words for a failed probe ('connection refused', 'timeout', …): no host names.
  error         text,
  CHECK ((status = 'ok') = (db_latency_ms IS NOT NULL)),
  PRIMARY KEY (sampled_at, instance_id)
);
-- The failed probes (few): the report reads their instances and errors without sorting a month.
CREATE INDEX availability_samples_down_idx ON availability_samples (sampled_at) WHERE status = 'down';

-- Requests per minute and instance (never one row per request): the server counts in memory and
-- upserts each minute's running totals (the row is the minute's whole count, so writing it again
-- after a lost answer changes nothing). latency_buckets counts requests per fixed latency bucket
-- (LATENCY_BUCKET_BOUNDS_MS in packages/contracts/src/sla.ts: 27 upper bounds from 1 ms to 30 s
-- and one bucket above), so histograms add up across instances and minutes and p99 is read from
-- the sum. Requests are the API's (/api/…), without the health check, which the samples cover.
CREATE TABLE request_stats (
  minute          timestamptz NOT NULL CHECK (extract(second FROM minute) = 0),
  instance_id     text        NOT NULL CHECK (length(instance_id) BETWEEN 1 AND 200),
  requests        integer     NOT NULL CHECK (requests >= 0),
  errors_5xx      integer     NOT NULL CHECK (errors_5xx >= 0),
  errors_4xx      integer     NOT NULL CHECK (errors_4xx >= 0),
  latency_buckets integer[]   NOT NULL CHECK (cardinality(latency_buckets) = 28 AND array_ndims(latency_buckets) = 1),
  CHECK (errors_5xx + errors_4xx <= requests),
  PRIMARY KEY (minute, instance_id)
);

-- Kept 400 days by the retention job (packages/core/src/privacy/apply-retention.ts), like every
-- other rule: operational figures with no personal data, kept long enough to compare a month
-- with the same month a year before.
INSERT INTO retention_rules (code, applies_to, keep_for, counted_from, action, legal_basis, enforced_by) VALUES
  ('sla_statistics',
   'Health probes (availability_samples) and per-minute request counts and latency histograms (request_stats) behind '
   || 'the monthly SLA report. No personal data.',
   interval '400 days', 'the probe''s time, or the minute counted',
   'delete',
   'Operational records, not personal data: kept a year and a month so a month compares with the same month a year '
   || 'before (runbook 3.3, monthly SLA review), then deleted.',
   'job');

-- Down Migration

DELETE FROM retention_rules WHERE code = 'sla_statistics';
DROP TABLE IF EXISTS request_stats;
DROP TABLE IF EXISTS availability_samples;
