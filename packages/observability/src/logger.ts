import { pino } from 'pino';
import { prettyDestination } from './pretty.ts';

export type Logger = pino.Logger;

/**
 * Norwegian national identity numbers (fødselsnummer / D-number) are 11 digits. They must never
 * reach a log line, so every line is scrubbed as it is written (messages, fields at any depth,
 * error messages and stacks, serializer output); structured fields that may carry one, and other
 * secrets, are also removed by the redact paths below.
 */
const NATIONAL_ID = /(?<!\d)\d{6}[\s-]?\d{5}(?!\d)/g;
const REDACTED_NATIONAL_ID = '[redacted-national-id]';

export function scrubNationalIds(text: string): string {
  return text.replace(NATIONAL_ID, REDACTED_NATIONAL_ID);
}

// Sensitive keys, redacted at the top level of a log call and one level down.
const SENSITIVE_KEYS = [
  'password',
  'secret',
  'token',
  'accessToken',
  'idToken',
  'jwtSecret',
  'nationalId',
  'national_id',
  'nin',
  'ssn',
  'databaseUrl',
  'connectionString',
];

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-app-access-sig"]',
  'req.headers["x-payload-digest"]',
  'res.headers["set-cookie"]',
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((key) => `*.${key}`),
];

// A JSON string literal, or a bare JSON number.
const JSON_TOKEN = /"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g;

/**
 * Scrubs one serialized log line. String values are scrubbed as the text they hold (so an escaped
 * tab between the two parts is still caught); a bare 11-digit number becomes a string, so the line
 * stays valid JSON.
 */
function scrubLogLine(line: string): string {
  if (!/\d{5}/.test(line)) return line;
  return line.replace(JSON_TOKEN, (token) => {
    if (token.startsWith('"')) {
      if (!/\d{5}/.test(token)) return token;
      const text = JSON.parse(token) as string;
      const scrubbed = scrubNationalIds(text);
      return scrubbed === text ? token : JSON.stringify(scrubbed);
    }
    return /^\d{11}$/.test(token) ? JSON.stringify(REDACTED_NATIONAL_ID) : token;
  });
}

/**
 * URL parameters whose values are credentials or one-time secrets: OAuth/OIDC codes, state,
 * nonces and PKCE values (the BankID callback), tokens (the staff enrolment link
 * `/console/enrol?token=…`, its API `/api/staff/enrolment/:token`), passwords, keys, signatures.
 * Matched by name in the query string and among a route's path parameters.
 */
const SECRET_PARAMETER = /code|state|nonce|token|secret|password|passwd|key|sig|verifier|challenge|otp|ticket|assertion/i;
const REDACTED = '[redacted]';

/** The parts of a Fastify request a log line shows (structural, so this package needs no Fastify types). */
interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  params?: unknown;
  socket?: { remotePort?: number };
}

/** A request's URL with the values of secret query parameters, and of secret path parameters, replaced. */
export function redactUrl(url: string, params?: unknown): string {
  const queryAt = url.indexOf('?');
  let pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  if (params && typeof params === 'object') {
    for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
      if (!SECRET_PARAMETER.test(name) || typeof value !== 'string' || value === '') continue;
      for (const form of new Set([value, encodeURIComponent(value)])) pathname = pathname.split(form).join(REDACTED);
    }
  }
  if (queryAt === -1) return pathname;
  const query = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replaceAll('+', ' '));
      } catch {
        // A malformed escape: match on the raw name.
      }
      return equals !== -1 && SECRET_PARAMETER.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${pathname}?${query}`;
}

/** Fastify's request serializer (method, url, host, address), with secrets taken out of the URL. */
function serializeRequest(request: LoggedRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactUrl(request.url, request.params) : request.url,
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** JSON lines for machines (production, tests), readable lines for people (development). */
export type LogFormat = 'json' | 'pretty';

export function createLogger(options: {
  level: string;
  name?: string;
  /** Where JSON lines go (stdout by default). */
  destination?: pino.DestinationStream;
  format?: LogFormat;
  /** Where pretty lines go: 1 (stdout, the default), 2 (stderr: the CLI keeps stdout for its output), or a stream. */
  prettyTo?: 1 | 2 | NodeJS.WritableStream;
}): Logger {
  const destination = options.format === 'pretty' ? prettyDestination(options.prettyTo) : options.destination;
  return pino(
    {
      level: options.level,
      name: options.name ?? 'drop',
      base: { service: options.name ?? 'drop' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      // Scrub national id numbers from the finished line: whatever was logged, however deep.
      hooks: { streamWrite: scrubLogLine },
      // Fastify logs every request with `req`: its serializer is this one (the logger's own win).
      serializers: { err: pino.stdSerializers.err, req: serializeRequest },
    },
    destination,
  );
}
