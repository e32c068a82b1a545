import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';

export interface SepaPayoutFileRow {
  id: string;
  messageId: string;
  createdBy: string;
  createdAt: string;
  payouts: number;
  controlSum: string;
  currency: string;
  sha256: string;
}

/** The files exported so far, newest first. */
export async function listSepaPayoutFiles(db: DbClient, input: { limit: number }): Promise<SepaPayoutFileRow[]> {
  const { rows } = await db.query<SepaPayoutFileRow>(
    `SELECT id, message_id AS "messageId", created_by AS "createdBy",
            to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
            payouts, format_minor(control_sum_minor, currency) AS "controlSum", currency, encode(sha256, 'hex') AS sha256
       FROM sepa_payout_files ORDER BY created_at DESC, id DESC LIMIT $1`,
    [input.limit],
  );
  return rows;
}

/** One exported file's XML, exactly as it was written; NOT_FOUND when there is no such file. */
export async function getSepaPayoutFile(db: DbClient, fileId: string): Promise<{ id: string; messageId: string; xml: string }> {
  const { rows } = await db.query<{ id: string; messageId: string; xml: string }>(
    `SELECT id, message_id AS "messageId", xml FROM sepa_payout_files WHERE id = $1`,
    [fileId],
  );
  const file = rows[0];
  if (!file) throw new DomainError('NOT_FOUND', 'No such SEPA payout file.');
  return file;
}
