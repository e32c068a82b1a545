/**
 * P1–P12 of the reliability anchors (§4.4), checked against the database, the client's history
 * and the payout partner's own ledger. Each check names what it found wrong; an empty list is a pass.
 *
 *   P1–P3, P8: verifyDatabase (what `drop db verify` runs): the ledger's invariants (conservation
 *              per currency, balances equal the fold of the postings, no balance limit breached
 *              (no negative customer funds), every transfer's postings agree with its status) and
 *              the audit log's hash chain (P9)
 *   P4, P6:    one transfer per idempotency key, and no transfer of these customers that no
 *              acknowledged create returned (a duplicate of a retried create)
 *   P5:        every acknowledged create is there (verifyDatabase's expected transfers), every
 *              acknowledged cancel is cancelled, every acknowledged pay-in funded its transfer
 *   P7:        no transfer paid twice at the partner (the simulator counts fundings)
 *   P10:       each webhook applied once: at most one paid_out step and one payout confirmation per transfer
 *   P11:       a session revoked before the faults is still refused
 */
import { verifyDatabase } from '@drop/core';
import type pg from 'pg';
import type { LoadHistory } from './load.ts';

export interface PartnerPayouts {
  transfers: Array<{ id: number; customerTransactionId: string; state: string; payments: number }>;
}

export interface CheckOutcome {
  name: string;
  ok: boolean;
  detail?: unknown;
}

export async function checkInvariants(input: {
  pool: pg.Pool;
  history: LoadHistory;
  customerIds: readonly string[];
  partnerPayouts: () => Promise<PartnerPayouts>;
  revokedSessionAnswer: () => Promise<number>;
  /** The load has stopped and every request was answered or given up: transfers can be matched one to one. */
  final: boolean;
}): Promise<{ outcomes: CheckOutcome[]; lost: number; duplicated: number }> {
  const { pool, history } = input;
  const outcomes: CheckOutcome[] = [];
  const acked = [...history.acknowledged];
  const created = acked.filter((write) => write.kind === 'create');

  const verification = await verifyDatabase(pool, { expectTransactionIds: created.map((write) => write.transferId) });
  for (const check of verification.checks)
    outcomes.push({ name: `db verify: ${check.name}`, ok: check.ok, ...(check.ok ? {} : { detail: check.detail }) });

  // P4: each acknowledged key holds exactly the transfer its answer named.
  const keys = await pool.query<{ key: string; transaction_id: string | null }>(
    `SELECT key, transaction_id FROM idempotency_keys WHERE user_id = ANY($1::text[])`,
    [input.customerIds],
  );
  const byKey = new Map(keys.rows.map((row) => [row.key, row.transaction_id]));
  let lost = 0;
  let duplicatedCount = 0;
  const expected = verification.checks.find((check) => check.name === 'expected_transfers');
  lost += Number((expected?.detail as { missingCount?: number } | undefined)?.missingCount ?? 0);
  const keyMismatch = created.filter((write) => byKey.get(write.key) !== write.transferId).map((write) => write.key);
  outcomes.push({ name: 'P4 one transfer per key, the one acknowledged', ok: keyMismatch.length === 0, detail: keyMismatch.slice(0, 10) });

  // P4/P6: every transfer of these customers came from a key the client sent; those the client
  // never heard about (a create unanswered at the deadline) are allowed once each.
  const transfers = await pool.query<{ id: string; status: string; held_from: string | null }>(
    `SELECT id, status, held_from FROM transactions WHERE type = 'transfer' AND user_id = ANY($1::text[])`,
    [input.customerIds],
  );
  const ackedIds = new Set(created.map((write) => write.transferId));
  const unansweredKeys = new Set(history.unanswered.filter((write) => write.kind === 'create').map((write) => write.key));
  const unansweredIds = new Set(keys.rows.filter((row) => unansweredKeys.has(row.key)).map((row) => row.transaction_id));
  // Only once the load has stopped: mid-run, a create whose answer is on its way is not a duplicate.
  if (input.final) {
    const duplicated = transfers.rows.filter((row) => !ackedIds.has(row.id) && !unansweredIds.has(row.id)).map((row) => row.id);
    duplicatedCount += duplicated.length;
    outcomes.push({ name: 'P4/P6 no transfer beyond the acknowledged ones', ok: duplicated.length === 0, detail: duplicated.slice(0, 10) });
  }

  // P5: acknowledged cancels and pay-ins took effect.
  const statusOf = new Map(transfers.rows.map((row) => [row.id, row.held_from ?? row.status]));
  const refunds = await pool.query<{ transaction_id: string }>(
    `SELECT transaction_id FROM customer_refunds WHERE transaction_id = ANY($1::text[])`,
    [acked.filter((write) => write.kind === 'cancel').map((write) => write.transferId)],
  );
  const refundOwed = new Set(refunds.rows.map((row) => row.transaction_id));
  const lostCancels = acked
    .filter((write) => write.kind === 'cancel' && statusOf.get(write.transferId) !== 'cancelled' && !refundOwed.has(write.transferId))
    .map((write) => `${write.transferId} ${statusOf.get(write.transferId)}`);
  const lostPayins = acked
    .filter((write) => write.kind === 'payin' && ['awaiting_funds', 'cancelled', undefined].includes(statusOf.get(write.transferId)))
    .map((write) => `${write.transferId} ${statusOf.get(write.transferId)}`);
  lost += lostCancels.length + lostPayins.length;
  duplicatedCount += keyMismatch.length;
  outcomes.push({ name: 'P5 acknowledged cancels took effect', ok: lostCancels.length === 0, detail: lostCancels.slice(0, 10) });
  outcomes.push({ name: 'P5 acknowledged pay-ins funded their transfer', ok: lostPayins.length === 0, detail: lostPayins.slice(0, 10) });

  // P7: the partner's own ledger: one funded transfer per Drop payout, none unknown to Drop.
  const partner = await input.partnerPayouts();
  const payouts = await pool.query<{ transaction_id: string; idempotency_key: string }>(
    `SELECT transaction_id, idempotency_key::text FROM payouts`,
  );
  const transferOfKey = new Map(payouts.rows.map((row) => [row.idempotency_key, row.transaction_id]));
  const paidPerTransfer = new Map<string, number>();
  const unknownAtDrop: number[] = [];
  for (const transfer of partner.transfers) {
    const transactionId = transferOfKey.get(transfer.customerTransactionId);
    if (!transactionId) {
      unknownAtDrop.push(transfer.id);
      continue;
    }
    paidPerTransfer.set(transactionId, (paidPerTransfer.get(transactionId) ?? 0) + transfer.payments);
  }
  const paidTwice = [...paidPerTransfer].filter(([, payments]) => payments > 1).map(([id]) => id);
  duplicatedCount += paidTwice.length + unknownAtDrop.length;
  outcomes.push({ name: 'P7 no transfer paid out twice by the partner', ok: paidTwice.length === 0, detail: paidTwice.slice(0, 10) });
  outcomes.push({
    name: "P7 every partner payout is one of Drop's payouts",
    ok: unknownAtDrop.length === 0,
    detail: unknownAtDrop.slice(0, 10),
  });

  // P10: each payout webhook applied once (a repeat changes nothing).
  const applied = await pool.query<{ transaction_id: string; steps: number; confirmations: number }>(
    `SELECT t.id AS transaction_id,
            (SELECT count(*)::int FROM transfer_events e WHERE e.transaction_id = t.id AND e.to_status = 'paid_out') AS steps,
            (SELECT count(*)::int FROM ledger_transfers l WHERE l.transaction_id = t.id AND l.code = 'payout_confirmed') AS confirmations
       FROM transactions t WHERE t.user_id = ANY($1::text[])`,
    [input.customerIds],
  );
  const appliedTwice = applied.rows.filter((row) => row.steps > 1 || row.confirmations > 1).map((row) => row.transaction_id);
  duplicatedCount += appliedTwice.length;
  outcomes.push({ name: 'P10 each payout webhook applied once', ok: appliedTwice.length === 0, detail: appliedTwice.slice(0, 10) });

  // P11
  const revoked = await input.revokedSessionAnswer();
  outcomes.push({ name: 'P11 a revoked session stays revoked', ok: revoked === 401, detail: { status: revoked } });

  // 500s are bugs: a fault must answer 503 to retry.
  outcomes.push({ name: 'no 500 answer', ok: history.internalErrors.length === 0, detail: history.internalErrors.slice(0, 5) });
  return {
    outcomes: outcomes.map((outcome) => (outcome.ok ? { name: outcome.name, ok: true } : outcome)),
    lost,
    duplicated: duplicatedCount,
  };
}

/**
 * P12 at the end: every funded transfer reached an end (paid out) or waits for a person (held, a
 * refund owed); nothing is stuck in funds_received or processing.
 */
export async function stuckTransfers(pool: pg.Pool, customerIds: readonly string[]): Promise<Array<{ id: string; status: string }>> {
  const { rows } = await pool.query<{ id: string; status: string }>(
    `SELECT t.id, t.status FROM transactions t
      WHERE t.type = 'transfer' AND t.user_id = ANY($1::text[]) AND t.status IN ('funds_received', 'processing')
        AND NOT EXISTS (SELECT 1 FROM customer_refunds r WHERE r.transaction_id = t.id)`,
    [customerIds],
  );
  return rows;
}
