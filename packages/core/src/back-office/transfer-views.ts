import { parseCustomerNumber, parseTransferReference } from '@drop/check-digits';
import type {
  KycStatus,
  LedgerBalance,
  LedgerPurpose,
  Posting,
  StaffBankEntry,
  StaffCustomerRefund,
  StaffPayout,
  StaffTimelineEvent,
  StaffTransferDetail,
  StaffTransferList,
  StaffTransferRow,
  TransferJson,
  TransferListView,
  TransferStatus,
} from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { DomainError } from '../errors.ts';
import { LEDGER_ACCOUNT_BALANCES_SQL } from '../ledger/rollup-ledger.ts';
import { maskAccountNumber } from '../notifications/customer-formatting.ts';

/**
 * Transfers as staff see them in the console. The lists are the operations runbook's queries
 * (section 6.3) with their WHERE and ORDER BY unchanged, so the console and an operator in psql
 * see the same rows in the same order; `held` is the compliance queue of held transfers.
 */

export { TRANSFER_LIST_VIEWS, type TransferListView } from '@drop/contracts';

/** Views the runbook does not cap are capped here; `truncated` says when there were more rows. */
export const TRANSFER_LIST_CAP = 500;

const VIEWS: Record<TransferListView, { where: string; orderBy: string; limit: number }> = {
  // SELECT id, type, status, send_amount, send_currency, created_at FROM transactions
  //  WHERE created_at > NOW() - INTERVAL '24 hours' ORDER BY created_at DESC LIMIT 50;
  recent: { where: `t.created_at > NOW() - INTERVAL '24 hours'`, orderBy: 't.created_at DESC, t.id DESC', limit: 50 },
  // SELECT t.*, u.email FROM transactions t JOIN users u ON t.user_id = u.id
  //  WHERE t.status = 'failed' AND t.created_at > NOW() - INTERVAL '7 days' ORDER BY t.created_at DESC;
  failed: {
    where: `t.status = 'failed' AND t.created_at > NOW() - INTERVAL '7 days'`,
    orderBy: 't.created_at DESC, t.id DESC',
    limit: TRANSFER_LIST_CAP,
  },
  // SELECT * FROM transactions WHERE send_amount > 50000 AND created_at > NOW() - INTERVAL '30 days'
  //  ORDER BY send_amount DESC;
  large: {
    where: `t.send_amount > 50000 AND t.created_at > NOW() - INTERVAL '30 days'`,
    orderBy: 't.send_amount DESC, t.id DESC',
    limit: TRANSFER_LIST_CAP,
  },
  // Held by compliance, waiting for a release or a stop (four eyes): oldest first.
  held: { where: `t.status = 'held'`, orderBy: 't.created_at ASC, t.id ASC', limit: TRANSFER_LIST_CAP },
};

// The `t.id` after each runbook ORDER BY only breaks ties the runbook leaves to chance (ids are
// time-sortable), so wherever the runbook's order is defined, the console's is the same.

export type { StaffTransferList, StaffTransferRow } from '@drop/contracts';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A search answers at most this many transfers, newest first. */
const SEARCH_LIMIT = 50;

/**
 * What a search term can be, each normalised the way a person might type it: a transfer reference
 * (any case, dashes or spaces, the check character must agree), an internal id, a KID (digits,
 * spaces ignored) or a customer number (check digit must agree). A term that is none of them
 * matches nothing.
 */
function searchTerms(query: string) {
  const digits = query.replace(/[\s.-]/g, '');
  return {
    id: query,
    reference: parseTransferReference(query) ?? null,
    kid: /^\d{4,25}$/.test(digits) ? digits : null,
    customerNumber: parseCustomerNumber(query) ?? null,
  };
}

/** A transfer as staff lists show it, as the database gives it (`t` transactions, `u` users). */
export interface StaffTransferDbRow {
  id: string;
  reference: string;
  type: 'transfer' | 'refund';
  status: TransferStatus;
  user_id: string;
  name: string | null;
  email: string | null;
  send_amount: string;
  fee_amount: string;
  send_currency: string;
  receive_amount: string | null;
  receive_currency: string | null;
  failure_reason: string | null;
  created_at: string;
}

/** The columns of a StaffTransferDbRow, over `transactions t JOIN users u`. */
export const STAFF_TRANSFER_COLUMNS = `t.id, t.reference, t.type, t.status, t.user_id, u.full_name AS name, u.email,
            format_minor(t.send_amount_minor, t.send_currency) AS send_amount,
            format_minor(t.fee_minor, t.send_currency) AS fee_amount, t.send_currency,
            format_minor(t.receive_amount_minor, t.receive_currency) AS receive_amount, t.receive_currency,
            t.failure_reason, ${ISO('t.created_at')} AS created_at`;

/** A StaffTransferDbRow as the contract's row (the transfer lists, a customer's profile). */
export function toStaffTransferRow(row: StaffTransferDbRow): StaffTransferRow {
  return {
    id: row.id,
    reference: row.reference,
    type: row.type,
    status: row.status,
    customer: { id: row.user_id, name: row.name, email: row.email },
    send: { amount: row.send_amount, currency: row.send_currency },
    fee: { amount: row.fee_amount, currency: row.send_currency },
    receive:
      row.receive_amount !== null && row.receive_currency !== null ? { amount: row.receive_amount, currency: row.receive_currency } : null,
    failureReason: row.failure_reason,
    createdAt: row.created_at,
  };
}

/**
 * One of the runbook's transfer lists, optionally for one customer; or, with `query`, the
 * transfers that search finds among all of them (newest first, the view's window not applied).
 */
export async function listTransfersForStaff(
  db: Db,
  input: { view: TransferListView; customerId?: string | undefined; query?: string | undefined },
): Promise<StaffTransferList> {
  const query = input.query?.trim() || null;
  const view = query
    ? {
        // Each term through its own unique index (a bitmap OR on transactions, the customer's number on users).
        where: `t.id IN (SELECT id FROM transactions WHERE id = $3 OR reference = $4 OR kid = $5
                         UNION ALL SELECT c.id FROM transactions c JOIN users n ON n.id = c.user_id WHERE n.customer_number = $6)`,
        orderBy: 't.created_at DESC, t.id DESC',
        limit: SEARCH_LIMIT,
      }
    : VIEWS[input.view];
  const customerId = input.customerId ?? null;
  const terms = query ? searchTerms(query) : null;
  const { rows } = await db.query<StaffTransferDbRow>(
    `SELECT ${STAFF_TRANSFER_COLUMNS}
       FROM transactions t JOIN users u ON t.user_id = u.id
      WHERE ${view.where} AND ($1::text IS NULL OR t.user_id = $1)
      ORDER BY ${view.orderBy} LIMIT $2`,
    terms ? [customerId, view.limit + 1, terms.id, terms.reference, terms.kid, terms.customerNumber] : [customerId, view.limit + 1],
  );
  return {
    view: input.view,
    customerId,
    query,
    limit: view.limit,
    truncated: rows.length > view.limit,
    transfers: rows.slice(0, view.limit).map(toStaffTransferRow),
  };
}

export type {
  LedgerAccount as StaffLedgerAccount,
  LedgerPurpose,
  Posting as StaffPosting,
  StaffBankEntry,
  StaffCustomerRefund,
  StaffPayout,
  StaffTimelineEvent,
  StaffTransferDetail,
} from '@drop/contracts';

/**
 * One transfer for support and compliance: the API's view of it (transfer_json), the customer,
 * the recipient with the payout details, the timeline with who acted, every ledger posting with
 * the accounts it moved money between, and where the money is outside Drop: the bank payments
 * that funded it, the payout at the partner and any refund to the customer (paying accounts
 * masked). Read in one snapshot, so the parts agree.
 */
export async function getTransferForStaff(db: Db, input: { transactionId: string }): Promise<StaffTransferDetail> {
  return withTransaction(
    db,
    async (client) => {
      const head = await client.query<{
        transfer: TransferJson;
        type: 'transfer' | 'refund';
        held_from: TransferStatus | null;
        ledger_shard: number;
        user_id: string;
        name: string | null;
        email: string | null;
        kyc_status: KycStatus;
        user_deleted_at: string | null;
        recipient_id: string | null;
        recipient_name: string | null;
        recipient_country: string | null;
        recipient_currency: string | null;
        rail: string | null;
        relationship: string | null;
        display: string | null;
        details: Record<string, string> | null;
        recipient_deleted_at: string | null;
      }>(
        `SELECT transfer_json(t.id) AS transfer, t.type, t.held_from, t.ledger_shard,
              u.id AS user_id, u.full_name AS name, u.email, u.kyc_status, ${ISO('u.deleted_at')} AS user_deleted_at,
              r.id AS recipient_id, r.name AS recipient_name, r.country AS recipient_country, r.currency AS recipient_currency,
              r.rail, r.relationship, r.display, r.details, ${ISO('r.deleted_at')} AS recipient_deleted_at
         FROM transactions t JOIN users u ON t.user_id = u.id LEFT JOIN recipients r ON r.id = t.recipient_id
        WHERE t.id = $1`,
        [input.transactionId],
      );
      const row = head.rows[0];
      if (!row) throw new DomainError('NOT_FOUND', 'No such transfer.');

      const events = await client.query<{
        from_status: TransferStatus | null;
        to_status: TransferStatus;
        at: string;
        actor: string;
        actor_name: string | null;
        reason: string | null;
      }>(
        `SELECT e.from_status, e.to_status, ${ISO('e.at')} AS at, e.actor, s.full_name AS actor_name, e.reason
         FROM transfer_events e LEFT JOIN staff s ON s.id = e.actor
        WHERE e.transaction_id = $1 ORDER BY e.id`,
        [input.transactionId],
      );

      const postings = await client.query<{
        id: string;
        code: string;
        kind: Posting['kind'];
        pending_id: string | null;
        amount: string;
        currency: string;
        created_at: string;
        debit_id: string;
        debit_purpose: LedgerPurpose;
        debit_currency: string;
        debit_shard: number;
        debit_user_id: string | null;
        credit_id: string;
        credit_purpose: LedgerPurpose;
        credit_currency: string;
        credit_shard: number;
        credit_user_id: string | null;
      }>(
        `SELECT l.id::text, l.code, l.kind, l.pending_id::text, format_minor(l.amount, l.currency) AS amount, l.currency,
              ${ISO('l.created_at')} AS created_at,
              d.id::text AS debit_id, d.purpose AS debit_purpose, d.currency AS debit_currency, d.shard AS debit_shard, d.user_id AS debit_user_id,
              c.id::text AS credit_id, c.purpose AS credit_purpose, c.currency AS credit_currency, c.shard AS credit_shard, c.user_id AS credit_user_id
         FROM ledger_transfers l
         JOIN ledger_accounts d ON d.id = l.debit_account_id
         JOIN ledger_accounts c ON c.id = l.credit_account_id
        WHERE l.transaction_id = $1 ORDER BY l.id`,
        [input.transactionId],
      );

      const payouts = await client.query<{
        partner: string;
        state: StaffPayout['state'];
        partner_reference: string | null;
        partner_state: string | null;
        attempts: number;
        last_error: string | null;
        created_at: string;
        sent_at: string | null;
        settled_at: string | null;
      }>(
        `SELECT partner, state, partner_reference, partner_state, attempts, last_error,
              ${ISO('created_at')} AS created_at, ${ISO('sent_at')} AS sent_at, ${ISO('settled_at')} AS settled_at
         FROM payouts WHERE transaction_id = $1`,
        [input.transactionId],
      );

      const entries = await client.query<{
        reference: string;
        amount: string;
        currency: string;
        booking_date: string | null;
        status: StaffBankEntry['status'];
        debtor_name: string | null;
        debtor_account: string | null;
      }>(
        `SELECT reference, format_minor(amount_minor, currency) AS amount, currency, to_char(booking_date, 'YYYY-MM-DD') AS booking_date,
              status, debtor_name, debtor_account
         FROM bank_entries WHERE transaction_id = $1 ORDER BY created_at, id`,
        [input.transactionId],
      );

      const refunds = await client.query<{
        amount: string;
        currency: string;
        to_account: string | null;
        state: StaffCustomerRefund['state'];
        reason: string;
        created_at: string;
        sent_at: string | null;
      }>(
        `SELECT format_minor(amount_minor, currency) AS amount, currency, to_account, state, reason,
              ${ISO('created_at')} AS created_at, ${ISO('sent_at')} AS sent_at
         FROM customer_refunds WHERE transaction_id = $1`,
        [input.transactionId],
      );

      const payout = payouts.rows[0];
      const refund = refunds.rows[0];
      const actorKind = (actor: string): StaffTimelineEvent['actorKind'] =>
        actor === row.user_id ? 'customer' : actor.startsWith('stf_') ? 'staff' : 'system';
      return {
        transfer: { ...row.transfer, type: row.type, heldFrom: row.held_from, ledgerShard: row.ledger_shard },
        customer: { id: row.user_id, name: row.name, email: row.email, kycStatus: row.kyc_status, deletedAt: row.user_deleted_at },
        recipient:
          row.recipient_id === null
            ? null
            : {
                id: row.recipient_id,
                name: row.recipient_name ?? '',
                country: row.recipient_country ?? '',
                currency: row.recipient_currency ?? '',
                rail: row.rail ?? '',
                relationship: row.relationship ?? '',
                display: row.display ?? '',
                details: Object.fromEntries(Object.entries(row.details ?? {}).map(([key, value]) => [key, String(value)])),
                deletedAt: row.recipient_deleted_at,
              },
        timeline: events.rows.map((event) => ({
          from: event.from_status,
          to: event.to_status,
          at: event.at,
          actor: event.actor,
          actorKind: actorKind(event.actor),
          actorName: event.actor_name,
          reason: event.reason,
        })),
        postings: postings.rows.map((posting) => ({
          id: posting.id,
          code: posting.code,
          kind: posting.kind,
          pendingId: posting.pending_id,
          debit: {
            id: posting.debit_id,
            purpose: posting.debit_purpose,
            currency: posting.debit_currency,
            shard: posting.debit_shard,
            userId: posting.debit_user_id,
          },
          credit: {
            id: posting.credit_id,
            purpose: posting.credit_purpose,
            currency: posting.credit_currency,
            shard: posting.credit_shard,
            userId: posting.credit_user_id,
          },
          amount: { amount: posting.amount, currency: posting.currency },
          createdAt: posting.created_at,
        })),
        payout: payout
          ? {
              partner: payout.partner,
              state: payout.state,
              partnerReference: payout.partner_reference,
              partnerState: payout.partner_state,
              attempts: payout.attempts,
              lastError: payout.last_error,
              createdAt: payout.created_at,
              sentAt: payout.sent_at,
              settledAt: payout.settled_at,
            }
          : null,
        bankEntries: entries.rows.map((entry) => ({
          reference: entry.reference,
          amount: { amount: entry.amount, currency: entry.currency },
          bookingDate: entry.booking_date,
          status: entry.status,
          debtorName: entry.debtor_name,
          debtorAccount: entry.debtor_account === null ? null : maskAccountNumber(entry.debtor_account),
        })),
        customerRefund: refund
          ? {
              amount: { amount: refund.amount, currency: refund.currency },
              toAccount: refund.to_account === null ? null : maskAccountNumber(refund.to_account),
              state: refund.state,
              reason: refund.reason,
              createdAt: refund.created_at,
              sentAt: refund.sent_at,
            }
          : null,
      };
    },
    { snapshot: true },
  );
}

export type { LedgerBalance } from '@drop/contracts';

/** Balances per purpose and currency, summed over shards (and customers), in major units. */
export async function ledgerBalances(db: Db): Promise<LedgerBalance[]> {
  // Each account's row plus the pending changes ledger_post deferred for it (not yet rolled up by
  // the worker's ledger:rollup), in one read. A read only: no roll-up here, which would take locks,
  // wait behind a long transaction and fail on a read replica.
  const { rows } = await db.query<{
    purpose: LedgerPurpose;
    currency: string;
    accounts: number;
    debits_pending: string;
    debits_posted: string;
    credits_pending: string;
    credits_posted: string;
    posted_net: string;
  }>(
    `WITH sums AS (
       SELECT purpose, currency, count(*)::int AS accounts,
              sum(debits_pending)::bigint AS dp, sum(debits_posted)::bigint AS dpo,
              sum(credits_pending)::bigint AS cp, sum(credits_posted)::bigint AS cpo
         FROM ${LEDGER_ACCOUNT_BALANCES_SQL} a
        GROUP BY purpose, currency
     )
     SELECT purpose, currency, accounts,
            format_minor(dp, currency) AS debits_pending, format_minor(dpo, currency) AS debits_posted,
            format_minor(cp, currency) AS credits_pending, format_minor(cpo, currency) AS credits_posted,
            CASE WHEN cpo < dpo THEN '-' || format_minor(dpo - cpo, currency) ELSE format_minor(cpo - dpo, currency) END AS posted_net
       FROM sums
      ORDER BY array_position(ARRAY['bank', 'customer_funds', 'fee_revenue', 'fx_position', 'partner_clearing', 'suspense'], purpose), currency`,
  );
  return rows.map((row) => ({
    purpose: row.purpose,
    currency: row.currency,
    accounts: row.accounts,
    debitsPending: row.debits_pending,
    debitsPosted: row.debits_posted,
    creditsPending: row.credits_pending,
    creditsPosted: row.credits_posted,
    postedNet: row.posted_net,
  }));
}
