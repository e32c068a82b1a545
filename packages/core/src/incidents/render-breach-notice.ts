/**
 * The two notices a personal-data breach may call for, as text a person finishes and sends:
 *
 * - to Datatilsynet (GDPR art. 33) within 72 hours of becoming aware, in the order of
 *   Datatilsynet's online form (controller and contact, the breach, whom and what it concerns,
 *   likely consequences, measures, informing the people concerned). Counts come from the
 *   affected-users report; what only a person can know is a marked blank (`[[FYLL UT: …]]` /
 *   `[[FILL IN: …]]`), so an unfinished notice cannot pass for a finished one;
 * - to the customers (art. 34), in plain Norwegian or English: what happened, what data, what we
 *   did, what you should do, whom to contact.
 *
 * The customer's notice never says anything of AML work (hvitvaskingsloven § 26): the data it
 * names come from a fixed list without compliance records, and texts written by a person are
 * refused when they use AML words (`assertNothingAmlIn`).
 */
import { DomainError } from '../errors.ts';
import { escapeHtml, oneLine } from '../notifications/transfer-emails.ts';
import type { AffectedUsersReport, DataCategory } from './list-affected-users.ts';

export type NoticeLanguage = 'nb' | 'en';

/** GDPR art. 33(1): "without undue delay and, where feasible, not later than 72 hours after having become aware of it". */
export const DATATILSYNET_DEADLINE_HOURS = 72;

export function datatilsynetDeadline(detectedAt: Date): Date {
  return new Date(detectedAt.getTime() + DATATILSYNET_DEADLINE_HOURS * 3600_000);
}

function blank(lang: NoticeLanguage, what: string): string {
  return lang === 'nb' ? `[[FYLL UT: ${what}]]` : `[[FILL IN: ${what}]]`;
}

/** How many blanks a rendered notice still has: 0 means a person has written everything. */
export function blanksIn(notice: string): number {
  return notice.match(/\[\[(FYLL UT|FILL IN):/g)?.length ?? 0;
}

const CATEGORY_TEXT: Record<NoticeLanguage, Record<Exclude<DataCategory, 'compliance_records'>, string>> = {
  nb: {
    profile: 'navn, e-postadresse og fødselsdato',
    kyc_status: 'om identiteten din er bekreftet',
    recipients: 'mottakerne dine (navn og kontonummer)',
    transfers: 'overføringene dine (beløp, dato og mottaker)',
    payments: 'innbetalingene dine til Drop (beløp og KID)',
    sessions: 'innloggingene dine (tidspunkt, IP-adresse og nettleser)',
    other: 'andre opplysninger om kontoen din',
  },
  en: {
    profile: 'your name, e-mail address and date of birth',
    kyc_status: 'whether your identity has been verified',
    recipients: 'your recipients (names and account numbers)',
    transfers: 'your transfers (amounts, dates and recipients)',
    payments: 'your payments to Drop (amounts and KID numbers)',
    sessions: 'your sign-ins (times, IP address and browser)',
    other: 'other details of your account',
  },
};

/** The data categories a customer may be told about: everything but compliance records. */
export function customerFacingCategories(touched: readonly DataCategory[]): Array<Exclude<DataCategory, 'compliance_records'>> {
  return touched.filter((category): category is Exclude<DataCategory, 'compliance_records'> => category !== 'compliance_records');
}

/**
 * Words that would tell a customer about AML work (alerts, cases, reports to ØKOKRIM, sanctions,
 * screening). Kept in step with test/support/tipping-off.ts, which checks the mail that leaves.
 */
const AML_WORDS =
  /(?<![\p{L}\p{N}_])(alerts?|aml|sanctions?|sanctioned|sanksjon\p{L}*|peps?|politically exposed|politisk eksponert\p{L}*|suspicious|suspicion|mistenkelig\p{L}*|mistanke|strs?|økokrim|okokrim|goaml|altinn|cases?|screening|screened|compliance|hvitvask\p{L}*|money laundering|frozen|freeze|four[ -]eyes|fire øyne|ofac|sdn|watchlists?|terrorfinansiering|terrorist financing)(?![\p{L}\p{N}_])/iu;

/** Refuses a text for customers that names AML work (VALIDATION_FAILED, nothing sent). */
export function assertNothingAmlIn(label: string, text: string): void {
  const hit = AML_WORDS.exec(text);
  if (hit) {
    throw new DomainError(
      'VALIDATION_FAILED',
      `${label} says "${hit[0]}": a customer notice must not mention AML work (hvitvaskingsloven § 26). Rewrite it.`,
    );
  }
}

export interface DatatilsynetNoticeInput {
  lang: NoticeLanguage;
  detectedAt: Date;
  /** When the notice is prepared: says how long is left, or how late it is. */
  now: Date;
  report: Pick<AffectedUsersReport, 'counts' | 'users' | 'criteria' | 'caveats'>;
  controller: { name: string; orgNumber: string; address: string };
  /** The contact point (the DPO or whoever answers Datatilsynet), "Name, e-mail, phone". */
  contact?: string;
  reference?: string;
}

const OSLO: Record<NoticeLanguage, Intl.DateTimeFormat> = {
  nb: new Intl.DateTimeFormat('nb-NO', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Oslo' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Oslo' }),
};

function when(lang: NoticeLanguage, date: Date): string {
  return `${OSLO[lang].format(date)} (${date.toISOString()})`;
}

function categoryCounts(users: AffectedUsersReport['users']): Map<DataCategory, number> {
  const counts = new Map<DataCategory, number>();
  for (const user of users) for (const category of user.touched) counts.set(category, (counts.get(category) ?? 0) + 1);
  return counts;
}

/** The notification to Datatilsynet, as Markdown, pre-filled where Drop's records know the answer. */
export function renderDatatilsynetNotice(input: DatatilsynetNoticeInput): string {
  const { lang, report } = input;
  const nb = lang === 'nb';
  const b = (what: string) => blank(lang, what);
  const deadline = datatilsynetDeadline(input.detectedAt);
  const hoursLeft = (deadline.getTime() - input.now.getTime()) / 3600_000;
  const timing =
    hoursLeft >= 0
      ? nb
        ? `Frist for melding: ${when(lang, deadline)}, om ${Math.floor(hoursLeft)} timer.`
        : `Deadline for this notification: ${when(lang, deadline)}, ${Math.floor(hoursLeft)} hours from now.`
      : nb
        ? `Fristen gikk ut ${when(lang, deadline)} (${Math.ceil(-hoursLeft)} timer siden). Begrunnelse for forsinkelsen (art. 33 nr. 1): ${b('hvorfor meldingen kommer etter 72 timer')}`
        : `The deadline passed ${when(lang, deadline)} (${Math.ceil(-hoursLeft)} hours ago). Reasons for the delay (art. 33(1)): ${b('why this notification comes after 72 hours')}`;
  const counts = categoryCounts(report.users);
  const categoryLines = [...counts].map(([category, users]) => {
    const label =
      category === 'compliance_records'
        ? nb
          ? 'interne opplysninger etter hvitvaskingsloven (kun antall: § 26 forbyr å si hvem de gjelder)'
          : 'internal records under the Anti-Money Laundering Act (count only: § 26 forbids saying whom they concern)'
        : CATEGORY_TEXT[lang][category];
    const customers = nb ? (users === 1 ? 'kunde' : 'kunder') : users === 1 ? 'customer' : 'customers';
    return `  - ${label}: ${users} ${customers}`;
  });
  const window =
    report.criteria.from && report.criteria.to
      ? nb
        ? `Tidsrommet som er undersøkt: ${when(lang, new Date(report.criteria.from))} til ${when(lang, new Date(report.criteria.to))}.`
        : `Period investigated: ${when(lang, new Date(report.criteria.from))} to ${when(lang, new Date(report.criteria.to))}.`
      : '';
  const how = [
    report.criteria.sessionIds.length > 0
      ? nb
        ? `${report.criteria.sessionIds.length} kompromitterte innloggingsøkter`
        : `${report.criteria.sessionIds.length} compromised sign-in sessions`
      : '',
    report.criteria.staffEmail ? (nb ? 'en kompromittert ansattkonto' : 'a compromised staff account') : '',
    report.criteria.ip ? (nb ? `trafikk fra IP-adressen ${report.criteria.ip}` : `traffic from the IP address ${report.criteria.ip}`) : '',
  ].filter(Boolean);

  const lines = nb
    ? [
        `# Melding om brudd på personopplysningssikkerheten til Datatilsynet`,
        '',
        input.reference ? `Vår referanse: ${input.reference}` : '',
        `Oppdaget: ${when(lang, input.detectedAt)}. ${timing}`,
        'Meldingen sendes i Datatilsynets skjema for avviksmelding (Altinn). Er ikke alt kjent ennå, send det som er kjent nå og ettersend resten (art. 33 nr. 4).',
        '',
        '## 1. Behandlingsansvarlig og kontaktpunkt',
        `- Virksomhet: ${input.controller.name}, org.nr. ${input.controller.orgNumber}, ${input.controller.address}`,
        `- Kontaktpunkt (personvernombud eller annen kontakt): ${input.contact ?? b('navn, e-post og telefon')}`,
        '',
        '## 2. Hva har skjedd',
        `- Beskrivelse av bruddet: ${b('hva skjedde, og hvordan')}`,
        `- Type brudd: ${b('konfidensialitet (uautorisert innsyn), integritet (endring) og/eller tilgjengelighet (tap av tilgang)')}`,
        how.length > 0 ? `- Kjent omfang: ${how.join(', ')}.` : '',
        window ? `- ${window}` : '',
        `- Når bruddet startet og sluttet: ${b('tidspunkt, eller «pågår»')}`,
        `- Hvordan bruddet ble oppdaget: ${b('for eksempel varsel fra overvåking, henvendelse fra kunde')}`,
        '',
        '## 3. Hvem og hvilke opplysninger bruddet gjelder',
        '- Kategorier av registrerte: kunder (privatpersoner som sender penger med Drop).',
        `- Omtrentlig antall registrerte: ${report.counts.users}`,
        `- Omtrentlig antall berørte registreringer: ${report.counts.sessions} innloggingsøkter og ${report.counts.records} reviderte hendelser`,
        '- Kategorier av personopplysninger:',
        ...(categoryLines.length > 0 ? categoryLines : [`  - ${b('ingen funnet i Drops logger: beskriv')}`]),
        `- Fødselsnummer eller særlige kategorier (art. 9): ${b('ja/nei (fødselsnummer lagres kryptert: ble nøkkelen berørt?)')}`,
        ...report.caveats.map((caveat) => `- Merk: ${caveat}`),
        '',
        '## 4. Sannsynlige konsekvenser for de registrerte',
        '- Mulige følger: målrettet svindel (phishing) i Drops navn, misbruk av kontakt- og kontoopplysninger, innsyn i overføringer.',
        `- Vurdering av risiko: ${b('lav / risiko / høy risiko, og hvorfor')}`,
        '',
        '## 5. Tiltak',
        `- Tiltak som er gjennomført: ${b('for eksempel tilbakekalte økter (UPDATE sessions SET revoked = 1 …), roterte nøkler og passord, sikret logger og øyeblikksbilde av databasen')}`,
        `- Tiltak som er planlagt for å begrense skade og hindre gjentakelse: ${b('tiltak og frist')}`,
        '',
        '## 6. Informasjon til de registrerte (art. 34)',
        `- Er eller blir de berørte kundene varslet: ${b('ja (når og hvordan) / nei (hvorfor ikke)')}`,
        '- Utkast: `drop incident notice --to customers --affected FIL`.',
        '',
        '## 7. Grenseoverskridende behandling',
        `- Berører bruddet registrerte i andre EØS-land: ${b('ja/nei')}`,
      ]
    : [
        `# Personal data breach notification to Datatilsynet`,
        '',
        input.reference ? `Our reference: ${input.reference}` : '',
        `Detected: ${when(lang, input.detectedAt)}. ${timing}`,
        "Submit it in Datatilsynet's breach notification form (Altinn). If not everything is known yet, send what is known now and the rest later (art. 33(4)).",
        '',
        '## 1. Controller and contact point',
        `- Organisation: ${input.controller.name}, org. no. ${input.controller.orgNumber}, ${input.controller.address}`,
        `- Contact point (data protection officer or other contact): ${input.contact ?? b('name, e-mail and phone')}`,
        '',
        '## 2. What happened',
        `- Description of the breach: ${b('what happened, and how')}`,
        `- Type of breach: ${b('confidentiality (unauthorised access), integrity (alteration) and/or availability (loss of access)')}`,
        how.length > 0 ? `- Known scope: ${how.join(', ')}.` : '',
        window ? `- ${window}` : '',
        `- When the breach started and ended: ${b('times, or "ongoing"')}`,
        `- How the breach was discovered: ${b('for example a monitoring alarm, a customer enquiry')}`,
        '',
        '## 3. Whom and what data the breach concerns',
        '- Categories of data subjects: customers (individuals sending money with Drop).',
        `- Approximate number of data subjects: ${report.counts.users}`,
        `- Approximate number of records concerned: ${report.counts.sessions} sign-in sessions and ${report.counts.records} audited events`,
        '- Categories of personal data:',
        ...(categoryLines.length > 0 ? categoryLines : [`  - ${b("none found in Drop's logs: describe")}`]),
        `- National identity numbers or special categories (art. 9): ${b('yes/no (national ids are stored encrypted: was the key affected?)')}`,
        ...report.caveats.map((caveat) => `- Note: ${caveat}`),
        '',
        '## 4. Likely consequences for the data subjects',
        "- Possible consequences: targeted fraud (phishing) in Drop's name, misuse of contact and account details, exposure of transfers.",
        `- Risk assessment: ${b('low / risk / high risk, and why')}`,
        '',
        '## 5. Measures',
        `- Measures taken: ${b('for example revoked sessions (UPDATE sessions SET revoked = 1 …), rotated keys and passwords, preserved logs and a database snapshot')}`,
        `- Measures planned to mitigate harm and prevent recurrence: ${b('measures and dates')}`,
        '',
        '## 6. Informing the data subjects (art. 34)',
        `- Are or will the affected customers be informed: ${b('yes (when and how) / no (why not)')}`,
        '- Draft: `drop incident notice --to customers --affected FILE`.',
        '',
        '## 7. Cross-border processing',
        `- Does the breach concern data subjects in other EEA countries: ${b('yes/no')}`,
      ];
  return `${lines.filter((line, index, all) => line !== '' || all[index - 1] !== '').join('\n')}\n`;
}

export interface CustomerNoticeInput {
  lang: NoticeLanguage;
  customerName?: string | undefined;
  /** The customer-facing categories of their data involved (compliance records are dropped here). */
  categories: readonly DataCategory[];
  whatHappened?: string | undefined;
  whatWeDid?: string | undefined;
  /** Where customers ask questions, e.g. "personvern@getdrop.no". */
  contact?: string | undefined;
}

export interface RenderedCustomerNotice {
  subject: string;
  /** Plain text: the e-mail's text part and the Markdown preview (headings as `## `). */
  text: string;
  html: string;
}

interface Section {
  heading: string;
  paragraphs: string[];
}

/** The notice to one customer (art. 34), in plain language. Blanks stay marked when a text is not given. */
export function renderCustomerNotice(input: CustomerNoticeInput): RenderedCustomerNotice {
  const { lang } = input;
  const nb = lang === 'nb';
  for (const [label, text] of [
    ['--what-happened', input.whatHappened],
    ['--what-we-did', input.whatWeDid],
    ['--contact', input.contact],
  ] as const) {
    if (text) assertNothingAmlIn(label, text);
  }
  const categories = customerFacingCategories(input.categories);
  const dataList = (categories.length > 0 ? categories : (['other'] as const)).map((category) => CATEGORY_TEXT[lang][category]);
  const name = input.customerName ? oneLine(input.customerName) : '';
  const contact = input.contact
    ? oneLine(input.contact)
    : blank(lang, nb ? 'e-post eller telefon for spørsmål' : 'e-mail or phone for questions');
  const sections: Section[] = nb
    ? [
        {
          heading: 'Hva skjedde',
          paragraphs: [input.whatHappened ?? blank(lang, 'kort og enkelt: hva skjedde, og når')],
        },
        { heading: 'Hvilke opplysninger om deg det gjelder', paragraphs: dataList.map((text) => `- ${text}`) },
        {
          heading: 'Hva vi har gjort',
          paragraphs: [input.whatWeDid ?? blank(lang, 'for eksempel: vi logget ut alle berørte innlogginger og stengte hullet')],
        },
        {
          heading: 'Hva du bør gjøre',
          paragraphs: [
            '- Vær ekstra på vakt mot uventede e-poster, SMS-er og telefoner som sier de kommer fra Drop. Drop ber deg aldri om BankID-koder, passord eller engangskoder.',
            '- Logg inn i Drop-appen med BankID og se over mottakerne og overføringene dine. Ser du noe du ikke kjenner igjen, ta kontakt med oss.',
            '- Du kan klage til Datatilsynet (datatilsynet.no) hvis du mener vi har behandlet opplysningene dine feil.',
          ],
        },
        { heading: 'Kontakt oss', paragraphs: [`Har du spørsmål, kontakt oss på ${contact}.`] },
      ]
    : [
        { heading: 'What happened', paragraphs: [input.whatHappened ?? blank(lang, 'short and simple: what happened, and when')] },
        { heading: 'Which of your details are involved', paragraphs: dataList.map((text) => `- ${text}`) },
        {
          heading: 'What we have done',
          paragraphs: [input.whatWeDid ?? blank(lang, 'for example: we signed out every affected session and closed the gap')],
        },
        {
          heading: 'What you should do',
          paragraphs: [
            '- Take extra care with unexpected e-mails, text messages and calls that claim to come from Drop. Drop never asks for your BankID codes, passwords or one-time codes.',
            '- Sign in to the Drop app with BankID and check your recipients and transfers. If you see anything you do not recognise, contact us.',
            '- You may complain to Datatilsynet, the Norwegian Data Protection Authority (datatilsynet.no), if you think we have handled your data wrongly.',
          ],
        },
        { heading: 'Contact us', paragraphs: [`If you have questions, contact us at ${contact}.`] },
      ];
  const subject = nb
    ? 'Viktig: et sikkerhetsbrudd kan ha berørt opplysningene dine hos Drop'
    : 'Important: a security breach may have affected your details at Drop';
  const greeting = nb ? (name ? `Hei ${name},` : 'Hei,') : name ? `Hi ${name},` : 'Hello,';
  const opening = nb
    ? 'Vi har hatt et sikkerhetsbrudd som kan ha gitt uvedkommende tilgang til noen av opplysningene dine. Vi beklager. Her er det du trenger å vite.'
    : 'We have had a security breach that may have given someone unauthorised access to some of your details. We are sorry. Here is what you need to know.';
  const signOff = nb ? ['Vennlig hilsen', 'Drop'] : ['Kind regards,', 'Drop'];
  const text = [
    greeting,
    '',
    opening,
    '',
    ...sections.flatMap((section) => [`## ${section.heading}`, '', ...section.paragraphs, '']),
    ...signOff,
    '',
  ].join('\n');
  const e = escapeHtml;
  const htmlSection = (section: Section) => {
    const bullets = section.paragraphs.every((paragraph) => paragraph.startsWith('- '));
    const body = bullets
      ? `<ul>${section.paragraphs.map((paragraph) => `<li>${e(paragraph.slice(2))}</li>`).join('')}</ul>`
      : section.paragraphs.map((paragraph) => `<p>${e(paragraph)}</p>`).join('\n');
    return `<h2 style="font-size:18px;margin:24px 0 8px;">${e(section.heading)}</h2>\n${body}`;
  };
  const html = `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(subject)}</title></head>
<body style="font-family:-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif;font-size:16px;line-height:1.5;color:#1f2328;max-width:560px;margin:0 auto;padding:24px;">
<p style="font-size:22px;font-weight:700;">Drop</p>
<p>${e(greeting)}</p>
<p>${e(opening)}</p>
${sections.map(htmlSection).join('\n')}
<p>${e(signOff[0] ?? '')}<br>${e(signOff[1] ?? '')}</p>
</body>
</html>
`;
  return { subject, text, html };
}
