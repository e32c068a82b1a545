-- Whether a customer's session may make this request: 'ok', or why not ('unknown_session',
-- 'revoked', 'expired', 'idle_timeout', 'user_deleted', 'user_rejected'). The session row and its
-- customer decide on every request, so what operators do in SQL takes effect on the next one
-- (`sessions.revoked = 1`, `users.deleted_at`, `users.kyc_status = 'rejected'`); idle timeout and
-- lifetime use the database's clock. A live session's activity is recorded (at most once a second).
-- The only home of the check: the sign-in guard runs it on its own (authenticateSession), and the
-- two hottest writes run it inside their own statement (the quote INSERT, create_transfer), which
-- saves each of them a round trip and a transaction. Revoking a timed-out session is the caller's
-- business, after the statement: a refused request writes nothing here.
CREATE OR REPLACE FUNCTION customer_session_verdict(p_session_id text, p_user_id text, p_idle_seconds double precision) RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
  s record;
BEGIN
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
    UPDATE sessions SET last_seen_at = now() WHERE id = p_session_id;
  END IF;
  RETURN s.verdict;
END;
$$;
