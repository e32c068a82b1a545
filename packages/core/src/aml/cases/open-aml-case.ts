import type { AmlCaseDetail } from '@drop/contracts';
import { type Db, type DbClient, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { attachAlertIn } from './add-alert-to-case.ts';
import { getAmlCase } from './get-aml-case.ts';
import { recordCaseEvent } from './record-case-event.ts';

/**
 * The customer's case that is not closed, or a new one opened now, in the caller's transaction
 * ('opened' event and audit event when it is new). The partial unique index
 * `aml_cases_one_open_per_customer` decides a race: the loser of two concurrent opens gets the
 * winner's case, never a second one.
 */
export async function openCaseIn(
  tx: DbClient,
  input: {
    userId: string;
    title: string;
    dueAt?: string | undefined;
    actor: string;
    why: 'opened' | 'escalated';
    /** For a case opened by escalating an alert: its rule (aml_cases.escalated_rule). */
    escalatedRule?: string | undefined;
  },
): Promise<{ caseId: string; created: boolean }> {
  const user = await tx.query('SELECT 1 FROM users WHERE id = $1', [input.userId]);
  if (user.rowCount === 0) throw new DomainError('NOT_FOUND', 'No such customer.', { userId: input.userId });
  // aml_cases.opened_by names a staff member: an operator's `cli:` actor escalates with --as.
  const staff = await tx.query('SELECT 1 FROM staff WHERE id = $1', [input.actor]);
  if (staff.rowCount === 0) {
    throw new DomainError('VALIDATION_FAILED', 'A case is opened by a compliance staff member: act as one (--as EMAIL).', {
      errors: [{ path: 'actor', message: 'not a staff member' }],
    });
  }
  const caseId = newId('case');
  const inserted = await tx.query<{ id: string; due_at: Date }>(
    `INSERT INTO aml_cases (id, user_id, title, opened_by, due_at, escalated_rule)
     VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now() + interval '30 days'), $6)
     ON CONFLICT (user_id) WHERE status <> 'closed' DO NOTHING
     RETURNING id, due_at`,
    [caseId, input.userId, input.title, input.actor, input.dueAt ?? null, input.escalatedRule ?? null],
  );
  const row = inserted.rows[0];
  if (!row) {
    const { rows } = await tx.query<{ id: string }>(`SELECT id FROM aml_cases WHERE user_id = $1 AND status <> 'closed' FOR UPDATE`, [
      input.userId,
    ]);
    const existing = rows[0];
    if (!existing) throw new Error('aml_cases: the open case that refused the insert is gone');
    return { caseId: existing.id, created: false };
  }
  // An escalated case's title is the console's to word (from the rule): the event carries the rule, not English text.
  await recordCaseEvent(tx, {
    caseId,
    kind: 'opened',
    actor: input.actor,
    text: input.escalatedRule ? null : input.title,
    details: input.escalatedRule ? { why: input.why, rule: input.escalatedRule } : { why: input.why },
  });
  await recordAuditEvent(tx, {
    action: 'aml_case_opened',
    resourceType: 'aml_case',
    resourceId: caseId,
    actor: input.actor,
    details: { userId: input.userId, dueAt: row.due_at.toISOString(), why: input.why },
  });
  return { caseId, created: true };
}

/**
 * Opens a case for a customer, with a title, a due date (30 days by default: the duty to
 * investigate of hvitvaskingsloven § 25) and the alerts to group from the start. A customer has one
 * case at a time: when theirs is still open this is refused with CASE_ALREADY_OPEN naming it
 * (details.caseId), rather than silently adding to it, so the caller sees which investigation
 * already runs and adds the alerts there (POST /cases/:id/alerts).
 */
export async function openAmlCase(
  db: Db,
  input: { userId: string; title: string; dueAt?: string | undefined; alertIds?: string[] | undefined; actor: string },
): Promise<AmlCaseDetail> {
  const title = input.title.trim();
  if (title.length === 0) throw new DomainError('VALIDATION_FAILED', 'Give the case a title.');
  if (input.dueAt !== undefined && !(new Date(input.dueAt).getTime() > Date.now())) {
    throw new DomainError('VALIDATION_FAILED', 'The due date must be in the future.', {
      errors: [{ path: 'dueAt', message: 'must be in the future' }],
    });
  }
  const caseId = await withTransaction(db, async (tx) => {
    const opened = await openCaseIn(tx, { ...input, title, why: 'opened' });
    if (!opened.created) {
      throw new DomainError('CASE_ALREADY_OPEN', 'This customer has a case that is not closed.', { caseId: opened.caseId });
    }
    for (const alertId of new Set(input.alertIds ?? [])) {
      await attachAlertIn(tx, { caseId: opened.caseId, alertId, actor: input.actor, joinedBy: 'added' });
    }
    return opened.caseId;
  });
  return getAmlCase(db, caseId);
}
