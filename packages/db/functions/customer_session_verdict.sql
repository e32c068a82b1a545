-- Whether a customer's session may make this request: 'ok', or why not ('unknown_session',
-- 'revoked', 'expired', 'idle_timeout', 'user_deleted', 'user_rejected'). The session row and its
-- customer decide on every request, so what operators do in SQL takes effect on the next one
-- (`sessions.revoked = 1`, `users.deleted_at`, `users.kyc_status = 'rejected'`); idle timeout and
-- lifetime use the database's clock. A live session's activity is recorded (at most once a second).
-- The only home of the check: the sign-in guard runs it on its own (authenticateSession), and the
-- two hottest writes run it inside their own statement (the quote INSERT, create_transfer), which
-- saves each of them a round trip and a transaction. Revoking a timed-out session is the caller's
-- business, after the statement: a refused request writes nothing here.
-- Lock order: a caller that will also lock the customer's users row in the same transaction locks
-- it first (create_transfer's FOR NO KEY UPDATE, the quote INSERT's FOR KEY SHARE, which its
-- foreign key takes anyway), as erasure does (users, then sessions): the touch below holds the
-- session row until commit, and the other order could deadlock with an erasure.
CREATE OR REPLACE FUNCTION customer_session_verdict(p_session_id text, p_user_id text, p_idle_seconds double precision) RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
  s record;
BEGIN
  IF p_idle_seconds IS NULL THEN
    -- make_interval would give NULL and the idle check would pass silently.
    RAISE EXCEPTION 'customer_session_verdict needs the idle timeout' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT CASE WHEN se.user_id IS DISTINCT FROM p_user_id THEN 'unknown_session'
              WHEN se.revoked = 1 THEN 'revoked'
              WHEN se.expires_at <= now() THEN 'expired'
              WHEN se.last_seen_at <= now() - make_interval(secs => p_idle_seconds) THEN 'idle_timeout'
              WHEN u.deleted_at IS NOT NULL THEN 'user_deleted'
              WHEN u.kyc_status = 'rejected' THEN 'user_rejected'
              ELSE 'ok' END AS verdict,
         se.last_seen_at < now() - interval '1 second' AS stale
    INTO s
    FROM sessions se JOIN users u ON u.id = se.user_id
   WHERE se.id = p_session_id;
  IF NOT FOUND THEN
    RETURN 'unknown_session';
  END IF;
  IF s.verdict = 'ok' AND s.stale THEN
    -- Not on a session revoked since the read above (its revocation committed in between).
    UPDATE sessions SET last_seen_at = now() WHERE id = p_session_id AND revoked = 0;
  END IF;
  RETURN s.verdict;
END;
$$;
