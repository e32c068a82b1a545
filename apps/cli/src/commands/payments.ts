import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DomainError, importBankStatement, listBankExceptions } from '@drop/core';
import { camtBankFileParser } from '@drop/integrations';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

export function registerPayments(program: Command, context: () => CliContext): void {
  const payments = program.command('payments').description('Money in: bank statement files and the exceptions queue');

  payments
    .command('import')
    .description(
      'Import a bank statement (camt.053) or notification (camt.054) file: funds the transfers paid with their KID and queues ' +
        'the rest for staff. A malformed file or one for another account is refused whole (exit 1); the same file twice changes nothing.',
    )
    .argument('<file>', 'the XML file as the bank delivered it')
    .option('--json', 'print what the import did as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const ctx = context();
      const bytes = await readFile(file);
      try {
        const summary = await withServices(ctx, (services) =>
          importBankStatement(services.db, camtBankFileParser, {
            bytes,
            fileName: path.basename(file),
            importedBy: ctx.actor,
            payIn: { ...ctx.config.payIn, sepaAccountIban: ctx.config.payouts.sepa.statementIban },
          }),
        );
        if (options.json) {
          console.log(JSON.stringify(summary, null, 2));
          return;
        }
        if (summary.alreadyImported) {
          console.log(`Already imported (${summary.fileId}): nothing changed.`);
          return;
        }
        console.log(
          `Imported ${summary.kind} ${summary.messageId} as ${summary.fileId}: ${summary.entries} entries, ` +
            `${summary.funded.length} transfers funded, ${summary.exceptions.length} to the exceptions queue, ` +
            `${summary.alreadySeen} already seen, ${summary.notBooked} not booked, ${summary.debits} debits.`,
        );
        for (const funded of summary.funded) console.log(`  funded   ${funded.transactionId}  NOK ${funded.amount}  KID ${funded.kid}`);
        for (const exception of summary.exceptions) {
          console.log(
            `  queued   ${exception.entryId}  ${exception.currency} ${exception.amount}  ${exception.reason}  KID ${exception.kid ?? '-'}`,
          );
        }
        for (const payout of summary.payouts ?? []) {
          console.log(`  payout   ${payout.transactionId}  ${payout.outcome}  EndToEndId ${payout.endToEndId}  (${payout.entryId})`);
        }
      } catch (error) {
        if (error instanceof DomainError) {
          console.error(`Refused (${error.code}): ${error.message}`);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });

  payments
    .command('exceptions')
    .description('List incoming payments waiting for staff (match by hand or refund in the console)')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }) => {
      const rows = await withServices(context(), (services) => listBankExceptions(services.db, { limit: 500 }));
      if (options.json) {
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (rows.length === 0) console.log('No payments waiting.');
      for (const row of rows) {
        console.log(
          `${row.id}  ${row.bookingDate ?? '-'}  ${row.currency} ${row.amount}  ${row.reason}  KID ${row.kid ?? '-'}  ${row.debtorName ?? ''}`,
        );
      }
    });
}
