import type { StrDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../../database-errors.ts';
import { DomainError } from '../../errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';
import { getStr } from './get-str.ts';
import { lockStr, recordStrCaseEvent } from './str-row.ts';

export const SELF_APPROVAL_REFUSED = 'A second person must approve: the drafter cannot approve or return their own STR.';

/**
 * A compliance lead approves an STR awaiting approval (→ approved, approved_by, approved_at). The
 * drafter never can: FOUR_EYES_REQUIRED here, and the database refuses it too (trigger
 * str_reports_guard, CHECK approved_by <> drafted_by).
 */
export async function approveStr(
  db: Db,
  input: { id: string; actor: string; note?: string | undefined; nationalIds: NationalIdProtector },
): Promise<StrDetail> {
  await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const str = await lockStr(tx, input.id, ['awaiting_approval']);
      if (str.drafted_by === input.actor) throw new DomainError('FOUR_EYES_REQUIRED', SELF_APPROVAL_REFUSED);
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      await tx.query(
        `UPDATE str_reports SET status = 'approved', approved_by = $2, approved_at = now(), decision_note = nullif($3, '') WHERE id = $1`,
        [str.id, input.actor, input.note?.trim() ?? ''],
      );
      await recordStrCaseEvent(tx, str, { kind: 'str_approved', actor: input.actor, text: input.note?.trim() || str.reference });
      await recordAuditEvent(tx, {
        action: 'str_approved',
        resourceType: 'str_report',
        resourceId: str.id,
        actor: input.actor,
        details: { caseId: str.case_id, reference: str.reference, draftedBy: str.drafted_by },
      });
    }),
  );
  return getStr(db, input.id, input.nationalIds);
}
