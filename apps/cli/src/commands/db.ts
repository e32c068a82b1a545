import { seedDemoData } from '@drop/core';
import { migrateDatabase } from '@drop/worker';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

export function registerDb(program: Command, context: () => CliContext): void {
  const db = program.command('db').description('Database schema and data');

  db.command('migrate')
    .description(
      'Apply pending migrations (packages/db/migrations), changed SQL functions (packages/db/functions) and the job queue schema',
    )
    .action(async () => {
      const ctx = context();
      const applied = await withServices(ctx, (services) => services.database.withOwner((owner) => migrateDatabase(owner, ctx.logger)));
      console.log(
        applied.length === 0
          ? 'Database is up to date.'
          : `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join('\n')}`,
      );
    });

  db.command('seed')
    .description('Load realistic demo data for development (customers in every KYC state, transfers in every status, alerts, STRs)')
    .requiredOption('--demo', 'load the demo data set (the only data set there is)')
    .action(async () => {
      const ctx = context();
      if (ctx.config.isProduction) {
        console.error('Refusing to load demo data in production.');
        process.exitCode = 1;
        return;
      }
      const result = await withServices(ctx, (services) => seedDemoData(services.db, { actor: ctx.actor, payIn: ctx.config.payIn }));
      console.log(
        result.created
          ? `Demo data loaded: ${Object.keys(result.users).length} customers, ${Object.keys(result.transactions).length} transfers, ${Object.keys(result.alerts).length} AML alerts.`
          : 'Demo data is already there; nothing added.',
      );
    });
}
