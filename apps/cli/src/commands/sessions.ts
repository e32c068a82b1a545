import { DomainError, revokeCustomerSessionsAsOperator, type SessionRevocationTarget, staffActingAs } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';
import { reportingDomainErrors } from './users.ts';

/**
 * `drop sessions revoke --user USR_ID | --open-alerts`: runbook 6.2's emergency revocation
 * (`UPDATE sessions SET revoked = 1 WHERE user_id = …`), audited once per customer. `--open-alerts`
 * is every customer with an open AML alert (the DR runbook's scenario 5). Bad input exits 1 (VALIDATION_FAILED,
 * NOT_FOUND) and changes nothing.
 */
export function registerSessions(program: Command, context: () => CliContext): void {
  const sessions = program.command('sessions').description("Customers' sessions (runbook 6.2's revocation)");
  sessions
    .command('revoke')
    .description('End every session of one customer, or of every customer with an open AML alert; audited per customer')
    .option('--user <userId>', 'the customer (usr_…)')
    .option('--open-alerts', 'every customer with an open AML alert (any severity, as the DR runbook revokes them)')
    .option('--reason <text>', 'why: kept in the audit log')
    .option('--as <email>', 'the staff member acting (needs revoke_customer_sessions); default the operator')
    .option('--dry-run', 'print what would be ended and change nothing')
    .action(async (options: { user?: string; openAlerts?: boolean; reason?: string; as?: string; dryRun?: boolean }) => {
      await reportingDomainErrors(async () => {
        if (Boolean(options.user) === Boolean(options.openAlerts)) {
          throw new DomainError('VALIDATION_FAILED', 'Give exactly one of --user USR_ID and --open-alerts.');
        }
        const target: SessionRevocationTarget = options.user ? { userId: options.user } : 'open-alerts';
        const ctx = context();
        const dryRun = Boolean(options.dryRun);
        const results = await withServices(ctx, async (services) => {
          const actor = options.as ? (await staffActingAs(services.db, options.as, 'revoke_customer_sessions')).id : ctx.actor;
          return revokeCustomerSessionsAsOperator(services.db, {
            target,
            actor,
            dryRun,
            ...(options.reason ? { note: options.reason } : {}),
          });
        });
        if (results.length === 0) {
          console.log('No customer has an open AML alert; nothing to revoke.');
          return;
        }
        for (const { userId, sessionsEnded } of results) {
          console.log(`${userId}: ${sessionsEnded} session(s) ${dryRun ? 'would be ended' : 'ended'}`);
        }
        const total = results.reduce((sum, row) => sum + row.sessionsEnded, 0);
        console.log(
          dryRun
            ? `Dry run: ${total} session(s) of ${results.length} customer(s) would be ended; nothing changed.`
            : `${total} session(s) of ${results.length} customer(s) ended; audit rows: revoked_by_staff.`,
        );
      });
    });
}
