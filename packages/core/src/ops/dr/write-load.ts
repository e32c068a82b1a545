/**
 * The DR drill's write load: transfers created continuously by a drill customer, each one
 * acknowledged when its COMMIT returns, so the drill knows which acknowledged transfers a restore
 * kept and which it lost (the RPO). Each transfer is what create_transfer writes minus the
 * customer-facing checks (the quote, the transfer row with its timeline and spending through the
 * transactions_track trigger, and the pay-in reservation through ledger_post); AML monitoring is
 * not run, so a drill raises no alerts in the compliance queue. Afterwards every drill transfer
 * is cancelled through the state machine (transitionTransfer voids the reservation), so the live
 * ledger is left as balanced as it was and nothing waits for a payment that will never come.
 */
import { type Db, newId, withTransaction } from '@drop/db';
import { transitionTransferIn } from '../../transfers/transition-transfer.ts';

export interface AcknowledgedTransfer {
  id: string;
  /** Epoch milliseconds when the COMMIT returned to the writer. */
  ackedAt: number;
}

export interface DrillCustomer {
  userId: string;
  recipientId: string;
}

const DRILL_EMAIL = 'dr-drill@drop.invalid';

/** The drill's own customer (KYC approved, one recipient), created once and reused by every drill. */
export async function ensureDrillCustomer(db: Db): Promise<DrillCustomer> {
  return withTransaction(db, async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('drop_dr_drill_customer'))`);
    const found = await tx.query<{ user_id: string; recipient_id: string }>(
      `SELECT u.id AS user_id, r.id AS recipient_id FROM users u JOIN recipients r ON r.user_id = u.id AND r.deleted_at IS NULL
        WHERE lower(u.email) = $1 ORDER BY r.created_at LIMIT 1`,
      [DRILL_EMAIL],
    );
    const existing = found.rows[0];
    if (existing) return { userId: existing.user_id, recipientId: existing.recipient_id };
    const userId = newId('usr');
    const recipientId = newId('rcp');
    await tx.query(
      `INSERT INTO users (id, email, full_name, given_name, family_name, locale, kyc_status, kyc_tier, source_of_funds, source_of_funds_declared_at)
       VALUES ($1, $2, 'DR Drill', 'DR', 'Drill', 'en', 'approved', 2, 'other', now())`,
      [userId, DRILL_EMAIL],
    );
    await tx.query(
      `INSERT INTO recipients (id, user_id, name, country, currency, rail, relationship, details, display)
       VALUES ($1, $2, 'DR Drill Recipient', 'DE', 'EUR', 'iban', 'self', '{"iban": "DE89370400440532013000"}'::jsonb, 'DE89 •••• 3000')`,
      [recipientId, userId],
    );
    return { userId, recipientId };
  });
}

/** One transfer of 100 NOK awaiting funds, committed; returns its id. */
async function createDrillTransfer(db: Db, customer: DrillCustomer, sequence: number): Promise<string> {
  const id = newId('tx');
  const quoteId = newId('qt');
  // A KID no other transfer has: 7, the time in milliseconds, and a per-run sequence number.
  const kid = `7${Date.now()}${String(sequence % 10_000).padStart(4, '0')}`;
  const shard = sequence % 4;
  await withTransaction(db, async (tx) => {
    await tx.query(`SELECT set_config('drop.actor', 'system:dr-drill', true)`);
    await tx.query(
      `INSERT INTO quotes (id, user_id, country, quoted_by, send_amount_minor, fee_minor, receive_currency, receive_amount_minor,
                           rate, reference_rate, reference_source, reference_date, margin_bps, expires_at)
       VALUES ($1, $2, 'DE', 'send', 10000, 4900, 'EUR', 435, 0.0854448000, 0.0856589000, 'dr-drill', current_date, 25,
               now() + interval '30 minutes')`,
      [quoteId, customer.userId],
    );
    await tx.query(
      `INSERT INTO transactions (id, user_id, type, status, send_amount_minor, send_currency, fee_minor, receive_amount_minor,
                                 receive_currency, fx_rate, quote_id, recipient_id, ledger_shard, kid)
       VALUES ($1, $2, 'transfer', 'awaiting_funds', 10000, 'NOK', 4900, 435, 'EUR', 0.0854448000, $3, $4, $5, $6)`,
      [id, customer.userId, quoteId, customer.recipientId, shard, kid],
    );
    await tx.query(
      `SELECT ledger_post($1, jsonb_build_array(jsonb_build_object(
         'kind', 'pending', 'code', 'payin', 'debit', ledger_system_account('bank', 'NOK', $2::smallint),
         'credit', ledger_customer_account($3, 'NOK'), 'amount', 10000, 'currency', 'NOK')))`,
      [id, shard, customer.userId],
    );
  });
  return id;
}

export interface WriteLoad {
  /** Acknowledged so far, in acknowledgement order. */
  readonly acknowledged: readonly AcknowledgedTransfer[];
  /** Errors the writers met (a load that fails is reported, not hidden). */
  readonly errors: readonly string[];
  /** Stops the writers and waits for the transfers in flight. */
  stop(): Promise<AcknowledgedTransfer[]>;
}

/** Starts `writers` loops creating drill transfers back to back until stopped. */
export function startWriteLoad(db: Db, customer: DrillCustomer, options: { writers: number }): WriteLoad {
  const acknowledged: AcknowledgedTransfer[] = [];
  const errors: string[] = [];
  let running = true;
  let sequence = 0;
  const writer = async () => {
    while (running) {
      try {
        const id = await createDrillTransfer(db, customer, sequence++);
        acknowledged.push({ id, ackedAt: Date.now() });
      } catch (error) {
        if (errors.length < 20) errors.push((error as Error).message);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const writers = Array.from({ length: options.writers }, () => writer());
  return {
    acknowledged,
    errors,
    async stop() {
      running = false;
      await Promise.all(writers);
      return acknowledged;
    },
  };
}

/** Cancels the drill's transfers still awaiting funds (the pay-in reservations voided), in one transaction. */
export async function cancelDrillTransfers(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id FROM transactions WHERE id = ANY ($1::text[]) AND status = 'awaiting_funds' ORDER BY id`,
      [ids],
    );
    for (const row of rows) {
      await transitionTransferIn(tx, { transactionId: row.id, to: 'cancelled', actor: 'system:dr-drill', reason: 'DR drill write load' });
    }
    return rows.length;
  });
}
