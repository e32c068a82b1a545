import type { StrDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../../database-errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';
import { getStr } from './get-str.ts';
import { lockStr, recordStrCaseEvent } from './str-row.ts';

/**
 * A compliance lead records that an approved STR was filed with ØKOKRIM (→ filed, filed_at,
 * filed_by, and Altinn's receipt number when there is one): the row is then what the runbook's
 * INSERT writes (status 'filed', filed_at, details.reason and details.amount), and never changes.
 */
export async function fileStr(
  db: Db,
  input: { id: string; actor: string; filingReference?: string | undefined; nationalIds: NationalIdProtector },
): Promise<StrDetail> {
  await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const str = await lockStr(tx, input.id, ['approved']);
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      await tx.query(
        `UPDATE str_reports SET status = 'filed', filed_at = now(), filed_by = $2, filing_reference = nullif($3, '') WHERE id = $1`,
        [str.id, input.actor, input.filingReference?.trim() ?? ''],
      );
      await recordStrCaseEvent(tx, str, {
        kind: 'str_filed',
        actor: input.actor,
        text: input.filingReference?.trim() ? `${str.reference} (Altinn ${input.filingReference.trim()})` : str.reference,
      });
      await recordAuditEvent(tx, {
        action: 'str_filed',
        resourceType: 'str_report',
        resourceId: str.id,
        actor: input.actor,
        details: { caseId: str.case_id, reference: str.reference, filingReference: input.filingReference?.trim() || null },
      });
    }),
  );
  return getStr(db, input.id, input.nationalIds);
}
