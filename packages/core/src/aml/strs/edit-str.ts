import type { StrContentInput, StrDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../../database-errors.ts';
import { DomainError } from '../../errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';
import { buildStrDocument } from './build-str-document.ts';
import { getStr } from './get-str.ts';
import { lockStr, strDetailsToStore } from './str-row.ts';

/**
 * The drafter edits their draft: the document is built again from what they wrote and Drop's
 * records as they are now. Only the drafter (FORBIDDEN), only a draft (CONFLICT; the database
 * refuses a changed content after submission too).
 */
export async function editStr(
  db: Db,
  input: { id: string; content: StrContentInput; actor: string; nationalIds: NationalIdProtector },
): Promise<StrDetail> {
  await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const str = await lockStr(tx, input.id, ['draft']);
      if (str.drafted_by !== input.actor) throw new DomainError('FORBIDDEN', 'Only the drafter edits a draft.');
      if (!str.case_id) throw new DomainError('CONFLICT', 'This STR has no case to build it from.');
      const built = await buildStrDocument(tx, {
        caseId: str.case_id,
        content: input.content,
        nationalIds: input.nationalIds,
        reference: str.reference,
        mfaNotifiedAt: str.mfa_notified_at?.toISOString() ?? null,
      });
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      await tx.query(`UPDATE str_reports SET details = $2::jsonb, transaction_id = $3, report_type = $4 WHERE id = $1`, [
        str.id,
        JSON.stringify(strDetailsToStore(built, input.content, input.nationalIds)),
        built.firstTransactionId,
        built.document.reportType,
      ]);
      await recordAuditEvent(tx, {
        action: 'str_edited',
        resourceType: 'str_report',
        resourceId: str.id,
        actor: input.actor,
        details: {
          caseId: str.case_id,
          reference: str.reference,
          transactionIds: built.document.transactions.map((transfer) => transfer.id),
        },
      });
    }),
  );
  return getStr(db, input.id, input.nationalIds);
}
