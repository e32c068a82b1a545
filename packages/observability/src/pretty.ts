/**
 * Log lines for a person at a terminal (LOG_FORMAT=pretty, the development default): pino's JSON
 * line turned into `12:04:31.207 INFO  request completed  GET /api/transfers → 201 12 ms  reqId=…`.
 * Production keeps JSON, one object a line, for the log platform. No dependency: it reads the
 * line pino wrote (already redacted and scrubbed), so nothing secret can reach it that JSON would
 * not have carried.
 */
import { isatty } from 'node:tty';
import { pino } from 'pino';

const LEVELS: Record<number, { name: string; colour: string }> = {
  10: { name: 'TRACE', colour: '90' },
  20: { name: 'DEBUG', colour: '36' },
  30: { name: 'INFO ', colour: '32' },
  40: { name: 'WARN ', colour: '33' },
  50: { name: 'ERROR', colour: '31' },
  60: { name: 'FATAL', colour: '35' },
};

// What every line has, shown in its own place (or not at all) rather than as key=value.
const SHOWN_APART = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'service', 'req', 'res', 'responseTime', 'err']);

function value(field: unknown): string {
  if (typeof field === 'string') return /\s/.test(field) ? JSON.stringify(field) : field;
  return JSON.stringify(field);
}

/** One JSON log line → one readable line (plus an error's stack below it). Lines that are not JSON pass through. */
export function formatLogLine(line: string, options: { colour?: boolean } = {}): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const paint = (code: string, text: string) => (options.colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level).toUpperCase().padEnd(5), colour: '0' };
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : new Date(Number(entry.time)).toISOString().slice(11, 23);
  const parts = [`${paint('90', time)} ${paint(level.colour, level.name)} ${String(entry.msg ?? '')}`];

  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  if (req?.method) parts.push(`${req.method} ${req.url ?? ''}`);
  if (res?.statusCode !== undefined) {
    const took = typeof entry.responseTime === 'number' ? ` ${entry.responseTime.toFixed(0)} ms` : '';
    parts.push(`→ ${res.statusCode}${took}`);
  }
  const rest = Object.entries(entry)
    .filter(([key]) => !SHOWN_APART.has(key))
    .map(([key, field]) => `${paint('90', `${key}=`)}${value(field)}`);
  let text = [...parts, ...rest].filter((part) => part !== '').join('  ');

  const err = entry.err as { type?: string; message?: string; stack?: string } | undefined;
  if (err) text += `\n${paint('31', err.stack ?? `${err.type ?? 'Error'}: ${err.message ?? ''}`)}`;
  return `${text}\n`;
}

/**
 * A pino destination writing readable lines to a file descriptor (1: stdout, the default; 2:
 * stderr), synchronously as pino's own JSON destination does, in colour when it is a terminal; or
 * to a stream (tests).
 */
export function prettyDestination(to: 1 | 2 | NodeJS.WritableStream = 1): pino.DestinationStream {
  if (typeof to !== 'number') return { write: (line: string) => void to.write(formatLogLine(line)) };
  const sink = pino.destination({ dest: to, sync: true });
  const colour = isatty(to);
  return { write: (line: string) => void sink.write(formatLogLine(line, { colour })) };
}
