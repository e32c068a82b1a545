/**
 * Drop's job worker for one step of an API test: started on its own pool, with the Wise simulator
 * the test's server serves as its payout partner, until every queued job has run; then stopped.
 */
import { createPool } from '@drop/db';
import { WisePayoutPartner } from '@drop/integrations';
import { createLogger } from '@drop/observability';
import { startWorker } from '@drop/worker';
import { waitUntil } from './server.ts';

export async function runQueuedJobs(input: { databaseUrl: string; base: string; name: string }): Promise<void> {
  const pool = createPool({
    url: input.databaseUrl,
    max: 4,
    connectTimeoutMs: 5000,
    statementTimeoutMs: 15_000,
    applicationName: input.name,
  });
  const worker = await startWorker({
    db: pool,
    logger: createLogger({ level: 'silent' }),
    notifier: { send: async () => undefined },
    concurrency: 2,
    payoutPartner: new WisePayoutPartner({ baseUrl: `${input.base}/wise-sim`, apiToken: 'simulator-token', profileId: 1001 }),
    pollIntervalMs: 50,
    withCron: false,
  });
  try {
    await waitUntil(async () => (await pool.query('SELECT 1 FROM graphile_worker.jobs')).rowCount === 0, 20_000, 'the queued jobs to run');
  } finally {
    await worker.stop();
    await pool.end();
  }
}
