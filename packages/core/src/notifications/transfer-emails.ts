/**
 * The e-mails a customer gets as their transfer moves: the pay-in arrived, the money was paid
 * out, the payout failed (and the money is coming back), the refund was sent. Each says what
 * happened, the amounts, what happens next and links to the transfer, in Bokmål or English.
 *
 * Every message is written once as content (paragraphs, a table of facts, one link) and rendered
 * twice, as plain text and as HTML. Everything interpolated comes from outside the template
 * (names, a partner's failure reason) so the HTML escapes every value, and values are folded onto
 * one line so none can break a header or fake a line of the message. Account numbers are masked
 * to their last four characters, including any a failure reason quotes.
 */
import { type CustomerLocale, formatMoney, type MoneyText, maskAccountNumber, maskAccountNumbersIn } from './customer-formatting.ts';

export type TransferEmailKind = 'funds_received' | 'paid_out' | 'failed' | 'refunded';

export interface TransferEmailData {
  transferId: string;
  /** The transfer's human reference (DRP-7K3-92QX), what the customer quotes to support; the id when not given. */
  reference?: string;
  /** The customer's first name, for the greeting; the greeting is neutral without it. */
  customerName?: string;
  /** What the customer paid in, e.g. `{ amount: '1234.56', currency: 'NOK' }`. */
  send: MoneyText;
  /** What the recipient is paid. */
  receive: MoneyText;
  recipientName: string;
  /** Why the payout failed, in words the customer can act on (shown for `failed` and `refunded`). */
  failureReason?: string;
  /** What is paid back, and to which account; a failed transfer refunds `send` when not given. */
  refund?: MoneyText & { toAccount?: string };
  /** The transfer's page in the customer app (http or https). */
  transferUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What a message says, before it is laid out as text or HTML. */
interface EmailContent {
  subject: string;
  greeting: string;
  paragraphs: string[];
  facts: Array<[label: string, value: string]>;
  action: string;
  signOff: [string, string];
  footer: string;
}

/** The data's values, formatted for the locale and made safe to place in a sentence. */
interface Values {
  name: string | undefined;
  sent: string;
  receives: string;
  recipient: string;
  reference: string;
  reason: string | undefined;
  refund: string;
  /** "•••• 8903" when the refund's account is known. */
  refundAccount: string | undefined;
}

type Copy = Record<TransferEmailKind, (v: Values) => Omit<EmailContent, 'greeting' | 'signOff' | 'footer'>>;

const NB: Copy = {
  funds_received: (v) => ({
    subject: `Vi har mottatt ${v.sent} – pengene er på vei til ${v.recipient}`,
    paragraphs: [
      `Vi har mottatt innbetalingen din på ${v.sent}, og nå sender vi pengene videre til ${v.recipient}.`,
      `${v.recipient} får ${v.receives}. Vi gir deg beskjed på e-post så snart pengene er utbetalt.`,
    ],
    facts: [
      ['Du sendte', v.sent],
      ['Mottaker', v.recipient],
      ['Mottaker får', v.receives],
      ['Referanse', v.reference],
    ],
    action: 'Se overføringen',
  }),
  paid_out: (v) => ({
    subject: `${v.recipient} har fått ${v.receives}`,
    paragraphs: [
      `Overføringen din er fullført: ${v.recipient} har fått ${v.receives}.`,
      'Detaljene og kvitteringen finner du på overføringen.',
    ],
    facts: [
      ['Du sendte', v.sent],
      ['Mottaker', v.recipient],
      ['Mottaker fikk', v.receives],
      ['Referanse', v.reference],
    ],
    action: 'Se overføringen',
  }),
  failed: (v) => ({
    subject: `Overføringen til ${v.recipient} ble ikke gjennomført – du får ${v.refund} tilbake`,
    paragraphs: [
      `Vi kunne dessverre ikke betale ut ${v.receives} til ${v.recipient}.`,
      `Vi betaler ${v.refund} tilbake til ${v.refundAccount ? `kontoen din (${v.refundAccount})` : 'kontoen du betalte fra'}. Du trenger ikke gjøre noe, og vi gir beskjed når pengene er sendt.`,
      'Vil du prøve igjen, kan du sjekke opplysningene om mottakeren og starte en ny overføring.',
    ],
    facts: [
      ['Du sendte', v.sent],
      ['Mottaker', v.recipient],
      ...optionalFact('Årsak', v.reason),
      ['Du får tilbake', v.refund],
      ['Referanse', v.reference],
    ],
    action: 'Se overføringen',
  }),
  refunded: (v) => ({
    subject: `Vi har betalt tilbake ${v.refund} for overføringen til ${v.recipient}`,
    paragraphs: [
      `Vi har betalt ${v.refund} tilbake til ${v.refundAccount ? `kontoen din (${v.refundAccount})` : 'kontoen du betalte fra'} for overføringen til ${v.recipient}.`,
      'Avhengig av banken din kan det ta opptil to virkedager før beløpet vises på kontoen.',
    ],
    facts: [
      ['Du sendte', v.sent],
      ['Mottaker', v.recipient],
      ...optionalFact('Årsak', v.reason),
      ['Betalt tilbake', v.refund],
      ...optionalFact('Til konto', v.refundAccount),
      ['Referanse', v.reference],
    ],
    action: 'Se overføringen',
  }),
};

const EN: Copy = {
  funds_received: (v) => ({
    subject: `We've received ${v.sent} – your money is on its way to ${v.recipient}`,
    paragraphs: [
      `We've received your payment of ${v.sent} and are now sending the money on to ${v.recipient}.`,
      `${v.recipient} will receive ${v.receives}. We'll e-mail you as soon as it has been paid out.`,
    ],
    facts: [
      ['You sent', v.sent],
      ['Recipient', v.recipient],
      ['Recipient gets', v.receives],
      ['Reference', v.reference],
    ],
    action: 'View transfer',
  }),
  paid_out: (v) => ({
    subject: `${v.recipient} has received ${v.receives}`,
    paragraphs: [
      `Your transfer is complete: ${v.recipient} has received ${v.receives}.`,
      "You'll find the details and your receipt on the transfer.",
    ],
    facts: [
      ['You sent', v.sent],
      ['Recipient', v.recipient],
      ['Recipient got', v.receives],
      ['Reference', v.reference],
    ],
    action: 'View transfer',
  }),
  failed: (v) => ({
    subject: `Your transfer to ${v.recipient} didn't go through – ${v.refund} is coming back to you`,
    paragraphs: [
      `We're sorry, we couldn't pay out ${v.receives} to ${v.recipient}.`,
      `We're refunding ${v.refund} to ${v.refundAccount ? `your account (${v.refundAccount})` : 'the account you paid from'}. You don't need to do anything, and we'll let you know when the money has been sent.`,
      "If you'd like to try again, check the recipient's details and start a new transfer.",
    ],
    facts: [
      ['You sent', v.sent],
      ['Recipient', v.recipient],
      ...optionalFact('Reason', v.reason),
      ['Refund', v.refund],
      ['Reference', v.reference],
    ],
    action: 'View transfer',
  }),
  refunded: (v) => ({
    subject: `We've refunded ${v.refund} for your transfer to ${v.recipient}`,
    paragraphs: [
      `We've sent ${v.refund} back to ${v.refundAccount ? `your account (${v.refundAccount})` : 'the account you paid from'} for your transfer to ${v.recipient}.`,
      'Depending on your bank, it can take up to two working days to show in your account.',
    ],
    facts: [
      ['You sent', v.sent],
      ['Recipient', v.recipient],
      ...optionalFact('Reason', v.reason),
      ['Refunded', v.refund],
      ...optionalFact('To account', v.refundAccount),
      ['Reference', v.reference],
    ],
    action: 'View transfer',
  }),
};

const FRAME: Record<CustomerLocale, { greeting: (name?: string) => string; signOff: [string, string]; footer: string }> = {
  nb: {
    greeting: (name) => (name ? `Hei ${name},` : 'Hei,'),
    signOff: ['Vennlig hilsen', 'Drop'],
    footer:
      'Du får denne e-posten fordi du har en overføring hos Drop. Drop ber deg aldri om BankID-opplysninger, passord eller koder på e-post.',
  },
  en: {
    greeting: (name) => (name ? `Hi ${name},` : 'Hello,'),
    signOff: ['Kind regards,', 'Drop'],
    footer:
      "You're receiving this e-mail because you have a transfer with Drop. Drop will never ask for your BankID details, passwords or codes by e-mail.",
  },
};

function optionalFact(label: string, value: string | undefined): Array<[string, string]> {
  return value ? [[label, value]] : [];
}

/** Control characters and line breaks become one space: a value cannot start a header or a new line. */
export function oneLine(value: string): string {
  return value
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`The transfer link '${url.slice(0, 80)}' is not a URL.`);
  }
  // Anything else (javascript:, data:) in a link would run or show content instead of opening a page.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`The transfer link must be http or https, not ${parsed.protocol}`);
  }
  return parsed.href;
}

function valuesOf(data: TransferEmailData, locale: CustomerLocale): Values {
  const refund = data.refund ?? data.send;
  const name = data.customerName === undefined ? '' : oneLine(data.customerName);
  const reason = data.failureReason === undefined ? '' : oneLine(maskAccountNumbersIn(data.failureReason));
  return {
    name: name || undefined,
    sent: formatMoney(data.send, locale),
    receives: formatMoney(data.receive, locale),
    recipient: oneLine(data.recipientName),
    reference: oneLine(data.reference ?? data.transferId),
    reason: reason || undefined,
    refund: formatMoney(refund, locale),
    refundAccount: data.refund?.toAccount ? maskAccountNumber(data.refund.toAccount) : undefined,
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML: safe between tags and inside a double- or single-quoted attribute. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

function asText(content: EmailContent, url: string): string {
  const width = Math.max(...content.facts.map(([label]) => label.length));
  return [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...content.facts.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`),
    '',
    `${content.action}: ${url}`,
    '',
    ...content.signOff,
    '',
    '--',
    content.footer,
    '',
  ].join('\n');
}

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

function asHtml(content: EmailContent, url: string, locale: CustomerLocale): string {
  const e = escapeHtml;
  const paragraph = (text: string) => `<p style="margin:0 0 16px;">${e(text)}</p>`;
  const facts = content.facts
    .map(
      ([label, value]) =>
        `<tr><td style="padding:6px 12px 6px 0;color:#5c6370;">${e(label)}</td>` +
        `<td style="padding:6px 0;text-align:right;font-weight:600;">${e(value)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;">
<div style="display:none;max-height:0;overflow:hidden;">${e(content.paragraphs[0] ?? '')}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px;font-family:${FONT};font-size:16px;line-height:1.5;color:#1f2328;">
<tr><td style="padding:32px;">
<p style="margin:0 0 24px;font-size:22px;font-weight:700;">Drop</p>
${paragraph(content.greeting)}
${content.paragraphs.map(paragraph).join('\n')}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:8px 0 24px;border-top:1px solid #e3e5e8;border-bottom:1px solid #e3e5e8;">
${facts}
</table>
<p style="margin:0 0 24px;"><a href="${e(url)}" style="display:inline-block;padding:12px 20px;border-radius:6px;background:#1747d1;color:#ffffff;font-weight:600;text-decoration:none;">${e(content.action)}</a></p>
<p style="margin:0;">${e(content.signOff[0])}<br>${e(content.signOff[1])}</p>
</td></tr>
</table>
<p style="max-width:560px;margin:16px auto 0;font-family:${FONT};font-size:12px;line-height:1.5;color:#5c6370;">${e(content.footer)}</p>
</td></tr>
</table>
</body>
</html>
`;
}

/** The e-mail for one step of a transfer, in the customer's language. Throws when `transferUrl` is not an http(s) URL. */
export function renderTransferEmail(kind: TransferEmailKind, locale: CustomerLocale, data: TransferEmailData): RenderedEmail {
  const url = checkedUrl(data.transferUrl);
  const values = valuesOf(data, locale);
  const frame = FRAME[locale];
  const content: EmailContent = {
    ...(locale === 'nb' ? NB : EN)[kind](values),
    greeting: frame.greeting(values.name),
    signOff: frame.signOff,
    footer: frame.footer,
  };
  return { subject: content.subject, text: asText(content, url), html: asHtml(content, url, locale) };
}
