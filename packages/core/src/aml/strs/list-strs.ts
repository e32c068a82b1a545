import type { StrSummary } from '@drop/contracts';
import type { Db } from '@drop/db';
import { STR_COLUMNS, STR_FROM, type StrRow, strSummaryFromRow } from './get-str.ts';

/**
 * STRs, newest first: all of them, those in one status, or (`awaitingApprovalBy`) those waiting
 * for a second person that this staff member did not draft, i.e. what they can approve.
 */
export async function listStrs(
  db: Db,
  input: { status?: StrSummary['status'] | undefined; awaitingApprovalBy?: string | undefined },
): Promise<StrSummary[]> {
  const { rows } = await db.query<StrRow>(
    `SELECT ${STR_COLUMNS} FROM ${STR_FROM}
      WHERE ($1::text IS NULL OR s.status = $1)
        AND ($2::text IS NULL OR (s.status = 'awaiting_approval' AND s.drafted_by IS DISTINCT FROM $2))
      ORDER BY s.created_at DESC, s.id LIMIT 500`,
    [input.status ?? null, input.awaitingApprovalBy ?? null],
  );
  return rows.map(strSummaryFromRow);
}
