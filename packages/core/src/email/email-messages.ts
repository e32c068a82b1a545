/**
 * The two security emails about the address itself, in Bokmål or English: the code that proves a
 * new address, and the notice to the old address that it was replaced. Neither can be turned off.
 * Laid out like the transfer emails (plain text and HTML, every value escaped and on one line).
 */
import type { CustomerLocale } from '../notifications/customer-formatting.ts';
import { escapeHtml, oneLine } from '../notifications/transfer-emails.ts';
import { EMAIL_CODE_RULES } from './email-codes.ts';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const FOOTER: Record<CustomerLocale, string> = {
  nb: 'Drop ber deg aldri om BankID-opplysninger eller passord på e-post, og vi ringer aldri for å be om denne koden.',
  en: 'Drop will never ask for your BankID details or passwords by e-mail, and we never call to ask for this code.',
};

function render(locale: CustomerLocale, subject: string, paragraphs: string[], highlight?: string): RenderedMail {
  const e = escapeHtml;
  const text = [...paragraphs.flatMap((p) => [p, '']), ...(highlight ? [highlight, ''] : []), 'Drop', '', '--', FOOTER[locale], ''].join(
    '\n',
  );
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(subject)}</title></head>
<body style="margin:0;padding:24px 12px;background:#f4f5f7;font-family:-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;color:#1f2328;">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px;font-size:16px;line-height:1.5;">
<p style="margin:0 0 24px;font-size:22px;font-weight:700;">Drop</p>
${paragraphs.map((p) => `<p style="margin:0 0 16px;">${e(p)}</p>`).join('\n')}
${highlight ? `<p style="margin:8px 0 24px;font-size:32px;font-weight:700;letter-spacing:6px;" data-code>${e(highlight)}</p>` : ''}
<p style="margin:0;">Drop</p>
</div>
<p style="max-width:560px;margin:16px auto 0;font-size:12px;color:#5c6370;">${e(FOOTER[locale])}</p>
</body>
</html>
`;
  return { subject, text, html };
}

/** The code that proves `email` is the customer's. */
export function renderEmailCode(locale: CustomerLocale, code: string, name: string | undefined): RenderedMail {
  const minutes = EMAIL_CODE_RULES.ttlMinutes;
  const who = name ? oneLine(name) : '';
  return locale === 'nb'
    ? render(
        'nb',
        `${code} er koden din hos Drop`,
        [
          who ? `Hei ${who},` : 'Hei,',
          `Skriv inn denne koden i Drop for å bekrefte e-postadressen din. Koden virker i ${minutes} minutter.`,
          'Har du ikke bedt om den, kan du se bort fra denne e-posten: adressen blir ikke brukt før koden er skrevet inn.',
        ],
        code,
      )
    : render(
        'en',
        `${code} is your Drop code`,
        [
          who ? `Hi ${who},` : 'Hello,',
          `Enter this code in Drop to confirm your e-mail address. It works for ${minutes} minutes.`,
          "If you didn't ask for it, you can ignore this e-mail: the address isn't used until the code is entered.",
        ],
        code,
      );
}

/** To the old address, once a new one is verified: so a customer whose account was misused finds out. */
export function renderEmailReplaced(locale: CustomerLocale, newEmail: string): RenderedMail {
  const masked = maskEmail(newEmail);
  return locale === 'nb'
    ? render('nb', 'E-postadressen din hos Drop er endret', [
        'Hei,',
        `E-post fra Drop går nå til ${masked}, ikke lenger til denne adressen.`,
        'Var det ikke deg, logg inn i Drop med BankID, logg ut overalt og kontakt oss.',
      ])
    : render('en', 'Your e-mail address at Drop has changed', [
        'Hello,',
        `E-mail from Drop now goes to ${masked}, no longer to this address.`,
        "If this wasn't you, log in to Drop with BankID, log out everywhere and contact us.",
      ]);
}

/** `k•••@example.no`: enough for the owner to recognise, not a copy of someone's address. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${oneLine(email.slice(0, 1))}•••${oneLine(email.slice(at))}`;
}
