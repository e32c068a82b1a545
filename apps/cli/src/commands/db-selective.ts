import { rm } from 'node:fs/promises';
import { applyRows, DomainError, diffRows, type RestorePlan, type RowDiff, type RowSelection, restoreBackup } from '@drop/core';
import { createPool, type Db } from '@drop/db';
import type { Services } from '@drop/services';
import { migrateDatabase } from '@drop/worker';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';
import { reportingDomainErrors } from './users.ts';

interface SelectionOptions {
  from?: string;
  backup?: string;
  table: string;
  where?: string;
  ids?: string;
  limit?: string;
  json?: boolean;
}

function selectionOf(options: SelectionOptions): RowSelection {
  if (options.where !== undefined && options.where.trim() === '') throw new DomainError('VALIDATION_FAILED', '--where is empty.');
  const ids = options.ids
    ?.split(/[\s,]+/)
    .map((id) => id.trim())
    .filter(Boolean);
  if (options.ids !== undefined && (ids?.length ?? 0) === 0) throw new DomainError('VALIDATION_FAILED', '--ids names no id.');
  const limit = options.limit === undefined ? undefined : Number(options.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new DomainError('VALIDATION_FAILED', '--limit is a whole number of rows, at least 1.');
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(options.table))
    throw new DomainError('VALIDATION_FAILED', `--table ${options.table} is not a table name.`);
  return { table: options.table, where: options.where, ids, limit };
}

/** The restored database's name for the audit log and the output: host and database, never the password. */
function describeSource(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DomainError('VALIDATION_FAILED', '--from is not a postgres:// URL.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DomainError('VALIDATION_FAILED', '--from is not a postgres:// URL.');
  }
  return `${parsed.host}${parsed.pathname}`;
}

/**
 * The database to compare with: `--from URL` (restored aside already), or `--backup ID` restored
 * aside now with `drop db restore`'s own restoreBackup (a physical backup into a scratch cluster,
 * a logical one into a new database on the live server), removed again afterwards.
 */
async function withSource<T>(
  ctx: CliContext,
  services: Services,
  options: SelectionOptions,
  work: (restored: Db, source: string) => Promise<T>,
): Promise<T> {
  if (options.from) {
    const from = options.from;
    return withRestored(from, (restored) => work(restored, describeSource(from)));
  }
  const live = new URL(services.database.ownerUrl);
  const restored = await restoreBackup({
    repoDir: ctx.config.backup.dir,
    backupId: options.backup,
    user: decodeURIComponent(live.username || 'postgres'),
    password: live.password ? decodeURIComponent(live.password) : undefined,
    serverUrl: services.database.ownerUrl,
    migrate: (pool) => migrateDatabase(pool, ctx.logger),
    log: (message) => ctx.logger.info(message),
  }).catch((error: Error & { code?: string }) => {
    throw new DomainError('NOT_FOUND', `${error.code ? `${error.code}: ` : ''}${error.message}`);
  });
  try {
    return await withRestored(restored.url, (db) => work(db, `backup ${restored.backup.id}`));
  } finally {
    await restored.stop();
    if (restored.dataDir) await rm(restored.dataDir, { recursive: true, force: true });
    if (restored.kind === 'logical') {
      const database = new URL(restored.url).pathname.slice(1);
      await services.db.query(`DROP DATABASE IF EXISTS "${database.replaceAll('"', '""')}" WITH (FORCE)`).catch(() => undefined);
    }
  }
}

function checkSource(options: SelectionOptions): void {
  if ((options.from === undefined) === (options.backup === undefined)) {
    throw new DomainError('VALIDATION_FAILED', 'Name the restored data with exactly one of --from URL and --backup ID.');
  }
  if (options.from !== undefined) describeSource(options.from);
}

async function withRestored<T>(url: string, work: (restored: Db) => Promise<T>): Promise<T> {
  const restored = createPool({ url, max: 2, connectTimeoutMs: 10_000, statementTimeoutMs: 600_000, applicationName: 'drop-cli-restore' });
  try {
    await restored.query('SELECT 1').catch((error: Error) => {
      throw new DomainError('SERVICE_UNAVAILABLE', `Cannot reach the restored database: ${error.message}`);
    });
    return await work(restored);
  } finally {
    await restored.end().catch(() => undefined);
  }
}

const show = (value: unknown) => (value === null ? 'NULL' : typeof value === 'string' ? value : JSON.stringify(value));

function printDiff(diff: RowDiff): void {
  const c = diff.counts;
  console.log(
    `${diff.table}: ${c.restored} row(s) chosen in the restored database, ${c.live} live — ${c.missingInLive} missing in live, ${c.changed} changed, ${c.onlyInLive} only in live, ${c.same} the same.`,
  );
  if (diff.onlyLiveColumns.length + diff.onlyRestoredColumns.length > 0) {
    console.log(
      `Schema differs: only live ${diff.onlyLiveColumns.join(', ') || '-'}; only restored ${diff.onlyRestoredColumns.join(', ') || '-'}.`,
    );
  }
  for (const row of diff.missingInLive) console.log(`missing in live  ${row.key}`);
  for (const row of diff.changed) {
    console.log(`changed          ${row.key}`);
    for (const d of row.differences) console.log(`    ${d.column}: live ${show(d.live)}  restored ${show(d.restored)}`);
  }
  for (const row of diff.onlyInLive) console.log(`only in live     ${row.key}`);
}

function printPlan(plan: RestorePlan): void {
  const c = plan.counts;
  console.log(
    plan.dryRun
      ? `Dry run (nothing changed; add --apply): ${plan.table}: ${c.insert} to insert, ${c.update} to update, ${c.refuse} refused, ${c.keep} kept as live.`
      : `Applied to ${plan.table}: ${c.applied} row(s) changed, ${c.skipped} skipped, ${c.refuse} refused, ${c.keep} kept as live. Audited.`,
  );
  for (const action of plan.actions) {
    const detail = [
      action.columns ? `set ${action.columns.join(', ')}` : '',
      action.leftAsLive ? `left as live: ${action.leftAsLive.join(', ')}` : '',
      action.outcome ?? '',
      action.kind === 'refuse' || action.outcome === 'skipped' || action.kind === 'keep' ? (action.reason ?? '') : '',
    ].filter(Boolean);
    console.log(`${action.kind.padEnd(7)} ${action.key}${detail.length > 0 ? `  ${detail.join('; ')}` : ''}`);
  }
  if (c.refuse > 0 || plan.actions.some((action) => action.leftAsLive)) console.log(`Rule for ${plan.table}: ${plan.rule}`);
}

/**
 * `drop db diff` and `drop db apply`: the DR runbook's scenario 3 (selective restore). A backup is
 * restored aside (`drop db restore` into a new database, or any copy); these compare chosen rows
 * with live data and bring back only what Drop's rules allow (packages/core/src/ops/selective-restore).
 */
export function registerDbSelective(program: Command, context: () => CliContext): void {
  const db = program.commands.find((command) => command.name() === 'db') ?? program.command('db');
  const selectionOptions = (command: Command) =>
    command
      .option('--from <url>', 'the database restored aside (postgres://…)')
      .option('--backup <id>', 'or a backup of `drop db backups`, restored aside for this command and removed afterwards')
      .requiredOption('--table <name>', 'the table to compare (users, transactions, recipients, …)')
      .option('--where <sql>', 'choose rows by a condition, run read-only on both sides (e.g. "deleted_at IS NOT NULL")')
      .option('--ids <ids>', 'choose rows by primary key, comma-separated')
      .option('--limit <rows>', 'refuse selections larger than this (default 50000)')
      .option('--json', 'print the result as JSON');

  selectionOptions(
    db
      .command('diff')
      .description('Compare chosen rows of a database restored aside with live data (DR scenario 3): missing, changed, only live'),
  ).action(async (options: SelectionOptions) => {
    await reportingDomainErrors(async () => {
      const selection = selectionOf(options);
      checkSource(options);
      const ctx = context();
      const { source, diff } = await withServices(ctx, (services) =>
        withSource(ctx, services, options, async (restored, source) => ({
          source,
          diff: await diffRows(services.db, restored, selection),
        })),
      );
      if (options.json) console.log(JSON.stringify({ source, ...diff }, null, 2));
      else printDiff(diff);
    });
  });

  selectionOptions(
    db
      .command('apply')
      .description(
        'Bring chosen rows back from a database restored aside, under Drop’s rules (no key collisions, ledger by postings only, audited); a dry run unless --apply',
      )
      .option('--apply', 'change the live database (otherwise only the plan is shown)'),
  ).action(async (options: SelectionOptions & { apply?: boolean }) => {
    await reportingDomainErrors(async () => {
      const selection = selectionOf(options);
      checkSource(options);
      const ctx = context();
      const { source, plan } = await withServices(ctx, (services) =>
        withSource(ctx, services, options, async (restored, source) => ({
          source,
          plan: await applyRows(services.db, restored, selection, { apply: options.apply === true, actor: ctx.actor, source }),
        })),
      );
      if (options.json) console.log(JSON.stringify({ source, ...plan }, null, 2));
      else printPlan(plan);
    });
  });
}
