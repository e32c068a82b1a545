import type { HealthReport } from '@drop/contracts';
import type { DbClient } from '@drop/db';

/** The report `GET /api/health` and `drop health` give, shaped by the contract. */
export type { HealthReport } from '@drop/contracts';

function describeDbError(error: unknown): string {
  if (error instanceof Error && error.message === 'timeout') return 'timeout';
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === '57P01' || code === '57P02' || code === '57P03') return 'database shutting down or starting';
  // The raw message can hold host names; operators get the detail from the logs.
  return 'unreachable';
}

/**
 * The health the runbooks read at `GET /api/health`: one real database round trip, timed,
 * with a deadline so a hung connection reports "down" instead of hanging the probe.
 */
export async function checkHealth(
  db: DbClient,
  options: { version: string; startedAt: number; timeoutMs: number; now?: () => number },
): Promise<HealthReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let timer: NodeJS.Timeout | undefined;
  let db_: HealthReport['checks']['db'];
  try {
    await Promise.race([
      db.query('SELECT 1'),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), options.timeoutMs);
      }),
    ]);
    db_ = { status: 'ok', latencyMs: Math.round((now() - started) * 100) / 100 };
  } catch (error) {
    db_ = { status: 'down', latencyMs: null, error: describeDbError(error) };
  } finally {
    clearTimeout(timer);
  }
  return {
    status: db_.status === 'ok' ? 'ok' : 'down',
    version: options.version,
    uptime: Math.floor((Date.now() - options.startedAt) / 1000),
    checks: { db: db_ },
  };
}
