import type { StrAttachment } from '@drop/contracts';
import type { Db } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';

/**
 * One attachment's file, for download (NOT_FOUND unless it belongs to this STR). Each download
 * is audited: the file carries personal data out of Drop, like an export.
 */
export async function getStrAttachment(
  db: Db,
  input: { strId: string; attachmentId: string; actor: string },
): Promise<StrAttachment & { content: Buffer }> {
  const { rows } = await db.query<{
    id: string;
    file_name: string;
    content_type: string;
    size_bytes: number;
    sha256: string;
    content: Buffer;
    reference: string;
  }>(
    `SELECT a.id, a.file_name, a.content_type, a.size_bytes, a.sha256, a.content, s.reference
       FROM str_attachments a JOIN str_reports s ON s.id = a.str_id
      WHERE a.id = $1 AND s.id::text = $2`,
    [input.attachmentId, input.strId],
  );
  const row = rows[0];
  if (!row) throw new DomainError('NOT_FOUND', 'No such attachment on this STR.');
  await recordAuditEvent(db, {
    action: 'str_attachment_downloaded',
    resourceType: 'str_report',
    resourceId: input.strId,
    actor: input.actor,
    details: { reference: row.reference, attachmentId: row.id, fileName: row.file_name, sha256: row.sha256 },
  });
  return {
    id: row.id,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    content: row.content,
  };
}
