import { type AmlCaseTimelineEntry, CASE_STATUSES, type CaseStatus } from '@drop/contracts';
import { DomainError, getAmlCase, listAmlCases } from '@drop/core';
import { type Command, InvalidArgumentError } from 'commander';
import { type CliContext, withServices } from '../context.ts';

const LIST_STATUSES = [...CASE_STATUSES, 'active', 'all'] as const;

/** A date as on-call reads it: `2026-12-06 14:05` (UTC). */
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** One timeline entry on one line: when, where from, what, and the facts that say which. */
function timelineLine(entry: AmlCaseTimelineEntry): string {
  const facts = Object.entries(entry.details)
    .filter(([, value]) => value !== null && value !== '')
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  const who = entry.actorName ?? entry.actor;
  return [
    when(entry.at),
    entry.source.padEnd(9),
    entry.kind.padEnd(16),
    entry.subjectId ?? '',
    who ? `by ${who}` : '',
    entry.text ?? '',
    facts,
  ]
    .filter((part) => part.trim() !== '')
    .join('  ');
}

/** `drop aml cases` and `drop aml case ID`: the case list with the overdue view, and one case with its timeline. */
export function registerAmlCases(aml: Command, context: () => CliContext): void {
  aml
    .command('cases')
    .description('AML cases, overdue first then by due date: the active ones (open or investigating) unless --status says otherwise')
    .option('--status <status>', LIST_STATUSES.join(', '), 'active')
    .option('--overdue', 'only cases not closed whose due date has passed (hvitvaskingsloven § 25)')
    .option('--json', 'print the cases as JSON')
    .action(async (options: { status: string; overdue?: boolean; json?: boolean }) => {
      if (!(LIST_STATUSES as readonly string[]).includes(options.status)) {
        throw new InvalidArgumentError(`--status is one of ${LIST_STATUSES.join(', ')}`);
      }
      const status = options.status as CaseStatus | 'active' | 'all';
      const cases = await withServices(context(), (services) => listAmlCases(services.db, { status, overdue: options.overdue ?? false }));
      if (options.json) {
        console.log(JSON.stringify(cases, null, 2));
        return;
      }
      if (cases.length === 0) console.log(options.overdue ? 'No overdue cases.' : 'No cases.');
      for (const item of cases) {
        const overdue = item.overdue ? `OVERDUE ${item.daysOverdue}d` : '';
        const alerts = `${item.alertCount} alert${item.alertCount === 1 ? '' : 's'}`;
        console.log(
          `${item.id}  ${(item.email ?? item.userId).padEnd(32)} ${item.status.padEnd(13)} due ${when(item.dueAt)}  ${alerts.padEnd(9)} ${overdue}`.trimEnd(),
        );
      }
    });

  aml
    .command('case <caseId>')
    .description('One case: the customer, its alerts and STRs, and the timeline (casework, transfers, screening, KYC, alerts, recipients)')
    .option('--json', 'print the case as JSON')
    .action(async (caseId: string, options: { json?: boolean }) => {
      let found: Awaited<ReturnType<typeof getAmlCase>>;
      try {
        found = await withServices(context(), (services) => getAmlCase(services.db, caseId));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        console.error(`${error.code}: ${error.message}`);
        process.exitCode = 1;
        return;
      }
      if (options.json) {
        console.log(JSON.stringify(found, null, 2));
        return;
      }
      const customer = found.customer;
      console.log(`${found.id}  ${found.title}`);
      console.log(
        `status ${found.status}${found.outcome ? ` (${found.outcome})` : ''}  due ${when(found.dueAt)}${found.overdue ? `  OVERDUE ${found.daysOverdue}d` : ''}` +
          `  assigned ${found.assignedTo?.name ?? '-'}`,
      );
      console.log(
        `customer ${customer.name ?? '-'} <${customer.email ?? '-'}> ${customer.id}  kyc ${customer.kycStatus}` +
          `${customer.blocked ? `  BLOCKED (${customer.blockReason})` : ''}`,
      );
      if (found.closingNotes) console.log(`closed ${when(found.closedAt ?? '')} by ${found.closedBy?.name ?? '-'}: ${found.closingNotes}`);
      console.log(`\nalerts (${found.alerts.length})`);
      for (const alert of found.alerts) {
        console.log(
          `  ${alert.id}  ${alert.rule.padEnd(28)} ${alert.severity.padEnd(8)} ${alert.status.padEnd(6)} ${alert.email ?? alert.userId}`,
        );
      }
      console.log(`\nSTRs (${found.strs.length})`);
      for (const str of found.strs) console.log(`  ${str.reference}  ${str.status.padEnd(17)} ${str.id}`);
      console.log(`\ntimeline (${found.timeline.length})`);
      for (const entry of found.timeline) console.log(`  ${timelineLine(entry)}`);
    });
}
