import type { StrDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../../database-errors.ts';
import { DomainError } from '../../errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';
import { getStr } from './get-str.ts';
import { lockStr, recordStrCaseEvent } from './str-row.ts';

/**
 * For a sanctions hit: records that the Ministry of Foreign Affairs (UD) was notified
 * (mfa_notified_at, and the document's mfaNotifiedAt, so the MT report can say so). Before the STR
 * is filed, since the report states it; once only (CONFLICT); not for an STR without a sanctions
 * hit (VALIDATION_FAILED).
 */
export async function recordStrMfaNotified(
  db: Db,
  input: { id: string; actor: string; nationalIds: NationalIdProtector },
): Promise<StrDetail> {
  await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const str = await lockStr(tx, input.id, ['draft', 'awaiting_approval', 'approved']);
      if (!str.details.document?.sanctionsHit) {
        throw new DomainError('VALIDATION_FAILED', 'This STR has no sanctions hit: UD is not notified of it.');
      }
      if (str.mfa_notified_at)
        throw new DomainError('CONFLICT', 'UD was notified already.', { mfaNotifiedAt: str.mfa_notified_at.toISOString() });
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      await tx.query(
        `UPDATE str_reports SET mfa_notified_at = now(),
                details = jsonb_set(details, '{document,mfaNotifiedAt}', to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
          WHERE id = $1`,
        [str.id],
      );
      // A structured event (kind and the STR in details), worded by the console in nb or en.
      await recordStrCaseEvent(tx, str, { kind: 'str_mfa_notified', actor: input.actor, text: null });
      await recordAuditEvent(tx, {
        action: 'str_mfa_notified',
        resourceType: 'str_report',
        resourceId: str.id,
        actor: input.actor,
        details: { caseId: str.case_id, reference: str.reference },
      });
    }),
  );
  return getStr(db, input.id, input.nationalIds);
}
