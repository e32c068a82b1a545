import { DEFAULT_ROTATION_PERIOD_DAYS, rotateSigningKey, secretRotationStatus } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

export function registerSecrets(program: Command, context: () => CliContext): void {
  const secrets = program.command('secrets').description('Secrets and keys (operational runbook 5)');

  secrets
    .command('rotate-jwt')
    .description(
      'Rotate the session signing key. The old key keeps verifying until its sessions expire, so nobody is logged out. ' +
        "Writes the runbook's secret_rotated audit row.",
    )
    .option('--emergency', 'the key leaked: retire every old key at once and end every session')
    .action(async (options: { emergency?: boolean }) => {
      const ctx = context();
      const result = await withServices(ctx, (services) =>
        rotateSigningKey(services.db, {
          envSecret: ctx.config.auth.jwtSecret,
          dataEncryptionKey: ctx.config.auth.dataEncryptionKey,
          sessionLifetimeSeconds: ctx.config.auth.sessionMaxLifetimeSeconds,
          emergency: Boolean(options.emergency),
          actor: ctx.actor,
        }),
      );
      console.log(`New signing key ${result.kid} is active (replaced ${result.previousKid}).`);
      if (result.emergency) {
        console.log(`Emergency rotation: every earlier key is retired and ${result.sessionsRevoked} session(s) ended.`);
      } else {
        console.log(
          `${result.previousKid} keeps verifying existing sessions until ${result.verifyUntil?.toISOString()}; nobody is logged out.`,
        );
      }
      console.log('Servers pick the new key up within seconds. Audit row: secret_rotated.');
    });

  secrets
    .command('status')
    .description(
      `Runbook 3.3's monthly check: each secret's last rotation, age and due date (every ${DEFAULT_ROTATION_PERIOD_DAYS} days unless ` +
        'configured otherwise), from the signing keys and the secret_rotated audit rows; "unknown" when Drop has no record. Exits 1 when any is overdue.',
    )
    .option('--json', 'as JSON')
    .action(async (options: { json?: boolean }) => {
      const rows = await withServices(context(), (services) => secretRotationStatus(services.db));
      if (options.json) {
        console.log(JSON.stringify(rows, null, 2));
      } else {
        for (const row of rows) {
          const last = row.lastRotatedAt ? `${row.lastRotatedAt.toISOString()} (${row.ageDays} days ago, ${row.source})` : 'unknown';
          const due = row.dueAt ? row.dueAt.toISOString() : 'unknown';
          console.log(`${row.secret.padEnd(20)} ${row.state.padEnd(8)} last rotated ${last}; every ${row.periodDays} days; due ${due}`);
        }
      }
      if (rows.some((row) => row.state === 'overdue')) process.exitCode = 1;
    });
}
