import { createHash } from 'node:crypto';
import type { StrAttachment } from '@drop/contracts';
import { type Db, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../../database-errors.ts';
import { DomainError } from '../../errors.ts';
import {
  checkStrAttachmentContent,
  STR_ATTACHMENT_MAX_BYTES,
  sanitiseStrAttachmentName,
  strAttachmentTypeOf,
} from './str-attachment-content.ts';
import { lockStr } from './str-row.ts';

/**
 * The drafter attaches a supporting document to their draft STR (a PDF, PNG, JPEG, CSV or text
 * file of at most 10 MB). The type must be one of those (UNSUPPORTED_MEDIA_TYPE) and the content
 * what the type says (STR_ATTACHMENT_INVALID); the name is sanitised. Only the drafter
 * (FORBIDDEN), only a draft (CONFLICT; str_attachments_guard refuses it in psql too). Audited.
 */
export async function addStrAttachment(
  db: Db,
  input: { strId: string; actor: string; fileName: string | undefined; contentType: string | undefined; content: Buffer },
): Promise<StrAttachment> {
  const contentType = strAttachmentTypeOf(input.contentType);
  if (!contentType) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Attach a PDF, PNG, JPEG, CSV or plain text file.', {
      contentType: input.contentType ?? null,
    });
  }
  if (input.content.length > STR_ATTACHMENT_MAX_BYTES) {
    throw new DomainError('PAYLOAD_TOO_LARGE', 'An attachment is at most 10 MB.', { maxBytes: STR_ATTACHMENT_MAX_BYTES });
  }
  checkStrAttachmentContent(contentType, input.content);
  const attachment: StrAttachment = {
    id: newId('sta'),
    fileName: sanitiseStrAttachmentName(input.fileName),
    contentType,
    sizeBytes: input.content.length,
    sha256: createHash('sha256').update(input.content).digest('hex'),
  };
  await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const str = await lockStr(tx, input.strId, ['draft']);
      if (str.drafted_by !== input.actor) throw new DomainError('FORBIDDEN', 'Only the drafter adds attachments to a draft.');
      await tx.query(
        `INSERT INTO str_attachments (id, str_id, file_name, content_type, size_bytes, sha256, content, added_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [attachment.id, str.id, attachment.fileName, contentType, attachment.sizeBytes, attachment.sha256, input.content, input.actor],
      );
      await recordAuditEvent(tx, {
        action: 'str_attachment_added',
        resourceType: 'str_report',
        resourceId: str.id,
        actor: input.actor,
        details: { reference: str.reference, ...attachment },
      });
    }),
  );
  return attachment;
}
