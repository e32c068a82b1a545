import type { StrDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../../database-errors.ts';
import { DomainError } from '../../errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';
import { getStr } from './get-str.ts';
import { lockStr, recordStrCaseEvent } from './str-row.ts';

export const SELF_REJECTION_REFUSED = 'A second person must decide: the drafter cannot reject their own STR.';

/**
 * A compliance lead rejects an STR awaiting approval, with the reason (→ rejected, final:
 * rejected_by, rejected_at, decision_note). It is not filed; its case can then be closed. The
 * drafter never can: FOUR_EYES_REQUIRED here, and the database refuses it too (trigger
 * str_reports_guard, CHECK rejected_by <> drafted_by).
 */
export async function rejectStr(
  db: Db,
  input: { id: string; actor: string; reason: string; nationalIds: NationalIdProtector },
): Promise<StrDetail> {
  const reason = input.reason.trim();
  if (reason.length === 0) throw new DomainError('VALIDATION_FAILED', 'Say why the STR is rejected.');
  await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const str = await lockStr(tx, input.id, ['awaiting_approval']);
      if (str.drafted_by === input.actor) throw new DomainError('FOUR_EYES_REQUIRED', SELF_REJECTION_REFUSED);
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      await tx.query(
        `UPDATE str_reports SET status = 'rejected', rejected_by = $2, rejected_at = now(), decision_note = $3 WHERE id = $1`,
        [str.id, input.actor, reason],
      );
      await recordStrCaseEvent(tx, str, { kind: 'str_rejected', actor: input.actor, text: reason });
      await recordAuditEvent(tx, {
        action: 'str_rejected',
        resourceType: 'str_report',
        resourceId: str.id,
        actor: input.actor,
        details: { caseId: str.case_id, reference: str.reference, draftedBy: str.drafted_by },
      });
    }),
  );
  return getStr(db, input.id, input.nationalIds);
}
