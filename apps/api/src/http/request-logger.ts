/**
 * Each request's logger (`request.log`: the request id on every line) made only when the request
 * writes a line. Fastify makes a pino child per request, and most requests log nothing at the
 * production level (warn): the child (its bindings serialised, redaction set up) was a few per
 * cent of the server's CPU under bench:transfers. A line that is written goes through the real
 * child, made then with the same bindings and options, so it reads exactly as before.
 */
import type { Logger } from '@drop/observability';
import type { FastifyBaseLogger } from 'fastify';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
type LogArgs = Parameters<Logger['info']>;

class LazyChildLogger {
  readonly #parent: Logger;
  readonly #bindings: Record<string, unknown>;
  readonly #options: object;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Record<string, unknown>, options: object) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  #real(): Logger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  #log(level: Level, args: LogArgs): void {
    if (!this.#child && !this.#parent.isLevelEnabled(level)) return;
    const child = this.#real();
    (child[level] as (...a: LogArgs) => void).apply(child, args);
  }

  trace(...args: LogArgs): void {
    this.#log('trace', args);
  }
  debug(...args: LogArgs): void {
    this.#log('debug', args);
  }
  info(...args: LogArgs): void {
    this.#log('info', args);
  }
  warn(...args: LogArgs): void {
    this.#log('warn', args);
  }
  error(...args: LogArgs): void {
    this.#log('error', args);
  }
  fatal(...args: LogArgs): void {
    this.#log('fatal', args);
  }
  silent(): void {}

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }
  set level(level: string) {
    this.#real().level = level;
  }
  isLevelEnabled(level: string): boolean {
    return (this.#child ?? this.#parent).isLevelEnabled(level);
  }
  child(...args: Parameters<Logger['child']>): ReturnType<Logger['child']> {
    return this.#real().child(...args);
  }
  bindings(): Record<string, unknown> {
    return this.#real().bindings();
  }
  setBindings(bindings: Record<string, unknown>): void {
    this.#real().setBindings(bindings);
  }
  flush(...args: Parameters<Logger['flush']>): void {
    this.#real().flush(...args);
  }
}

/**
 * Fastify's `childLoggerFactory`. A route with its own log level or serializers gets its child at
 * once (its level is not the parent's to judge by).
 */
export function lazyChildLoggerFactory(
  logger: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  options: { level?: string; serializers?: unknown },
): FastifyBaseLogger {
  if (options.level !== undefined || options.serializers !== undefined) return logger.child(bindings, options as object);
  return new LazyChildLogger(logger as Logger, bindings, options) as unknown as FastifyBaseLogger;
}
