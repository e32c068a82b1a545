/**
 * A local SMTP server that keeps what it receives instead of delivering it: the "local capture"
 * that development and tests point SmtpMailer at, so e-mail goes through real SMTP and real MIME
 * and a test reads back exactly what a customer's mail server would get.
 *
 * It listens on loopback only, so it can afford what a real server must not: no TLS, any login
 * accepted. Each message is parsed with mailparser; `waitFor` lets a test wait for a mail sent by
 * a background job without sleeping.
 */
import type { AddressInfo } from 'node:net';
import { type HeaderValue, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

export interface CapturedMail {
  /** The From header's name and address, decoded: `Drop <hei@drop.no>`. */
  from: string;
  /** The envelope recipients (RCPT TO): who the server was asked to deliver to, Bcc included. */
  to: string[];
  subject: string;
  text: string;
  /** The HTML part, '' when the mail has none. */
  html: string;
  /** Every header by lower-case name, decoded where it is plain text; a repeated header keeps its first value. */
  headers: Record<string, string>;
  receivedAt: Date;
  /** The message exactly as it came over the wire. */
  raw: string;
}

export interface MailCaptureOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: '127.0.0.1';
  /** Larger messages are refused with 552 (default 10 MB). */
  maxMessageBytes?: number;
}

export interface MailCapture {
  /** `smtp://127.0.0.1:PORT`, to give SmtpMailer. */
  url: string;
  port: number;
  /** What has arrived so far, oldest first. */
  messages(): CapturedMail[];
  /** The first mail (already here or still to come) that matches; rejects after `timeoutMs` (default 5 s). */
  waitFor(predicate: (mail: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail>;
  clear(): void;
  close(): Promise<void>;
}

interface Waiter {
  predicate: (mail: CapturedMail) => boolean;
  resolve: (mail: CapturedMail) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** A header's value as text: mailparser's decoded string for plain headers, the unfolded line for structured ones. */
function headerText(value: HeaderValue | undefined, line: string): string {
  if (typeof value === 'string') return value;
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

async function readMessage(stream: SMTPServerDataStream, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // The whole stream is read even past the limit: the client waits for the reply to DATA until it has sent it all.
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return stream.sizeExceeded || size > limit ? undefined : Buffer.concat(chunks);
}

async function toCapturedMail(raw: Buffer, recipients: string[]): Promise<CapturedMail> {
  const parsed = await simpleParser(raw);
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    if (!(key in headers)) headers[key] = headerText(parsed.headers.get(key), line);
  }
  return {
    from: (parsed.from?.value ?? [])
      .map((sender) => (sender.name ? `${sender.name} <${sender.address}>` : (sender.address ?? '')))
      .join(', '),
    to: recipients,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: parsed.html || '',
    headers,
    receivedAt: new Date(),
    raw: raw.toString('utf8'),
  };
}

export async function startMailCapture(options: MailCaptureOptions = {}): Promise<MailCapture> {
  const host = options.host ?? '127.0.0.1';
  const maxMessageBytes = options.maxMessageBytes ?? 10 * 1024 * 1024;
  const received: CapturedMail[] = [];
  const waiters = new Set<Waiter>();

  function deliver(mail: CapturedMail): void {
    received.push(mail);
    for (const waiter of waiters) {
      if (!waiter.predicate(mail)) continue;
      waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(mail);
    }
  }

  const server = new SMTPServer({
    name: 'drop-mail-capture',
    banner: 'Drop mail capture: nothing is delivered',
    logger: false,
    // Loopback only, so there is no one to hide a plain-text login from.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'capture' }),
    disableReverseLookup: true,
    size: maxMessageBytes,
    maxAllowedUnauthenticatedCommands: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const recipients = session.envelope.rcptTo.map((recipient) => recipient.address);
      readMessage(stream, maxMessageBytes)
        .then(async (raw) => {
          if (!raw) return callback(smtpError(552, `Message exceeds the capture's limit of ${maxMessageBytes} bytes`));
          deliver(await toCapturedMail(raw, recipients));
          callback(null, 'Captured');
        })
        .catch((error: unknown) => callback(smtpError(451, `Could not read the message: ${(error as Error).message}`)));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://${host}:${port}`,
    port,
    messages: () => [...received],
    waitFor(predicate, timeoutMs = 5000) {
      const already = received.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise<CapturedMail>((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const seen = received.map((mail) => `${mail.to.join(', ')} "${mail.subject}"`).join('; ');
            reject(
              new Error(
                `No captured mail matched within ${timeoutMs} ms; ${received.length} received${received.length ? `: ${seen}` : ''}.`,
              ),
            );
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    clear() {
      received.length = 0;
    },
    async close() {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('The mail capture was closed before a matching mail arrived.'));
      }
      waiters.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
