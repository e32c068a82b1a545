import { pino } from 'pino';

export type Logger = pino.Logger;

/**
 * Norwegian national identity numbers (fødselsnummer / D-number) are 11 digits. They must never
 * reach a log line, so every logged string is scrubbed before it is written; structured fields
 * that may carry one are removed by the redact paths below.
 */
const NATIONAL_ID = /(?<!\d)\d{6}[\s-]?\d{5}(?!\d)/g;

export function scrubNationalIds(text: string): string {
  return text.replace(NATIONAL_ID, '[redacted-national-id]');
}

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-app-access-sig"]',
  'req.headers["x-payload-digest"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.secret',
  '*.token',
  '*.accessToken',
  '*.idToken',
  '*.jwtSecret',
  '*.nationalId',
  '*.national_id',
  '*.nin',
  '*.ssn',
  '*.databaseUrl',
  '*.connectionString',
];

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubNationalIds(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubValue(item, depth + 1)]));
}

export function createLogger(options: { level: string; name?: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      name: options.name ?? 'drop',
      base: { service: options.name ?? 'drop' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        // Scrub national id numbers from messages and from logged objects' string values.
        logMethod(args, method) {
          const scrubbed = args.map((arg) => scrubValue(arg)) as Parameters<typeof method>;
          return method.apply(this, scrubbed);
        },
      },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination,
  );
}
