import type { LastRetentionRun, RetentionRuleStatus, RetentionRun } from '@drop/contracts';
import { type Db, type DbClient, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';

/**
 * The retention rules (`retention_rules`, seeded by migration 20261206002000) applied at `now`.
 * `now` is a parameter, never the clock here: the job passes the time it runs (or the time in its
 * payload), tests pass a fake one. The table holds each rule's period, action and switch; this
 * file knows which records each code means:
 * - ended_customer_personal_data: a customer whose relationship ended (users.deleted_at: an
 *   erasure request, or an account closed by an operator) longer ago than the period: their
 *   personal data is anonymised in place (anonymiseCustomer) and their open erasure request
 *   completed. Ledger rows, transfers, amounts and ids stay, so the ledger still verifies; the
 *   audit log is never touched (it holds no personal data: audit_strip_personal.sql).
 * - aml_records: for the same customers, alerts, cases, STRs, screening matches and clearances
 *   and the AML aggregates are deleted (the AML histories allow it only for a customer already
 *   anonymised: aml_events_guard_retention.sql). Both wait while a case is open or an STR is not
 *   yet filed or rejected: an investigation still needs them.
 * - rejected_applicants, abandoned_signups: people who never sent money, past the period after
 *   their last activity: the relationship is ended (deleted_at) and they are anonymised.
 * - ended_sessions: sessions ended longer ago than the period are deleted.
 * - sla_statistics: health probes and request minutes (the SLA report's data) older than the period are deleted.
 * Rules enforced elsewhere (application logs, KYC documents at the provider) are listed, not applied.
 * One transaction per customer, so a failure leaves the others done and the job retries the rest.
 */
export async function applyRetention(db: Db, input: { now: Date; dryRun?: boolean; actor?: string }): Promise<RetentionRun> {
  const now = input.now.toISOString();
  const actor = input.actor ?? 'system';
  const rules = await retentionStatus(db, input.now);
  const applied = new Map<string, number>(rules.map((rule) => [rule.code, 0]));
  const erasedCustomers: string[] = [];
  const enabled = (code: string) => rules.some((rule) => rule.code === code && rule.enabled && rule.enforcedBy === 'job');

  if (!input.dryRun) {
    for (const code of ['ended_customer_personal_data', 'rejected_applicants', 'abandoned_signups'] as const) {
      if (!enabled(code)) continue;
      for (const userId of await dueCustomers(db, code, now)) {
        const erased = await withTransaction(db, async (tx) => {
          await tx.query(`SELECT set_config('drop.actor', $1, true), set_config('drop.reason', $2, true)`, [actor, `retention: ${code}`]);
          // Under the customer's lock, the rule is checked again: a concurrent run or a new case wins.
          const still = await tx.query('SELECT 1 FROM users WHERE id = $1 AND personal_data_erased_at IS NULL FOR UPDATE', [userId]);
          if (still.rowCount === 0 || !(await dueCustomers(tx, code, now, userId)).includes(userId)) return false;
          // Sign-ups and rejected applicants never had a relationship end: it ends now.
          await tx.query('UPDATE users SET deleted_at = coalesce(deleted_at, $2::timestamptz) WHERE id = $1', [userId, now]);
          const counts = await anonymiseCustomer(tx, userId, now);
          let amlDeleted: Record<string, number> = {};
          if (code === 'ended_customer_personal_data' && enabled('aml_records')) {
            amlDeleted = await deleteAmlRecords(tx, userId);
            applied.set('aml_records', (applied.get('aml_records') ?? 0) + 1);
          }
          await recordAuditEvent(tx, {
            action: 'personal_data_erased',
            resourceType: 'user',
            resourceId: userId,
            actor,
            details: { rule: code, now, anonymised: counts, amlDeleted },
          });
          return true;
        });
        if (erased) {
          applied.set(code, (applied.get(code) ?? 0) + 1);
          erasedCustomers.push(userId);
        }
      }
    }
    if (enabled('ended_sessions')) {
      const removed = await withTransaction(db, async (tx) => {
        await tx.query(`SELECT set_config('drop.actor', $1, true), set_config('drop.reason', 'retention: ended_sessions', true)`, [actor]);
        return (await tx.query(`DELETE FROM sessions s WHERE ${SESSION_ENDED_BEFORE}`, [now])).rowCount ?? 0;
      });
      applied.set('ended_sessions', removed);
    }
    if (enabled('sla_statistics')) {
      // Operational figures, no personal data: deleted without an audit image per row (the run's event counts them).
      const { rows } = await db.query<{ n: number }>(
        `WITH samples AS (DELETE FROM availability_samples WHERE ${SLA_SAMPLE_BEFORE} RETURNING 1),
              minutes AS (DELETE FROM request_stats WHERE ${SLA_MINUTE_BEFORE} RETURNING 1)
         SELECT ((SELECT count(*) FROM samples) + (SELECT count(*) FROM minutes))::int AS n`,
        [now],
      );
      applied.set('sla_statistics', rows[0]?.n ?? 0);
    }
    // The run itself, so the console can say when the job last ran: counts per rule only, no
    // customer ids (each erasure has its own personal_data_erased event).
    await recordAuditEvent(db, {
      action: 'retention_applied',
      resourceType: 'retention_rules',
      actor,
      details: { now, applied: Object.fromEntries(applied) },
    });
  }
  return {
    now,
    dryRun: input.dryRun ?? false,
    rules: rules.map((rule) => ({ ...rule, applied: applied.get(rule.code) ?? 0 })),
    erasedCustomers,
  };
}

/** Every rule, and how many subjects are due at `now` (for `drop privacy retention` and the console). */
export async function retentionStatus(db: DbClient, at: Date): Promise<RetentionRuleStatus[]> {
  const now = at.toISOString();
  const { rows } = await db.query<Omit<RetentionRuleStatus, 'due' | 'heldForInvestigation'>>(
    `SELECT code, applies_to AS "appliesTo", keep_for::text AS "keepFor", counted_from AS "countedFrom", action,
            legal_basis AS "legalBasis", enforced_by AS "enforcedBy", enabled
       FROM retention_rules ORDER BY code`,
  );
  const statuses: RetentionRuleStatus[] = [];
  for (const rule of rows) {
    if (rule.enforcedBy !== 'job') {
      statuses.push({ ...rule, due: null, heldForInvestigation: null });
    } else if (rule.code === 'sla_statistics') {
      const due = await db.query<{ n: number }>(
        `SELECT ((SELECT count(*) FROM availability_samples WHERE ${SLA_SAMPLE_BEFORE})
               + (SELECT count(*) FROM request_stats WHERE ${SLA_MINUTE_BEFORE}))::int AS n`,
        [now],
      );
      statuses.push({ ...rule, due: due.rows[0]?.n ?? 0, heldForInvestigation: 0 });
    } else if (rule.code === 'ended_sessions') {
      const due = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sessions s WHERE ${SESSION_ENDED_BEFORE}`, [now]);
      statuses.push({ ...rule, due: due.rows[0]?.n ?? 0, heldForInvestigation: 0 });
    } else {
      const code = rule.code === 'aml_records' ? 'ended_customer_personal_data' : rule.code;
      const due = (await dueCustomers(db, code, now)).length;
      const held = (await dueCustomers(db, code, now, undefined, true)).length - due;
      statuses.push({ ...rule, due, heldForInvestigation: held });
    }
  }
  return statuses;
}

/** A session ended (revoked, else expired) longer ago than the rule's period. $1 is now. */
const SESSION_ENDED_BEFORE = `coalesce(s.revoked_at, s.expires_at) + (SELECT keep_for FROM retention_rules WHERE code = 'ended_sessions') <= $1::timestamptz`;

/** SLA probes and request minutes older than the sla_statistics rule's period (packages/core/src/ops/sla). $1 is now. */
const SLA_KEEP_FOR = `(SELECT keep_for FROM retention_rules WHERE code = 'sla_statistics')`;
const SLA_SAMPLE_BEFORE = `sampled_at + ${SLA_KEEP_FOR} <= $1::timestamptz`;
const SLA_MINUTE_BEFORE = `minute + ${SLA_KEEP_FOR} <= $1::timestamptz`;

/** An investigation still needs the customer's data: a case not closed, an STR not filed or rejected. */
const UNDER_INVESTIGATION = `(EXISTS (SELECT 1 FROM aml_cases c WHERE c.user_id = u.id AND c.status <> 'closed')
  OR EXISTS (SELECT 1 FROM str_reports s WHERE s.user_id = u.id AND s.status NOT IN ('filed', 'rejected')))`;

/** When each customer rule's period starts, for a user `u`. */
const PERIOD_STARTS: Record<string, string> = {
  ended_customer_personal_data: 'u.deleted_at',
  rejected_applicants: 'greatest(u.created_at, u.last_login_at)',
  abandoned_signups: 'greatest(u.created_at, u.last_login_at)',
};

/** Who else the rule covers, for a user `u` not yet anonymised. */
const SUBJECTS: Record<string, string> = {
  ended_customer_personal_data: 'u.deleted_at IS NOT NULL',
  rejected_applicants: `u.deleted_at IS NULL AND u.kyc_status = 'rejected' AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.user_id = u.id)`,
  abandoned_signups: `u.deleted_at IS NULL AND u.kyc_status = 'not_started' AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.user_id = u.id)`,
};

/** The customers `code` covers whose period ended at `now` (one of them with `only`); ignoring open investigations if asked. */
async function dueCustomers(db: DbClient, code: string, now: string, only?: string, evenUnderInvestigation = false): Promise<string[]> {
  const start = PERIOD_STARTS[code];
  const subjects = SUBJECTS[code];
  if (!start || !subjects) return [];
  const { rows } = await db.query<{ id: string }>(
    `SELECT u.id FROM users u
      WHERE u.personal_data_erased_at IS NULL AND ${subjects}
        AND ${start} + (SELECT keep_for FROM retention_rules WHERE code = $2) <= $1::timestamptz
        AND ($3::text IS NULL OR u.id = $3)
        AND ($4 OR NOT ${UNDER_INVESTIGATION})
      ORDER BY u.id`,
    [now, code, only ?? null, evenUnderInvestigation],
  );
  return rows.map((row) => row.id);
}

/**
 * Removes one customer's personal data in place. What identifies a person goes (set to NULL, or
 * to a fixed placeholder where a column may not be empty); ids, amounts, statuses and times stay,
 * so every transfer, ledger posting and audit event still points at the same (now anonymous) row.
 * KYC documents live at the identity provider (Sumsub): applicant_id is kept so they can be
 * deleted there. Returns how many rows of each table changed.
 */
async function anonymiseCustomer(tx: DbClient, userId: string, now: string): Promise<Record<string, number>> {
  // $1 is the customer; statements that stamp the time use $2 (PostgreSQL refuses an unused parameter).
  const changed = async (sql: string) => (await tx.query(sql, sql.includes('$2') ? [userId, now] : [userId])).rowCount ?? 0;
  return {
    users: await changed(
      `UPDATE users SET email = NULL, full_name = NULL, given_name = NULL, family_name = NULL, birth_date = NULL,
              bankid_sub = NULL, national_id_ciphertext = NULL, national_id_hash = NULL, source_of_funds = NULL,
              aml_frozen_reason = NULL, edd_reason = NULL, personal_data_erased_at = $2::timestamptz
        WHERE id = $1`,
    ),
    sessions: await changed(
      'UPDATE sessions SET ip = NULL, user_agent = NULL WHERE user_id = $1 AND (ip IS NOT NULL OR user_agent IS NOT NULL)',
    ),
    recipients: await changed(
      `UPDATE recipients SET name = 'Erased', display = 'Erased', details = '{}'::jsonb,
              deleted_at = coalesce(deleted_at, $2::timestamptz)
        WHERE user_id = $1`,
    ),
    kycApplicants: await changed(`UPDATE kyc_applicants SET moderation_comment = NULL, reject_labels = '{}' WHERE user_id = $1`),
    bankEntries: await changed(
      `UPDATE bank_entries e SET debtor_name = NULL, debtor_account = NULL, unstructured = NULL,
              refund_account = CASE WHEN e.refund_account IS NULL THEN NULL ELSE 'erased' END
         FROM transactions t WHERE t.id = e.transaction_id AND t.user_id = $1`,
    ),
    customerRefunds: await changed(
      `UPDATE customer_refunds r SET to_account = NULL FROM transactions t
        WHERE t.id = r.transaction_id AND t.user_id = $1 AND r.to_account IS NOT NULL`,
    ),
    // The record of emails sent: her address, and subjects that may name the recipient.
    customerEmails: await changed('DELETE FROM customer_emails WHERE user_id = $1'),
    // Addresses she gave to verify (issue 16), proven or not.
    emailVerifications: await changed('DELETE FROM email_verifications WHERE user_id = $1'),
    // Staff notes on the customer (customer_notes_guard allows this once personal_data_erased_at is set, above).
    customerNotes: await changed('DELETE FROM customer_notes WHERE user_id = $1'),
    // Replayed responses hold the recipient's name; nothing needs them any more.
    idempotencyKeys: await changed('DELETE FROM idempotency_keys WHERE user_id = $1'),
    erasureRequests: await changed(
      `UPDATE data_access_requests SET status = 'completed', completed_at = $2::timestamptz
        WHERE user_id = $1 AND type = 'erasure' AND status NOT IN ('completed', 'rejected')`,
    ),
  };
}

/** Deletes a former customer's AML records, children first. Returns how many rows of each table went. */
async function deleteAmlRecords(tx: DbClient, userId: string): Promise<Record<string, number>> {
  const removed = async (sql: string) => (await tx.query(sql, [userId])).rowCount ?? 0;
  return {
    alertEvents: await removed('DELETE FROM aml_alert_events e USING aml_alerts a WHERE a.id = e.alert_id AND a.user_id = $1'),
    caseEvents: await removed('DELETE FROM aml_case_events e USING aml_cases c WHERE c.id = e.case_id AND c.user_id = $1'),
    strs: await removed('DELETE FROM str_reports WHERE user_id = $1'),
    alerts: await removed('DELETE FROM aml_alerts WHERE user_id = $1'),
    cases: await removed('DELETE FROM aml_cases WHERE user_id = $1'),
    screeningMatches: await removed('DELETE FROM screening_matches WHERE user_id = $1'),
    screeningClearances: await removed(
      `DELETE FROM screening_clearances
        WHERE (subject_type = 'customer' AND subject_id = $1)
           OR (subject_type = 'recipient' AND subject_id IN (SELECT id FROM recipients WHERE user_id = $1))`,
    ),
    aggregates:
      (await removed('DELETE FROM aml_customer_activity WHERE user_id = $1')) +
      (await removed('DELETE FROM aml_customer_daily WHERE user_id = $1')) +
      (await removed('DELETE FROM aml_sender_recipients WHERE user_id = $1')),
  };
}

/**
 * When the retention job last ran (its `retention_applied` audit event) and what it applied then;
 * null before the first run. A dry run records nothing.
 */
export async function lastRetentionRun(db: DbClient): Promise<LastRetentionRun> {
  const { rows } = await db.query<{ at: string; applied: Record<string, number> | null }>(
    `SELECT to_char("timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, details -> 'applied' AS applied
       FROM audit_log WHERE action = 'retention_applied' ORDER BY seq DESC LIMIT 1`,
  );
  const last = rows[0];
  return last ? { at: last.at, applied: last.applied ?? {} } : null;
}
