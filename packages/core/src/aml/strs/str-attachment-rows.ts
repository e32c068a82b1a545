import type { StrAttachment } from '@drop/contracts';
import type { Db, DbClient } from '@drop/db';

/** An STR's supporting documents as the document lists them (StrAttachment), oldest first; no content. */
export async function strAttachmentsOf(db: Db | DbClient, strId: string): Promise<StrAttachment[]> {
  const { rows } = await db.query<{ id: string; file_name: string; content_type: string; size_bytes: number; sha256: string }>(
    `SELECT id, file_name, content_type, size_bytes, sha256 FROM str_attachments WHERE str_id = $1 ORDER BY added_at, id`,
    [strId],
  );
  return rows.map((row) => ({
    id: row.id,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
  }));
}
