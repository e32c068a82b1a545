/**
 * Sign-in with BankID over real HTTP and real OpenID Connect (the local test provider), and the
 * session that results: cookie attributes, replay and forgery refused, containment by SQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { callDropCallback, signInThroughTestProvider, visitTestProvider } from '../../../test/support/bankid-sign-in.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('customer sign-in with BankID', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
  });
  after(() => stopDropOnFreePort({ db, drop }));

  const me = (cookie: string | undefined, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/me`, { headers: { cookie: `__Host-drop_session=${cookie ?? ''}`, ...headers } });
  const countSessions = async () => (await db.pool.query('SELECT count(*)::int AS n FROM sessions')).rows[0].n as number;

  it('signs a test person in and lands on the home page with a __Host- session cookie', async () => {
    const visit = await visitTestProvider(base, { person: 'kari', method: 'bid' });
    const response = await fetch(visit.callbackUrl, {
      redirect: 'manual',
      headers: { cookie: `__Host-drop_signin=${visit.signInCookie}` },
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/home');
    const cookie = response.headers.getSetCookie().find((header) => header.startsWith('__Host-drop_session='));
    assert.ok(cookie, 'a session cookie is set');
    assert.match(cookie, /; Path=\//);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.doesNotMatch(cookie, /Domain=/i);
    const token = cookie.split(';')[0]?.slice('__Host-drop_session='.length);

    const profile = await me(token);
    assert.equal(profile.status, 200);
    const body = await profile.json();
    assert.equal(body.data.name, 'Kari Nordmann');
    assert.equal(body.data.kycStatus, 'not_started');
    assert.match(body.data.id, /^usr_/);
    const user = await db.pool.query(
      'SELECT auth_provider, bankid_sub, national_id_hash IS NOT NULL AS has_hash FROM users WHERE id = $1',
      [body.data.id],
    );
    assert.deepEqual(user.rows[0].auth_provider, 'bankid');
    assert.equal(user.rows[0].has_hash, true);
  });

  it('gives a new session id on every sign-in', async () => {
    const first = await signInThroughTestProvider(base, 'ola');
    const second = await signInThroughTestProvider(base, 'ola');
    assert.ok(first.sessionCookie && second.sessionCookie);
    const ids = await db.pool.query(
      `SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.given_name = 'Ola' ORDER BY s.created_at`,
    );
    assert.equal(ids.rowCount, 2);
    assert.notEqual(ids.rows[0].id, ids.rows[1].id);
    assert.equal((await me(first.sessionCookie)).status, 200, 'the earlier session still works');
  });

  it('refuses a replayed callback and a replayed authorization code', async () => {
    const visit = await visitTestProvider(base, { person: 'kari' });
    const before_ = await countSessions();
    assert.equal((await callDropCallback(visit)).location, '/home');
    const replay = await callDropCallback(visit);
    assert.equal(replay.location, '/?signin=expired', 'the sign-in attempt is single-use');
    assert.equal(replay.sessionCookie, undefined);

    // The same code with a fresh attempt from this browser: BankID refuses the used code (and the state differs).
    const fresh = await visitTestProvider(base, { person: 'kari' });
    const stolen = await callDropCallback({ callbackUrl: visit.callbackUrl, signInCookie: fresh.signInCookie });
    assert.equal(stolen.location, '/?signin=sign_in_failed');
    assert.equal(await countSessions(), before_ + 1, 'only the first callback made a session');
  });

  it('refuses a callback whose state does not belong to this browser', async () => {
    const mine = await visitTestProvider(base, { person: 'kari' });
    const theirs = await visitTestProvider(base, { person: 'ola' });
    const crossed = await callDropCallback({ callbackUrl: theirs.callbackUrl, signInCookie: mine.signInCookie });
    assert.equal(crossed.location, '/?signin=sign_in_failed');
    assert.equal(crossed.sessionCookie, undefined);
  });

  it('refuses an ID token whose nonce is not the one this sign-in sent', async () => {
    const visit = await visitTestProvider(base, { person: 'kari' });
    // Same browser, same state, but the nonce Drop expects differs from the one BankID signed.
    await db.pool.query(`UPDATE auth_attempts SET nonce = 'a-different-nonce-value' WHERE id = $1`, [visit.signInCookie]);
    const outcome = await callDropCallback(visit);
    assert.equal(outcome.location, '/?signin=sign_in_failed');
    assert.equal(outcome.sessionCookie, undefined);
  });

  it('refuses BankID biometrics (LOA 3) where LOA 4 is required, and creates no customer', async () => {
    const before_ = await db.pool.query(`SELECT count(*)::int AS n FROM users`);
    const outcome = await signInThroughTestProvider(base, 'elderly', 'bis');
    assert.equal(outcome.location, '/?signin=auth_level_too_low');
    assert.equal(outcome.sessionCookie, undefined);
    const after_ = await db.pool.query(`SELECT count(*)::int AS n FROM users`);
    assert.equal(after_.rows[0].n, before_.rows[0].n);
    const audit = await db.pool.query(`SELECT details FROM audit_log WHERE action = 'login_failed' ORDER BY seq DESC LIMIT 1`);
    assert.equal(audit.rows[0].details.reason, 'AUTH_LEVEL_TOO_LOW');
  });

  it('returns to the app when the person cancels at BankID', async () => {
    const visit = await visitTestProvider(base, { person: 'kari', cancel: true });
    assert.match(visit.callbackUrl, /error=access_denied/);
    assert.equal((await callDropCallback(visit)).location, '/?signin=cancelled');
  });

  it('never accepts a BankID ID token as a session', async () => {
    // Obtain a real ID token: stop at the callback, and redeem the code ourselves with the
    // server's PKCE verifier (read from its database) and the development client credentials.
    const visit = await visitTestProvider(base, { person: 'kari' });
    const attempt = await db.pool.query('SELECT code_verifier, state, nonce FROM auth_attempts WHERE id = $1', [visit.signInCookie]);
    const config = await oidc.discovery(
      new URL(`${base}/test-bankid`),
      'drop-local',
      undefined,
      oidc.ClientSecretPost('development-only-bankid-client-secret'),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const tokens = await oidc.authorizationCodeGrant(config, new URL(visit.callbackUrl), {
      pkceCodeVerifier: attempt.rows[0].code_verifier,
      expectedState: attempt.rows[0].state,
      expectedNonce: attempt.rows[0].nonce,
      idTokenExpected: true,
    });
    assert.ok(tokens.id_token);
    const response = await me(tokens.id_token);
    assert.equal(response.status, 401);
    assert.equal((await response.json()).code, 'UNAUTHENTICATED');
  });

  it('ends the session at logout: the old cookie is refused afterwards', async () => {
    const { sessionCookie } = await signInThroughTestProvider(base, 'kari');
    const logout = await fetch(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `__Host-drop_session=${sessionCookie}`, origin: base },
    });
    assert.equal(logout.status, 204);
    assert.match(logout.headers.getSetCookie().join('\n'), /__Host-drop_session=;/);
    const replay = await me(sessionCookie);
    assert.equal(replay.status, 401);
    assert.equal((await replay.json()).code, 'UNAUTHENTICATED');
  });

  it("ends sessions on the next request after the runbooks' containment SQL", async () => {
    const revoked = await signInThroughTestProvider(base, 'ola');
    const userId = (await (await me(revoked.sessionCookie)).json()).data.id as string;
    await db.pool.query(`UPDATE sessions SET revoked = 1 WHERE user_id = '${userId}' AND revoked = 0`);
    assert.equal((await me(revoked.sessionCookie)).status, 401);

    const deleted = await signInThroughTestProvider(base, 'pep');
    const deletedId = (await (await me(deleted.sessionCookie)).json()).data.id as string;
    await db.pool.query(`UPDATE users SET deleted_at = NOW() WHERE id = '${deletedId}'`);
    assert.equal((await me(deleted.sessionCookie)).status, 401);
    assert.equal((await signInThroughTestProvider(base, 'pep')).location, '/?signin=account_blocked');

    const rejected = await signInThroughTestProvider(base, 'elderly');
    const rejectedId = (await (await me(rejected.sessionCookie)).json()).data.id as string;
    await db.pool.query(`UPDATE users SET kyc_status = 'rejected' WHERE id IN ('${rejectedId}')`);
    assert.equal((await me(rejected.sessionCookie)).status, 401);
  });

  it('lists my sessions, ends another one, and logs out everywhere', async () => {
    const phone = await signInThroughTestProvider(base, 'sanctioned');
    const laptop = await signInThroughTestProvider(base, 'sanctioned');
    const list = await (
      await fetch(`${base}/api/me/sessions`, { headers: { cookie: `__Host-drop_session=${laptop.sessionCookie}` } })
    ).json();
    assert.equal(list.data.length, 2);
    const other = list.data.find((session: { current: boolean }) => !session.current);
    const ended = await fetch(`${base}/api/me/sessions/${other.id}`, {
      method: 'DELETE',
      headers: { cookie: `__Host-drop_session=${laptop.sessionCookie}`, origin: base },
    });
    assert.equal(ended.status, 204);
    assert.equal((await me(phone.sessionCookie)).status, 401);
    assert.equal((await me(laptop.sessionCookie)).status, 200);

    const everywhere = await fetch(`${base}/api/auth/logout-everywhere`, {
      method: 'POST',
      headers: { cookie: `__Host-drop_session=${laptop.sessionCookie}`, origin: base },
    });
    assert.equal(everywhere.status, 204);
    assert.equal((await me(laptop.sessionCookie)).status, 401);
  });

  it('refuses state-changing requests from another site (CSRF), whatever the cookie', async () => {
    const { sessionCookie } = await signInThroughTestProvider(base, 'kari');
    const forged = await fetch(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `__Host-drop_session=${sessionCookie}`, origin: 'https://evil.example' },
    });
    assert.equal(forged.status, 403);
    assert.equal((await forged.json()).code, 'CSRF_REJECTED');
    const fetchSite = await fetch(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `__Host-drop_session=${sessionCookie}`, 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(fetchSite.status, 403);
    const opaque = await fetch(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: `__Host-drop_session=${sessionCookie}`, origin: 'null', 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(opaque.status, 403, 'an opaque origin from another site is refused');
    assert.equal((await me(sessionCookie)).status, 200, 'the forged requests ended nothing');
  });

  it('accepts the sign-in button as browsers post it: a form, with Origin null under a strict referrer policy', async () => {
    const response = await fetch(`${base}/api/auth/bankid/start`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'null', 'sec-fetch-site': 'same-origin' },
      body: '',
    });
    assert.equal(response.status, 303);
    assert.match(response.headers.get('location') ?? '', /\/test-bankid\/auth\?/);
  });

  it('answers 401 without a cookie and with garbage, and never with a stack trace', async () => {
    for (const cookie of [undefined, 'garbage', 'a.b.c']) {
      const response = await me(cookie);
      assert.equal(response.status, 401);
      const body = await response.json();
      assert.equal(body.code, 'UNAUTHENTICATED');
      assert.doesNotMatch(JSON.stringify(body), /at .*\.ts:\d+/);
    }
  });
});

describe('sign-in rate limits', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ SIGN_IN_RATE_LIMIT_PER_MINUTE: '5' }));
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('answers 429 with Retry-After past the limit, and a forged X-Forwarded-For does not reset it', async () => {
    const start = (forwardedFor?: string) =>
      fetch(`${base}/api/auth/bankid/start`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: base, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await start()).status);
    assert.deepEqual(statuses, [303, 303, 303, 303, 303]);
    const limited = await start();
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After says when to come back');
    const body = await limited.json();
    assert.equal(body.code, 'RATE_LIMITED');
    for (const forged of ['203.0.113.7', '198.51.100.1, 203.0.113.9']) {
      assert.equal((await start(forged)).status, 429, `X-Forwarded-For: ${forged} is not trusted`);
    }
    const callback = await fetch(`${base}/api/auth/bankid/callback?code=x&state=y`, { redirect: 'manual' });
    assert.equal(callback.status, 303, 'the callback has its own budget');
  });
});

describe('customer sign-in with BankID: ID tokens for another client or from another issuer', () => {
  // A server of its own: these sign-ins would use up the /start rate limit of the block above.
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
  });
  after(() => stopDropOnFreePort({ db, drop }));

  for (const [fault, claim, person] of [
    ['wrong_audience', 'aud', 'per'],
    ['wrong_issuer', 'iss', 'pep'],
  ] as const) {
    it(`refuses an ID token with another ${claim} (${fault}), creating no customer and no session, and audits the failure`, async () => {
      const counts = async () =>
        (await db.pool.query(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM sessions)::int AS sessions`))
          .rows[0];
      const auditBefore = (await db.pool.query(`SELECT coalesce(max(seq), 0) AS seq FROM audit_log`)).rows[0].seq;
      const before_ = await counts();
      // A person who has never signed in here, so a new customer would be created if the token were taken.
      const outcome = await callDropCallback(await visitTestProvider(base, { person, idTokenFault: fault }));
      assert.equal(outcome.location, '/?signin=sign_in_failed');
      assert.equal(outcome.sessionCookie, undefined);
      assert.deepEqual(await counts(), before_, 'no customer and no session');
      const audit = await db.pool.query(`SELECT details FROM audit_log WHERE action = 'login_failed' AND seq > $1`, [auditBefore]);
      assert.deepEqual(
        audit.rows.map((row) => row.details.reason),
        ['SIGN_IN_FAILED'],
      );
      // The same person with a sound token is let in: only the fault was refused.
      const sound = await signInThroughTestProvider(base, person);
      assert.equal(sound.location, '/home');
    });
  }
});
