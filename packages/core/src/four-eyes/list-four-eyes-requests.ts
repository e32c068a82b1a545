import type { ApprovalListQuery, FourEyesRequest } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import { FOUR_EYES_SELECT } from './four-eyes-request-row.ts';

/** Proposals waiting for a second person (or decided ones, by ?status=), oldest first; optionally for one transfer or customer. */
export async function listFourEyesRequests(db: DbClient, query: ApprovalListQuery): Promise<FourEyesRequest[]> {
  const { rows } = await db.query<FourEyesRequest>(
    `${FOUR_EYES_SELECT}
      WHERE r.status = $1 AND ($2::text IS NULL OR r.subject_id = $2)
      ORDER BY r.proposed_at ASC, r.id ASC LIMIT 500`,
    [query.status, query.subjectId ?? null],
  );
  return rows;
}
