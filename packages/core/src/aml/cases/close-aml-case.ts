import type { AmlCaseDetail, CaseOutcome } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { getAmlCase } from './get-aml-case.ts';
import { lockCase } from './lock-case.ts';
import { recordCaseEvent } from './record-case-event.ts';

/** STR statuses on the way to filing: a case cannot close while one of its STRs is in them. */
const UNFILED = ['draft', 'awaiting_approval', 'approved'];

/**
 * Closes a case with an outcome and notes. Refused with CASE_STR_UNFILED while an STR of the case
 * is drafted, awaiting approval or approved but not filed (the report must go out, or be rejected,
 * first), and 'reported' with CASE_STR_NOT_FILED unless an STR of the case is filed. The STRs are
 * read under the case's lock; a second close is CASE_CLOSED.
 */
export async function closeAmlCase(
  db: Db,
  input: { caseId: string; outcome: CaseOutcome; notes: string; actor: string },
): Promise<AmlCaseDetail> {
  const notes = input.notes.trim();
  if (notes.length === 0) throw new DomainError('VALIDATION_FAILED', 'Write the closing notes.');
  await withTransaction(db, async (tx) => {
    const found = await lockCase(tx, input.caseId);
    const { rows } = await tx.query<{ id: string; reference: string; status: string }>(
      'SELECT id, reference, status FROM str_reports WHERE case_id = $1 ORDER BY created_at',
      [input.caseId],
    );
    const unfiled = rows.filter((str) => UNFILED.includes(str.status));
    if (unfiled.length > 0) {
      throw new DomainError('CASE_STR_UNFILED', 'An STR of this case is not filed yet: file it or reject it first.', {
        strs: unfiled.map((str) => ({ id: str.id, reference: str.reference, status: str.status })),
      });
    }
    const filed = rows.filter((str) => str.status === 'filed');
    if (input.outcome === 'reported' && filed.length === 0) {
      throw new DomainError('CASE_STR_NOT_FILED', 'A case closed as reported needs a filed STR of the case.');
    }
    await tx.query(
      `UPDATE aml_cases SET status = 'closed', outcome = $2, closing_notes = $3, closed_by = $4, closed_at = now() WHERE id = $1`,
      [input.caseId, input.outcome, notes, input.actor],
    );
    await recordCaseEvent(tx, {
      caseId: input.caseId,
      kind: 'closed',
      actor: input.actor,
      text: notes,
      details: { outcome: input.outcome, from: found.status },
    });
    await recordAuditEvent(tx, {
      action: 'aml_case_closed',
      resourceType: 'aml_case',
      resourceId: input.caseId,
      actor: input.actor,
      details: { outcome: input.outcome, filedStrs: filed.map((str) => str.reference) },
    });
  });
  return getAmlCase(db, input.caseId);
}
