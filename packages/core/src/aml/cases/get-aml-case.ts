import type { AmlCaseAlert, AmlCaseDetail, AmlCaseStr, AmlCaseTimelineEntry, KycStatus } from '@drop/contracts';
import type { Db } from '@drop/db';
import { DomainError } from '../../errors.ts';
import { CASE_COLUMNS, CASE_FROM, type CaseRow, caseFromRow } from './list-aml-cases.ts';

interface DetailRow extends CaseRow {
  closed_by: string | null;
  closed_by_name: string | null;
  closing_notes: string | null;
  kyc_status: KycStatus;
  block_reason: string | null;
  aml_frozen_at: Date | null;
  deleted_at: Date | null;
}

interface TimelineRow {
  at: Date;
  source: AmlCaseTimelineEntry['source'];
  kind: string;
  subject_id: string | null;
  actor: string | null;
  actor_name: string | null;
  text: string | null;
  details: Record<string, unknown> | null;
}

/** The newest entries of each of the customer's own records the timeline shows (a busy customer has many transfers). */
const PER_SOURCE = 300;

/**
 * The case's timeline, oldest first: the casework (`aml_case_events`) merged with what the
 * customer did and what happened to them, each read from its own table: transfers (created and
 * every status, `transfer_events`), screening matches, KYC history (the audit log: `kyc_started`,
 * and every change of `users.kyc_status` by any writer, recorded by the row trigger), alerts (the
 * customer's and those added to the case), recipients (added, removed) and the case's STRs.
 */
const TIMELINE_SQL = `
WITH case_alerts AS (
  SELECT a.* FROM aml_alerts a WHERE a.user_id = $2 OR a.case_id = $1
)
SELECT * FROM (
  SELECT e.created_at AS at, 'case' AS source, e.kind, NULL::text AS subject_id, e.actor, s.full_name AS actor_name, e.text,
         e.details, e.id AS seq
    FROM aml_case_events e LEFT JOIN staff s ON s.id = e.actor WHERE e.case_id = $1
  UNION ALL
  SELECT * FROM (
    SELECT te.at, 'transfer', te.to_status, t.id, te.actor, s.full_name, te.reason,
           jsonb_build_object('from', te.from_status, 'sendAmount', t.send_amount::text, 'sendCurrency', t.send_currency,
                              'recipient', r.name), 0
      FROM transfer_events te JOIN transactions t ON t.id = te.transaction_id
      LEFT JOIN recipients r ON r.id = t.recipient_id LEFT JOIN staff s ON s.id = te.actor
     WHERE t.user_id = $2 ORDER BY te.at DESC LIMIT ${PER_SOURCE}) transfers
  UNION ALL
  SELECT * FROM (
    SELECT m.created_at, 'screening', m.status, m.id, NULL, NULL, NULL,
           jsonb_build_object('list', m.list, 'name', m.name, 'score', m.score::text, 'subjectType', m.subject_type,
                              'transactionId', m.transaction_id), 0
      FROM screening_matches m WHERE m.user_id = $2 ORDER BY m.created_at DESC LIMIT ${PER_SOURCE}) matches
  UNION ALL
  SELECT * FROM (
    SELECT l."timestamp", 'kyc',
           CASE WHEN l.action = 'kyc_started' THEN 'started' ELSE 'status_changed' END,
           NULL, l.actor, s.full_name, NULL,
           CASE WHEN l.action = 'kyc_started' THEN '{}'::jsonb
                ELSE jsonb_build_object('from', l.details -> 'before' ->> 'kyc_status', 'to', l.details -> 'after' ->> 'kyc_status') END, 0
      FROM audit_log l LEFT JOIN staff s ON s.id = l.actor
     WHERE (l.resource_type = 'user' AND l.resource_id = $2 AND l.action = 'kyc_started')
        OR (l.resource_type = 'users' AND l.resource_id = $2 AND l.action = 'UPDATE' AND l.details -> 'changed' ? 'kyc_status')
     ORDER BY l."timestamp" DESC LIMIT ${PER_SOURCE}) kyc
  UNION ALL
  SELECT a.created_at, 'alert', 'raised', a.id, NULL, NULL, a.details ->> 'summary',
         jsonb_build_object('rule', a.rule, 'severity', a.severity, 'userId', a.user_id, 'transactionId', a.transaction_id), 0
    FROM case_alerts a
  UNION ALL
  SELECT a.reviewed_at, 'alert', 'closed', a.id, a.reviewed_by, s.full_name, a.reviewer_notes,
         jsonb_build_object('rule', a.rule, 'outcome', a.outcome, 'userId', a.user_id), 0
    FROM case_alerts a LEFT JOIN staff s ON s.id = a.reviewed_by WHERE a.status = 'closed' AND a.reviewed_at IS NOT NULL
  UNION ALL
  SELECT r.created_at, 'recipient', 'added', r.id, NULL, NULL, NULL,
         jsonb_build_object('name', r.name, 'country', r.country, 'currency', r.currency), 0
    FROM recipients r WHERE r.user_id = $2
  UNION ALL
  SELECT r.deleted_at, 'recipient', 'removed', r.id, NULL, NULL, NULL, jsonb_build_object('name', r.name, 'country', r.country), 0
    FROM recipients r WHERE r.user_id = $2 AND r.deleted_at IS NOT NULL
  UNION ALL
  SELECT x.created_at, 'str', 'created', x.id::text, x.drafted_by, s.full_name, NULL,
         jsonb_build_object('reference', x.reference, 'status', x.status), 0
    FROM str_reports x LEFT JOIN staff s ON s.id = x.drafted_by WHERE x.case_id = $1
  UNION ALL
  SELECT x.filed_at, 'str', 'filed', x.id::text, x.filed_by, s.full_name, NULL, jsonb_build_object('reference', x.reference), 0
    FROM str_reports x LEFT JOIN staff s ON s.id = x.filed_by WHERE x.case_id = $1 AND x.filed_at IS NOT NULL
) timeline
-- At the same instant (one transaction): by source, then the case's own events in the order written.
ORDER BY at, source, seq, kind`;

/** A jsonb object's values as the contract's strings (numbers and booleans spelled out, nested values as JSON). */
function stringValues(details: Record<string, unknown> | null): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(details ?? {})) {
    out[key] = value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

async function timeline(db: Db, caseId: string, userId: string): Promise<AmlCaseTimelineEntry[]> {
  const { rows } = await db.query<TimelineRow>(TIMELINE_SQL, [caseId, userId]);
  return rows.map((row) => ({
    at: row.at.toISOString(),
    source: row.source,
    kind: row.kind,
    subjectId: row.subject_id,
    actor: row.actor,
    actorName: row.actor_name,
    text: row.text,
    details: stringValues(row.details),
  }));
}

async function caseAlerts(db: Db, caseId: string): Promise<AmlCaseAlert[]> {
  const { rows } = await db.query<{
    id: string;
    user_id: string;
    email: string | null;
    rule: string;
    severity: string;
    status: string;
    outcome: string | null;
    summary: string | null;
    transaction_id: string | null;
    created_at: Date;
  }>(
    `SELECT a.id, a.user_id, u.email, a.rule, a.severity, a.status, a.outcome, a.details ->> 'summary' AS summary, a.transaction_id, a.created_at
       FROM aml_alerts a JOIN users u ON u.id = a.user_id WHERE a.case_id = $1 ORDER BY a.created_at, a.id`,
    [caseId],
  );
  return rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    email: row.email,
    rule: row.rule,
    severity: row.severity,
    status: row.status,
    outcome: row.outcome,
    summary: row.summary,
    transactionId: row.transaction_id,
    createdAt: row.created_at.toISOString(),
  }));
}

async function caseStrs(db: Db, caseId: string): Promise<AmlCaseStr[]> {
  const { rows } = await db.query<{ id: string; reference: string; status: AmlCaseStr['status']; created_at: Date; filed_at: Date | null }>(
    'SELECT id::text AS id, reference, status, created_at, filed_at FROM str_reports WHERE case_id = $1 ORDER BY created_at, reference',
    [caseId],
  );
  return rows.map((row) => ({
    id: row.id,
    reference: row.reference,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    filedAt: row.filed_at?.toISOString() ?? null,
  }));
}

/**
 * One case in full: the customer's summary (blocked by any rule, frozen, deleted), the alerts of
 * the case, its STRs and the timeline. NOT_FOUND for an unknown id.
 */
export async function getAmlCase(db: Db, caseId: string): Promise<AmlCaseDetail> {
  const { rows } = await db.query<DetailRow>(
    `SELECT ${CASE_COLUMNS}, c.closed_by, closer.full_name AS closed_by_name, c.closing_notes, u.kyc_status,
            customer_block_reason(u.kyc_status, u.deleted_at, u.aml_frozen_at) AS block_reason, u.aml_frozen_at, u.deleted_at
       FROM ${CASE_FROM} LEFT JOIN staff closer ON closer.id = c.closed_by
      WHERE c.id = $1`,
    [caseId],
  );
  const row = rows[0];
  if (!row) throw new DomainError('NOT_FOUND', 'No such case.');
  return {
    ...caseFromRow(row),
    closedBy: row.closed_by ? { id: row.closed_by, name: row.closed_by_name ?? row.closed_by } : null,
    closingNotes: row.closing_notes,
    customer: {
      id: row.user_id,
      name: row.customer_name,
      email: row.email,
      kycStatus: row.kyc_status,
      blocked: row.block_reason !== null,
      blockReason: row.block_reason,
      amlFrozenAt: row.aml_frozen_at?.toISOString() ?? null,
      deletedAt: row.deleted_at?.toISOString() ?? null,
    },
    alerts: await caseAlerts(db, caseId),
    strs: await caseStrs(db, caseId),
    timeline: await timeline(db, caseId, row.user_id),
  };
}
