import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers on every response (ASVS 3.4, T13): HSTS for a year with subdomains, a CSP that
 * allows only Drop's own origin and forbids framing, nosniff, no cross-site referrer, and `no-store` on every
 * API response so no cache keeps personal or financial data.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: { formActionOrigins: string[]; scriptOrigins: string[]; frameOrigins: string[]; connectOrigins: string[] },
): Promise<void> {
  await app.register(helmet, {
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
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') || request.url === '/metrics') {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
