import type { StrDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../../database-errors.ts';
import { DomainError } from '../../errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';
import { SELF_APPROVAL_REFUSED } from './approve-str.ts';
import { getStr } from './get-str.ts';
import { lockStr, recordStrCaseEvent } from './str-row.ts';

/**
 * A compliance lead returns an STR awaiting approval to its drafter with a note (→ draft); the
 * drafter edits and submits it again. Deciding is the second person's, so the drafter cannot.
 */
export async function returnStr(
  db: Db,
  input: { id: string; actor: string; note: string; nationalIds: NationalIdProtector },
): Promise<StrDetail> {
  const note = input.note.trim();
  if (note.length === 0) throw new DomainError('VALIDATION_FAILED', 'Say what the drafter should change.');
  await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const str = await lockStr(tx, input.id, ['awaiting_approval']);
      if (str.drafted_by === input.actor) throw new DomainError('FOUR_EYES_REQUIRED', SELF_APPROVAL_REFUSED);
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      await tx.query(`UPDATE str_reports SET status = 'draft', decision_note = $2 WHERE id = $1`, [str.id, note]);
      await recordStrCaseEvent(tx, str, { kind: 'str_returned', actor: input.actor, text: note });
      await recordAuditEvent(tx, {
        action: 'str_returned',
        resourceType: 'str_report',
        resourceId: str.id,
        actor: input.actor,
        details: { caseId: str.case_id, reference: str.reference, draftedBy: str.drafted_by },
      });
    }),
  );
  return getStr(db, input.id, input.nationalIds);
}
