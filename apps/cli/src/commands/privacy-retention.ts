import { applyRetention, requestErasure, retentionStatus, staffActingAs } from '@drop/core';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';
import { reportingDomainErrors } from './users.ts';

/**
 * `drop privacy retention` (the rules and what is due now) and `drop privacy apply-retention
 * [--now ISO] [--dry-run]` (what the nightly job does, at a given time: a rerun for a missed
 * night, or a look at what a date would remove).
 */
export function registerPrivacyRetention(program: Command, context: () => CliContext): void {
  const privacy =
    program.commands.find((command) => command.name() === 'privacy') ??
    program.command('privacy').description('Privacy: erasure and retention');

  privacy
    .command('retention')
    .description('The retention rules (what is kept how long, and why) and how many subjects each would remove now')
    .option('--now <iso>', 'count what is due at this time instead of now')
    .option('--json', 'print the rules as JSON')
    .action(async (options: { now?: string; json?: boolean }) => {
      const at = parseNow(options.now);
      const rules = await withServices(context(), (services) => retentionStatus(services.db, at));
      if (options.json) {
        console.log(JSON.stringify(rules, null, 2));
        return;
      }
      for (const rule of rules) {
        const due = rule.due === null ? `applied by the ${rule.enforcedBy.replace('_', ' ')}` : `${rule.due} due now`;
        const held = rule.heldForInvestigation ? `, ${rule.heldForInvestigation} held for an open investigation` : '';
        console.log(
          `${rule.code}: ${rule.action} after ${rule.keepFor} from ${rule.countedFrom}${rule.enabled ? '' : ' (disabled)'} — ${due}${held}`,
        );
        console.log(`  ${rule.appliesTo}`);
        console.log(`  Legal basis: ${rule.legalBasis}`);
      }
    });

  privacy
    .command('apply-retention')
    .description('Apply the retention rules now (or at --now): anonymise and delete what is past its period')
    .option('--now <iso>', 'apply the rules as at this time (ISO 8601)')
    .option('--dry-run', 'only count what is due; change nothing')
    .option('--json', 'print the run as JSON')
    .action(async (options: { now?: string; dryRun?: boolean; json?: boolean }) => {
      const ctx = context();
      const now = parseNow(options.now);
      const run = await withServices(ctx, (services) =>
        applyRetention(services.db, { now, dryRun: options.dryRun ?? false, actor: ctx.actor }),
      );
      if (options.json) {
        console.log(JSON.stringify(run, null, 2));
        return;
      }
      console.log(`Retention at ${run.now}${run.dryRun ? ' (dry run: nothing changed)' : ''}:`);
      for (const rule of run.rules) {
        if (rule.due === null) continue;
        console.log(`  ${rule.code}: ${rule.due} due, ${rule.applied} ${rule.action === 'delete' ? 'deleted' : 'anonymised'}`);
      }
      if (run.erasedCustomers.length > 0) console.log(`Personal data erased: ${run.erasedCustomers.join(', ')}`);
    });
}

/** `drop users erase USER --reason … --as EMAIL`: support records a customer's erasure request. */
export function registerUsersErase(program: Command, context: () => CliContext): void {
  const users = program.commands.find((command) => command.name() === 'users');
  if (!users) throw new Error('register the users command first');
  users
    .command('erase <userId>')
    .description(
      'Record a customer’s erasure request: signed out everywhere and restricted at once, personal data erased when the retention period ends',
    )
    .requiredOption('--reason <text>', 'how the customer asked (letter, email, phone): kept with the request')
    .requiredOption('--as <email>', 'the staff member recording it (needs data_requests)')
    .action(async (userId: string, options: { reason: string; as: string }) => {
      await reportingDomainErrors(async () => {
        const request = await withServices(context(), async (services) => {
          const staff = await staffActingAs(services.db, options.as, 'data_requests');
          return requestErasure(services.db, { userId, actor: staff.id, note: `recorded by staff: ${options.reason}` });
        });
        console.log(
          request.created
            ? `Erasure request ${request.id} recorded for ${userId}: restricted now, due ${request.dueAt}; personal data removed after ${request.personalDataRemovedAfter}.`
            : `${userId} already has an open erasure request: ${request.id} (${request.status}, due ${request.dueAt}).`,
        );
        const t = request.transfers;
        if (t.cancelled.length) console.log(`Cancelled (awaiting payment): ${t.cancelled.join(', ')}`);
        if (t.refundsOwed.length) console.log(`Refund owed (paid in): ${t.refundsOwed.join(', ')}`);
        if (t.finishing.length) console.log(`Paying out (already at the partner): ${t.finishing.join(', ')}`);
        if (t.leftHeld.length) console.log(`Left held for staff (payout written): ${t.leftHeld.join(', ')}`);
      });
    });
}

function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    console.error(`VALIDATION_FAILED: --now ${value} is not an ISO 8601 time.`);
    process.exit(2);
  }
  return at;
}
