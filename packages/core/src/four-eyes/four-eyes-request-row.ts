import type { FourEyesRequest } from '@drop/contracts';
import type { DbClient } from '@drop/db';

export type { FourEyesKind, FourEyesRequest, FourEyesStatus } from '@drop/contracts';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The SELECT every reader of four_eyes_requests shares (alias r; proposer p, decider d; the customer u a block is about). */
export const FOUR_EYES_SELECT = `
  SELECT r.id, r.kind, r.subject_id AS "subjectId", r.reason, r.proposed_by AS "proposedBy", p.full_name AS "proposedByName",
         ${ISO('r.proposed_at')} AS "proposedAt", r.status, r.decided_by AS "decidedBy", d.full_name AS "decidedByName",
         ${ISO('r.decided_at')} AS "decidedAt", r.decision_note AS "decisionNote",
         coalesce(u.full_name, u.email) AS "subjectName"
    FROM four_eyes_requests r
    JOIN staff p ON p.id = r.proposed_by
    LEFT JOIN staff d ON d.id = r.decided_by
    LEFT JOIN users u ON u.id = r.subject_id`;

export async function fourEyesRequestById(db: DbClient, id: string): Promise<FourEyesRequest | undefined> {
  const { rows } = await db.query<FourEyesRequest>(`${FOUR_EYES_SELECT} WHERE r.id = $1`, [id]);
  return rows[0];
}
