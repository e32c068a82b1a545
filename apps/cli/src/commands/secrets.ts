import { rotateSigningKey } from '@drop/core';
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
}
