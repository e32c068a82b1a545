/**
 * The BankID test provider, driven over real HTTP the way Drop's relying party drives BankID:
 * openid-client discovery, authorization code + PKCE, state and nonce, the login page as a browser
 * would submit it (cookies kept by hand), and the token exchange with ID token validation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isValidNationalId } from '@drop/core';
import Fastify, { type FastifyInstance } from 'fastify';
import * as client from 'openid-client';
import { freePort } from '../../../../test/support/embedded.ts';
import { registerBankIdTestProvider, TEST_PEOPLE, type TestPerson, testPerson } from './index.ts';

const CLIENT_ID = 'drop-test';
const CLIENT_SECRET = 'drop-test-secret-0123456789abcdef';
const SCOPE = 'openid profile nnin_altsub';

function ageOn(birthdate: string, today: Date): number {
  const [year, month, day] = birthdate.split('-').map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - year;
  if (today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day)) age -= 1;
  return age;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/** A minimal browser: manual redirects, cookies kept per name and path and sent when the path matches. */
class Browser {
  readonly cookies = new Map<string, StoredCookie>();

  async request(url: URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = [...this.cookies.values()]
      .filter(
        (stored) => url.pathname === stored.path || url.pathname.startsWith(stored.path.endsWith('/') ? stored.path : `${stored.path}/`),
      )
      .map((stored) => `${stored.name}=${stored.value}`)
      .join('; ');
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(line, url);
    return response;
  }

  private store(line: string, url: URL) {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator);
    const value = pair.slice(separator + 1);
    let path = url.pathname.slice(0, url.pathname.lastIndexOf('/')) || '/';
    let expired = value === '';
    for (const attribute of attributes) {
      const [key = '', attributeValue = ''] = attribute.split('=');
      if (key.toLowerCase() === 'path') path = attributeValue;
      if (key.toLowerCase() === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
      if (key.toLowerCase() === 'max-age' && Number(attributeValue) <= 0) expired = true;
    }
    const key = `${name};${path}`;
    if (expired) this.cookies.delete(key);
    else this.cookies.set(key, { name, value, path });
  }

  /** Follows redirects until a non-redirect answer or a redirect to `stopAt` (the RP's callback). */
  async follow(start: URL, stopAt: string, init: RequestInit = {}): Promise<{ response?: Response; url: URL }> {
    let url = start;
    let options = init;
    for (let hops = 0; hops < 10; hops += 1) {
      const response = await this.request(url, options);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { response, url };
      await response.arrayBuffer();
      url = new URL(location, url);
      if (url.href.startsWith(stopAt)) return { url };
      options = {};
    }
    throw new Error('too many redirects');
  }
}

function oauthErrorCode(error: unknown): string | undefined {
  if (error instanceof client.ResponseBodyError) return error.error;
  if (error instanceof client.WWWAuthenticateChallengeError) return error.cause[0]?.parameters.error;
  return undefined;
}

describe('BankID test provider', () => {
  let app: FastifyInstance;
  let origin: string;
  let issuer: string;
  let redirectUri: string;
  let config: client.Configuration;
  const callbacks: string[] = [];

  before(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    issuer = `${origin}/test-bankid`;
    redirectUri = `${origin}/callback`;
    app = Fastify();
    app.get('/callback', async (request) => {
      callbacks.push(request.url);
      return { received: request.query };
    });
    app.post('/echo', async (request) => ({ body: request.body }));
    await registerBankIdTestProvider(app, {
      issuer,
      clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [redirectUri] }],
    });
    await app.listen({ port, host: '127.0.0.1' });
    config = await client.discovery(new URL(issuer), CLIENT_ID, CLIENT_SECRET, undefined, { execute: [client.allowInsecureRequests] });
  });

  after(async () => {
    await app?.close();
  });

  interface LoginOptions {
    person: TestPerson;
    method?: 'bid' | 'bim' | 'bis';
    extra?: Record<string, string>;
    browser?: Browser;
  }

  /**
   * A fresh authorization request (PKCE, state, nonce; BankID on the card by default) and its URL;
   * with `pushedWith`, the request is pushed first (PAR) with that client's authentication.
   */
  async function startAuthorization(extra: Record<string, string> = {}, pushedWith?: client.Configuration) {
    const pkceCodeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const parameters = {
      redirect_uri: redirectUri,
      scope: SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      acr_values: 'urn:bankid:bid',
      ui_locales: 'nb',
      ...extra,
    };
    const url = pushedWith
      ? await client.buildAuthorizationUrlWithPAR(pushedWith, parameters)
      : client.buildAuthorizationUrl(config, parameters);
    return { url, pkceCodeVerifier, state, nonce };
  }

  /** Opens the login page for a fresh authorization request and returns its HTML and form actions. */
  async function openLoginPage(browser: Browser, extra: Record<string, string> = {}) {
    const started = await startAuthorization(extra);
    const { response, url } = await browser.follow(started.url, redirectUri);
    assert.ok(response, `expected the login page, was redirected to ${url.href}`);
    assert.equal(response.status, 200);
    const html = await response.text();
    const actions = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((match) => new URL(match[1] ?? '', url));
    const [login, abort] = actions;
    assert.ok(login && abort, 'login page has a login and a cancel form');
    return { ...started, html, response, pageUrl: url, login, abort };
  }

  async function login({ person, method = 'bid', extra = {}, browser = new Browser() }: LoginOptions) {
    const page = await openLoginPage(browser, extra);
    const { url: callbackUrl, response } = await browser.follow(page.login, redirectUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ method, person: person.id }).toString(),
    });
    assert.equal(response, undefined, `the login ends in a redirect to the callback, got ${response?.status} ${await response?.text()}`);
    assert.ok(callbackUrl.href.startsWith(redirectUri));
    return { ...page, callbackUrl, browser };
  }

  async function exchange(flow: { callbackUrl: URL; pkceCodeVerifier: string; state: string; nonce: string }, configuration = config) {
    return client.authorizationCodeGrant(configuration, flow.callbackUrl, {
      pkceCodeVerifier: flow.pkceCodeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  }

  it('every test person has a valid synthetic fødselsnummer matching the birthdate, and the minor is under 18', () => {
    assert.ok(TEST_PEOPLE.length >= 6);
    assert.equal(new Set(TEST_PEOPLE.map((person) => person.id)).size, TEST_PEOPLE.length);
    assert.equal(new Set(TEST_PEOPLE.map((person) => person.sub)).size, TEST_PEOPLE.length);
    for (const person of TEST_PEOPLE) {
      assert.ok(isValidNationalId(person.nationalId), `${person.id}: ${person.nationalId} fails mod-11`);
      const [year = '', month = '', day = ''] = person.birthdate.split('-');
      assert.equal(person.nationalId.slice(0, 6), `${day}${month}${year.slice(2)}`, `${person.id}: number matches the birthdate`);
      assert.notEqual(person.sub, person.nationalId);
      assert.ok(person.description.length > 0);
    }
    assert.ok(!isValidNationalId('12048510253'), 'the checker rejects a wrong control digit');
    assert.ok(ageOn(testPerson('minor').birthdate, new Date()) < 18, 'the minor is under 18');
    assert.ok(ageOn(testPerson('kari').birthdate, new Date()) >= 18);
    assert.equal(testPerson('sanctioned').familyName, 'Guzman Loera');
    assert.equal(testPerson('pep').description, 'Politically exposed person (PEP)');
    assert.throws(() => testPerson('nobody'), /No BankID test person/);
  });

  it('publishes a BankID-like discovery document under the issuer', async () => {
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, issuer);
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint'] as const) {
      assert.ok(String(metadata[endpoint]).startsWith(`${issuer}/`), `${endpoint} is under the issuer`);
    }
    assert.deepEqual(metadata.response_types_supported, ['code']);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(metadata.acr_values_supported, ['urn:bankid:bid;LOA=4', 'urn:bankid:bim;LOA=4', 'urn:bankid:bis;LOA=3']);
    assert.deepEqual(metadata.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual([...(metadata.scopes_supported ?? [])].sort(), ['nnin_altsub', 'openid', 'profile']);
    assert.deepEqual([...(metadata.token_endpoint_auth_methods_supported ?? [])].sort(), ['client_secret_basic', 'client_secret_post']);
    for (const claim of ['sub', 'name', 'given_name', 'family_name', 'birthdate', 'nnin_altsub', 'acr', 'amr', 'auth_time']) {
      assert.ok(metadata.claims_supported?.includes(claim), `claims_supported has ${claim}`);
    }

    // Endpoints name the issuer's host however the request reached the server.
    const viaIp = await fetch(`http://127.0.0.1:${new URL(issuer).port}/test-bankid/.well-known/openid-configuration`);
    const document = (await viaIp.json()) as { issuer: string; token_endpoint: string };
    assert.equal(document.issuer, issuer);
    assert.equal(document.token_endpoint, metadata.token_endpoint);

    const jwks = (await (await fetch(String(metadata.jwks_uri))).json()) as { keys: Array<Record<string, unknown>> };
    assert.equal(jwks.keys.length, 1);
    assert.equal(jwks.keys[0]?.kty, 'RSA');
    assert.equal(jwks.keys[0]?.alg, 'RS256');
    assert.ok(jwks.keys[0]?.kid);
    assert.equal(jwks.keys[0]?.d, undefined, 'no private key material is published');
  });

  it('renders a script-free test login page with stable hooks', async () => {
    const page = await openLoginPage(new Browser());
    assert.match(page.html, /BankID \(test\)/);
    assert.match(page.html, /ikke ekte BankID/);
    assert.doesNotMatch(page.html, /<script/i);
    for (const person of TEST_PEOPLE) assert.match(page.html, new RegExp(`data-testid="person-${person.id}"`));
    for (const method of ['bid', 'bim', 'bis']) assert.match(page.html, new RegExp(`data-testid="method-${method}"`));
    assert.match(page.html, /data-testid="cancel"/);
    assert.match(page.html, /value="bid" data-testid="method-bid" checked/, 'acr_values=urn:bankid:bid preselects BID');
    const csp = page.response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.ok(page.pageUrl.pathname.startsWith('/test-bankid/interaction/'));

    const hinted = await openLoginPage(new Browser(), { login_hint: 'BIS' });
    assert.match(hinted.html, /value="bis" data-testid="method-bis" checked/, 'login_hint=BIS preselects biometrics');
  });

  it('issues a verified RS256 ID token with BankID claims, a stable pseudonymous sub and the chosen acr/amr', async () => {
    const kari = testPerson('kari');
    const first = await login({ person: kari, method: 'bid' });
    // The provider's cookies stay under the issuer's path.
    for (const cookie of first.browser.cookies.values())
      assert.ok(cookie.path.startsWith('/test-bankid'), `${cookie.name} path ${cookie.path}`);
    assert.ok(
      [...first.browser.cookies.values()].some((cookie) => cookie.name === 'bankid_test_session' && cookie.path === '/test-bankid/session'),
    );

    const tokens = await exchange(first);
    const header = JSON.parse(Buffer.from(tokens.id_token?.split('.')[0] ?? '', 'base64url').toString()) as { alg: string; kid: string };
    assert.equal(header.alg, 'RS256');
    assert.ok(header.kid);
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.iss, issuer);
    assert.equal(claims.aud, CLIENT_ID);
    assert.equal(claims.nonce, first.nonce);
    assert.equal(claims.sub, kari.sub);
    assert.notEqual(claims.sub, kari.nationalId);
    assert.equal(claims.nnin_altsub, kari.nationalId);
    assert.ok(isValidNationalId(String(claims.nnin_altsub)));
    assert.equal(claims.name, 'Kari Nordmann');
    assert.equal(claims.given_name, 'Kari');
    assert.equal(claims.family_name, 'Nordmann');
    assert.equal(claims.birthdate, '1985-04-12');
    assert.equal(claims.acr, 'urn:bankid:bid;LOA=4');
    assert.deepEqual(claims.amr, ['BID']);
    assert.equal(typeof claims.auth_time, 'number');
    assert.ok(Math.abs(Number(claims.auth_time) - Date.now() / 1000) < 120);

    // A second login in the same browser shows the login page again (no single sign-on) and yields the same sub.
    const second = await login({ person: kari, method: 'bim', browser: first.browser });
    const again = (await exchange(second)).claims();
    assert.equal(again?.sub, claims.sub);
    assert.equal(again?.acr, 'urn:bankid:bim;LOA=4');
    assert.deepEqual(again?.amr, ['BIM']);

    // Another person in the same browser gets their own sub.
    const ola = await login({ person: testPerson('ola'), browser: first.browser });
    const olaClaims = (await exchange(ola)).claims();
    assert.equal(olaClaims?.sub, testPerson('ola').sub);
    assert.equal(olaClaims?.nnin_altsub, testPerson('ola').nationalId);
  });

  it('LOA 3 biometrics yields acr urn:bankid:bis;LOA=3 and amr BIS', async () => {
    const flow = await login({ person: testPerson('sanctioned'), method: 'bis', extra: { login_hint: 'BIS' } });
    const claims = (await exchange(flow)).claims();
    assert.equal(claims?.acr, 'urn:bankid:bis;LOA=3');
    assert.deepEqual(claims?.amr, ['BIS']);
    assert.equal(claims?.given_name, 'Joaquin Archivaldo');
    assert.equal(claims?.family_name, 'Guzman Loera');
  });

  it('issues nnin_altsub only when the nnin_altsub scope was asked for', async () => {
    const flow = await login({ person: testPerson('pep'), extra: { scope: 'openid profile' } });
    const claims = (await exchange(flow)).claims();
    assert.equal(claims?.nnin_altsub, undefined);
    assert.equal(claims?.family_name, 'Pelosi');
    assert.equal(claims?.sub, testPerson('pep').sub);
  });

  it('codes are single-use', async () => {
    const flow = await login({ person: testPerson('ola') });
    await exchange(flow);
    await assert.rejects(exchange(flow), (error) => oauthErrorCode(error) === 'invalid_grant');
  });

  it('refuses an authorization request without PKCE', async () => {
    const browser = new Browser();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: SCOPE,
      state: client.randomState(),
      nonce: client.randomNonce(),
    });
    const { url: callbackUrl, response } = await browser.follow(url, redirectUri);
    assert.equal(response, undefined);
    assert.equal(callbackUrl.searchParams.get('error'), 'invalid_request');
    assert.match(callbackUrl.searchParams.get('error_description') ?? '', /PKCE/);
    assert.equal(callbackUrl.searchParams.get('iss'), issuer);
  });

  it('refuses a wrong code verifier and a wrong client secret at the token endpoint', async () => {
    const flow = await login({ person: testPerson('kari') });
    await assert.rejects(
      exchange({ ...flow, pkceCodeVerifier: client.randomPKCECodeVerifier() }),
      (error) => oauthErrorCode(error) === 'invalid_grant',
    );

    const other = await login({ person: testPerson('kari') });
    const wrongSecret = await client.discovery(new URL(issuer), CLIENT_ID, 'not-the-secret', undefined, {
      execute: [client.allowInsecureRequests],
    });
    await assert.rejects(exchange(other, wrongSecret), (error) => oauthErrorCode(error) === 'invalid_client');
    const wrongBasic = await client.discovery(new URL(issuer), CLIENT_ID, undefined, client.ClientSecretBasic('not-the-secret'), {
      execute: [client.allowInsecureRequests],
    });
    await assert.rejects(exchange(other, wrongBasic), (error) => oauthErrorCode(error) === 'invalid_client');
  });

  it('accepts client_secret_basic and pushed authorization requests', async () => {
    const basic = await client.discovery(new URL(issuer), CLIENT_ID, undefined, client.ClientSecretBasic(CLIENT_SECRET), {
      execute: [client.allowInsecureRequests],
    });
    const browser = new Browser();
    const { url, pkceCodeVerifier, state, nonce } = await startAuthorization({ acr_values: 'urn:bankid:bim' }, basic);
    assert.ok(url.searchParams.get('request_uri'));
    const { response, url: pageUrl } = await browser.follow(url, redirectUri);
    assert.equal(response?.status, 200);
    const html = (await response?.text()) ?? '';
    assert.match(html, /value="bim" data-testid="method-bim" checked/, 'acr_values=urn:bankid:bim preselects BIM');
    const action = new URL(/<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '', pageUrl);
    const { url: callbackUrl } = await browser.follow(action, redirectUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'person=elderly&method=bim',
    });
    const claims = (await exchange({ callbackUrl, pkceCodeVerifier, state, nonce }, basic)).claims();
    assert.equal(claims?.sub, testPerson('elderly').sub);
    assert.equal(claims?.acr, 'urn:bankid:bim;LOA=4');
  });

  it('cancel returns error=access_denied to the redirect URI', async () => {
    const browser = new Browser();
    const page = await openLoginPage(browser);
    const { url: callbackUrl } = await browser.follow(page.abort, redirectUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    assert.ok(callbackUrl.href.startsWith(redirectUri));
    assert.equal(callbackUrl.searchParams.get('error'), 'access_denied');
    assert.equal(callbackUrl.searchParams.get('state'), page.state);
    // openid-client reports the cancellation as an authorization response error.
    await assert.rejects(
      exchange({ ...page, callbackUrl }),
      (error) => error instanceof client.AuthorizationResponseError && error.error === 'access_denied',
    );
    // The callback route itself receives the query.
    const callback = await browser.request(callbackUrl);
    assert.deepEqual(((await callback.json()) as { received: Record<string, string> }).received.error, 'access_denied');
    assert.equal(callbacks.at(-1), `${callbackUrl.pathname}${callbackUrl.search}`);
  });

  it('rejects an invalid login form, an unknown interaction and a replayed interaction', async () => {
    const browser = new Browser();
    const page = await openLoginPage(browser);
    const post = (target: URL, body: string, type = 'application/x-www-form-urlencoded') =>
      browser.request(target, { method: 'POST', headers: { 'content-type': type }, body });

    const unknownPerson = await post(page.login, 'person=nobody&method=bid');
    assert.equal(unknownPerson.status, 400);
    assert.doesNotMatch(await unknownPerson.text(), /<script/i);
    assert.equal((await post(page.login, 'person=kari&method=xyz')).status, 400);
    assert.equal((await post(page.login, '{"person":"kari"}', 'application/json')).status, 415);

    const noCookie = await new Browser().request(page.login, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'person=kari&method=bid',
    });
    assert.equal(noCookie.status, 400);
    await noCookie.arrayBuffer();

    const done = await post(page.login, 'person=kari&method=bid');
    assert.equal(done.status, 303);
    await done.arrayBuffer();
    const { url: callbackUrl } = await browser.follow(new URL(done.headers.get('location') ?? '', page.login), redirectUri);
    assert.ok(callbackUrl.searchParams.get('code'));
    const replay = await post(page.login, 'person=ola&method=bid');
    assert.equal(replay.status, 400, 'a finished interaction cannot be submitted again');
    await replay.arrayBuffer();
  });

  it('leaves the rest of the app alone: other routes still parse bodies', async () => {
    const response = await fetch(`${origin}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    assert.deepEqual(await response.json(), { body: { a: 1 } });
    const unknown = await fetch(`${issuer}/no-such-endpoint`);
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
  });
});
