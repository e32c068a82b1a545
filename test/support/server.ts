/** A real Drop server on a free port, against a database the test owns. */
import { loadConfig } from '@drop/config';
import type { OpsNotifier } from '@drop/observability';
import { type RunningDrop, startDrop } from '../../apps/api/src/runtime.ts';

export async function startTestServer(options: {
  databaseUrl: string;
  env?: Record<string, string>;
  notifier?: OpsNotifier;
}): Promise<RunningDrop> {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: options.databaseUrl,
    WORKER_MODE: 'off',
    // Tests drive one customer through dozens of quotes and transfers in a second; the production
    // per-customer limits are tested where they are set to 1 (apps/api/test/rate-limits.test.ts).
    CUSTOMER_RATE_LIMIT_MULTIPLIER: '1000',
    ...options.env,
  });
  return startDrop(config, options.notifier ? { notifier: options.notifier } : {});
}

/** Polls `check` until it returns true, or fails after `timeoutMs`. Tests wait for conditions, not for time. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
