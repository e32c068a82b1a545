import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../../database-errors.ts';
import { DomainError } from '../../errors.ts';
import { lockStr } from './str-row.ts';

/**
 * The drafter removes an attachment from their draft (NOT_FOUND for one not of this STR). Only
 * the drafter (FORBIDDEN), only a draft (CONFLICT; str_attachments_guard too). Audited with the
 * file's name and digest, so the log says what was taken out.
 */
export async function removeStrAttachment(db: Db, input: { strId: string; attachmentId: string; actor: string }): Promise<void> {
  await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const str = await lockStr(tx, input.strId, ['draft']);
      if (str.drafted_by !== input.actor) throw new DomainError('FORBIDDEN', 'Only the drafter removes attachments from a draft.');
      const { rows } = await tx.query<{ file_name: string; sha256: string }>(
        'DELETE FROM str_attachments WHERE id = $1 AND str_id = $2 RETURNING file_name, sha256',
        [input.attachmentId, str.id],
      );
      const removed = rows[0];
      if (!removed) throw new DomainError('NOT_FOUND', 'No such attachment on this STR.');
      await recordAuditEvent(tx, {
        action: 'str_attachment_removed',
        resourceType: 'str_report',
        resourceId: str.id,
        actor: input.actor,
        details: { reference: str.reference, attachmentId: input.attachmentId, fileName: removed.file_name, sha256: removed.sha256 },
      });
    }),
  );
}
