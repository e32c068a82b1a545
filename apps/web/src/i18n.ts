import { type Locale, LocaleProvider, useLocale } from '@drop/web-common';
import { createElement, type ReactNode } from 'react';

export { LOCALES, type Locale } from '@drop/web-common';

const nb = {
  documentTitle: 'Drop – send penger fra Norge',
  skipToContent: 'Hopp til innhold',
  homeLink: 'Drop, til forsiden',
  nav: 'Hovedmeny',
  navHow: 'Slik fungerer det',
  navWhy: 'Hvorfor Drop',
  navStatus: 'Driftsstatus',
  language: 'Språk',
  languageName: { nb: 'Norsk', en: 'English' },

  heroEyebrow: 'Pengeoverføring fra Norge',
  heroTitle: 'Send penger til utlandet. Du vet hva det koster.',
  heroLead:
    'Med Drop ser du kursen og gebyret før du betaler. Kursen låses mens du fullfører, og du følger overføringen helt til mottakeren har fått pengene.',
  heroPoints: ['Låst kurs, ingen overraskelser', 'Gebyret vises før du betaler', 'Sikker innlogging med BankID'],
  heroNote: 'Drop er under utvikling. Innlogging med BankID kommer snart.',
  heroStatusLink: 'Se driftsstatus',

  exampleLabel: 'Eksempel',
  exampleTitle: 'Overføring til Polen',
  exampleYouSend: 'Du sender',
  exampleFee: 'Gebyr',
  exampleRate: 'Låst kurs',
  exampleRateValid: 'gyldig i 30 min',
  exampleTheyGet: 'Mottaker får',
  exampleSteps: ['Tilbud låst', 'Betaling mottatt', 'Sendt til banken', 'Utbetalt'],
  exampleCaption: 'Illustrasjon. Kurser og gebyrer vises i appen før du betaler.',

  howTitle: 'Slik fungerer det',
  howSteps: [
    { title: 'Logg inn med BankID', text: 'Vi bekrefter hvem du er én gang, slik loven krever for pengeoverføring.' },
    { title: 'Få et tilbud', text: 'Skriv inn beløpet i kroner. Du ser kurs, gebyr og hva mottakeren får, og kursen er låst.' },
    { title: 'Betal og følg med', text: 'Betal med bankoverføring. Du ser hvert steg til pengene er utbetalt.' },
  ],

  whyTitle: 'Hvorfor Drop',
  whyItems: [
    { title: 'Åpne priser', text: 'Ett tydelig gebyr og kursen vi bruker. Det du ser, er det du betaler.' },
    { title: 'Låst kurs', text: 'Kursen endrer seg ikke mens du betaler, selv om markedet gjør det.' },
    { title: 'Full oversikt', text: 'Kvitteringer for hver overføring, og du kan laste ned alle dataene dine.' },
  ],

  statusTitle: 'Driftsstatus',
  statusIntro: 'Vi viser åpent hvordan tjenesten har det akkurat nå. Siden oppdateres automatisk.',
  statusChecking: 'Sjekker status …',
  statusOk: 'Alle systemer fungerer',
  statusDown: 'Driftsforstyrrelse',
  statusDownDetail: 'Databasen svarer ikke. Vi jobber med saken.',
  statusUnreachable: 'Får ikke kontakt med Drop',
  statusUnreachableDetail: 'Sjekk internettforbindelsen din, eller prøv igjen om litt.',
  statusApi: 'Tjeneste',
  statusDatabase: 'Database',
  statusVersion: 'Versjon',
  statusUptime: 'Oppetid',
  statusLatency: 'Svartid',
  statusComponentOk: 'I drift',
  statusComponentDown: 'Nede',
  statusUnknown: 'Ukjent',
  statusRetry: 'Sjekk på nytt',
  statusRetrying: 'Sjekker …',
  statusCheckedAt: (time: string) => `Sist sjekket ${time}`,

  footerTagline: 'Send penger fra Norge – med låst kurs og synlig gebyr.',
  footerDevNote: 'Drop er under utvikling. Det kan ikke sendes penger ennå.',
  footerProduct: 'Produkt',
  footerDevelopers: 'For utviklere',
  footerApiDocs: 'API-dokumentasjon',
  footerHealth: 'Helsesjekk (JSON)',
  footerRights: (year: number) => `© ${year} Drop`,
};

export type Messages = typeof nb;

const en: Messages = {
  documentTitle: 'Drop – send money from Norway',
  skipToContent: 'Skip to content',
  homeLink: 'Drop, home',
  nav: 'Main menu',
  navHow: 'How it works',
  navWhy: 'Why Drop',
  navStatus: 'Service status',
  language: 'Language',
  languageName: { nb: 'Norsk', en: 'English' },

  heroEyebrow: 'Money transfers from Norway',
  heroTitle: 'Send money abroad. Know exactly what it costs.',
  heroLead:
    'With Drop you see the rate and the fee before you pay. The rate is locked while you finish, and you can follow the transfer until your recipient has the money.',
  heroPoints: ['A locked rate, no surprises', 'The fee is shown before you pay', 'Secure sign-in with BankID'],
  heroNote: 'Drop is in development. Sign-in with BankID is coming soon.',
  heroStatusLink: 'See service status',

  exampleLabel: 'Example',
  exampleTitle: 'Transfer to Poland',
  exampleYouSend: 'You send',
  exampleFee: 'Fee',
  exampleRate: 'Locked rate',
  exampleRateValid: 'valid for 30 min',
  exampleTheyGet: 'Recipient gets',
  exampleSteps: ['Quote locked', 'Payment received', 'Sent to the bank', 'Paid out'],
  exampleCaption: 'Illustration. Rates and fees are shown in the app before you pay.',

  howTitle: 'How it works',
  howSteps: [
    { title: 'Sign in with BankID', text: 'We confirm who you are once, as the law requires for money transfers.' },
    {
      title: 'Get a quote',
      text: 'Enter the amount in kroner. You see the rate, the fee and what your recipient gets, and the rate is locked.',
    },
    { title: 'Pay and follow along', text: 'Pay by bank transfer. You see every step until the money is paid out.' },
  ],

  whyTitle: 'Why Drop',
  whyItems: [
    { title: 'Open pricing', text: 'One clear fee and the rate we use. What you see is what you pay.' },
    { title: 'Locked rate', text: 'The rate does not move while you pay, even if the market does.' },
    { title: 'Full overview', text: 'A receipt for every transfer, and you can download all of your data.' },
  ],

  statusTitle: 'Service status',
  statusIntro: 'We show openly how the service is doing right now. This page refreshes automatically.',
  statusChecking: 'Checking status …',
  statusOk: 'All systems operational',
  statusDown: 'Service disruption',
  statusDownDetail: 'The database is not responding. We are working on it.',
  statusUnreachable: 'Cannot reach Drop',
  statusUnreachableDetail: 'Check your internet connection, or try again in a moment.',
  statusApi: 'Service',
  statusDatabase: 'Database',
  statusVersion: 'Version',
  statusUptime: 'Uptime',
  statusLatency: 'Response time',
  statusComponentOk: 'Operational',
  statusComponentDown: 'Down',
  statusUnknown: 'Unknown',
  statusRetry: 'Check again',
  statusRetrying: 'Checking …',
  statusCheckedAt: (time: string) => `Last checked ${time}`,

  footerTagline: 'Send money from Norway – with a locked rate and a visible fee.',
  footerDevNote: 'Drop is in development. No money can be sent yet.',
  footerProduct: 'Product',
  footerDevelopers: 'For developers',
  footerApiDocs: 'API reference',
  footerHealth: 'Health check (JSON)',
  footerRights: (year: number) => `© ${year} Drop`,
};

export const MESSAGES: Record<Locale, Messages> = { nb, en };

const documentTitle = (locale: Locale) => MESSAGES[locale].documentTitle;

/** The language provider for this app: the shared locale state, remembered under its own key. */
export function I18nProvider(props: { children: ReactNode }): ReactNode {
  return createElement(LocaleProvider, { storageKey: 'drop.locale', title: documentTitle }, props.children);
}

/** The current language, its messages, and the way to change it. */
export function useI18n() {
  const { locale, setLocale } = useLocale();
  return { locale, setLocale, t: MESSAGES[locale] };
}
