import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError, type DrillReport, type RunningDropOnRestore, renderDrillReport, runDrill } from '@drop/core';
import { freePort } from '@drop/db';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';
import { reportingDomainErrors } from './users.ts';

const API_MAIN = fileURLToPath(new URL('../../../api/src/main.ts', import.meta.url));

/**
 * Drop itself (`node apps/api/src/main.ts`, the command `npm start` runs) on the restored
 * database, resolved once `GET /api/health` answers 200 with status ok. It runs as the restored
 * copy needs: no background worker (the copy's queued jobs, payouts and e-mails among them, must
 * never run twice), no Slack alerts of its own, no migrations (the data is checked as restored).
 */
export async function startDropOnRestore(
  databaseUrl: string,
  options: { timeoutMs: number; env?: Record<string, string> },
): Promise<RunningDropOnRestore> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [API_MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: process.env.NODE_ENV === 'production' ? (process.env.PUBLIC_URL ?? base) : base,
      WORKER_MODE: 'off',
      MIGRATE_ON_START: 'false',
      SLACK_WEBHOOK_URL: '',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await exited;
    }
  };
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Drop exited (${child.exitCode ?? child.signalCode}) before it was healthy: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    last = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) })
      .then(async (response) => `${response.status} ${await response.text()}`)
      .catch((error: Error) => error.message);
    if (/^200 .*"status":"ok"/.test(last)) return { stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `Drop on the restored database was not healthy within ${options.timeoutMs} ms (last answer: ${last}; ${stderr.trim().split('\n').slice(-3).join(' | ')})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new DomainError('VALIDATION_FAILED', `${name} is a whole number from ${min} to ${max}.`);
  return value;
}

/**
 * `drop dr drill`: the DR runbook's recoveries performed and measured (packages/core/src/ops/dr):
 * the latest backup and a point in time restored into scratch clusters, verified, brought up as a
 * healthy Drop; RTO and RPO against ten times the runbook's targets; the report in the backup
 * repository and the summary on Slack. Exits 1 when the drill fails.
 */
export function registerDr(program: Command, context: () => CliContext): void {
  const dr = program.command('dr').description('Disaster recovery: drills that prove the runbook’s recoveries and measure RTO and RPO');
  dr.command('drill')
    .description(
      'Restore the latest backup and a point in time into scratch clusters, verify them, start Drop on them, measure RTO and RPO under write load, report (backup repository, Slack)',
    )
    .option('--load-seconds <seconds>', 'seconds of write load before the incident (0: only the latest-backup restore)', '10')
    .option('--writers <n>', 'concurrent writers of the load', '4')
    .option('--health-timeout <seconds>', 'how long Drop on a restored database may take to be healthy', '120')
    .option('--json', 'print the report as JSON')
    .action(async (options: { loadSeconds: string; writers: string; healthTimeout: string; json?: boolean }) => {
      await reportingDomainErrors(async () => {
        const loadSeconds = integer('--load-seconds', options.loadSeconds, 0, 3600);
        const writers = integer('--writers', options.writers, 1, 64);
        const healthTimeoutMs = integer('--health-timeout', options.healthTimeout, 1, 3600) * 1000;
        const ctx = context();
        if (ctx.config.isProduction && loadSeconds > 0) {
          throw new DomainError(
            'VALIDATION_FAILED',
            'The write load creates drill transfers: in production run the drill with --load-seconds 0 (or on a staging copy).',
          );
        }
        const repoDir = ctx.config.backup.dir;
        const report: DrillReport = await withServices(ctx, (services) =>
          runDrill({
            live: services.db,
            liveUrl: services.database.ownerUrl,
            repoDir,
            scratchDir: path.join(path.dirname(path.resolve(repoDir)), 'dr-scratch'),
            startDrop: (url) => startDropOnRestore(url, { timeoutMs: healthTimeoutMs }),
            loadSeconds,
            writers,
            notifier: services.notifier,
            actor: ctx.actor,
            log: (message) => ctx.logger.info(message),
          }),
        );
        if (options.json) console.log(JSON.stringify(report, null, 2));
        else process.stdout.write(renderDrillReport(report));
        if (!report.ok) process.exitCode = 1;
      });
    });
}
