/**
 * The port core sends e-mail through. Core renders the message (transfer-emails.ts) and knows
 * nothing of SMTP; the API and the worker wire in the real client (SmtpMailer in
 * @drop/integrations), and tests point that client at the local capture server.
 */

/** One message to one customer, rendered in both a plain-text and an HTML version. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (e.g. `X-Drop-Transfer-Id`); the mailer refuses ones that would change who gets the mail. */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Resolves once the mail server has accepted the message; rejects with the server's reply otherwise. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}
