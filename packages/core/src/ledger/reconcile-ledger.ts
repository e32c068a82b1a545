import { type DbClient, withTransaction } from '@drop/db';
import type { PayoutPartnerState } from '../payouts/payout-partner.ts';

/**
 * Reconciliation: the ledger against the outside world's records of the same money. verifyLedger
 * checks that the ledger agrees with itself; this checks that it agrees with the bank statements
 * Drop imported (`bank_entries`), with the payout partner, and with Drop's own records of money
 * sent back (`customer_refunds`). Every difference is listed for finance and the auditors.
 */
export const RECONCILIATION_CHECKS = ['bank_credits', 'suspense', 'bank_account', 'payouts', 'payout_partner', 'refunds'] as const;
export type ReconciliationCheck = (typeof RECONCILIATION_CHECKS)[number];

export interface ReconciliationDifference {
  check: ReconciliationCheck;
  /** error: money or a record is wrong; warning: explained, expected to clear, or older data made by hand. */
  severity: 'error' | 'warning';
  /** What differs: a transfer (`tx_…`), a bank entry (`be_…`), or an account (`suspense NOK`, `bank NOK`). */
  subject: string;
  /** What agreement would look like. */
  expected: string;
  /** What was found. */
  actual: string;
  detail: string;
}

export interface ReconciliationCount {
  /**
   * Records compared: bank credits that funded a transfer plus pay-ins posted (bank_credits); NOK
   * credits that went through suspense (suspense); NOK statement entries (bank_account); payouts
   * plus transfers in processing or paid out (payouts); payouts asked about (payout_partner);
   * refund records plus refund postings (refunds).
   */
  checked: number;
  errors: number;
  warnings: number;
}

export interface ReconciliationReport {
  /** No error-severity difference (warnings allowed). */
  ok: boolean;
  /** The instant the database was read (one snapshot for every check but the partner's answers). */
  checkedAt: string;
  /** The partner asked, and since when its paid payouts were asked about; null when it was not asked. */
  partner: { name: string; since: string } | null;
  counts: Record<ReconciliationCheck, ReconciliationCount>;
  differences: ReconciliationDifference[];
}

/** Where a payout stands at the partner now (WisePayoutPartner.fetchState has this shape). */
export interface PayoutPartnerStatusSource {
  readonly name: string;
  fetchState(partnerReference: string): Promise<{ state: PayoutPartnerState; partnerState: string }>;
}

export interface ReconcileOptions {
  /** Ask this partner about every payout Drop shows as sent, and every paid one settled since `since`. */
  partner?: PayoutPartnerStatusSource;
  /** Default: seven days before the check. */
  since?: Date;
}

type Row = Omit<ReconciliationDifference, 'check'>;

// SQL fragments: an amount as the API shows it, and a time in UTC.
// (Sums of bigint are numeric in PostgreSQL: cast back.)
const nok = (expression: string) => `('NOK ' || format_minor((${expression})::bigint, 'NOK'))`;
const money = (amount: string, currency: string) => `(${currency} || ' ' || format_minor((${amount})::bigint, ${currency}))`;
const utc = (expression: string) => `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

/** Money Drop recorded as sent out of the client account, paired one-to-one with statement debits of the same amount. */
const OUTGOING_PAIRED = `
  outgoing AS (
    SELECT l.transaction_id AS subject, l.amount, coalesce(cr.sent_at, l.created_at) AS at,
           CASE WHEN cr.transaction_id IS NULL THEN 'refund (no refund record)' ELSE 'customer refund' END AS what,
           cr.transaction_id IS NOT NULL AS tracked
      FROM ledger_transfers l LEFT JOIN customer_refunds cr ON cr.transaction_id = l.transaction_id AND cr.state = 'sent'
     WHERE l.code = 'refund' AND l.kind = 'posted' AND l.currency = 'NOK'
    UNION ALL
    SELECT e.id, e.amount_minor, e.resolved_at, 'payment sent back from the exceptions queue', true
      FROM bank_entries e WHERE e.status = 'refunded' AND e.credit_debit = 'CRDT' AND e.currency = 'NOK'
    UNION ALL
    SELECT e.id, e.amount_minor - t.send_amount_minor, e.resolved_at, 'overpayment sent back', true
      FROM bank_entries e JOIN transactions t ON t.id = e.transaction_id
     WHERE e.status = 'resolved' AND e.credit_debit = 'CRDT' AND e.currency = 'NOK' AND e.amount_minor > t.send_amount_minor
  ), debits AS (
    SELECT e.id, e.amount_minor AS amount,
           row_number() OVER (PARTITION BY e.amount_minor
                              ORDER BY coalesce(e.booking_date, e.value_date, e.created_at::date), e.created_at, e.id) AS n
      FROM bank_entries e WHERE e.credit_debit = 'DBIT' AND e.currency = 'NOK'
  ), paired AS (
    SELECT o.subject, o.amount, o.at, o.what, o.tracked, d.id AS debit
      FROM (SELECT o.*, row_number() OVER (PARTITION BY o.amount ORDER BY o.at, o.subject) AS n FROM outgoing o) o
      LEFT JOIN debits d ON d.amount = o.amount AND d.n = o.n
  )`;

const payoutDetail = `format('The payout is %s at %s%s; the transfer is %s.', p.state, p.partner,
  coalesce(' (' || p.partner_reference || ', ' || coalesce(p.partner_state, '?') || ')', ''), t.status)`;

// Each query's rows are differences (subject, severity, expected, actual, detail), read in one snapshot.
const QUERIES: ReadonlyArray<{ check: Exclude<ReconciliationCheck, 'payout_partner'>; sql: string }> = [
  {
    // Every bank credit that funded a transfer: the transfer exists, costs what was paid, and its
    // pay-in is posted in the ledger for its send amount, once.
    check: 'bank_credits',
    sql: `WITH credits AS (
            SELECT e.id, e.status, e.amount_minor, e.currency, e.transaction_id, e.reference,
                   row_number() OVER (PARTITION BY e.transaction_id ORDER BY e.created_at, e.id) AS nth,
                   first_value(e.id) OVER (PARTITION BY e.transaction_id ORDER BY e.created_at, e.id) AS first_credit
              FROM bank_entries e
             WHERE e.credit_debit = 'CRDT' AND e.status IN ('matched', 'resolved')
          ), facts AS (
            SELECT c.*, t.id AS transfer, t.status AS transfer_status, t.send_amount_minor AS due,
                   (SELECT sum(l.amount) FROM ledger_transfers l
                     WHERE l.transaction_id = t.id AND l.code = 'payin_received' AND l.kind = 'post_pending') AS posted
              FROM credits c LEFT JOIN transactions t ON t.id = c.transaction_id
          ), problems AS (
            SELECT f.*, CASE
                WHEN f.transfer IS NULL THEN 'no_transfer'
                WHEN f.currency <> 'NOK' THEN 'currency'
                WHEN f.amount_minor < f.due OR (f.status = 'matched' AND f.amount_minor <> f.due) THEN 'amount'
                WHEN f.posted IS NULL THEN 'not_posted'
                WHEN f.posted <> f.due THEN 'posted_amount'
                WHEN f.nth > 1 THEN 'twice'
              END AS problem
              FROM facts f
          )
          SELECT id AS subject, 'error' AS severity,
                 CASE problem
                   WHEN 'no_transfer' THEN 'the transfer it paid for'
                   WHEN 'currency' THEN 'a payment in NOK'
                   WHEN 'amount' THEN CASE WHEN status = 'matched' THEN '' ELSE 'at least ' END || ${nok('due')} || ', what ' || transfer || ' costs'
                   WHEN 'twice' THEN 'one bank payment for ' || transfer
                   ELSE 'the pay-in of ' || ${nok('due')} || ' posted for ' || transfer
                 END AS expected,
                 CASE problem
                   WHEN 'no_transfer' THEN coalesce('no transfer ' || transaction_id, 'no transfer named')
                   WHEN 'currency' THEN ${money('amount_minor', 'currency')}
                   WHEN 'amount' THEN ${nok('amount_minor')} || ' paid'
                   WHEN 'not_posted' THEN 'no pay-in posted (the transfer is ' || transfer_status || ')'
                   WHEN 'posted_amount' THEN 'a pay-in of ' || ${nok('posted')} || ' posted'
                   WHEN 'twice' THEN 'also paid by ' || first_credit
                 END AS actual,
                 format('Bank payment %s of %s, %s, %s.', reference, ${money('amount_minor', 'currency')}, status,
                        coalesce('for ' || transfer || ' (' || transfer_status || ')', 'for no transfer')) AS detail
            FROM problems WHERE problem IS NOT NULL ORDER BY id`,
  },
  {
    // Every pay-in posted in the ledger came with a bank credit. Older and demo transfers were
    // funded by hand, so these are warnings.
    check: 'bank_credits',
    sql: `SELECT t.id AS subject, 'warning' AS severity,
                 'a bank payment of ' || ${nok('t.send_amount_minor')} || ' matched to it' AS expected,
                 'none: a pay-in of ' || ${nok('l.amount')} || ' posted without a bank record' AS actual,
                 format('Marked funds_received by %s at %s; the transfer is %s.', coalesce(ev.actor, '?'),
                        coalesce(${utc('ev.at')}, '?'), t.status) AS detail
            FROM ledger_transfers l JOIN transactions t ON t.id = l.transaction_id
            LEFT JOIN LATERAL (
              SELECT actor, at FROM transfer_events WHERE transaction_id = t.id AND to_status = 'funds_received' ORDER BY id LIMIT 1
            ) ev ON true
           WHERE l.code = 'payin_received' AND l.kind = 'post_pending'
             AND NOT EXISTS (SELECT 1 FROM bank_entries e
                              WHERE e.transaction_id = t.id AND e.credit_debit = 'CRDT' AND e.status IN ('matched', 'resolved'))
           ORDER BY t.id`,
  },
  {
    // The unidentified receipts Drop holds: the NOK suspense accounts' balance equals the NOK
    // credits still in the exceptions queue, plus whatever of a resolved credit has not left suspense.
    check: 'suspense',
    sql: `WITH resolved AS (
            SELECT e.amount_minor - coalesce((SELECT sum(l.amount) FROM ledger_transfers l
                                               WHERE l.transaction_id = e.transaction_id AND l.currency = 'NOK'
                                                 AND l.code IN ('suspense_matched', 'suspense_refund')), 0) AS remaining
              FROM bank_entries e WHERE e.credit_debit = 'CRDT' AND e.currency = 'NOK' AND e.status = 'resolved'
          ), figures AS (
            SELECT (SELECT coalesce(sum(credits_posted - debits_posted), 0) FROM ledger_accounts
                     WHERE purpose = 'suspense' AND currency = 'NOK') AS held,
                   (SELECT count(*) FROM bank_entries WHERE credit_debit = 'CRDT' AND currency = 'NOK' AND status = 'exception') AS open_count,
                   (SELECT coalesce(sum(amount_minor), 0) FROM bank_entries
                     WHERE credit_debit = 'CRDT' AND currency = 'NOK' AND status = 'exception') AS open_amount,
                   (SELECT coalesce(sum(remaining), 0) FROM resolved) AS uncleared,
                   (SELECT coalesce(sum(amount), 0) FROM ledger_transfers WHERE code = 'unidentified_receipt' AND currency = 'NOK') AS received,
                   (SELECT coalesce(sum(amount), 0) FROM ledger_transfers WHERE code = 'suspense_matched' AND currency = 'NOK') AS matched,
                   (SELECT coalesce(sum(amount), 0) FROM ledger_transfers WHERE code = 'suspense_refund' AND currency = 'NOK') AS refunded
          )
          SELECT 'suspense NOK' AS subject, 'error' AS severity,
                 ${nok('open_amount + uncleared')} AS expected, ${nok('held')} AS actual,
                 format('Bank: %s payment(s) in the exceptions queue, %s%s. Ledger: %s of unidentified receipts in; %s matched to transfers and %s sent back out.',
                        open_count, ${nok('open_amount')},
                        CASE WHEN uncleared <> 0 THEN ', and ' || ${nok('uncleared')} || ' of resolved payments not yet out of suspense' ELSE '' END,
                        ${nok('received')}, ${nok('matched')}, ${nok('refunded')}) AS detail
            FROM figures WHERE held <> open_amount + uncleared`,
  },
  {
    // A payment staff matched by hand must leave suspense whole: the transfer's amount to it, any
    // excess back to the payer.
    check: 'suspense',
    sql: `SELECT id AS subject, CASE WHEN remaining > 0 THEN 'warning' ELSE 'error' END AS severity,
                 'all of ' || ${nok('amount_minor')} || ' out of suspense' AS expected,
                 CASE WHEN remaining > 0 THEN ${nok('remaining')} || ' still in suspense'
                      ELSE ${nok('-remaining')} || ' more taken out of suspense than it brought in' END AS actual,
                 format('Bank payment %s was matched by hand to %s (%s); %s of it went to the transfer and %s back to the payer.',
                        reference, transaction_id, ${nok('due')}, ${nok('matched')}, ${nok('refunded')}) AS detail
            FROM (
              SELECT e.id, e.reference, e.amount_minor, e.transaction_id, t.send_amount_minor AS due,
                     coalesce(m.matched, 0) AS matched, coalesce(m.refunded, 0) AS refunded,
                     e.amount_minor - coalesce(m.matched, 0) - coalesce(m.refunded, 0) AS remaining
                FROM bank_entries e LEFT JOIN transactions t ON t.id = e.transaction_id
                LEFT JOIN LATERAL (
                  SELECT sum(l.amount) FILTER (WHERE l.code = 'suspense_matched') AS matched,
                         sum(l.amount) FILTER (WHERE l.code = 'suspense_refund') AS refunded
                    FROM ledger_transfers l WHERE l.transaction_id = e.transaction_id AND l.currency = 'NOK'
                ) m ON true
               WHERE e.credit_debit = 'CRDT' AND e.currency = 'NOK' AND e.status = 'resolved'
            ) r
           WHERE remaining <> 0 ORDER BY id`,
  },
  {
    // The client account: the ledger's NOK bank balance against what the statements say came in
    // and went out. Statements lag (money sent today is booked tomorrow) and Drop funds the partner
    // from this account outside the ledger, so an explained difference is a warning; what nothing
    // explains is an error.
    check: 'bank_account',
    sql: `WITH ${OUTGOING_PAIRED}, figures AS (
            SELECT (SELECT coalesce(sum(debits_posted - credits_posted), 0) FROM ledger_accounts
                     WHERE purpose = 'bank' AND currency = 'NOK') AS ledger,
                   (SELECT coalesce(sum(amount_minor), 0) FROM bank_entries WHERE currency = 'NOK' AND credit_debit = 'CRDT') AS credits,
                   (SELECT coalesce(sum(amount_minor), 0) FROM bank_entries WHERE currency = 'NOK' AND credit_debit = 'DBIT') AS debits,
                   (SELECT count(*) FROM bank_entries WHERE currency = 'NOK') AS entries,
                   u.unbanked, u.unbanked_count,
                   (SELECT coalesce(sum(amount), 0) FROM paired WHERE debit IS NULL) AS unseen,
                   (SELECT count(*) FROM paired WHERE debit IS NULL) AS unseen_count,
                   (SELECT coalesce(sum(d.amount), 0) FROM debits d WHERE NOT EXISTS (SELECT 1 FROM paired p WHERE p.debit = d.id)) AS unknown,
                   (SELECT count(*) FROM debits d WHERE NOT EXISTS (SELECT 1 FROM paired p WHERE p.debit = d.id)) AS unknown_count
              FROM (SELECT coalesce(sum(l.amount), 0) AS unbanked, count(*) AS unbanked_count
                      FROM ledger_transfers l
                     WHERE l.code = 'payin_received' AND l.kind = 'post_pending'
                       AND NOT EXISTS (SELECT 1 FROM bank_entries e WHERE e.transaction_id = l.transaction_id
                                          AND e.credit_debit = 'CRDT' AND e.status IN ('matched', 'resolved'))) u
          ), explained AS (
            SELECT f.*, f.ledger - (f.credits - f.debits) AS difference,
                   f.ledger - (f.credits - f.debits) - f.unbanked + f.unseen - f.unknown AS unexplained
              FROM figures f
          )
          SELECT 'bank NOK' AS subject, CASE WHEN unexplained = 0 THEN 'warning' ELSE 'error' END AS severity,
                 ${nok('credits - debits')} || ' (statements: ' || entries || CASE WHEN entries = 1 THEN ' entry' ELSE ' entries' END || ', credits ' || ${nok('credits')}
                   || ', debits ' || ${nok('debits')} || ')' AS expected,
                 ${nok('ledger')} || ' (ledger)' AS actual,
                 format('Ledger − statements = %s = %s of pay-ins posted without a bank payment (%s) − %s sent out but not yet on a statement (%s) + %s of statement debits Drop has no record of: partner funding, fees, reversals (%s) + %s unexplained.',
                        ${nok('difference')}, ${nok('unbanked')}, unbanked_count, ${nok('unseen')}, unseen_count,
                        ${nok('unknown')}, unknown_count, ${nok('unexplained')}) AS detail
            FROM explained WHERE difference <> 0`,
  },
  {
    // Money Drop says it sent back (refunds, returned exceptions and overpayments) that no statement
    // shows leaving after three days.
    check: 'bank_account',
    sql: `WITH ${OUTGOING_PAIRED}
          SELECT subject, 'error' AS severity,
                 'a debit of ' || ${nok('amount')} || ' on a bank statement' AS expected,
                 'none ' || floor(extract(epoch FROM now() - at) / 86400)::int || ' days after it was sent' AS actual,
                 format('A %s of %s recorded at %s; no imported statement shows a debit of that amount.', what, ${nok('amount')}, ${utc('at')}) AS detail
            FROM paired WHERE debit IS NULL AND tracked AND at < now() - interval '3 days'
           ORDER BY subject`,
  },
  {
    // A payout's state says what the ledger must show: reserved while sending or sent, confirmed
    // when paid, released when failed, confirmed and returned when it came back.
    check: 'payouts',
    sql: `SELECT p.transaction_id AS subject, 'error' AS severity, 'ledger: ' || s.expected AS expected, 'ledger: ' || s.found AS actual,
                 ${payoutDetail} AS detail
            FROM payouts p JOIN transactions t ON t.id = p.transaction_id
           CROSS JOIN LATERAL (
             SELECT count(*) FILTER (WHERE l.code = 'payout' AND l.kind = 'pending') AS reserves,
                    count(*) FILTER (WHERE l.code = 'payout_confirmed') AS confirmed,
                    count(*) FILTER (WHERE l.code = 'payout_failed') AS released,
                    count(*) FILTER (WHERE l.code = 'payout_returned') AS returned
               FROM ledger_transfers l WHERE l.transaction_id = p.transaction_id
           ) l
           CROSS JOIN LATERAL (
             SELECT CASE p.state WHEN 'paid' THEN 'payout confirmed (payout_confirmed)'
                                 WHEN 'failed' THEN 'payout released (payout_failed)'
                                 WHEN 'returned' THEN 'payout confirmed, then returned (payout_returned)'
                                 ELSE 'payout reserved, not settled' END AS expected,
                    CASE WHEN l.reserves = 0 THEN 'no payout reserved'
                         WHEN l.returned > 0 AND l.confirmed > 0 THEN 'payout confirmed, then returned (payout_returned)'
                         WHEN l.confirmed > 0 THEN 'payout confirmed (payout_confirmed)'
                         WHEN l.released > 0 THEN 'payout released (payout_failed)'
                         ELSE 'payout reserved, not settled' END AS found
           ) s
           WHERE s.expected <> s.found ORDER BY p.transaction_id`,
  },
  {
    // What the partner was asked to pay is what the ledger reserved.
    check: 'payouts',
    sql: `SELECT p.transaction_id AS subject, 'error' AS severity,
                 ${money('p.amount_minor', 'p.currency')} || ' reserved for the payout' AS expected,
                 ${money('l.amount', 'l.currency')} || ' reserved' AS actual, ${payoutDetail} AS detail
            FROM payouts p JOIN transactions t ON t.id = p.transaction_id
            JOIN ledger_transfers l ON l.transaction_id = p.transaction_id AND l.code = 'payout' AND l.kind = 'pending'
           WHERE (l.amount, l.currency) IS DISTINCT FROM (p.amount_minor, p.currency)
           ORDER BY p.transaction_id`,
  },
  {
    // A payout's state and its transfer's status agree: a paid payout is a paid-out transfer and
    // the other way round, a payout in flight is a transfer in processing.
    check: 'payouts',
    sql: `SELECT p.transaction_id AS subject, 'error' AS severity,
                 'transfer ' || CASE WHEN p.state IN ('sending', 'sent') THEN 'processing' WHEN p.state = 'paid' THEN 'paid_out'
                                     ELSE 'failed or refunded' END AS expected,
                 'transfer ' || t.status || coalesce(' (held while ' || t.held_from || ')', '') AS actual,
                 ${payoutDetail} AS detail
            FROM payouts p JOIN transactions t ON t.id = p.transaction_id
           WHERE NOT CASE WHEN p.state IN ('sending', 'sent') THEN coalesce(t.held_from, t.status) = 'processing'
                          WHEN p.state = 'paid' THEN t.status = 'paid_out'
                          ELSE t.status IN ('failed', 'refunded') END
           ORDER BY p.transaction_id`,
  },
  {
    // Transfers paid out (or being paid out) with no payout record: older and demo data moved by
    // hand; a warning, like a transfer funded without a bank payment.
    check: 'payouts',
    sql: `SELECT t.id AS subject, 'warning' AS severity,
                 CASE WHEN t.status = 'paid_out' THEN 'a payout the partner paid' ELSE 'a payout sent to the partner' END AS expected,
                 'no payout record (the transfer is ' || t.status || ')' AS actual,
                 format('Moved to %s by %s at %s.', ev.to_status, coalesce(ev.actor, '?'), coalesce(${utc('ev.at')}, '?')) AS detail
            FROM transactions t
            LEFT JOIN LATERAL (
              SELECT to_status, actor, at FROM transfer_events
               WHERE transaction_id = t.id AND to_status IN ('processing', 'paid_out') ORDER BY id DESC LIMIT 1
            ) ev ON true
           WHERE t.type = 'transfer' AND coalesce(t.held_from, t.status) IN ('processing', 'paid_out')
             AND NOT EXISTS (SELECT 1 FROM payouts p WHERE p.transaction_id = t.id)
           ORDER BY t.id`,
  },
  {
    // Payouts that have not moved for a day: never accepted by the partner, or never settled.
    check: 'payouts',
    sql: `SELECT p.transaction_id AS subject, 'warning' AS severity,
                 CASE p.state WHEN 'sending' THEN 'accepted by the partner within 24 hours' ELSE 'paid or failed within 24 hours' END AS expected,
                 'still ' || p.state || ' after ' || floor(extract(epoch FROM now() - coalesce(p.sent_at, p.created_at)) / 3600)::int || ' hours' AS actual,
                 ${payoutDetail} || format(' %s attempt(s)%s.', p.attempts, coalesce('; last error: ' || p.last_error, '')) AS detail
            FROM payouts p JOIN transactions t ON t.id = p.transaction_id
           WHERE (p.state = 'sending' AND p.created_at < now() - interval '24 hours')
              OR (p.state = 'sent' AND p.sent_at < now() - interval '24 hours')
           ORDER BY p.transaction_id`,
  },
  {
    // A refund recorded as sent is a refunded transfer whose refund is posted for the same amount;
    // one not yet sent has nothing posted.
    check: 'refunds',
    sql: `SELECT cr.transaction_id AS subject, 'error' AS severity,
                 CASE cr.state WHEN 'sent' THEN 'transfer refunded, a refund of ' || ${nok('cr.amount_minor')} || ' posted'
                               ELSE 'no refund posted yet (the refund is pending)' END AS expected,
                 'transfer ' || t.status || ', ' || coalesce('a refund of ' || ${nok('r.amount')} || ' posted', 'no refund posted') AS actual,
                 format('Refund of %s (%s) to %s, %s%s.', ${nok('cr.amount_minor')}, cr.reason,
                        coalesce('account ending ' || right(cr.to_account, 4), 'no account'), cr.state,
                        coalesce(' at ' || ${utc('cr.sent_at')}, '')) AS detail
            FROM customer_refunds cr JOIN transactions t ON t.id = cr.transaction_id
            LEFT JOIN LATERAL (
              SELECT sum(l.amount) AS amount FROM ledger_transfers l
               WHERE l.transaction_id = cr.transaction_id AND l.code = 'refund' AND l.kind = 'posted'
            ) r ON true
           WHERE (cr.state = 'sent' AND (t.status <> 'refunded' OR r.amount IS DISTINCT FROM cr.amount_minor))
              OR (cr.state = 'pending' AND r.amount IS NOT NULL)
           ORDER BY cr.transaction_id`,
  },
  {
    // Refunds posted with no refund record: money left without the refund flow (older and demo
    // data refunded by hand).
    check: 'refunds',
    sql: `SELECT l.transaction_id AS subject, 'warning' AS severity,
                 'a refund record (customer_refunds) sent for ' || ${nok('l.amount')} AS expected,
                 'a refund of ' || ${nok('l.amount')} || ' posted with no refund record' AS actual,
                 format('Refunded by %s at %s; the transfer is %s.', coalesce(ev.actor, '?'), coalesce(${utc('ev.at')}, '?'), t.status) AS detail
            FROM ledger_transfers l JOIN transactions t ON t.id = l.transaction_id
            LEFT JOIN LATERAL (
              SELECT actor, at FROM transfer_events WHERE transaction_id = t.id AND to_status = 'refunded' ORDER BY id DESC LIMIT 1
            ) ev ON true
           WHERE l.code = 'refund' AND l.kind = 'posted'
             AND NOT EXISTS (SELECT 1 FROM customer_refunds cr WHERE cr.transaction_id = l.transaction_id AND cr.state = 'sent')
           ORDER BY l.transaction_id`,
  },
];

const COUNTS_SQL = `
  SELECT (SELECT count(*) FROM bank_entries WHERE credit_debit = 'CRDT' AND status IN ('matched', 'resolved'))
           + (SELECT count(*) FROM ledger_transfers WHERE code = 'payin_received' AND kind = 'post_pending') AS bank_credits,
         (SELECT count(*) FROM bank_entries WHERE credit_debit = 'CRDT' AND currency = 'NOK' AND status IN ('exception', 'resolved', 'refunded')) AS suspense,
         (SELECT count(*) FROM bank_entries WHERE currency = 'NOK') AS bank_account,
         (SELECT count(*) FROM payouts)
           + (SELECT count(*) FROM transactions WHERE type = 'transfer' AND coalesce(held_from, status) IN ('processing', 'paid_out')) AS payouts,
         (SELECT count(*) FROM customer_refunds) + (SELECT count(*) FROM ledger_transfers WHERE code = 'refund' AND kind = 'posted') AS refunds,
         to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS checked_at,
         to_char(coalesce($1::timestamptz, now() - interval '7 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS since`;

interface PayoutToAsk {
  transaction_id: string;
  state: 'sent' | 'paid';
  partner_reference: string;
  partner_state: string | null;
}

interface Snapshot {
  checkedAt: string;
  since: string;
  checked: Record<Exclude<ReconciliationCheck, 'payout_partner'>, number>;
  differences: ReconciliationDifference[];
  payoutsToAsk: PayoutToAsk[];
}

async function readSnapshot(db: DbClient, partner: string | undefined, since: Date | undefined): Promise<Snapshot> {
  const counts = await db.query<Record<string, string>>(COUNTS_SQL, [since ?? null]);
  const row = counts.rows[0] ?? {};
  const differences: ReconciliationDifference[] = [];
  for (const query of QUERIES) {
    const { rows } = await db.query<Row>(query.sql);
    for (const difference of rows) differences.push({ check: query.check, ...difference });
  }
  const payoutsToAsk = partner
    ? (
        await db.query<PayoutToAsk>(
          `SELECT transaction_id, state, partner_reference, partner_state FROM payouts
            WHERE partner = $1 AND partner_reference IS NOT NULL
              AND (state = 'sent' OR (state = 'paid' AND settled_at >= $2::timestamptz))
            ORDER BY transaction_id`,
          [partner, row.since],
        )
      ).rows
    : [];
  return {
    checkedAt: row.checked_at ?? new Date().toISOString(),
    since: row.since ?? '',
    checked: {
      bank_credits: Number(row.bank_credits ?? 0),
      suspense: Number(row.suspense ?? 0),
      bank_account: Number(row.bank_account ?? 0),
      payouts: Number(row.payouts ?? 0),
      refunds: Number(row.refunds ?? 0),
    },
    differences,
    payoutsToAsk,
  };
}

/** Reads in one REPEATABLE READ snapshot from the pool; a client given by the caller is used as it is (its transaction, if any). */
async function inSnapshot<T>(db: DbClient, work: (client: DbClient) => Promise<T>): Promise<T> {
  if ('release' in db) return work(db);
  return withTransaction(db, work, { snapshot: true });
}

/** Why Drop's state and the partner's disagree, or undefined when they agree. */
function disagreement(drop: 'sent' | 'paid', partner: PayoutPartnerState): string | undefined {
  if (drop === 'sent') {
    switch (partner) {
      case 'processing':
        return undefined;
      case 'paid':
        return 'The partner paid the recipient but Drop has not recorded it (a missed webhook?): the transfer is not paid out.';
      case 'failed':
        return 'The partner could not pay the recipient but Drop still waits: the customer is not refunded.';
      case 'returned':
        return "The partner paid and the recipient's bank sent it back, but Drop still waits: the customer is not refunded.";
    }
  }
  switch (partner) {
    case 'paid':
      return undefined;
    case 'returned':
      return "The recipient's bank sent the payout back but Drop shows it paid: the customer is not refunded.";
    case 'failed':
      return 'The partner says the payout failed but Drop shows it paid.';
    case 'processing':
      return 'The partner has not paid yet but Drop shows the payout paid.';
  }
}

const PARTNER_CONCURRENCY = 4;

/**
 * Asks the partner about each payout, a few at a time, after the snapshot is closed (no database
 * transaction waits on the network). A disagreement is checked once more against the payout's
 * state now, so a webhook that arrived meanwhile is not reported.
 */
async function askPartner(db: DbClient, partner: PayoutPartnerStatusSource, payouts: PayoutToAsk[]): Promise<ReconciliationDifference[]> {
  const answers: Array<{ payout: PayoutToAsk; answer?: { state: PayoutPartnerState; partnerState: string }; error?: string }> = [];
  let next = 0;
  const ask = async () => {
    for (let index = next++; index < payouts.length; index = next++) {
      const payout = payouts[index] as PayoutToAsk;
      try {
        answers[index] = { payout, answer: await partner.fetchState(payout.partner_reference) };
      } catch (error) {
        answers[index] = { payout, error: error instanceof Error ? error.message : String(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARTNER_CONCURRENCY, payouts.length) }, ask));

  const disputed = answers.filter((a) => a.answer && disagreement(a.payout.state, a.answer.state)).map((a) => a.payout.transaction_id);
  const now = new Map<string, string>();
  if (disputed.length > 0) {
    const { rows } = await db.query<{ transaction_id: string; state: string }>(
      'SELECT transaction_id, state FROM payouts WHERE transaction_id = ANY($1)',
      [disputed],
    );
    for (const row of rows) now.set(row.transaction_id, row.state);
  }

  const differences: ReconciliationDifference[] = [];
  for (const { payout, answer, error } of answers) {
    const reference = `${partner.name} ${payout.partner_reference}`;
    if (!answer) {
      differences.push({
        check: 'payout_partner',
        severity: 'warning',
        subject: payout.transaction_id,
        expected: `the partner's state of ${reference}`,
        actual: `no answer: ${error}`,
        detail: `Drop shows the payout ${payout.state}; ask again later.`,
      });
      continue;
    }
    const state = now.get(payout.transaction_id) ?? payout.state;
    const why = state === 'sent' || state === 'paid' ? disagreement(state, answer.state) : undefined;
    if (!why) continue;
    differences.push({
      check: 'payout_partner',
      severity: 'error',
      subject: payout.transaction_id,
      expected: `partner: ${answer.state} (${answer.partnerState})`,
      actual: `Drop: ${state}${payout.partner_state ? ` (last heard ${payout.partner_state})` : ''}`,
      detail: `${why} Partner reference ${reference}.`,
    });
  }
  return differences;
}

/**
 * Compares the ledger with the records of the same money outside it and lists every difference:
 * bank credits against posted pay-ins (both ways), the suspense account against the exceptions
 * queue, the bank account against the statements (with what explains the gap), payouts against
 * their postings and transfers (and, given `partner`, against what the partner says now), and
 * refunds against their postings. The database is read in one snapshot; the partner is asked
 * afterwards. `ok` is false when any difference is an error.
 */
export async function reconcileLedger(db: DbClient, options: ReconcileOptions = {}): Promise<ReconciliationReport> {
  const snapshot = await inSnapshot(db, (client) => readSnapshot(client, options.partner?.name, options.since));
  const differences = snapshot.differences;
  if (options.partner) differences.push(...(await askPartner(db, options.partner, snapshot.payoutsToAsk)));

  const counts = Object.fromEntries(
    RECONCILIATION_CHECKS.map((check) => [
      check,
      {
        checked: check === 'payout_partner' ? snapshot.payoutsToAsk.length : snapshot.checked[check],
        errors: differences.filter((d) => d.check === check && d.severity === 'error').length,
        warnings: differences.filter((d) => d.check === check && d.severity === 'warning').length,
      },
    ]),
  ) as Record<ReconciliationCheck, ReconciliationCount>;
  // Grouped by check, in the order the checks are listed.
  differences.sort((a, b) => RECONCILIATION_CHECKS.indexOf(a.check) - RECONCILIATION_CHECKS.indexOf(b.check));
  return {
    ok: !differences.some((d) => d.severity === 'error'),
    checkedAt: snapshot.checkedAt,
    partner: options.partner ? { name: options.partner.name, since: snapshot.since } : null,
    counts,
    differences,
  };
}
