import type { AmlCaseDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { getAmlCase } from './get-aml-case.ts';
import { lockCase } from './lock-case.ts';
import { recordCaseEvent } from './record-case-event.ts';

/**
 * Moves an open case to 'investigating' (the only status change besides closing, which has its own
 * operation). A case investigated already changes nothing; a closed one is CASE_CLOSED.
 */
export async function startAmlCaseInvestigation(db: Db, input: { caseId: string; actor: string }): Promise<AmlCaseDetail> {
  await withTransaction(db, async (tx) => {
    const found = await lockCase(tx, input.caseId);
    if (found.status === 'investigating') return;
    await tx.query(`UPDATE aml_cases SET status = 'investigating' WHERE id = $1`, [input.caseId]);
    await recordCaseEvent(tx, {
      caseId: input.caseId,
      kind: 'status_changed',
      actor: input.actor,
      details: { from: found.status, to: 'investigating' },
    });
    await recordAuditEvent(tx, {
      action: 'aml_case_status_changed',
      resourceType: 'aml_case',
      resourceId: input.caseId,
      actor: input.actor,
      details: { from: found.status, to: 'investigating' },
    });
  });
  return getAmlCase(db, input.caseId);
}
