import type { StrDetail, StrStatus, StrSummary } from '@drop/contracts';
import type { Db, DbClient } from '@drop/db';
import { DomainError } from '../../errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';
import { strAttachmentsOf } from './str-attachment-rows.ts';
import { draftInputOf, openStrDocument, type StrDetails } from './str-row.ts';

export interface StrRow {
  id: string;
  reference: string;
  status: StrStatus;
  report_type: string;
  case_id: string | null;
  user_id: string;
  customer_name: string | null;
  transaction_id: string | null;
  transaction_count: number;
  amount_nok: string | null;
  reason: string | null;
  sanctions_hit: boolean;
  drafted_by: string | null;
  drafted_by_name: string | null;
  approved_by: string | null;
  approved_by_name: string | null;
  created_at: Date;
  submitted_at: Date | null;
  approved_at: Date | null;
  filed_at: Date | null;
}

/**
 * The columns of an STR in the list. `details.amount` and `details.reason` are the runbook's keys;
 * a row the runbook INSERTed has no document, so its count is its one transfer (or none). A
 * drafter or approver who is not a staff id (the runbook's and the demo's rows) keeps the text.
 */
export const STR_COLUMNS = `s.id::text AS id, s.reference, s.status, s.report_type, s.case_id, s.user_id, u.full_name AS customer_name,
  s.transaction_id,
  CASE WHEN jsonb_typeof(s.details -> 'document' -> 'transactions') = 'array'
       THEN jsonb_array_length(s.details -> 'document' -> 'transactions') ELSE (s.transaction_id IS NOT NULL)::int END AS transaction_count,
  CASE WHEN jsonb_typeof(s.details -> 'amount') = 'number' THEN (s.details ->> 'amount')::numeric(18, 2)::text END AS amount_nok,
  CASE WHEN jsonb_typeof(s.details -> 'reason') = 'string' THEN s.details ->> 'reason' END AS reason,
  coalesce((s.details -> 'document' ->> 'sanctionsHit')::boolean, false) AS sanctions_hit,
  s.drafted_by, coalesce(drafter.full_name, s.drafted_by) AS drafted_by_name,
  s.approved_by, coalesce(approver.full_name, s.approved_by) AS approved_by_name,
  s.created_at, s.submitted_at, s.approved_at, s.filed_at`;

export const STR_FROM = `str_reports s JOIN users u ON u.id = s.user_id
  LEFT JOIN staff drafter ON drafter.id = s.drafted_by LEFT JOIN staff approver ON approver.id = s.approved_by`;

const staffRef = (id: string | null, name: string | null) => (id ? { id, name: name ?? id } : null);

export function strSummaryFromRow(row: StrRow): StrSummary {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    reportType: row.report_type,
    caseId: row.case_id,
    userId: row.user_id,
    customerName: row.customer_name,
    transactionId: row.transaction_id,
    transactionCount: row.transaction_count,
    amountNok: row.amount_nok,
    reason: row.reason,
    sanctionsHit: row.sanctions_hit,
    draftedBy: staffRef(row.drafted_by, row.drafted_by_name),
    approvedBy: staffRef(row.approved_by, row.approved_by_name),
    createdAt: row.created_at.toISOString(),
    submittedAt: row.submitted_at?.toISOString() ?? null,
    approvedAt: row.approved_at?.toISOString() ?? null,
    filedAt: row.filed_at?.toISOString() ?? null,
  };
}

interface DetailRow extends StrRow {
  case_title: string | null;
  case_escalated_rule: string | null;
  details: StrDetails;
  filed_by: string | null;
  filed_by_name: string | null;
  filing_reference: string | null;
  mfa_notified_at: Date | null;
  rejected_by: string | null;
  rejected_by_name: string | null;
  rejected_at: Date | null;
  decision_note: string | null;
  updated_at: Date;
}

/**
 * One STR with its document (national ids opened with the national-id key) and its steps from
 * the case's history. NOT_FOUND for an unknown id.
 */
export async function getStr(db: Db | DbClient, id: string, nationalIds: Pick<NationalIdProtector, 'decrypt'>): Promise<StrDetail> {
  const { rows } = await db.query<DetailRow>(
    `SELECT ${STR_COLUMNS}, c.title AS case_title, c.escalated_rule AS case_escalated_rule, s.details, s.filed_by, coalesce(filer.full_name, s.filed_by) AS filed_by_name,
            s.filing_reference, s.mfa_notified_at, s.decision_note, s.updated_at,
            s.rejected_by, coalesce(rejecter.full_name, s.rejected_by) AS rejected_by_name, s.rejected_at
       FROM ${STR_FROM} LEFT JOIN aml_cases c ON c.id = s.case_id LEFT JOIN staff filer ON filer.id = s.filed_by
            LEFT JOIN staff rejecter ON rejecter.id = s.rejected_by
      WHERE s.id::text = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) throw new DomainError('NOT_FOUND', 'No such STR.');
  const history = row.case_id
    ? (
        await db.query<{ kind: string; actor: string; actor_name: string | null; text: string | null; created_at: Date }>(
          `SELECT e.kind, e.actor, actor.full_name AS actor_name, e.text, e.created_at
             FROM aml_case_events e LEFT JOIN staff actor ON actor.id = e.actor
            WHERE e.case_id = $1 AND e.details ->> 'strId' = $2 ORDER BY e.id`,
          [row.case_id, row.id],
        )
      ).rows
    : [];
  const opened = openStrDocument(row.details ?? {}, row, nationalIds);
  // The supporting documents are rows of their own (str_attachments): the document lists them as they are.
  const document = opened ? { ...opened, attachments: await strAttachmentsOf(db, row.id) } : null;
  return {
    ...strSummaryFromRow(row),
    caseTitle: row.case_title,
    caseEscalatedRule: row.case_escalated_rule,
    document,
    draftInput: draftInputOf(row.details ?? {}, document),
    filedBy: staffRef(row.filed_by, row.filed_by_name),
    filingReference: row.filing_reference,
    mfaNotifiedAt: row.mfa_notified_at?.toISOString() ?? null,
    rejectedBy: staffRef(row.rejected_by, row.rejected_by_name),
    rejectedAt: row.rejected_at?.toISOString() ?? null,
    decisionNote: row.decision_note,
    updatedAt: row.updated_at.toISOString(),
    history: history.map((event) => ({
      kind: event.kind,
      actor: { id: event.actor, name: event.actor_name ?? event.actor },
      text: event.text,
      createdAt: event.created_at.toISOString(),
    })),
  };
}
