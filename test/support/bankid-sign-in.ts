/**
 * Signs in through the local BankID test provider with plain HTTP, as a browser would: post to
 * Drop's /start, follow the provider's redirects, submit its login form for one test person, and
 * stop at Drop's callback (which the caller may call, replay, or bypass).
 */

class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (!pair || index < 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export interface ProviderVisit {
  /** Drop's callback URL with code and state, as BankID would send the browser. */
  callbackUrl: string;
  /** The sign-in attempt cookie Drop set at /start. */
  signInCookie: string;
}

async function request(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
  });
  jar.take(response);
  return response;
}

/**
 * Up to Drop's callback: the provider's answer for `person` with `method` (bid, bim, bis), or a
 * cancel; `idTokenFault` makes the provider issue an ID token with another `aud` or `iss`.
 */
export async function visitTestProvider(
  base: string,
  options: { person: string; method?: 'bid' | 'bim' | 'bis'; cancel?: boolean; idTokenFault?: 'wrong_audience' | 'wrong_issuer' },
): Promise<ProviderVisit> {
  const drop = new CookieJar();
  const start = await request(drop, `${base}/api/auth/bankid/start`, { method: 'POST', headers: { origin: base } });
  if (start.status !== 303) throw new Error(`/start answered ${start.status}: ${await start.text()}`);
  const signInCookie = drop.get('__Host-drop_signin');
  if (!signInCookie) throw new Error('/start set no sign-in cookie');

  const provider = new CookieJar();
  let url = new URL(start.headers.get('location') ?? '', base).href;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(`${base}/api/auth/bankid/callback`)) return { callbackUrl: url, signInCookie };
    const response = await request(provider, url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location') ?? '', url).href;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`provider answered ${response.status} at ${url}: ${html.slice(0, 300)}`);
    const forms = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map(
      (match) => new URL((match[1] ?? '').replaceAll('&amp;', '&'), url).href,
    );
    const [loginAction, abortAction] = forms;
    if (!loginAction || !abortAction) throw new Error(`no login form at ${url}`);
    const body = options.cancel
      ? new URLSearchParams()
      : new URLSearchParams({
          person: options.person,
          method: options.method ?? 'bid',
          ...(options.idTokenFault ? { id_token_fault: options.idTokenFault } : {}),
        });
    const submitted = await request(provider, options.cancel ? abortAction : loginAction, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin },
      body,
    });
    if (submitted.status < 300 || submitted.status >= 400)
      throw new Error(`login form answered ${submitted.status}: ${(await submitted.text()).slice(0, 300)}`);
    url = new URL(submitted.headers.get('location') ?? '', url).href;
  }
  throw new Error('too many redirects at the provider');
}

export interface CallbackOutcome {
  status: number;
  location: string;
  sessionCookie: string | undefined;
}

/** Drop's callback, as the browser would call it after BankID. */
export async function callDropCallback(visit: ProviderVisit): Promise<CallbackOutcome> {
  const response = await fetch(visit.callbackUrl, { redirect: 'manual', headers: { cookie: `__Host-drop_signin=${visit.signInCookie}` } });
  const sessionHeader = response.headers
    .getSetCookie()
    .find((header) => header.startsWith('__Host-drop_session=') && !/max-age=0/i.test(header));
  return {
    status: response.status,
    location: response.headers.get('location') ?? '',
    sessionCookie: sessionHeader?.split(';')[0]?.slice('__Host-drop_session='.length),
  };
}

/** The whole sign-in: the session cookie's value and the raw Set-Cookie header. */
export async function signInThroughTestProvider(
  base: string,
  person: string,
  method: 'bid' | 'bim' | 'bis' = 'bid',
): Promise<CallbackOutcome> {
  return callDropCallback(await visitTestProvider(base, { person, method }));
}
