import type { CaseEventKind } from '@drop/contracts';
import type { DbClient } from '@drop/db';

/**
 * Appends one entry to the case's history (`aml_case_events`, append-only by trigger). The
 * application writes these, in the transaction of the change they describe, rather than a trigger
 * on aml_cases: the meaning (a note's text, which alert was added and how) is known only here.
 */
export async function recordCaseEvent(
  tx: DbClient,
  event: { caseId: string; kind: CaseEventKind; actor: string; text?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await tx.query('INSERT INTO aml_case_events (case_id, kind, actor, text, details) VALUES ($1, $2, $3, $4, $5::jsonb)', [
    event.caseId,
    event.kind,
    event.actor,
    event.text ?? null,
    JSON.stringify(event.details ?? {}),
  ]);
}
