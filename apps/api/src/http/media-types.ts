/**
 * A request body is read only in a media type its route declares (issue 17): JSON, unless the
 * route's schema names its own in `consumes` (which the OpenAPI document shows too). Anything
 * else, or a body with no Content-Type at all, is 415 UNSUPPORTED_MEDIA_TYPE before any hook or
 * handler runs, so it changes nothing.
 *
 * Fastify alone is not enough: its parsers are per plugin scope, not per route, and the root
 * scope's parsers (JSON, plain text, and the HTML form parser the BankID sign-in button needs)
 * reach every route, so a form-encoded or plain-text body on `POST /api/quotes` was parsed and
 * went on to validation (a form with the right fields was even accepted). Likewise a JSON route
 * in the bank-file or STR plugin would have read XML or a PDF.
 *
 * Only Drop's own API (`/api/…`) is checked: the local simulators speak their providers' protocols.
 * GET and HEAD are not: Fastify does not read their bodies.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './errors.ts';

/** What a route reads when it declares nothing. */
export const DEFAULT_MEDIA_TYPES: readonly string[] = ['application/json'];

/** Declared in `consumes`: any media type (a webhook verifies the exact bytes, whatever they are). */
export const ANY_MEDIA_TYPE = '*/*';

const BODILESS_METHODS = new Set(['GET', 'HEAD']);

/** `text/plain; charset=utf-8` → `text/plain`; undefined when the header is absent or empty. */
export function mediaTypeOf(header: string | undefined): string | undefined {
  const essence = header?.split(';')[0]?.trim().toLowerCase();
  return essence ? essence : undefined;
}

function carriesBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

export function registerMediaTypeGuard(app: FastifyInstance): void {
  // Callback-style (no promise per request); a refusal answers and does not call done.
  app.addHook('onRequest', (request, reply, done) => {
    if (BODILESS_METHODS.has(request.method)) return done();
    // No route (404) has no declaration to check against; the simulators are not Drop's API.
    // routeOptions is a getter that builds a new object: read it once.
    const routeOptions = request.routeOptions;
    const route = routeOptions.url;
    if (!route?.startsWith('/api/')) return done();
    const mediaType = mediaTypeOf(request.headers['content-type']);
    if (mediaType === undefined && !carriesBody(request)) return done();
    const declared = routeOptions.schema?.consumes ?? DEFAULT_MEDIA_TYPES;
    if (declared.includes(ANY_MEDIA_TYPE) || (mediaType !== undefined && declared.includes(mediaType))) return done();
    sendProblem(
      reply,
      problem(
        request,
        'UNSUPPORTED_MEDIA_TYPE',
        `${mediaType ? `Content-Type ${mediaType}` : 'A body without a Content-Type'} is not accepted here; send ${declared.join(' or ')}.`,
      ),
    );
  });
}
