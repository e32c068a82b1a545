import type { FastifyInstance } from 'fastify';
import { problem, sendProblem } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery defence (ASVS 3.5.1, T14) for every state-changing request: a browser
 * always says where a request comes from (`Origin`, or `Sec-Fetch-Site`), so a request that says
 * it comes from another site is refused before it reaches a route. Requests that carry neither
 * header do not come from a browser, and so cannot carry a victim's cookies by accident; they go
 * on to authenticate like any other (server-to-server calls such as token requests and webhooks).
 * Safe methods change nothing, so they are not checked.
 */
export function registerCsrfProtection(app: FastifyInstance, options: { publicUrl: string }): void {
  const ownOrigin = new URL(options.publicUrl).origin;
  // Callback-style (no promise per request); a refusal answers and does not call done.
  app.addHook('onRequest', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method)) return done();
    const origin = request.headers.origin;
    const fetchSite = request.headers['sec-fetch-site'];
    // `Origin: null` is an opaque origin (a sandboxed frame, a redirect across sites, or a form
    // post under a no-referrer policy); only the browser's Sec-Fetch-Site can vouch for it then.
    const knownOrigin = origin !== undefined && origin !== 'null';
    const crossSite = knownOrigin
      ? origin !== ownOrigin
      : origin === 'null'
        ? fetchSite !== 'same-origin'
        : fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none';
    if (crossSite) {
      request.log.warn({ origin, fetchSite }, 'cross-site state-changing request refused');
      sendProblem(reply, problem(request, 'CSRF_REJECTED', 'This request did not come from Drop.'));
      return;
    }
    done();
  });
}
