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
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
