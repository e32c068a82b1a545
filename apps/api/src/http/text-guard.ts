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

/** Whether any string (or object key) in `value` holds a NUL character: findNul without building paths. */
function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasNul(value[i], depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (key.includes(NUL) || hasNul((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

export function registerTextGuard(app: FastifyInstance): void {
  // Callback-style: a clean request (nearly all) costs no promise and no path strings; the path
  // is worked out only for the refusal.
  app.addHook('preValidation', (request, reply, done) => {
    if (!hasNul(request.params) && !hasNul(request.query) && !hasNul(request.body) && !hasNul(request.headers)) return done();
    const where = (findNul(request.params, 'path') ??
      findNul(request.query, 'query') ??
      findNul(request.body, 'body') ??
      findNul(request.headers, 'headers')) as string;
    const audit = request.routeOptions.config.onInvalidText;
    // As an async hook did: answer, then let Fastify see the reply is sent.
    (audit ? audit(request) : Promise.resolve()).then(
      () => {
        sendProblem(reply, problem(request, 'INVALID_TEXT', `${where} contains a NUL character.`));
        done();
      },
      (error: unknown) => done(error as Error),
    );
  });
}
