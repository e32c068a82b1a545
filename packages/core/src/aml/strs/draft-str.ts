import type { StrContentInput, StrDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../../database-errors.ts';
import { DomainError } from '../../errors.ts';
import type { NationalIdProtector } from '../../identity/national-id.ts';
import { buildStrDocument } from './build-str-document.ts';
import { getStr } from './get-str.ts';
import { recordStrCaseEvent, strDetailsToStore } from './str-row.ts';

/**
 * An officer drafts an STR from an open case: the document is built from Drop's records
 * (build-str-document.ts) and stored in `str_reports` as a draft, with the runbook's `reason` and
 * `amount` in `details` beside it; the case's history and the audit log record it.
 */
export async function draftStr(
  db: Db,
  input: { caseId: string; content: StrContentInput; actor: string; nationalIds: NationalIdProtector },
): Promise<StrDetail> {
  const id = await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const status = (await tx.query<{ status: string }>('SELECT status FROM aml_cases WHERE id = $1 FOR SHARE', [input.caseId])).rows[0]
        ?.status;
      if (!status) throw new DomainError('NOT_FOUND', 'No such case.');
      if (status === 'closed') throw new DomainError('CONFLICT', 'This case is closed: reopen it, or open a new one, to report.');
      // The reference is the column's own (DROP-STR-000001, …), taken first so the document can carry it.
      const reference = (
        await tx.query<{ reference: string }>(`SELECT 'DROP-STR-' || lpad(nextval('str_reports_reference_seq')::text, 6, '0') AS reference`)
      ).rows[0]?.reference as string;
      const built = await buildStrDocument(tx, {
        caseId: input.caseId,
        content: input.content,
        nationalIds: input.nationalIds,
        reference,
        mfaNotifiedAt: null,
      });
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO str_reports (user_id, transaction_id, report_type, details, status, drafted_by, case_id, reference)
         VALUES ($1, $2, $3, $4::jsonb, 'draft', $5, $6, $7) RETURNING id::text AS id`,
        [
          built.userId,
          built.firstTransactionId,
          built.document.reportType,
          JSON.stringify(strDetailsToStore(built, input.content, input.nationalIds)),
          input.actor,
          input.caseId,
          reference,
        ],
      );
      const strId = inserted.rows[0]?.id as string;
      await recordStrCaseEvent(
        tx,
        { id: strId, reference, case_id: input.caseId },
        { kind: 'str_drafted', actor: input.actor, text: reference },
      );
      await recordAuditEvent(tx, {
        action: 'str_drafted',
        resourceType: 'str_report',
        resourceId: strId,
        actor: input.actor,
        details: { caseId: input.caseId, reference, transactionIds: built.document.transactions.map((transfer) => transfer.id) },
      });
      return strId;
    }),
  );
  return getStr(db, id, input.nationalIds);
}
