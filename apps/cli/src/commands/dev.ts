import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { parseTransferReference } from '@drop/check-digits';
import { DomainError, formatAmount, importBankStatement, parseAmount } from '@drop/core';
import type { Db } from '@drop/db';
import { buildCamt054, camtBankFileParser } from '@drop/integrations';
import type { Command } from 'commander';
import { type CliContext, withServices } from '../context.ts';

/** The account the simulated customer pays from (a valid Norwegian test account number). */
const SIMULATED_PAYER_ACCOUNT = '12345678903';

/** A Norwegian account number (11 digits) as an IBAN: NO, the ISO 13616 check digits, the account. */
export function norwegianIban(account: string): string {
  // Letters as numbers (N = 23, O = 24), the country code and "00" moved to the end, mod 97.
  const remainder = BigInt(`${account}232400`) % 97n;
  return `NO${String(98n - remainder).padStart(2, '0')}${account}`;
}

interface TransferToPay {
  id: string;
  status: string;
  kid: string | null;
  send_amount_minor: string;
  full_name: string | null;
}

/** A transfer by its id (`tx_…`), its reference (`DRP-7K3-92QX`, however typed) or the KID the customer pays with. */
async function findTransfer(db: Db, given: string): Promise<TransferToPay | undefined> {
  const { rows } = await db.query<TransferToPay>(
    `SELECT t.id, t.status, t.kid, t.send_amount_minor::text, u.full_name
       FROM transactions t JOIN users u ON u.id = t.user_id
      WHERE t.type = 'transfer' AND (t.id = $1 OR t.reference = $2 OR t.kid = regexp_replace($1, '\\s', '', 'g'))`,
    [given.trim(), parseTransferReference(given) ?? null],
  );
  return rows[0];
}

export function registerDev(program: Command, context: () => CliContext): void {
  const dev = program.command('dev').description('Development helpers (refused in production)');

  dev
    .command('simulate-payment')
    .description(
      "Simulate the customer's bank payment for a transfer: writes the bank's camt.054 notification crediting Drop's client " +
        'account with the transfer’s KID and amount, and imports it as `drop payments import` does. Refused in production.',
    )
    .requiredOption(
      '--transfer <id-reference-or-kid>',
      'the transfer: its id (tx_…), its reference (DRP-…) or the KID the customer pays with',
    )
    .option(
      '--amount <nok>',
      'the amount paid in NOK, e.g. 2500 or 2499.50 (default: exactly what is due); another amount is queued for staff',
    )
    .option('--out <file>', 'also save the camt.054 file')
    .option('--json', 'print what the import did as JSON')
    .action(async (options: { transfer: string; amount?: string; out?: string; json?: boolean }) => {
      const ctx = context();
      if (ctx.config.isProduction) {
        console.error('Refusing to simulate a bank payment in production: payments arrive in the bank’s own files.');
        process.exitCode = 1;
        return;
      }
      let amountMinor: bigint | undefined;
      if (options.amount !== undefined) {
        try {
          amountMinor = parseAmount(options.amount, 'NOK');
        } catch {
          console.error(`--amount: "${options.amount}" is not an amount in NOK (like 2500 or 2499.50).`);
          process.exitCode = 1;
          return;
        }
      }
      await withServices(ctx, async (services) => {
        const transfer = await findTransfer(services.db, options.transfer);
        if (!transfer) {
          console.error(`No transfer with the id or KID ${options.transfer}.`);
          process.exitCode = 1;
          return;
        }
        const amount = amountMinor ?? BigInt(transfer.send_amount_minor);
        const now = new Date();
        const file = `SIM-${randomUUID().slice(0, 8).toUpperCase()}`;
        const xml = buildCamt054({
          messageId: file,
          createdAt: now.toISOString(),
          account: { iban: norwegianIban(ctx.config.payIn.account), currency: 'NOK' },
          entries: [
            {
              reference: `${file}-1`,
              creditDebit: 'CRDT',
              amountMinor: amount,
              currency: 'NOK',
              bookingDate: now.toISOString().slice(0, 10),
              ...(transfer.kid ? { kid: transfer.kid } : { unstructured: `Drop ${transfer.id}` }),
              debtorName: transfer.full_name ?? 'Simulated customer',
              debtorAccount: SIMULATED_PAYER_ACCOUNT,
            },
          ],
        });
        if (options.out) await writeFile(options.out, xml);
        try {
          const summary = await importBankStatement(services.db, camtBankFileParser, {
            bytes: new TextEncoder().encode(xml),
            fileName: `${file.toLowerCase()}-camt054.xml`,
            importedBy: ctx.actor,
            payIn: { ...ctx.config.payIn, sepaAccountIban: ctx.config.payouts.sepa.statementIban },
          });
          if (options.json) {
            console.log(JSON.stringify(summary, null, 2));
            return;
          }
          const paid = `NOK ${formatAmount(amount, 'NOK')}`;
          const funded = summary.funded.find((entry) => entry.transactionId === transfer.id);
          if (funded) {
            console.log(`Simulated payment of ${paid} for ${transfer.id} (KID ${transfer.kid}): funded; the payout starts.`);
          } else {
            const exception = summary.exceptions[0];
            console.log(
              `Simulated payment of ${paid} for ${transfer.id} (${transfer.status}): not funded, queued for staff (${exception?.reason ?? 'unknown'}, ${exception?.entryId ?? '-'}).`,
            );
          }
          if (options.out) console.log(`camt.054 saved to ${options.out}.`);
        } catch (error) {
          if (error instanceof DomainError) {
            console.error(`Refused (${error.code}): ${error.message}`);
            process.exitCode = 1;
            return;
          }
          throw error;
        }
      });
    });
}
