import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  BackupError,
  type BackupManifest,
  chooseBackup,
  createBackup,
  type DatabaseVerification,
  findBackup,
  latestRestoreVerification,
  listBackups,
  pruneBackups,
  type RestoredDatabase,
  recordAuditEvent,
  recordRestoreVerification,
  restoreBackup,
  verifyDatabase,
} from '@drop/core';
import { createPool, embeddedBinaries, embeddedServerOwner } from '@drop/db';
import { createLogger } from '@drop/observability';
import { migrateDatabase } from '@drop/worker';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

/**
 * `drop db backup | backups | restore | verify`: backups of Drop's database (physical base backup
 * with continuous WAL archiving, and a logical dump), their catalogue, restores into a NEW cluster or
 * database (point in time with --to), and the checks that a restored database is sound. The
 * mechanisms and the repository layout are described in packages/core/src/ops/backup/repository.ts.
 * Bad input prints `CODE: message` and exits 1, changing nothing.
 */
export function registerDbBackup(program: Command, context: () => CliContext): void {
  const db = program.commands.find((command) => command.name() === 'db') ?? program.command('db').description('Database schema and data');

  db.command('backup')
    .description(
      'Take a physical base backup (with continuous WAL archiving: point-in-time recovery) and a logical dump, verify them, prune old ones',
    )
    .option('--logical-only', 'only the logical dump')
    .option('--require-physical', 'fail when a physical backup is impossible (instead of noting why)')
    .option('--no-prune', `keep backups older than BACKUP_RETENTION_DAYS`)
    .option('--test-restore', 'also restore the new physical backup into a scratch cluster, verify it, record the result, and remove it')
    .option('--json', 'print the result as JSON')
    .action(
      async (options: { logicalOnly?: boolean; requirePhysical?: boolean; prune: boolean; testRestore?: boolean; json?: boolean }) => {
        await reportingBackupErrors(async () => {
          const ctx = context();
          const repoDir = ctx.config.backup.dir;
          let liveUrl = '';
          const result = await withServices(ctx, async (services) => {
            liveUrl = services.database.ownerUrl;
            const created = await createBackup({
              url: services.database.ownerUrl,
              repoDir,
              physical: options.logicalOnly ? 'skip' : options.requirePhysical ? 'require' : 'auto',
            });
            // An empty, never migrated database has no audit log to record in.
            const audited = (await services.db.query<{ t: string | null }>(`SELECT to_regclass('public.audit_log')::text AS t`)).rows[0]?.t;
            for (const backup of audited ? created.backups : []) {
              await recordAuditEvent(services.db, {
                action: 'database_backup_taken',
                resourceType: 'backup',
                resourceId: backup.id,
                actor: ctx.actor,
                details: { kind: backup.kind, sizeBytes: backup.sizeBytes, verified: backup.verifiedAt !== null },
              });
            }
            return created;
          });
          const physical = result.backups.find((backup) => backup.kind === 'physical');
          const testRestore = options.testRestore && physical ? await testRestoreOf(repoDir, physical.id, new URL(liveUrl)) : null;
          if (options.testRestore && !physical) result.notes.push('No test restore: there is no new physical backup.');
          const pruned = options.prune ? await pruneBackups({ repoDir, retentionDays: ctx.config.backup.retentionDays }) : null;
          if (options.json) {
            console.log(
              JSON.stringify(
                { backups: result.backups.map(({ manifest: _m, ...entry }) => entry), notes: result.notes, testRestore, pruned },
                null,
                2,
              ),
            );
          } else {
            for (const backup of result.backups) {
              console.log(
                `${backup.id}  ${backup.kind.padEnd(8)}  ${formatSize(backup.sizeBytes)}  ${backup.verifiedAt ? 'verified' : 'NOT VERIFIED'}  ${backup.dir}`,
              );
            }
            for (const note of result.notes) console.log(note);
            if (testRestore) {
              console.log(
                `Test restore of ${testRestore.backupId}: ${testRestore.ok ? 'verified' : 'FAILED verification'} in ${(testRestore.durationMs / 1000).toFixed(1)} s.`,
              );
            }
            if (pruned && (pruned.removedBackups.length > 0 || pruned.removedWalFiles > 0)) {
              console.log(
                `Retention ${ctx.config.backup.retentionDays} days: removed ${pruned.removedBackups.length} backup(s) and ${pruned.removedWalFiles} WAL file(s).`,
              );
            }
          }
          if (result.backups.some((backup) => backup.verifiedAt === null) || result.backups.length === 0 || testRestore?.ok === false)
            process.exitCode = 1;
        });
      },
    );

  db.command('backups')
    .description('List the backups in BACKUP_DIR with age, size and verification, and the last verified restore')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const repoDir = ctx.config.backup.dir;
      const now = Date.now();
      const backups = (await listBackups(repoDir)).map(({ manifest, ...entry }) => ({
        ...entry,
        ageSeconds: Math.round((now - new Date(entry.finishedAt).getTime()) / 1000),
        lastTransaction: manifest.lastTransaction,
      }));
      const restore = await latestRestoreVerification(repoDir);
      if (options.json) {
        console.log(JSON.stringify({ repository: path.resolve(repoDir), backups, latestRestoreVerification: restore }, null, 2));
        return;
      }
      if (backups.length === 0) {
        console.log(`No backups in ${path.resolve(repoDir)} (take one with \`drop db backup\`).`);
        return;
      }
      console.log(`${'ID'.padEnd(24)}  ${'KIND'.padEnd(8)}  ${'AGE'.padStart(8)}  ${'SIZE'.padStart(9)}  VERIFIED`);
      for (const backup of backups) {
        console.log(
          `${backup.id.padEnd(24)}  ${backup.kind.padEnd(8)}  ${formatAge(backup.ageSeconds).padStart(8)}  ${formatSize(backup.sizeBytes).padStart(9)}  ${backup.verifiedAt ?? 'no'}${backup.hold ? `  ON HOLD (${backup.hold.reason})` : ''}`,
        );
      }
      console.log(
        restore ? `Last verified restore: ${restore.backupId} at ${restore.verifiedAt} (${restore.source}).` : 'No restore verified yet.',
      );
    });

  db.command('restore')
    .description(
      'Restore a backup into a NEW cluster (physical, with --to for point-in-time) or a NEW database (logical), verify it, and print how to use it',
    )
    .argument('[backupId]', 'the backup (drop db backups); default the newest physical backup before --to')
    .option('--to <timestamp>', 'recover to this moment (ISO 8601, e.g. 2026-12-06T14:05:00Z); default the end of the archived WAL')
    .option('--data-dir <dir>', 'physical: the new data directory (default next to BACKUP_DIR, under restores/)')
    .option('--port <port>', 'physical: the port of the restored cluster (default a free one)')
    .option('--database <name>', 'logical: the new database (default drop_restore_<time>)')
    .option('--over-live', 'replace the live embedded database with the restore (its data directory is kept aside)')
    .option('--yes-really-overwrite-live', 'the second confirmation --over-live needs')
    .option('--json', 'print the result as JSON')
    .action(async (backupId: string | undefined, options: RestoreFlags) => {
      await reportingBackupErrors(async () => {
        const ctx = context();
        const repoDir = ctx.config.backup.dir;
        const to = options.to === undefined ? undefined : parseTime(options.to);
        const port = options.port === undefined ? undefined : parsePort(options.port);
        if (options.overLive || options.yesReallyOverwriteLive) {
          if (!options.overLive || !options.yesReallyOverwriteLive) {
            throw new BackupError(
              'OVERWRITE_NEEDS_CONFIRMATION',
              'Restoring over the live database needs both --over-live and --yes-really-overwrite-live; without them a restore goes into a new cluster or database.',
            );
          }
          if (ctx.config.database.url) {
            throw new BackupError(
              'OVERWRITE_EXTERNAL_REFUSED',
              'Drop replaces only its embedded database; for DATABASE_URL (e.g. RDS) restore aside and point DATABASE_URL at it (drop aws … for RDS).',
            );
          }
        }
        const backup = await chooseBackup(repoDir, { backupId, to });
        const live = ctx.config.database.url
          ? new URL(ctx.config.database.ownerUrl ?? ctx.config.database.url)
          : new URL(embeddedUrl(ctx.config.database.embedded.port));
        let restored: RestoredDatabase;
        let asideDir: string | null = null;
        if (options.overLive) {
          if (backup.kind !== 'physical')
            throw new BackupError('OVERWRITE_NEEDS_PHYSICAL', 'Only a physical backup replaces the live embedded cluster.');
          const dataDir = path.resolve(ctx.config.database.embedded.dir);
          const { pg_ctl } = await embeddedBinaries();
          if (existsSync(path.join(dataDir, 'postmaster.pid'))) await runAsServer(pg_ctl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
          asideDir = `${dataDir}.replaced-${new Date().toISOString().replace(/[-:.]/g, '')}`;
          if (existsSync(dataDir)) await rename(dataDir, asideDir);
          restored = await restoreBackup({
            repoDir,
            backupId: backup.id,
            to,
            dataDir,
            port: ctx.config.database.embedded.port,
            user: live.username,
            password: decodeURIComponent(live.password),
          });
        } else {
          restored = await restoreBackup({
            repoDir,
            backupId: backup.id,
            to,
            dataDir: options.dataDir,
            port,
            user: decodeURIComponent(live.username),
            password: decodeURIComponent(live.password),
            serverUrl:
              ctx.config.database.ownerUrl ?? ctx.config.database.url ?? embeddedUrl(ctx.config.database.embedded.port, 'postgres'),
            database: options.database,
            migrate: (pool) => migrateDatabase(pool, createLogger({ level: 'silent' })),
          });
        }
        const verification = await verifyUrl(restored.url, backup.manifest, restored.kind === 'logical' ? 'exact' : 'at-least');
        await recordRestoreVerification(repoDir, {
          backupId: backup.id,
          target: restored.target,
          restoredAt: new Date(Date.now() - restored.durationMs).toISOString(),
          verifiedAt: verification.checkedAt,
          ok: verification.ok,
          source: 'drop db restore',
          details: { kind: restored.kind, durationMs: restored.durationMs, recoveredTo: restored.recoveredTo, url: redact(restored.url) },
        });
        // Audited in the live database (after --over-live, the restored one is the live one). A
        // live database that is down (the reason for many restores) only costs a note.
        const auditEvent = {
          action: 'database_restored' as const,
          resourceType: 'backup',
          resourceId: backup.id,
          actor: ctx.actor,
          details: { kind: restored.kind, target: restored.target, overLive: Boolean(options.overLive), verified: verification.ok },
        };
        const auditNote = await recordRestoreAudit(options.overLive ? restored.url : null, ctx, auditEvent);
        if (options.overLive) await restored.stop();
        if (auditNote) console.error(auditNote);
        if (options.json) {
          console.log(JSON.stringify({ ...describeRestore(restored), verification, replacedDataDirKeptAt: asideDir }, null, 2));
        } else {
          printRestore(restored, verification, asideDir);
        }
        if (!verification.ok) process.exitCode = 1;
      });
    });

  db.command('verify')
    .description(
      "Check a database: ledger invariants, audit chain, row counts against a backup's manifest, the last transfer of the backup present",
    )
    .option('--url <url>', "the database to check (default Drop's own)")
    .option('--backup <id>', 'compare with this backup (default the newest backup, if any)')
    .option('--exact', 'row counts must equal the manifest (a logical restore, untouched since)')
    .option('--expect-transaction <id...>', 'transfers that must be present')
    .option('--json', 'print the report as JSON')
    .action(async (options: { url?: string; backup?: string; exact?: boolean; expectTransaction?: string[]; json?: boolean }) => {
      await reportingBackupErrors(async () => {
        const ctx = context();
        const repoDir = ctx.config.backup.dir;
        if (options.url !== undefined && !/^postgres(ql)?:\/\//.test(options.url)) {
          throw new BackupError('BAD_URL', `--url must be a postgres:// connection string, not ${options.url}.`);
        }
        const manifest = options.backup
          ? (await findBackup(repoDir, options.backup)).manifest
          : ((await listBackups(repoDir)).at(-1)?.manifest ?? null);
        const verifyOptions = {
          manifest,
          rowCounts: options.exact ? ('exact' as const) : ('at-least' as const),
          expectTransactionIds: options.expectTransaction,
        };
        const report = options.url
          ? await verifyUrl(options.url, verifyOptions.manifest, verifyOptions.rowCounts, verifyOptions.expectTransactionIds)
          : await withServices(ctx, (services) => verifyDatabase(services.db, verifyOptions));
        if (options.json) console.log(JSON.stringify(report, null, 2));
        else {
          for (const check of report.checks) console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}  ${JSON.stringify(check.detail)}`);
          console.log(
            report.ok ? `Database verified${report.backupId ? ` against ${report.backupId}` : ''}.` : 'Database verification FAILED.',
          );
        }
        if (!report.ok) process.exitCode = 1;
      });
    });
}

/**
 * The restore test of a new physical backup: restored (to the end of the archive) into a scratch
 * cluster next to the others, verified against its manifest, recorded in the repository like any
 * verified restore, then stopped and removed.
 */
async function testRestoreOf(repoDir: string, backupId: string, live: URL): Promise<{ backupId: string; ok: boolean; durationMs: number }> {
  const dataDir = path.join(path.dirname(path.resolve(repoDir)), 'restores', `test-${backupId}`);
  // The restored cluster has the backed-up cluster's roles: connect as Drop does to the live one.
  const restored = await restoreBackup({
    repoDir,
    backupId,
    dataDir,
    user: decodeURIComponent(live.username),
    password: decodeURIComponent(live.password),
  });
  try {
    const verification = await verifyUrl(restored.url, restored.backup.manifest, 'at-least');
    await recordRestoreVerification(repoDir, {
      backupId,
      target: null,
      restoredAt: new Date(Date.now() - restored.durationMs).toISOString(),
      verifiedAt: verification.checkedAt,
      ok: verification.ok,
      source: 'drop db backup --test-restore',
      details: { kind: 'physical', durationMs: restored.durationMs, recoveredTo: restored.recoveredTo },
    });
    return { backupId, ok: verification.ok, durationMs: restored.durationMs };
  } finally {
    await restored.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function recordRestoreAudit(
  url: string | null,
  ctx: CliContext,
  event: Parameters<typeof recordAuditEvent>[1],
): Promise<string | null> {
  try {
    if (url) {
      const pool = createPool({ url, max: 1, connectTimeoutMs: 5000, statementTimeoutMs: 15_000, applicationName: 'drop-restore' });
      await recordAuditEvent(pool, event).finally(() => pool.end());
    } else {
      await withServices(ctx, (services) => recordAuditEvent(services.db, event));
    }
    return null;
  } catch (error) {
    return `Note: the restore could not be recorded in the live database's audit log (${(error as Error).message}).`;
  }
}

interface RestoreFlags {
  to?: string;
  dataDir?: string;
  port?: string;
  database?: string;
  overLive?: boolean;
  yesReallyOverwriteLive?: boolean;
  json?: boolean;
}

const EMBEDDED_CREDENTIALS = 'drop:drop-embedded';

function embeddedUrl(port: number, database = 'drop'): string {
  return `postgres://${EMBEDDED_CREDENTIALS}@127.0.0.1:${port}/${database}`;
}

async function verifyUrl(
  url: string,
  manifest: BackupManifest | null,
  rowCounts: 'exact' | 'at-least',
  expectTransactionIds?: string[],
): Promise<DatabaseVerification> {
  const pool = createPool({ url, max: 2, connectTimeoutMs: 5000, statementTimeoutMs: 600_000, applicationName: 'drop-verify' });
  try {
    return await verifyDatabase(pool, { manifest, rowCounts, expectTransactionIds });
  } finally {
    await pool.end();
  }
}

async function runAsServer(file: string, args: string[]): Promise<void> {
  const owner = await embeddedServerOwner();
  await new Promise<void>((resolve, reject) =>
    execFile(file, args, { ...(owner ?? {}) }, (error, _stdout, stderr) =>
      error ? reject(new Error(stderr || error.message)) : resolve(),
    ),
  );
}

function parseTime(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new BackupError('BAD_TIMESTAMP', `--to must be an ISO 8601 time such as 2026-12-06T14:05:00Z, not ${value}.`);
  }
  if (date.getTime() > Date.now()) throw new BackupError('BAD_TIMESTAMP', `--to ${value} is in the future.`);
  return date;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1024 || port > 65535)
    throw new BackupError('BAD_PORT', `--port must be a number from 1024 to 65535, not ${value}.`);
  return port;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function describeRestore(restored: RestoredDatabase) {
  return {
    backupId: restored.backup.id,
    kind: restored.kind,
    url: restored.url,
    target: restored.target,
    recoveredTo: restored.recoveredTo,
    dataDir: restored.dataDir,
    port: restored.port,
    logFile: restored.logFile,
    durationMs: restored.durationMs,
  };
}

function printRestore(restored: RestoredDatabase, verification: DatabaseVerification, asideDir: string | null): void {
  console.log(
    `Restored ${restored.backup.id} (${restored.kind}) in ${(restored.durationMs / 1000).toFixed(1)} s${restored.target ? `, to ${restored.target}` : ''}${restored.recoveredTo ? `; last transaction replayed: ${restored.recoveredTo}` : ''}.`,
  );
  for (const check of verification.checks) console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}`);
  if (asideDir) {
    console.log(`The live embedded database was replaced; its previous data directory is kept at ${asideDir}. Start Drop as usual.`);
    return;
  }
  if (restored.kind === 'physical') {
    console.log(`The restored cluster runs on port ${restored.port} with data in ${restored.dataDir} (log ${restored.logFile}).`);
    console.log(`Point Drop at it:  DATABASE_URL='${restored.url}' npm start`);
    console.log(
      `Stop it:           pg_ctl -D ${restored.dataDir} stop   (pg_ctl of the embedded binaries${process.getuid?.() === 0 ? ', as user postgres' : ''})`,
    );
  } else {
    console.log(`Point Drop at it:  DATABASE_URL='${restored.url}' npm start`);
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}

/** A refusal is printed as `CODE: message` and exits 1. */
async function reportingBackupErrors(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(`${error.code}: ${error.message}`);
    process.exitCode = 1;
  }
}
