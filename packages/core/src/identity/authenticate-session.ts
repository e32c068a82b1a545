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

/**
 * The session check on its own (customer_session_verdict: the session row and its customer decide,
 * and a live session's activity is recorded). The two hottest writes run the same function inside
 * their own statement instead: see QUOTE_INSERT_SQL and create_transfer.
 */
const SESSION_CHECK_SQL = 'SELECT customer_session_verdict($1, $2, $3) AS verdict';

/** What a session check answered: the customer may go on, or why not. */
type SessionVerdict = SessionRefusal | 'ok';

/** The session a request names, for a statement that checks it itself (see customer_session_verdict). */
export interface SessionToCheck {
  sessionId: string;
  idleSeconds: number;
}

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

  // Named, so each connection parses and plans it once (it runs on most authenticated requests).
  const { rows } = await db.query<{ verdict: SessionVerdict }>({
    name: 'drop_session_check',
    text: SESSION_CHECK_SQL,
    values: [claims.sessionId, claims.userId, input.idleSeconds],
  });
  const verdict = rows[0]?.verdict ?? 'unknown_session';
  if (verdict !== 'ok') {
    if (verdict === 'idle_timeout' || verdict === 'expired') {
      await db.query(`UPDATE sessions SET revoked = 1, revoked_reason = $2 WHERE id = $1 AND revoked = 0`, [claims.sessionId, verdict]);
    }
    return { ok: false, reason: verdict };
  }
  return { ok: true, customer: { userId: claims.userId, sessionId: claims.sessionId } };
}

/** Records a refused request with a session cookie: the audit trail of bypass attempts (ASVS 16.3). */
export async function recordSessionRefused(db: Db, input: { reason: SessionRefusal; path: string }): Promise<void> {
  await recordAuditEvent(db, { action: 'session_refused', resourceType: 'session', actor: 'anonymous', details: input });
}
