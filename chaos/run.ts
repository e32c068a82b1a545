/**
 * `npm run chaos`: faults under load (see run-chaos.ts). Settings of this script only:
 * CHAOS_ROUNDS (2: each fault kind injected that many times), CHAOS_INTERVAL_SECONDS (6: load
 * between faults), CHAOS_CUSTOMERS (6), CHAOS_DRAIN_SECONDS (120: how long the end may take to
 * settle), CHAOS_KEEP_LOGS (keep the processes' logs). Prints `RESULT {json}` last and exits 1 on
 * any violated invariant, a lost or duplicated write, or a fault kind not injected enough.
 */
import { loadavg } from 'node:os';
import { runChaos } from './run-chaos.ts';

function setting(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, not ${raw}`);
  return value;
}

const result = await runChaos({
  rounds: setting('CHAOS_ROUNDS', 2),
  intervalSeconds: setting('CHAOS_INTERVAL_SECONDS', 6, 0),
  customers: setting('CHAOS_CUSTOMERS', 6),
  drainSeconds: setting('CHAOS_DRAIN_SECONDS', 120),
  log: (line) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`),
});
console.log(`RESULT ${JSON.stringify({ ...result, loadAverage: loadavg().map((value) => Math.round(value * 100) / 100) })}`);
process.exit(result.ok ? 0 : 1);
