/**
 * Drop's outgoing e-mail, sent over SMTP with nodemailer: one connection per message (no pool:
 * mail is sent from jobs, one at a time, and a pooled connection would outlive the job that
 * opened it), a deadline on every step, and TLS whenever the server is not on this machine.
 *
 * It has the shape of core's `Mailer` port (packages/core/src/notifications/mailer.ts). In
 * development and tests `url` points at the local capture server (mail-capture.ts), so the same
 * client speaks real SMTP there too.
 */
import nodemailer from 'nodemailer';

/** The message core hands over: core's `OutgoingMail`, restated so this package needs no import from core's internals. */
export interface SmtpOutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` (STARTTLS) or `smtps://user:pass@host:465` (TLS from the start); user and password percent-encoded. */
  url: string;
  /** The sender, e.g. `Drop <hei@drop.no>`. */
  from: string;
  /** How long connecting, the greeting and each reply may take (default 15 s). */
  timeoutMs?: number;
  /**
   * Refuse to send unless the connection is encrypted (STARTTLS on smtp://). On by default except
   * for a server on loopback, such as the capture server; turn it off only for a trusted local
   * network (e.g. a mail catcher in a container next to the app).
   */
  requireTls?: boolean;
}

/**
 * A failed send or verify, with the server's reply when there was one. `transient` says whether
 * trying the same mail again later can work: connection trouble and 4xx replies are transient, a
 * 5xx reply (unknown mailbox, message refused) will be refused again.
 */
export class SmtpMailError extends Error {
  /** nodemailer's code: ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, EMESSAGE, … */
  readonly code: string | undefined;
  /** The SMTP command that was refused (`RCPT TO`, `DATA`, …). */
  readonly command: string | undefined;
  readonly responseCode: number | undefined;
  /** The server's reply as it sent it, e.g. `550 5.1.1 Mailbox does not exist`. */
  readonly response: string | undefined;
  readonly transient: boolean;
  constructor(
    message: string,
    details: { code?: string; command?: string; responseCode?: number; response?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'SmtpMailError';
    this.code = details.code;
    this.command = details.command;
    this.responseCode = details.responseCode;
    this.response = details.response;
    // RFC 5321: 5yz is a permanent refusal, except 503 (bad sequence), which a new session can fix.
    this.transient = details.responseCode === undefined || details.responseCode < 500 || details.responseCode === 503;
  }
}

// Headers the mailer sets from the mail's own fields; one in `headers` could send the mail to
// someone else or change how it is read, so they are refused instead of merged.
const RESERVED_HEADERS = new Set(['from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'subject', 'date', 'message-id', 'mime-version']);
// RFC 5322 field name: printable ASCII except the colon.
const HEADER_NAME = /^[!-9;-~]+$/;

// One bare address: nodemailer would read "a@x, b@y" as two recipients, and a mail about one
// customer's money goes to that customer only.
const SINGLE_ADDRESS = /^[^\s@,;:<>()"[\]\\]+@[^\s@,;:<>()"[\]\\]+$/;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

interface ServerAddress {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: string } | undefined;
}

function parseServerUrl(text: string): ServerAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('The SMTP URL is not a URL; expected smtp://user:pass@host:port or smtps://…');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error(`The SMTP URL must be smtp:// or smtps://, not ${url.protocol}//`);
  if (!url.hostname) throw new Error('The SMTP URL has no host.');
  // nodemailer reads transport options from a URL's query; this client is configured in code only.
  if (url.search) throw new Error('The SMTP URL takes no query options.');
  const secure = url.protocol === 'smtps:';
  return {
    // An IPv6 host comes bracketed ("[::1]"); the socket wants the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
  };
}

function checkedHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  for (const name of Object.keys(headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw new Error(`'${name.slice(0, 40)}' is not a valid header name.`);
    if (RESERVED_HEADERS.has(name.toLowerCase()) || name.toLowerCase().startsWith('content-')) {
      throw new Error(`The ${name} header is set by the mailer and cannot be given in headers.`);
    }
  }
  return { ...headers };
}

interface NodemailerError {
  message?: string;
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
}

export class SmtpMailer {
  private readonly from: string;
  private readonly server: string;
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(options: SmtpMailerOptions) {
    const address = parseServerUrl(options.url);
    const timeoutMs = options.timeoutMs ?? 15_000;
    const onLoopback = LOOPBACK.has(address.host);
    this.from = options.from;
    // Without the credentials: this names the server in errors and logs.
    this.server = `${address.host}:${address.port}`;
    this.transport = nodemailer.createTransport({
      host: address.host,
      port: address.port,
      secure: address.secure,
      auth: address.auth,
      // With credentials configured, log in or fail: never send unauthenticated because the server
      // did not offer AUTH (as a server does before STARTTLS, or an impostor might).
      forceAuth: address.auth !== undefined,
      requireTLS: !address.secure && (options.requireTls ?? !onLoopback),
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
      pool: false,
      logger: false,
    });
  }

  /** Hands the mail to the server; resolves with its Message-ID once the server has accepted it. */
  async send(mail: SmtpOutgoingMail): Promise<{ messageId: string }> {
    if (!SINGLE_ADDRESS.test(mail.to)) throw new Error(`'${mail.to.slice(0, 80)}' is not a single e-mail address.`);
    const headers = checkedHeaders(mail.headers);
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers,
      });
      return { messageId: info.messageId };
    } catch (error) {
      throw this.failure('Sending mail', error);
    }
  }

  /** Connects, says EHLO, upgrades to TLS and logs in as a send would, then quits: a start-up check of the settings. */
  async verify(): Promise<void> {
    try {
      await this.transport.verify();
    } catch (error) {
      throw this.failure('Checking the mail server', error);
    }
  }

  private failure(what: string, error: unknown): SmtpMailError {
    const details = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as NodemailerError;
    const reason = details.response ?? details.message ?? 'unknown error';
    // nodemailer names the connection itself "CONN"; only a refused SMTP command is worth naming.
    const at = details.command && details.command !== 'CONN' ? ` at ${details.command}` : '';
    const code = details.code ? ` (${details.code})` : '';
    return new SmtpMailError(`${what} through ${this.server} failed${at}: ${reason}${code}`, {
      code: details.code,
      command: details.command,
      responseCode: details.responseCode,
      response: details.response,
      cause: error,
    });
  }
}
