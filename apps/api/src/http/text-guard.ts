/**
 * Text PostgreSQL cannot store never reaches it: a NUL character (`\u0000` in a JSON string,
 * `%00` in a path or query) in any string of a request's path parameters, query, body (keys
 * included) or headers is a 400 INVALID_TEXT before validation and before the handler, so it
 * changes nothing. Without this, such a string passed validation and PostgreSQL refused it as
 * a 500 ("invalid byte sequence", "unsupported Unicode escape sequence").
 *
 * A route that must still record the attempt (the BankID callback audits a failed sign-in) names
 * `onInvalidText` in its config; it runs before the refusal.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Called before a request with a NUL character is refused (to audit it). */
    onInvalidText?: (request: FastifyRequest) => Promise<void>;
  }
}

const NUL = '\u0000';

/** Where in `value` a string (or an object key) holds a NUL character, as a dotted path; null when none does. */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNul(item, `${path}.${index}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key.includes(NUL)) return `${path}.${key.replaceAll(NUL, '\\0')}`;
    const found = findNul(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    const where =
      findNul(request.params, 'path') ??
      findNul(request.query, 'query') ??
      findNul(request.body, 'body') ??
      findNul(request.headers, 'headers');
    if (!where) return;
    await request.routeOptions.config.onInvalidText?.(request);
    return sendProblem(reply, problem(request, 'INVALID_TEXT', `${where} contains a NUL character.`));
  });
}
