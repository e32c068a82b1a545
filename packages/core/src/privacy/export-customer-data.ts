import type { DataExport } from '@drop/contracts';
import { type Db, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { kycOverview } from '../kyc/kyc-overview.ts';
import type { KycTier, TierLimits } from '../kyc/tiers.ts';
import { QUOTE_COLUMNS, QUOTE_FROM } from '../quotes/create-quote.ts';
import { RECIPIENT_COLUMNS } from '../recipients/manage-recipients.ts';
import { listTransfersWithTimelines } from '../transfers/transfer-views.ts';

/**
 * Audit-log actions the export shows, by resource type. An allow-list, not a deny-list: a new
 * action stays out until someone decides the customer may see it. Everything here the customer
 * did themselves or was told of (sign-in and out, ending a session, starting verification,
 * declaring the source of funds, a late payment re-quoted, an export or erasure request). Left out:
 * staff and AML actions (blocks, holds, reviews, cases, STRs, four eyes), KYC decisions (their
 * details carry the reviewer's notes; the status history is in `kycHistory`), and the row-change
 * events (UPDATE/DELETE), whose before/after images hold the AML columns. Only when, what and on
 * which resource are exported, never `details` or the actor (staff ids and notes).
 */
export const CUSTOMER_VISIBLE_AUDIT_ACTIONS = {
  user: [
    'login_succeeded',
    'logout',
    'logout_everywhere',
    'ended_by_customer',
    'kyc_started',
    'source_of_funds_declared',
    'data_exported',
    'erasure_requested',
    // The customer's own email address and choices (issue 16): ids and counts only.
    'email_verification_requested',
    'email_code_resent',
    'email_code_rejected',
    'email_verified',
    'email_change_cancelled',
    'notification_preferences_changed',
  ],
  transaction: ['late_payment_requoted'],
} as const;

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Everything Drop holds about a customer that the customer may see (GDPR articles 15 and 20), as
 * one JSON document, recorded in `data_access_requests` (type 'export', completed at once) and
 * the audit log in the same transaction as the reads.
 *
 * Left out on purpose, whatever a later version adds (hvitvaskingsloven § 26: the customer must
 * not learn that a report, an investigation or a suspicion exists; it prevails over article 15):
 * the aml_* tables (alerts, their comments and history, cases, case events, the customer's
 * aggregates), str_reports, screening_matches and screening_clearances, four_eyes_requests, the
 * users' aml_frozen_* and edd_* columns (the reason), timeline and hold reasons, why a session
 * was ended, refund reasons and every staff note (bank-entry resolutions, KYC decisions). What the
 * customer is asked (the source-of-funds question) is in the KYC overview, without its reason.
 *
 * The reads run in one REPEATABLE READ transaction, so the document is one consistent moment.
 * Takes the pool: the isolation level is set as the transaction's first statement.
 */
export async function exportCustomerData(db: Db, input: { userId: string; limits: Record<KycTier, TierLimits> }): Promise<DataExport> {
  return withTransaction(db, async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const profile = await tx.query<DataExport['profile']>(
      `SELECT id, customer_number AS "customerNumber", locale AS language, full_name AS name, given_name AS "givenName", family_name AS "familyName",
              to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", email, kyc_status AS "kycStatus", ${ISO('created_at')} AS "createdAt",
              locale, source_of_funds AS "sourceOfFunds", ${ISO('source_of_funds_declared_at')} AS "sourceOfFundsDeclaredAt"
         FROM users WHERE id = $1`,
      [input.userId],
    );
    const sessions = await tx.query<DataExport['sessions'][number]>(
      `SELECT id, ${ISO('created_at')} AS "createdAt", ${ISO('last_seen_at')} AS "lastSeenAt", ${ISO('expires_at')} AS "expiresAt",
              revoked = 1 AS ended, ${ISO('revoked_at')} AS "endedAt", host(ip) AS ip, user_agent AS "userAgent", acr
         FROM sessions WHERE user_id = $1 ORDER BY created_at DESC, id DESC`,
      [input.userId],
    );
    const recipients = await tx.query<DataExport['recipients'][number]>(
      `SELECT ${RECIPIENT_COLUMNS}, ${ISO('deleted_at')} AS "removedAt"
         FROM recipients WHERE user_id = $1 ORDER BY created_at DESC, id DESC`,
      [input.userId],
    );
    const quotes = await tx.query<DataExport['quotes'][number]>(
      `SELECT ${QUOTE_COLUMNS} FROM ${QUOTE_FROM} WHERE user_id = $1 ORDER BY created_at DESC, id DESC`,
      [input.userId],
    );
    // The customer's own payments: NOK credits booked against their transfers. Drop's side of the
    // entry (how staff resolved it, their note) stays out.
    const payments = await tx.query<DataExport['payments'][number]>(
      `SELECT e.id, e.transaction_id AS "transferId",
              jsonb_build_object('amount', format_minor(e.amount_minor, e.currency), 'currency', e.currency) AS amount,
              to_char(e.booking_date, 'YYYY-MM-DD') AS "bookedOn", e.debtor_account AS "fromAccount", e.kid, e.status
         FROM bank_entries e JOIN transactions t ON t.id = e.transaction_id
        WHERE t.user_id = $1 AND e.credit_debit = 'CRDT' AND e.currency = 'NOK'
        ORDER BY e.created_at DESC, e.id DESC`,
      [input.userId],
    );
    // Without customer_refunds.reason: it is written for staff (a stop by compliance says so).
    const refunds = await tx.query<DataExport['refunds'][number]>(
      `SELECT r.transaction_id AS "transferId",
              jsonb_build_object('amount', format_minor(r.amount_minor, r.currency), 'currency', r.currency) AS amount,
              r.to_account AS "toAccount", r.state, ${ISO('r.created_at')} AS "createdAt", ${ISO('r.sent_at')} AS "sentAt"
         FROM customer_refunds r JOIN transactions t ON t.id = r.transaction_id
        WHERE t.user_id = $1 ORDER BY r.created_at DESC, r.transaction_id DESC`,
      [input.userId],
    );
    // The customer's own account in the ledger (customer_funds, one per currency and shard); the
    // other side of each posting is Drop's (bank, fees, partner), which is Drop's own bookkeeping.
    const ledgerPostings = await tx.query<DataExport['ledgerPostings'][number]>(
      `SELECT l.id::text AS id, l.transaction_id AS "transferId", l.code, l.kind,
              CASE WHEN a.id = l.debit_account_id THEN 'debit' ELSE 'credit' END AS direction,
              jsonb_build_object('amount', format_minor(l.amount, l.currency), 'currency', l.currency) AS amount,
              ${ISO('l.created_at')} AS "createdAt"
         FROM ledger_accounts a
         JOIN ledger_transfers l ON l.debit_account_id = a.id OR l.credit_account_id = a.id
        WHERE a.purpose = 'customer_funds' AND a.user_id = $1
        ORDER BY l.id DESC`,
      [input.userId],
    );
    const emails = await tx.query<DataExport['emails'][number]>(
      `SELECT kind, transaction_id AS "transferId", to_address AS "to", subject, ${ISO('sent_at')} AS "sentAt"
         FROM customer_emails WHERE user_id = $1 ORDER BY sent_at DESC, id DESC`,
      [input.userId],
    );
    const auditEvents = await tx.query<DataExport['auditEvents'][number]>(
      `SELECT ${ISO('l."timestamp"')} AS at, l.action, l.resource_type AS "resourceType", l.resource_id AS "resourceId"
         FROM audit_log l
        WHERE (l.resource_type = 'user' AND l.resource_id = $1 AND l.action = ANY ($2::text[]))
           OR (l.resource_type = 'transaction' AND l.action = ANY ($3::text[])
               AND l.resource_id IN (SELECT id FROM transactions WHERE user_id = $1))
        ORDER BY l.seq DESC`,
      [input.userId, CUSTOMER_VISIBLE_AUDIT_ACTIONS.user, CUSTOMER_VISIBLE_AUDIT_ACTIONS.transaction],
    );
    // Every change of users.kyc_status, whoever made it (the row trigger records them all), and
    // each start of verification; only the statuses, not who decided or why.
    const kycHistory = await tx.query<DataExport['kycHistory'][number]>(
      `SELECT ${ISO('l."timestamp"')} AS at,
              CASE WHEN l.action = 'kyc_started' THEN 'started' ELSE 'status_changed' END AS event,
              l.details -> 'before' ->> 'kyc_status' AS "from", l.details -> 'after' ->> 'kyc_status' AS "to"
         FROM audit_log l
        WHERE (l.resource_type = 'user' AND l.resource_id = $1 AND l.action = 'kyc_started')
           OR (l.resource_type = 'users' AND l.resource_id = $1 AND l.action = 'UPDATE' AND l.details -> 'changed' ? 'kyc_status')
        ORDER BY l.seq`,
      [input.userId],
    );
    const kyc = await kycOverview(tx, { userId: input.userId, limits: input.limits });
    const transfers = await listTransfersWithTimelines(tx, { userId: input.userId });

    const requestId = newId('dar');
    const recorded = await tx.query<{ completed_at: string }>(
      `INSERT INTO data_access_requests (id, user_id, type, status, completed_at, notes)
       VALUES ($1, $2, 'export', 'completed', now(), 'self-service export (GET /api/user/data-export)')
       RETURNING ${ISO('completed_at')} AS completed_at`,
      [requestId, input.userId],
    );
    await recordAuditEvent(tx, {
      action: 'data_exported',
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.userId,
      details: {
        requestId,
        counts: {
          sessions: sessions.rowCount,
          recipients: recipients.rowCount,
          quotes: quotes.rowCount,
          transfers: transfers.length,
          payments: payments.rowCount,
          refunds: refunds.rowCount,
          ledgerPostings: ledgerPostings.rowCount,
          emails: emails.rowCount,
          auditEvents: auditEvents.rowCount,
          kycHistory: kycHistory.rowCount,
        },
      },
    });
    const user = profile.rows[0];
    if (!user) throw new Error('no such user');
    return {
      requestId,
      exportedAt: recorded.rows[0]?.completed_at as string,
      profile: user,
      kyc,
      sessions: sessions.rows,
      recipients: recipients.rows,
      quotes: quotes.rows,
      transfers,
      payments: payments.rows,
      refunds: refunds.rows,
      ledgerPostings: ledgerPostings.rows,
      emails: emails.rows,
      auditEvents: auditEvents.rows,
      kycHistory: kycHistory.rows,
    };
  });
}
