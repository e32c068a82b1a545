import { decideFourEyes, listFourEyesRequests, staffActingAs, withdrawFourEyes } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';
import { reportingDomainErrors } from './users.ts';

/**
 * `drop approvals list|approve|reject|withdraw`: the four-eyes proposals (release or stop a held transfer,
 * block or unblock a customer). Approving carries the proposal out at once; the proposer can
 * neither approve nor reject their own (FOUR_EYES_REQUIRED, refused by the database too).
 */
export function registerApprovals(program: Command, context: () => CliContext): void {
  const approvals = program.command('approvals').description('Four eyes: proposals waiting for a second person');

  approvals
    .command('list')
    .description('Pending proposals, oldest first')
    .option('--json', 'print them as JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await withServices(context(), (services) => listFourEyesRequests(services.db, { status: 'pending' }));
      if (options.json) {
        console.log(JSON.stringify(list, null, 2));
        return;
      }
      if (list.length === 0) console.log('Nothing waiting for approval.');
      for (const r of list) {
        console.log(`${r.id}  ${r.kind.padEnd(16)} ${r.subjectId}  by ${r.proposedByName} at ${r.proposedAt}: ${r.reason}`);
      }
    });

  for (const decision of ['approve', 'reject'] as const) {
    approvals
      .command(`${decision} <id>`)
      .description(
        decision === 'approve' ? 'Approve another person’s proposal: it is carried out at once' : 'Reject another person’s proposal',
      )
      .requiredOption('--as <email>', 'the staff member deciding (needs four_eyes_approve; never the proposer)')
      .option('--note <text>', 'the decision note, kept in the audit log', '')
      .action(async (id: string, options: { as: string; note: string }) => {
        await reportingDomainErrors(async () => {
          const request = await withServices(context(), async (services) => {
            const staff = await staffActingAs(services.db, options.as, 'four_eyes_approve');
            return decideFourEyes(services.db, { id, staffId: staff.id, decision, note: options.note });
          });
          console.log(`${request.id} (${request.kind} of ${request.subjectId}) is ${request.status}.`);
        });
      });
  }

  approvals
    .command('withdraw <id>')
    .description('Withdraw your own pending proposal: nothing is carried out (only the proposer)')
    .requiredOption('--as <email>', 'the staff member who proposed it (needs transfer_hold)')
    .option('--note <text>', 'why it is withdrawn, kept in the audit log', '')
    .action(async (id: string, options: { as: string; note: string }) => {
      await reportingDomainErrors(async () => {
        const request = await withServices(context(), async (services) => {
          const staff = await staffActingAs(services.db, options.as, 'transfer_hold');
          return withdrawFourEyes(services.db, { id, staffId: staff.id, note: options.note });
        });
        console.log(`${request.id} (${request.kind} of ${request.subjectId}) is ${request.status}.`);
      });
    });
}
