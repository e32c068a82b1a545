import type { TimelineEntry, TransferJson } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';
import type { TransferStatus } from './transfer-status.ts';

/** The API's view of a transfer; built by the SQL function transfer_json, shaped by the contract. */
export type { TransferJson } from '@drop/contracts';
/** A timeline entry: 'customer', 'staff' or 'system' says who acted without naming staff. */
export type TransferEvent = TimelineEntry;

export async function listTransfers(db: DbClient, input: { userId: string; limit: number }): Promise<TransferJson[]> {
  const { rows } = await db.query<{ transfer: TransferJson }>(
    `SELECT transfer_json(id) AS transfer FROM transactions
      WHERE user_id = $1 AND type = 'transfer' ORDER BY created_at DESC, id DESC LIMIT $2`,
    [input.userId, input.limit],
  );
  return rows.map((row) => row.transfer);
}

/** One of the customer's transfers with its timeline; NOT_FOUND for anyone else's. */
export async function getTransfer(
  db: DbClient,
  input: { userId: string; transactionId: string },
): Promise<TransferJson & { timeline: TransferEvent[] }> {
  const { rows } = await db.query<{ transfer: TransferJson }>(
    `SELECT transfer_json(id) AS transfer FROM transactions WHERE id = $1 AND user_id = $2 AND type = 'transfer'`,
    [input.transactionId, input.userId],
  );
  const transfer = rows[0]?.transfer;
  if (!transfer) throw new DomainError('NOT_FOUND', 'No such transfer.');
  const timelines = await timelinesOf(db, input.userId, [input.transactionId]);
  return { ...transfer, timeline: timelines.get(input.transactionId) ?? [] };
}

/** Every transfer of the customer, newest first, each with its timeline (the data export). */
export async function listTransfersWithTimelines(
  db: DbClient,
  input: { userId: string },
): Promise<Array<TransferJson & { timeline: TransferEvent[] }>> {
  const { rows } = await db.query<{ transfer: TransferJson }>(
    `SELECT transfer_json(id) AS transfer FROM transactions
      WHERE user_id = $1 AND type = 'transfer' ORDER BY created_at DESC, id DESC`,
    [input.userId],
  );
  const timelines = await timelinesOf(
    db,
    input.userId,
    rows.map((row) => row.transfer.id),
  );
  return rows.map((row) => ({ ...row.transfer, timeline: timelines.get(row.transfer.id) ?? [] }));
}

/**
 * The customer's view of transfers' timelines: from, to, when and who in three words. The
 * timeline's reason and the acting staff member stay internal (a hold's reason may name an AML
 * rule or a staff note, which hvitvaskingsloven § 26 forbids telling the customer).
 */
async function timelinesOf(db: DbClient, userId: string, transactionIds: string[]): Promise<Map<string, TransferEvent[]>> {
  const events = await db.query<{
    transaction_id: string;
    from_status: TransferStatus | null;
    to_status: TransferStatus;
    at: string;
    actor: string;
  }>(
    `SELECT transaction_id, from_status, to_status, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, actor
       FROM transfer_events WHERE transaction_id = ANY($1::text[]) ORDER BY id`,
    [transactionIds],
  );
  const by = (actor: string): TransferEvent['by'] =>
    actor === userId ? 'customer' : actor.startsWith('stf_') || actor.startsWith('staff:') ? 'staff' : 'system';
  const timelines = new Map<string, TransferEvent[]>();
  for (const e of events.rows) {
    const timeline = timelines.get(e.transaction_id) ?? [];
    timeline.push({ from: e.from_status, to: e.to_status, at: e.at, by: by(e.actor) });
    timelines.set(e.transaction_id, timeline);
  }
  return timelines;
}
