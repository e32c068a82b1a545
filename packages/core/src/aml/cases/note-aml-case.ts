import type { AmlCaseDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { getAmlCase } from './get-aml-case.ts';
import { lockCase } from './lock-case.ts';
import { recordCaseEvent } from './record-case-event.ts';

/** Adds a note to the timeline of a case that is not closed (the audit event records its length, not its text). */
export async function noteAmlCase(db: Db, input: { caseId: string; text: string; actor: string }): Promise<AmlCaseDetail> {
  const text = input.text.trim();
  if (text.length === 0) throw new DomainError('VALIDATION_FAILED', 'Write a note.');
  await withTransaction(db, async (tx) => {
    await lockCase(tx, input.caseId);
    await recordCaseEvent(tx, { caseId: input.caseId, kind: 'noted', actor: input.actor, text });
    await recordAuditEvent(tx, {
      action: 'aml_case_noted',
      resourceType: 'aml_case',
      resourceId: input.caseId,
      actor: input.actor,
      details: { length: text.length },
    });
  });
  return getAmlCase(db, input.caseId);
}
