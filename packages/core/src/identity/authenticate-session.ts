import type { Db } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { type KeyRing, verifySessionToken } from './session-tokens.ts';

export interface AuthenticatedCustomer {
  userId: string;
  sessionId: string;
}

export type SessionRefusal =
  | 'invalid_token'
  | 'unknown_session'
  | 'revoked'
  | 'expired'
  | 'idle_timeout'
  | 'user_deleted'
  | 'user_rejected';

/** The session check every authenticated request runs (the bench's pgbench baseline runs it too). */
export const SESSION_CHECK_SQL = `WITH s AS (
       SELECT s.id, s.user_id,
              CASE WHEN s.revoked = 1 THEN 'revoked'
                   WHEN s.expires_at <= now() THEN 'expired'
                   WHEN s.last_seen_at <= now() - make_interval(secs => $2) THEN 'idle_timeout'
                   WHEN u.deleted_at IS NOT NULL THEN 'user_deleted'
                   WHEN u.kyc_status = 'rejected' THEN 'user_rejected'
                   ELSE 'ok' END AS verdict
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1
     ), touched AS (
       UPDATE sessions SET last_seen_at = now()
        WHERE id = (SELECT id FROM s WHERE verdict = 'ok') AND last_seen_at < now() - interval '1 second'
     )
     SELECT user_id, verdict FROM s`;

/**
 * Every authenticated request comes through here. The token only names the session; the
 * session row and its customer decide, on every request, so what operators do in SQL takes effect
 * on the next request: `sessions.revoked = 1`, `users.deleted_at`, `users.kyc_status = 'rejected'`.
 * Idle timeout and absolute lifetime are enforced here, on the server, with the database's clock.
 * A session that times out is revoked, so it stays dead.
 */
export async function authenticateSession(
  db: Db,
  input: { token: string | undefined; ring: KeyRing; issuer: string; idleSeconds: number },
): Promise<{ ok: true; customer: AuthenticatedCustomer } | { ok: false; reason: SessionRefusal }> {
  if (!input.token) return { ok: false, reason: 'invalid_token' };
  const claims = await verifySessionToken(input.ring, input.issuer, input.token);
  if (!claims) return { ok: false, reason: 'invalid_token' };

  // One round trip: check the session and its customer, and record activity if it is live.
  // Named, so each connection parses and plans it once (it runs on every authenticated request).
  const { rows } = await db.query<{ user_id: string; verdict: SessionRefusal | 'ok' }>({
    name: 'drop_session_check',
    text: SESSION_CHECK_SQL,
    values: [claims.sessionId, input.idleSeconds],
  });
  const row = rows[0];
  if (!row || row.user_id !== claims.userId) return { ok: false, reason: 'unknown_session' };
  if (row.verdict !== 'ok') {
    if (row.verdict === 'idle_timeout' || row.verdict === 'expired') {
      await db.query(`UPDATE sessions SET revoked = 1, revoked_reason = $2 WHERE id = $1 AND revoked = 0`, [claims.sessionId, row.verdict]);
    }
    return { ok: false, reason: row.verdict };
  }
  return { ok: true, customer: { userId: claims.userId, sessionId: claims.sessionId } };
}

/** Records a refused request with a session cookie: the audit trail of bypass attempts (ASVS 16.3). */
export async function recordSessionRefused(db: Db, input: { reason: SessionRefusal; path: string }): Promise<void> {
  await recordAuditEvent(db, { action: 'session_refused', resourceType: 'session', actor: 'anonymous', details: input });
}
