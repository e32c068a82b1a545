import { DomainError, proposeFourEyes, staffActingAs } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

/**
 * `drop users block|unblock USER_ID --reason … --as STAFF_EMAIL`: proposes blocking or unblocking
 * a customer. Nothing happens until another person approves (`drop approvals approve`, or the
 * console's Approvals page); then block sets users.aml_frozen_at (their transfers are held at
 * once) and unblock clears it.
 */
export function registerUsers(program: Command, context: () => CliContext): void {
  const users = program.command('users').description('Customers: propose a block or an unblock (four eyes: another person approves)');
  for (const action of ['block', 'unblock'] as const) {
    users
      .command(`${action} <userId>`)
      .description(
        action === 'block'
          ? 'Propose blocking a customer: once approved, their transfers are held and none pays out'
          : 'Propose unblocking a customer: once approved, aml_frozen_at is cleared (held transfers stay held)',
      )
      .requiredOption('--reason <text>', 'why: shown to the approver and kept in the audit log')
      .requiredOption('--as <email>', 'the staff member proposing (needs transfer_hold)')
      .action(async (userId: string, options: { reason: string; as: string }) => {
        await reportingDomainErrors(async () => {
          const request = await withServices(context(), async (services) => {
            const staff = await staffActingAs(services.db, options.as, 'transfer_hold');
            return proposeFourEyes(services.db, {
              kind: `${action}_customer`,
              subjectId: userId,
              reason: options.reason,
              staffId: staff.id,
            });
          });
          console.log(
            `Proposed ${request.kind} of ${userId}: request ${request.id}, waiting for a second person (drop approvals approve ${request.id}).`,
          );
        });
      });
  }
}

/** A refusal (FOUR_EYES_REQUIRED, FORBIDDEN, NOT_FOUND, …) is printed with its code and exits 1. */
export async function reportingDomainErrors(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    console.error(`${error.code}: ${error.message}`);
    process.exitCode = 1;
  }
}
