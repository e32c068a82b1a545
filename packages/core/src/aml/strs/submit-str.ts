import type { StrDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../../database-errors.ts';
import { DomainError } from '../../errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';
import { getStr } from './get-str.ts';
import { lockStr, recordStrCaseEvent } from './str-row.ts';

/** The drafter submits their draft for a second person's approval (draft → awaiting_approval, submitted_at). */
export async function submitStr(db: Db, input: { id: string; actor: string; nationalIds: NationalIdProtector }): Promise<StrDetail> {
  await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const str = await lockStr(tx, input.id, ['draft']);
      if (str.drafted_by !== input.actor) throw new DomainError('FORBIDDEN', 'Only the drafter submits a draft.');
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      await tx.query(`UPDATE str_reports SET status = 'awaiting_approval', submitted_at = now(), decision_note = NULL WHERE id = $1`, [
        str.id,
      ]);
      await recordStrCaseEvent(tx, str, { kind: 'str_submitted', actor: input.actor, text: str.reference });
      await recordAuditEvent(tx, {
        action: 'str_submitted',
        resourceType: 'str_report',
        resourceId: str.id,
        actor: input.actor,
        details: { caseId: str.case_id, reference: str.reference },
      });
    }),
  );
  return getStr(db, input.id, input.nationalIds);
}
