import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { applyKycReview, type CustomerScreening } from './apply-kyc-review.ts';
import type { KycApplicantReview, KycProvider } from './kyc-provider.ts';

/** A provider webhook whose authenticity the transport has already checked. */
export interface KycEvent {
  type: string;
  applicantId: string;
  externalUserId: string;
  createdAtMs: number;
  bodySha256: Buffer;
}

export type KycEventOutcome = 'applied' | 'duplicate' | 'stale' | 'ignored' | 'unknown_applicant';

const STATE_EVENTS = new Set([
  'applicantPending',
  'applicantReviewed',
  'applicantOnHold',
  'applicantCreated',
  'applicantReset',
  'applicantPrechecked',
]);

/**
 * Applies a provider event once. The event is only a hint: for anything that changes state, Drop
 * re-reads the applicant from the provider's API and applies what it says now (so a forged or
 * stale payload cannot decide anything). Events older than the last one applied change nothing.
 * The deduplication row and the effect commit in one transaction.
 */
export async function handleKycEvent(
  db: Db,
  input: { event: KycEvent; provider: KycProvider; screening?: CustomerScreening },
): Promise<KycEventOutcome> {
  const { event } = input;
  const duplicate = await db.query(`SELECT 1 FROM webhook_events WHERE provider = 'sumsub' AND body_sha256 = $1`, [event.bodySha256]);
  if (duplicate.rowCount) return 'duplicate';

  const known = await db.query<{ user_id: string }>(`SELECT user_id FROM kyc_applicants WHERE applicant_id = $1`, [event.applicantId]);
  const userId = known.rows[0]?.user_id;
  if (!userId || userId !== event.externalUserId) {
    await recordAuditEvent(db, {
      action: 'webhook_ignored',
      resourceType: 'webhook',
      actor: 'sumsub',
      details: { reason: 'unknown_applicant', type: event.type },
    });
    return 'unknown_applicant';
  }
  const relevant = STATE_EVENTS.has(event.type);
  // Outside the transaction: never hold database locks across a call to the provider.
  const current: KycApplicantReview | undefined = relevant ? await input.provider.getApplicant(event.applicantId) : undefined;

  return withTransaction(db, async (tx) => {
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO webhook_events (provider, body_sha256, event_type, subject_id, created_at_ms, outcome)
       VALUES ('sumsub', $1, $2, $3, $4, 'applied') ON CONFLICT (provider, body_sha256) DO NOTHING RETURNING id`,
      [event.bodySha256, event.type, event.applicantId, event.createdAtMs],
    );
    const eventId = inserted.rows[0]?.id;
    if (!eventId) return 'duplicate';
    const applicant = await tx.query<{ last_event_ms: string }>(`SELECT last_event_ms FROM kyc_applicants WHERE user_id = $1 FOR UPDATE`, [
      userId,
    ]);
    if (event.createdAtMs <= Number(applicant.rows[0]?.last_event_ms ?? 0)) {
      await tx.query(`UPDATE webhook_events SET outcome = 'stale' WHERE id = $1`, [eventId]);
      return 'stale';
    }
    if (!current) {
      await tx.query(`UPDATE webhook_events SET outcome = 'ignored' WHERE id = $1`, [eventId]);
      return 'ignored';
    }
    await applyKycReview(tx, {
      userId,
      review: current,
      eventMs: event.createdAtMs,
      reason: `sumsub:${event.type}`,
      actor: 'sumsub',
      ...(input.screening ? { screening: input.screening } : {}),
    });
    return 'applied';
  });
}
