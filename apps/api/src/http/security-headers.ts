import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Security headers on every response (ASVS 3.4, T13): HSTS for a year with subdomains, a CSP that
 * allows only Drop's own origin and forbids framing, nosniff, no cross-site referrer, and `no-store` on every
 * API response so no cache keeps personal or financial data.
 *
 * helmet writes them; none depends on the request (no CSP nonces, no per-route options), so they
 * are computed once at start and set from that table on each request. (@fastify/helmet built the
 * helmet middleware again on every request, parsing the CSP directives each time: about 5 % of
 * the server's CPU under bench:transfers.)
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: { formActionOrigins: string[]; scriptOrigins: string[]; frameOrigins: string[]; connectOrigins: string[] },
): Promise<void> {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.url.startsWith('/api/') || request.url === '/metrics') {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}

/** The headers helmet sets for these options, as a table (header name → value). */
export function securityHeaders(options: {
  formActionOrigins: string[];
  scriptOrigins: string[];
  frameOrigins: string[];
  connectOrigins: string[];
}): Record<string, string> {
  const middleware = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'", ...options.connectOrigins],
        frameSrc: ["'self'", ...options.frameOrigins],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'", ...options.formActionOrigins],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'", ...options.scriptOrigins],
        styleSrc: ["'self'", "'unsafe-inline'"],
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    // same-origin: nothing leaves for other sites, and same-site form posts keep their Origin
    // header (with no-referrer, browsers send `Origin: null`, which CSRF checks cannot trust).
    referrerPolicy: { policy: 'same-origin' },
    frameguard: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  const headers: Record<string, string> = {};
  // helmet's middlewares only call setHeader (and removeHeader for X-Powered-By, which Fastify never sets).
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader() {},
  };
  let failure: unknown;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}
