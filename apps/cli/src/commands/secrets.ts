import {
  type CredentialStore,
  DbPasswordRotationError,
  DEFAULT_ROTATION_PERIOD_DAYS,
  fileCredentialStore,
  rotateDatabasePassword,
  rotateSigningKey,
  secretRotationStatus,
} from '@drop/core';
import { CredentialsFileError, createPool, type Db, readCredentialsFile, withLogin } from '@drop/db';
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
    .command('rotate-db-password')
    .description(
      "Runbook 5.2 without downtime: Drop's database login alternates between two roles (dropuser and dropuser_clone). " +
        'The role not in use gets a new random password, DATABASE_CREDENTIALS_FILE is switched to it (running pools open new ' +
        "connections with it; open ones carry on), and after the grace period the old role's password is removed. " +
        'With DATABASE_CREDENTIALS_SECRET_ID the login is a Secrets Manager secret instead (a new AWSCURRENT version; the grace ' +
        'is then at least the refresh interval plus the connect timeout). ' +
        "Writes the runbook's secret_rotated audit row (DATABASE_PASSWORD).",
    )
    .option('--grace-seconds <seconds>', 'how long the old login keeps working after the switch', '5')
    .option(
      '--admin-credentials-file <file>',
      "a login (JSON like DATABASE_CREDENTIALS_FILE) that changes both roles' passwords: needed on PostgreSQL 16 / RDS " +
        "(the master user, or a role with ADMIN on both); default: Drop's own login, which then needs CREATEROLE (PostgreSQL 15)",
    )
    .action(async (options: { graceSeconds: string; adminCredentialsFile?: string }) => {
      const graceSeconds = Number(options.graceSeconds);
      if (!/^\d+$/.test(options.graceSeconds) || graceSeconds > 600) {
        console.error(`--grace-seconds: a whole number of seconds from 0 to 600, not ${options.graceSeconds}`);
        process.exitCode = 2;
        return;
      }
      const ctx = context();
      const { credentialsFile: file, credentialsSecretId: secretId, url } = ctx.config.database;
      if ((!file && !secretId) || !url) {
        console.error(
          'DB_CREDENTIALS_NOT_CONFIGURED: rotating the database password needs DATABASE_URL (the server) and DATABASE_CREDENTIALS_FILE ' +
            'or DATABASE_CREDENTIALS_SECRET_ID (the login Drop reads for each connection). Nothing changed.',
        );
        process.exitCode = 1;
        return;
      }
      // Pools read a secret every DATABASE_CREDENTIALS_REFRESH_SECONDS: the old login must outlive that, and a connection's login.
      const graceMs = secretId
        ? Math.max(graceSeconds * 1000, ctx.config.database.credentialsRefreshMs + ctx.config.database.connectTimeoutMs)
        : graceSeconds * 1000;
      let admin: Db | undefined;
      let store: (CredentialStore & { destroy?: () => void }) | undefined;
      try {
        if (options.adminCredentialsFile) {
          const login = readCredentialsFile(options.adminCredentialsFile);
          admin = createPool({
            url: withLogin(url, { user: login.username, password: login.password }),
            max: 1,
            connectTimeoutMs: ctx.config.database.connectTimeoutMs,
            statementTimeoutMs: ctx.config.database.statementTimeoutMs,
            applicationName: 'drop-cli-rotate',
          });
        }
        const roles = admin;
        store = secretId
          ? (await import('@drop/integrations/secrets-manager')).secretCredentialStore({
              secretId,
              region: ctx.config.aws.region,
              endpointUrl: ctx.config.aws.endpointUrl,
            })
          : fileCredentialStore(file ?? '');
        const chosen = store;
        const result = await withServices(ctx, (services) =>
          rotateDatabasePassword(services.db, {
            store: chosen,
            url,
            actor: ctx.actor,
            graceMs,
            ...(roles ? { roles } : {}),
            onStep: (message) => console.log(message),
          }),
        );
        console.log(
          `Drop logs in as ${result.activeRole}; ${result.retiredRole} is retired. Audit row: secret_rotated (DATABASE_PASSWORD).`,
        );
      } catch (error) {
        // An AWS SDK error (the secret not found, access denied) carries the service's answer in $metadata.
        const aws = error as { name?: string; message?: string; $metadata?: unknown };
        if (aws.$metadata) {
          console.error(`SECRETS_MANAGER_ERROR: ${aws.name}: ${aws.message} Nothing changed.`);
          process.exitCode = 1;
          return;
        }
        if (!(error instanceof DbPasswordRotationError || error instanceof CredentialsFileError)) throw error;
        console.error(`${error.code}: ${error.message}`);
        process.exitCode = 1;
      } finally {
        await admin?.end();
        store?.destroy?.();
      }
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
