import { writeFile } from 'node:fs/promises';
import { STR_EXPORT_FORMATS, STR_STATUSES, type StrDetail, type StrExportFormat, type StrStatus } from '@drop/contracts';
import { DomainError, exportStr, getStr, listStrs, staffActingAs } from '@drop/core';
import { type Command, InvalidArgumentError } from 'commander';
import { type CliContext, withServices } from '../context.ts';

/** One STR as the FIU will read it, in plain text for a terminal. */
function printStr(str: StrDetail): void {
  const line = (label: string, value: string | null | undefined) => console.log(`${`${label}:`.padEnd(18)} ${value ?? '—'}`);
  line('STR', `${str.reference} (${str.id})`);
  line('Status', str.status);
  line('Case', str.caseId ? `${str.caseId} ${str.caseTitle ?? ''}`.trim() : null);
  line('Customer', `${str.customerName ?? ''} (${str.userId})`);
  line('Amount (NOK)', str.amountNok);
  line('Drafted by', str.draftedBy?.name);
  line('Approved by', str.approvedBy ? `${str.approvedBy.name} at ${str.approvedAt}` : null);
  line(
    'Filed',
    str.filedAt ? `${str.filedAt} by ${str.filedBy?.name ?? '—'}${str.filingReference ? `, Altinn ${str.filingReference}` : ''}` : null,
  );
  if (str.sanctionsHit) line('UD notified', str.mfaNotifiedAt ?? 'not yet');
  if (str.decisionNote) line('Note', str.decisionNote);
  const document = str.document;
  if (!document) {
    line('Grounds', str.reason);
    console.log('(Filed by the runbook: reason and amount only, no document.)');
    return;
  }
  line('Type', document.reportType);
  line('Indicators', document.indicators.join(', ') || null);
  console.log(`\nGrounds:\n${document.grounds}\n`);
  if (document.actionTaken) console.log(`Action taken:\n${document.actionTaken}\n`);
  console.log(`Transactions (${document.transactions.length}):`);
  for (const transfer of document.transactions) {
    const foreign = transfer.foreign ? ` = ${transfer.foreign.currency} ${transfer.foreign.amount}` : '';
    console.log(
      `  ${transfer.id}  ${transfer.date.slice(0, 10)}  ${transfer.direction} NOK ${transfer.amountNok}${foreign} → ${transfer.recipient.name}, ${transfer.recipient.country} ${transfer.recipient.account ?? ''}  (${transfer.status})`,
    );
  }
  console.log(`Persons (${document.persons.length}):`);
  for (const person of document.persons) {
    console.log(
      `  ${person.role.padEnd(9)} ${person.firstName} ${person.lastName}${person.birthDate ? `, born ${person.birthDate}` : ''}${
        person.nationalId ? `, fnr ${person.nationalId}` : ''
      }${person.note ? ` — ${person.note}` : ''}`,
    );
  }
  if (document.companies.length > 0) {
    console.log(`Companies (${document.companies.length}):`);
    for (const company of document.companies) {
      console.log(`  ${company.name}${company.orgNumber ? ` (${company.orgNumber})` : ''}${company.note ? ` — ${company.note}` : ''}`);
    }
  }
}

export function registerStrs(program: Command, context: () => CliContext): void {
  const str = program
    .command('str')
    .description('Suspicious-transaction reports to ØKOKRIM: list, show and export (drafted and approved in the console)');

  str
    .command('list')
    .description('STRs, newest first: all, or one status')
    .option('--status <status>', STR_STATUSES.join(', '))
    .option('--json', 'print the STRs as JSON')
    .action(async (options: { status?: string; json?: boolean }) => {
      if (options.status !== undefined && !(STR_STATUSES as readonly string[]).includes(options.status)) {
        throw new InvalidArgumentError(`--status is one of ${STR_STATUSES.join(', ')}`);
      }
      const status = options.status as StrStatus | undefined;
      const strs = await withServices(context(), (services) => listStrs(services.db, { status }));
      if (options.json) {
        console.log(JSON.stringify(strs, null, 2));
        return;
      }
      if (strs.length === 0) console.log(`No ${status ? `${status.replace('_', ' ')} ` : ''}STRs.`);
      for (const summary of strs) {
        console.log(
          `${summary.id}  ${summary.reference}  ${summary.createdAt.slice(0, 10)}  ${summary.status.padEnd(17)} ` +
            `${(summary.customerName ?? summary.userId).padEnd(24)} ${summary.amountNok ? `NOK ${summary.amountNok}` : ''}`,
        );
      }
    });

  str
    .command('show <id>')
    .description('One STR: the document as the FIU will read it, and its status')
    .option('--json', 'print the STR as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      try {
        const detail = await withServices(context(), (services) => getStr(services.db, id, services.nationalIds));
        if (options.json) console.log(JSON.stringify(detail, null, 2));
        else printStr(detail);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        console.error(`${error.code}: ${error.message}`);
        process.exitCode = 1;
      }
    });

  str
    .command('export <id>')
    .description(
      'An approved or filed STR as a file: goAML 5.0.1 XML, the Altinn MT-0002 content (JSON), or for a sanctions hit the notice to UD',
    )
    .requiredOption('--format <format>', STR_EXPORT_FORMATS.join(', '))
    .option('--out <file>', 'write the file here (default: stdout)')
    .option(
      '--as <email>',
      'the compliance staff member exporting it, named as the reporting person before it is filed (else the one who filed it)',
    )
    .action(async (id: string, options: { format: string; out?: string; as?: string }) => {
      if (!(STR_EXPORT_FORMATS as readonly string[]).includes(options.format)) {
        throw new InvalidArgumentError(`--format is one of ${STR_EXPORT_FORMATS.join(', ')}`);
      }
      const ctx = context();
      try {
        const file = await withServices(ctx, async (services) => {
          const actor = options.as ? (await staffActingAs(services.db, options.as, 'str_reports')).id : ctx.actor;
          return exportStr(services.db, {
            id,
            format: options.format as StrExportFormat,
            actor,
            entity: ctx.config.reportingEntity,
            nationalIds: services.nationalIds,
          });
        });
        if (options.out) {
          // The file holds personal data (names, national ids): readable by its owner only.
          await writeFile(options.out, file.body, { mode: 0o600 });
          console.error(`Wrote ${file.fileName} (${file.contentType}) to ${options.out}.`);
        } else {
          process.stdout.write(file.body.endsWith('\n') ? file.body : `${file.body}\n`);
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        console.error(`${error.code}: ${error.message}`);
        process.exitCode = 1;
      }
    });
}
