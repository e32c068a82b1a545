/**
 * Drop as an OpenID Connect relying party of BankID (developer.bankid.no, "OpenID Connect
 * Authorization Code Flow"), built on the certified `openid-client`: discovery from the issuer,
 * authorization code with PKCE (S256), state and nonce, and ID-token validation (issuer,
 * audience, expiry, signature, nonce) by the library. Drop then checks the authentication level
 * (`acr`) and maps the claims. In development and tests the issuer is the local BankID test
 * provider, reached over HTTP exactly like BankID.
 */

import { type BankIdIdentity, DomainError } from '@drop/core';
import * as oidc from 'openid-client';

export interface BankIdSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  redirectUri: string;
  /** Plain HTTP is allowed only for the local test provider, never in production. */
  allowHttp: boolean;
}

export interface PendingSignIn {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export class BankIdRelyingParty {
  private configuration: Promise<oidc.Configuration> | undefined;
  private readonly settings: BankIdSettings;

  constructor(settings: BankIdSettings) {
    this.settings = settings;
  }

  /** Discovery happens on first use (the local provider is served by this same server) and is cached. */
  private config(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, undefined, oidc.ClientSecretPost(this.settings.clientSecret), {
        execute: this.settings.allowHttp ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        this.configuration = undefined; // try again on the next sign-in
        throw error;
      });
    return this.configuration;
  }

  async begin(): Promise<PendingSignIn> {
    const config = await this.config();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      acr_values: 'urn:bankid:bid',
      ui_locales: 'nb',
    });
    return { url, state, nonce, codeVerifier };
  }

  /** Exchanges the code and returns the identity BankID vouched for. Any protocol failure is SIGN_IN_FAILED. */
  async complete(callbackUrl: URL, pending: { state: string; nonce: string; codeVerifier: string }): Promise<BankIdIdentity> {
    const config = await this.config();
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw new DomainError('SIGN_IN_FAILED', `BankID sign-in could not be completed: ${describe(error)}`);
    }
    if (!claims) throw new DomainError('SIGN_IN_FAILED', 'BankID returned no ID token.');
    const text = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined);
    const nationalId = text('nnin_altsub');
    const acr = text('acr');
    if (!nationalId || !acr)
      throw new DomainError('SIGN_IN_FAILED', 'BankID did not return the national identity number and authentication level.');
    const givenName = text('given_name') ?? '';
    const familyName = text('family_name') ?? '';
    return {
      subject: claims.sub,
      nationalId,
      givenName,
      familyName,
      name: text('name') ?? `${givenName} ${familyName}`.trim(),
      birthdate: text('birthdate'),
      acr,
      amr: Array.isArray(claims.amr) ? claims.amr.map(String) : [],
    };
  }
}

/** The OAuth error code or a short reason; never the token or the national id. */
function describe(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) return error.error;
  if (error instanceof Error) return error.message.split('\n')[0]?.slice(0, 200) ?? 'error';
  return 'error';
}
