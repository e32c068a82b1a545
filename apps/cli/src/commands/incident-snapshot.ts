import { type BackupEntry, BackupError, createBackup, DomainError, findBackup, recordAuditEvent, setBackupHold } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';
import { type Common, common, rdsSnapshotAction, type Waiting, waitable } from './aws.ts';

/**
 * `drop incident snapshot`: DR scenario 5, step 5 ("take forensic snapshot"), for both places Drop's
 * data lives. Locally, a backup of Drop's database (the physical base backup when the server allows
 * it, and always the self-contained logical dump) put on hold, so the 7-day retention never removes
 * the evidence; on AWS, the RDS forensic snapshot `drop-db-incident-YYYYMMDD-HHMM`. Either half can
 * be left out (`--no-local`, `--no-aws`), and `--dry-run` says what would be taken. Audited.
 *
 * `drop db hold BACKUP_ID --reason … | --release` puts any backup on hold or releases it.
 */
export function registerIncidentSnapshot(program: Command, context: () => CliContext): void {
  const incident =
    program.commands.find((command) => command.name() === 'incident') ?? program.command('incident').description('Security incidents');

  common(waitable(incident.command('snapshot')))
    .description(
      "DR scenario 5 step 5: preserve the evidence. A local backup of Drop's database on hold (retention keeps it) and the RDS forensic snapshot",
    )
    .option('--reason <text>', 'why (kept with the hold and in the audit log)', 'security incident')
    .option('--no-local', 'skip the local backup (RDS snapshot only)')
    .option('--no-aws', 'skip the RDS snapshot (self-run PostgreSQL, or no AWS access)')
    .option('--instance <id>', 'the RDS instance (default AWS_RDS_INSTANCE, drop-db)')
    .action(async (options: Common & Waiting & { reason: string; local: boolean; aws: boolean; instance?: string }) => {
      const reason = options.reason.trim();
      if (!reason) return refuse('VALIDATION_FAILED', '--reason must not be empty.');
      if (!options.local && !options.aws) return refuse('VALIDATION_FAILED', 'Nothing to take: --no-local and --no-aws together.');

      if (options.local) {
        const ctx = context();
        if (options.dryRun) {
          console.log(`Dry run: would back up Drop's database into ${ctx.config.backup.dir} and put it on hold ("${reason}").`);
        } else {
          const held = await takeHeldBackup(ctx, reason).catch((error: unknown) => {
            if (error instanceof BackupError || error instanceof DomainError) {
              refuse(error.code, error.message);
              return null;
            }
            throw error;
          });
          if (held === null) return;
          for (const backup of held) console.log(`Local ${backup.kind} backup ${backup.id} on hold: ${backup.dir}`);
        }
      }
      // The RDS half is `drop aws db forensic-snapshot`: the same names, dry run, waiting and audit row.
      if (options.aws) await rdsSnapshotAction(context, 'incident')(options);
    });

  const db = program.commands.find((command) => command.name() === 'db') ?? program.command('db').description('Database schema and data');
  db.command('hold <backupId>')
    .description('Put a backup on hold (incident evidence: retention keeps it) with --reason, or release the hold with --release')
    .option('--reason <text>', 'why it is kept')
    .option('--release', 'release the hold (retention applies again)')
    .action(async (backupId: string, options: { reason?: string; release?: boolean }) => {
      const ctx = context();
      if (Boolean(options.release) === Boolean(options.reason?.trim())) {
        return refuse('VALIDATION_FAILED', 'Give either --reason (to hold) or --release.');
      }
      const backup = await findBackup(ctx.config.backup.dir, backupId).catch((error: unknown) => {
        if (error instanceof BackupError) return refuse(error.code, error.message);
        throw error;
      });
      if (!backup) return;
      const hold = options.release ? null : { reason: options.reason?.trim() ?? '', since: new Date().toISOString(), by: ctx.actor };
      await setBackupHold(backup, hold);
      await auditIfMigrated(ctx, {
        action: hold ? 'backup_hold_placed' : 'backup_hold_released',
        resourceType: 'backup',
        resourceId: backup.id,
        actor: ctx.actor,
        details: hold ? { reason: hold.reason } : {},
      });
      console.log(hold ? `Backup ${backup.id} is on hold: ${hold.reason}` : `Backup ${backup.id} is no longer on hold.`);
    });
}

async function takeHeldBackup(ctx: CliContext, reason: string): Promise<BackupEntry[]> {
  return withServices(ctx, async (services) => {
    const created = await createBackup({ url: services.database.ownerUrl, repoDir: ctx.config.backup.dir, physical: 'auto' });
    for (const note of created.notes) console.log(note);
    const since = new Date().toISOString();
    for (const backup of created.backups) {
      await setBackupHold(backup, { reason, since, by: ctx.actor });
      await recordAuditEvent(services.db, {
        action: 'incident_snapshot_taken',
        resourceType: 'backup',
        resourceId: backup.id,
        actor: ctx.actor,
        details: { kind: backup.kind, reason, sizeBytes: backup.sizeBytes, verified: backup.verifiedAt !== null },
      });
    }
    if (created.backups.length === 0) throw new BackupError('NO_BACKUP', 'No backup was taken.');
    return created.backups;
  });
}

async function auditIfMigrated(ctx: CliContext, event: Parameters<typeof recordAuditEvent>[1]): Promise<void> {
  await withServices(ctx, async (services) => {
    const migrated = (await services.db.query<{ t: string | null }>(`SELECT to_regclass('public.audit_log')::text AS t`)).rows[0]?.t;
    if (migrated) await recordAuditEvent(services.db, event);
  });
}

function refuse(code: string, message: string): void {
  console.error(`${code}: ${message}`);
  process.exitCode = 1;
}
