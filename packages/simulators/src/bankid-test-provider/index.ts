/**
 * A local stand-in for BankID's OpenID Connect provider, for development and tests only (the server
 * mounts it only when `BANKID_TEST_PROVIDER_ENABLED`, which production refuses). It speaks real
 * OpenID Connect with `oidc-provider`, configured like BankID: discovery, authorization code flow
 * with PKCE (S256) required, `client_secret_post`/`client_secret_basic`, RS256 ID tokens carrying
 * `sub`, `name`, `given_name`, `family_name`, `birthdate`, `nnin_altsub`, `acr`, `amr`, `auth_time`
 * (see reference/mission-anchors.md §3.1). Instead of BankID's app, a login page lets the user pick
 * a test person and a BankID method (which decides `acr`/`amr`), or cancel.
 *
 * Mounting: everything lives under the issuer's path (e.g. `/test-bankid`) inside the given Fastify
 * app. Requests there are handed, unparsed, to oidc-provider's Koa callback with the URL made
 * relative to the mount; scheme and host are always taken from the issuer, so discovery, endpoints,
 * redirects and `iss` name the issuer however the request reached the server.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import Provider, { type Account, type Grant, type InteractionDetails, interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { createMemoryAdapterFactory } from './memory-adapter.ts';
import { renderLoginPage, renderLogoutPage, renderMessagePage } from './pages.ts';
import { BANKID_METHODS, hintedPerson, personBySub, preferredMethod, TEST_PEOPLE } from './people.ts';

export type { BankIdMethod, TestPerson } from './people.ts';
export { BANKID_METHODS, TEST_PEOPLE, testPerson } from './people.ts';

export interface BankIdTestClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface BankIdTestProviderOptions {
  /** e.g. 'http://localhost:3000/test-bankid'; the provider is mounted at this URL's path. */
  issuer: string;
  clients: BankIdTestClient[];
}

/**
 * Ways the login page can make the provider misbehave, for the relying party's tests: an ID token
 * for another client (`aud`), or one naming another issuer (`iss`), both validly signed. A real
 * provider never does this; a compromised or misconfigured one, or a token replayed from another
 * client, does, and the relying party must refuse it.
 */
export const ID_TOKEN_FAULTS = ['wrong_audience', 'wrong_issuer'] as const;
export type IdTokenFault = (typeof ID_TOKEN_FAULTS)[number];
/** The `aud` and `iss` a faulty ID token carries. */
export const FOREIGN_AUDIENCE = 'another-bankid-client';
export const FOREIGN_ISSUER = 'https://auth.bankid.no/auth/realms/prod';

/** BankID's levels of assurance (bidbax wiki "Identity Providers"). */
export const BANKID_ACR_VALUES = ['urn:bankid:bid;LOA=4', 'urn:bankid:bim;LOA=4', 'urn:bankid:bis;LOA=3'] as const;

export const BANKID_SCOPES = ['openid', 'profile', 'nnin_altsub'] as const;

/** Cookie names, distinct from anything Drop itself sets on the same host. */
export const BANKID_TEST_COOKIES = {
  session: 'bankid_test_session',
  interaction: 'bankid_test_interaction',
  resume: 'bankid_test_resume',
} as const;

const TTL_SECONDS = {
  AuthorizationCode: 60,
  AccessToken: 300,
  IdToken: 300,
  Interaction: 600,
  Session: 600,
  Grant: 600,
  RefreshToken: 600,
} as const;

const FORM_LIMIT_BYTES = 8 * 1024;

type ProviderRequest = IncomingMessage & { baseUrl?: string };

interface ParsedIssuer {
  issuer: string;
  mountPath: string;
  protocol: string;
  host: string;
}

function parseIssuer(value: string): ParsedIssuer {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`BankID test provider: issuer '${value}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('BankID test provider: issuer must be http(s)');
  if (url.search || url.hash || url.username || url.password) {
    throw new Error('BankID test provider: issuer must not have a query, fragment or credentials');
  }
  const mountPath = url.pathname.replace(/\/+$/, '');
  if (!mountPath) throw new Error('BankID test provider: issuer needs a path to mount under, e.g. http://localhost:3000/test-bankid');
  return { issuer: `${url.origin}${mountPath}`, mountPath, protocol: url.protocol.slice(0, -1), host: url.host };
}

async function signingKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

async function findAccount(_ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined> {
  const person = personBySub(sub);
  if (!person) return undefined;
  return {
    accountId: person.sub,
    // Every claim the person has; oidc-provider keeps only those the granted scopes allow.
    async claims() {
      return {
        sub: person.sub,
        name: `${person.givenName} ${person.familyName}`,
        given_name: person.givenName,
        family_name: person.familyName,
        birthdate: person.birthdate,
        nnin_altsub: person.nationalId,
      };
    },
  };
}

/**
 * BankID asks no consent for these scopes: every authorization gets a grant covering exactly the
 * requested scopes and claims, so no consent page ever appears.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const clientId = oidc.client?.clientId;
  const accountId = oidc.account?.accountId ?? oidc.session.accountId;
  if (!clientId || !accountId) return undefined;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(clientId);
  let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (grant && (grant.accountId !== accountId || grant.clientId !== clientId)) grant = undefined;
  grant ??= new oidc.provider.Grant({ accountId, clientId });
  const scope = [...oidc.requestParamOIDCScopes].join(' ');
  if (scope) grant.addOIDCScope(scope);
  const claims = [...oidc.requestParamClaims];
  if (claims.length > 0) grant.addOIDCClaims(claims);
  await grant.save();
  return grant;
}

/** Like BankID, authenticate on every authorization request: an earlier login is never reused silently. */
function interactionsPolicy() {
  const { Check } = interactionPolicy;
  const policy = interactionPolicy.base();
  policy
    .get('login')
    ?.checks.push(
      new Check('bankid_every_time', 'BankID authenticates the person on every authorization request', 'login_required', (ctx) =>
        ctx.oidc.result?.login ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
      ),
    );
  return policy;
}

function pageSecurityPolicy(redirectUri: unknown): string {
  // Chrome applies form-action to the redirects after a form post, and the login form ends in a
  // redirect to the relying party's callback, which may be on another origin than this server.
  const target = typeof redirectUri === 'string' ? URL.parse(redirectUri)?.origin : undefined;
  const formAction = target && target !== 'null' ? `'self' ${target}` : "'self'";
  return `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`;
}

function sendPage(reply: FastifyReply, status: number, html: string, redirectUri?: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-security-policy', pageSecurityPolicy(redirectUri))
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

class FormError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function readForm(request: FastifyRequest): Promise<URLSearchParams> {
  const type = String(request.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new FormError(415, 'Expected an HTML form post');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > FORM_LIMIT_BYTES) throw new FormError(413, 'Form too large');
    chunks.push(buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function registerBankIdTestProvider(app: FastifyInstance, options: BankIdTestProviderOptions): Promise<void> {
  const { issuer, mountPath, protocol, host } = parseIssuer(options.issuer);
  if (options.clients.length === 0) throw new Error('BankID test provider: configure at least one client');

  const jwk = await signingKey();
  /** Faults chosen on the login page, by the nonce of the sign-in they apply to (used once). */
  const faultsByNonce = new Map<string, IdTokenFault>();

  const provider = new Provider(issuer, {
    adapter: createMemoryAdapterFactory(),
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      // The client's registered method; oidc-provider accepts client_secret_basic as well for it.
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    })),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    clientBasedCORS: () => false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: [...BANKID_SCOPES],
    claims: {
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      profile: ['name', 'given_name', 'family_name', 'birthdate'],
      nnin_altsub: ['nnin_altsub'],
    },
    // BankID puts the profile and nnin_altsub claims in the ID token, not only at userinfo.
    conformIdTokenClaims: false,
    acrValues: [...BANKID_ACR_VALUES],
    allowOmittingSingleRegisteredRedirectUri: false,
    findAccount,
    loadExistingGrant,
    jwks: { keys: [jwk] },
    enabledJWA: { idTokenSigningAlgValues: ['RS256'], userinfoSigningAlgValues: ['RS256'] },
    cookies: {
      names: { ...BANKID_TEST_COOKIES },
      keys: [randomBytes(32).toString('base64url')],
      // The session cookie goes only to the logout endpoints, never to the authorization endpoint:
      // like BankID there is no single sign-on, every authorization request shows the login page
      // (and switching person in one browser needs no logout round trip).
      long: { httpOnly: true, sameSite: 'lax', path: `${mountPath}/session` },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    ttl: { ...TTL_SECONDS },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `${mountPath}/interaction/${interaction.uid}`,
      policy: interactionsPolicy(),
    },
    discovery: { claim_types_supported: ['normal'], ui_locales_supported: ['nb', 'nn', 'en'] },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = renderLogoutPage(ctx.host, form);
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = renderMessagePage('Du er logget ut', { klient: ctx.oidc.client?.clientId });
        },
      },
    },
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      ctx.type = 'html';
      ctx.body = renderMessagePage('Noe gikk galt', out);
    },
  });
  // A fault chosen for this sign-in: the ID token oidc-provider signed is signed again with the
  // same key, with the foreign `aud` or `iss` (oidc-provider itself always names the client and itself).
  const idTokens = (provider as unknown as { IdToken: { prototype: { issue: (options?: { use?: string }) => Promise<string> } } }).IdToken
    .prototype;
  const issue = idTokens.issue;
  idTokens.issue = async function issueWithFault(this: unknown, options?: { use?: string }) {
    const token = await issue.call(this, options);
    if (options?.use !== 'idtoken') return token;
    const claims = decodeJwt(token);
    const fault = typeof claims.nonce === 'string' ? faultsByNonce.get(claims.nonce) : undefined;
    if (!fault || typeof claims.nonce !== 'string') return token;
    faultsByNonce.delete(claims.nonce);
    const wrong = fault === 'wrong_audience' ? { aud: FOREIGN_AUDIENCE } : { iss: FOREIGN_ISSUER };
    return new SignJWT({ ...claims, ...wrong })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
      .sign(await importJWK(jwk, 'RS256'));
  };
  // Scheme and host come from the issuer (set below on every request), never from the client.
  provider.proxy = true;
  provider.on('server_error', (_ctx, error) => app.log.error({ err: error }, 'BankID test provider: server error'));

  const asIssuerSees = (raw: IncomingMessage) => {
    raw.headers['x-forwarded-proto'] = protocol;
    raw.headers['x-forwarded-host'] = host;
    return raw;
  };
  const callback = provider.callback();

  const interactionFor = async (request: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply) => {
    let details: InteractionDetails;
    try {
      details = await provider.interactionDetails(asIssuerSees(request.raw), reply.raw);
    } catch {
      sendPage(reply, 400, renderMessagePage('Innloggingen er utløpt eller ugyldig', { error: 'interaction_not_found' }));
      return undefined;
    }
    if (details.uid !== request.params.uid || details.prompt.name !== 'login') {
      sendPage(reply, 400, renderMessagePage('Innloggingen er utløpt eller ugyldig', { error: 'interaction_mismatch' }));
      return undefined;
    }
    return details;
  };

  const routes: FastifyPluginAsync = async (scope) => {
    // oidc-provider reads request bodies itself: nothing here may be parsed by Fastify.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));

    scope.get<{ Params: { uid: string } }>(`${mountPath}/interaction/:uid`, async (request, reply) => {
      const details = await interactionFor(request, reply);
      if (!details) return reply;
      const html = renderLoginPage({
        uid: details.uid,
        actionBase: mountPath,
        clientId: String(details.params.client_id ?? ''),
        scope: String(details.params.scope ?? ''),
        preferredMethod: preferredMethod(details.params),
        hintedPerson: hintedPerson(details.params),
      });
      return sendPage(reply, 200, html, details.params.redirect_uri);
    });

    scope.post<{ Params: { uid: string } }>(`${mountPath}/interaction/:uid/login`, async (request, reply) => {
      let form: URLSearchParams;
      try {
        form = await readForm(request);
      } catch (error) {
        const status = error instanceof FormError ? error.status : 400;
        return sendPage(reply, status, renderMessagePage('Ugyldig skjema', { error: (error as Error).message }));
      }
      const details = await interactionFor(request, reply);
      if (!details) return reply;
      const person = TEST_PEOPLE.find((candidate) => candidate.id === form.get('person'));
      const method = BANKID_METHODS.find((candidate) => candidate.id === form.get('method'));
      const fault = form.get('id_token_fault') || undefined;
      if (!person || !method || (fault && !ID_TOKEN_FAULTS.includes(fault as IdTokenFault))) {
        return sendPage(
          reply,
          400,
          renderMessagePage('Velg en testperson og en metode', { error: 'invalid_form' }),
          details.params.redirect_uri,
        );
      }
      if (fault && typeof details.params.nonce === 'string') faultsByNonce.set(details.params.nonce, fault as IdTokenFault);
      const returnTo = await provider.interactionResult(
        request.raw,
        reply.raw,
        { login: { accountId: person.sub, acr: method.acr, amr: [method.amr], remember: false } },
        { mergeWithLastSubmission: false },
      );
      return reply.header('cache-control', 'no-store').redirect(returnTo, 303);
    });

    scope.post<{ Params: { uid: string } }>(`${mountPath}/interaction/:uid/abort`, async (request, reply) => {
      const details = await interactionFor(request, reply);
      if (!details) return reply;
      const returnTo = await provider.interactionResult(
        request.raw,
        reply.raw,
        { error: 'access_denied', error_description: 'The user cancelled the BankID login' },
        { mergeWithLastSubmission: false },
      );
      return reply.header('cache-control', 'no-store').redirect(returnTo, 303);
    });

    // Everything else under the mount is oidc-provider's: discovery, jwks, auth, token, userinfo, PAR, logout.
    scope.route({
      method: ['GET', 'POST', 'OPTIONS'],
      url: `${mountPath}/*`,
      handler: async (request, reply) => {
        // Keep headers the app's hooks already set (request id, security headers) on the raw response.
        for (const [name, value] of Object.entries(reply.getHeaders())) {
          if (value !== undefined) reply.raw.setHeader(name, value);
        }
        reply.hijack();
        const raw = asIssuerSees(request.raw) as ProviderRequest;
        const url = raw.url ?? mountPath;
        const rest = url.slice(mountPath.length);
        raw.url = rest.startsWith('/') ? rest : `/${rest}`;
        // oidc-provider prefixes the URLs it builds (endpoints, interaction returnTo) with baseUrl.
        raw.baseUrl = mountPath;
        try {
          await callback(raw, reply.raw);
        } finally {
          raw.url = url; // for the app's logs and metrics
        }
      },
    });
  };
  await app.register(routes);
}
