import type { CookieSerializeOptions } from '@fastify/cookie';

/**
 * `__Host-` cookies: Secure, Path=/, no Domain, so no subdomain can set or read them. HttpOnly so
 * scripts cannot read them. SameSite=Lax: the session must survive the top-level redirect back
 * from BankID; state-changing requests are POSTs, which Lax does not send cross-site.
 */
export const SESSION_COOKIE = '__Host-drop_session';
export const SIGN_IN_COOKIE = '__Host-drop_signin';

export function cookieOptions(maxAgeSeconds: number): CookieSerializeOptions {
  return { path: '/', secure: true, httpOnly: true, sameSite: 'lax', maxAge: maxAgeSeconds };
}
