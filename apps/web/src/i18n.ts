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
  heroNote: 'Du trenger BankID med kodebrikke, app eller BankID på mobil. Det tar under ett minutt.',

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

  // Signing in and out
  signIn: 'Logg inn med BankID',
  signInShort: 'Logg inn',
  myAccount: 'Min side',
  signInOutcomes: {
    cancelled: {
      title: 'Innloggingen ble avbrutt',
      text: 'Du avbrøt innloggingen hos BankID. Ingenting er endret – du kan prøve igjen når du vil.',
    },
    expired: {
      title: 'Innloggingen tok for lang tid',
      text: 'Av sikkerhetshensyn må innloggingen fullføres innen ti minutter. Prøv igjen.',
    },
    failed: {
      title: 'Innloggingen mislyktes',
      text: 'Noe gikk galt under innloggingen med BankID. Prøv igjen om litt.',
    },
    auth_level_too_low: {
      title: 'Du må bruke BankID med kodebrikke, app eller BankID på mobil',
      text: 'Fordi du skal sende penger, krever Drop det høyeste sikkerhetsnivået i BankID (LOA 4). Innlogging med biometri (fingeravtrykk eller ansikt) holder ikke. Prøv igjen, og velg BankID med kodebrikke/app eller BankID på mobil.',
    },
    account_blocked: {
      title: 'Kontoen din er sperret',
      text: 'Du kan ikke logge inn på Drop akkurat nå. Kontakt kundeservice, så hjelper vi deg.',
    },
  },
  farewells: {
    signedOut: { title: 'Du er logget ut', text: 'Takk for besøket. Lukk nettleseren hvis du bruker en delt datamaskin.' },
    signedOutEverywhere: { title: 'Du er logget ut overalt', text: 'Alle innlogginger på Drop er avsluttet, også på andre enheter.' },
    sessionEnded: { title: 'Du er ikke logget inn', text: 'Økten din er avsluttet eller utløpt. Logg inn med BankID for å fortsette.' },
  },
  tryAgain: 'Prøv igjen',
  dismiss: 'Lukk meldingen',

  // Signed-in area
  accountNav: 'Min side',
  accountHomeLink: 'Drop, til Min side',
  navOverview: 'Oversikt',
  navSessions: 'Innlogginger',
  signOut: 'Logg ut',
  signOutEverywhere: 'Logg ut overalt',
  signingOut: 'Logger ut …',
  signedInAs: (name: string) => `Logget inn som ${name}`,
  loading: 'Henter opplysningene dine …',
  loadFailedTitle: 'Vi fikk ikke hentet opplysningene dine',
  loadFailedText: 'Sjekk internettforbindelsen din, eller prøv igjen om litt.',
  actionFailed: 'Det gikk ikke. Prøv igjen om litt.',

  homeTitle: 'Min side',
  greeting: (name: string) => `Hei, ${name}!`,
  greetingAnonymous: 'Hei!',
  homeLead: 'Velkommen til Drop. Her ser du kontoen din og hva som er neste steg.',

  profileTitle: 'Profil',
  profileName: 'Navn',
  profileBirthDate: 'Fødselsdato',
  profileCustomerId: 'Kundenummer',
  profileSince: 'Kunde siden',
  profileSource: 'Navn og fødselsdato kommer fra BankID.',
  unknownValue: 'Ikke oppgitt',

  kycTitle: 'Identitetskontroll',
  kycStatus: {
    not_started: 'Ikke startet',
    pending: 'Til behandling',
    approved: 'Verifisert',
    rejected: 'Ikke godkjent',
    retry: 'Trenger mer informasjon',
    on_hold: 'Til manuell vurdering',
  },
  kycHeadline: {
    not_started: 'Bekreft identiteten din',
    pending: 'Vi sjekker dokumentene dine',
    approved: 'Du kan sende penger',
    rejected: 'Vi kunne ikke bekrefte identiteten din',
    retry: 'Vi trenger litt mer fra deg',
    on_hold: 'Saken din vurderes manuelt',
  },
  kycText: {
    not_started:
      'Før du kan sende penger, må vi som betalingsforetak vite hvem du er og hva pengene skal brukes til (hvitvaskingsloven). Det tar omtrent fem minutter.',
    pending: 'Vi går gjennom dokumentene dine. Som regel tar det bare noen minutter.',
    approved: 'Identiteten din er bekreftet. Du kan sende penger innenfor grensene dine.',
    rejected: 'Vi kan dessverre ikke tilby deg Drop. Kontakt kundeservice hvis du har spørsmål.',
    retry: 'Noe av det du sendte inn, må sendes på nytt. Det tar bare et par minutter.',
    on_hold: 'En saksbehandler ser på saken din. Du ser svaret her så snart vi er ferdige.',
  },
  kycCardAction: {
    not_started: 'Bekreft identiteten',
    pending: 'Se status',
    approved: 'Se grensene dine',
    rejected: 'Les mer',
    retry: 'Se hva som mangler',
    on_hold: 'Se status',
  },
  onboardingSteps: ['Logg inn med BankID', 'Bekreft identiteten din', 'Send din første overføring'],
  onboardingLabel: 'Kom i gang',

  // The identity check page, /kyc
  navKyc: 'Identitet',
  kycPageTitle: 'Identitetskontroll',
  kycLead: {
    not_started:
      'Som betalingsforetak må Drop vite hvem kundene er før de kan sende penger (hvitvaskingsloven). Du gjør det én gang, og det tar omtrent fem minutter.',
    pending: 'Takk! Vi har fått dokumentene dine og går gjennom dem nå. Som regel tar det bare noen minutter.',
    approved: 'Identiteten din er bekreftet. Her ser du hvor mye du kan sende, og hvor mye du har brukt.',
    rejected: 'Vi kan dessverre ikke tilby deg Drop. Avgjørelsen er endelig.',
    retry: 'Vi fikk ikke bekreftet identiteten din med det du sendte inn. Les hva som må rettes, og prøv igjen.',
    on_hold: 'En saksbehandler ser på saken din. Du trenger ikke gjøre noe – svaret kommer her, vanligvis innen 1–2 virkedager.',
  },
  kycHowTitle: 'Slik foregår det',
  kycHowSteps: [
    { title: 'Ha legitimasjonen klar', text: 'Pass, nasjonalt ID-kort eller førerkort.' },
    { title: 'Ta bilder', text: 'Av legitimasjonen og av deg selv, så vi ser at det er deg.' },
    { title: 'Vi sjekker', text: 'Vanligvis i løpet av noen minutter. Du ser svaret her.' },
  ],
  kycStartButton: 'Start verifisering',
  kycStarting: 'Åpner verifiseringen …',
  kycProviderNote: 'Verifiseringen gjøres hos vår partner Sumsub. Du kommer tilbake hit når du er ferdig.',
  kycStartFailed: 'Vi fikk ikke startet verifiseringen. Prøv igjen om litt.',
  kycSdkUnavailable: 'Verifiseringen er ikke tilgjengelig akkurat nå. Prøv igjen senere.',
  kycCheckingTitle: 'Henter status …',
  kycCheckingText: 'Dette tar vanligvis bare et par sekunder.',
  kycCheckingHeadline: 'Et øyeblikk …',
  kycCheckingLead: 'Vi sjekker om dokumentene dine har kommet fram.',
  kycPendingTitle: 'Kontrollen er i gang',
  kycPendingText: 'Siden oppdaterer seg selv. Du kan også lukke den og komme tilbake senere.',
  kycReviewSteps: ['Dokumentene er sendt inn', 'Vi kontrollerer dokumentene', 'Du får svaret her'],
  kycOnHoldTitle: 'Til manuell vurdering',
  kycOnHoldText: 'Noen ganger må en av oss se på saken selv. Det betyr ikke at noe er galt.',
  kycCheckedAt: (time: string) => `Sist sjekket ${time}`,
  kycCheckNow: 'Sjekk nå',
  kycRetryTitle: 'Dette må du rette',
  kycRetryFallback: 'Noe av det du sendte inn, kunne ikke brukes. Prøv igjen med tydelige bilder i godt lys.',
  kycRetryButton: 'Prøv igjen',
  kycRejectedTitle: 'Avgjørelsen er endelig',
  kycRejectedText:
    'Vi kan ikke åpne en konto for deg, og du kan ikke sende penger med Drop. Av hensyn til regelverket kan vi ikke alltid si hvorfor. Har du spørsmål, kontakt kundeservice.',
  kycApprovedTitle: 'Identiteten din er bekreftet',
  kycApprovedText: 'Du kan sende penger innenfor grensene under.',
  limitsTitle: 'Grensene dine',
  limitsTier: (tier: number): string => (tier >= 2 ? 'Utvidede grenser' : 'Standardgrenser'),
  limitPerTransfer: 'Per overføring',
  limitThirtyDays: 'Siste 30 dager',
  limitTwelveMonths: 'Siste 12 måneder',
  limitUsed: (used: string, limit: string) => `${used} brukt av ${limit}`,
  limitLeft: (left: string) => `${left} igjen`,
  limitsNote: 'Grensene gjelder summen av overføringene dine i perioden.',
  sofTitle: 'Kilde til midler',
  sofText:
    'Skal du sende større beløp? Fortell oss kort hvor pengene kommer fra, for eksempel lønn, sparepenger eller salg av noe. Da kan vi gi deg høyere grenser. Hvitvaskingsloven krever at vi spør.',
  sofLabel: 'Hvor kommer pengene du sender, fra?',
  sofPlaceholder: 'For eksempel: lønn fra jobben min som sykepleier',
  sofHint: 'Minst 10 og høyst 500 tegn.',
  sofCount: (count: number) => `${count} av 500 tegn`,
  sofSubmit: 'Send svaret',
  sofSending: 'Sender …',
  sofTooShort: 'Skriv litt mer – minst 10 tegn.',
  sofFailed: 'Vi fikk ikke lagret svaret. Prøv igjen om litt.',
  sofDoneTitle: 'Kilde til midler er oppgitt',
  sofDoneText: 'Takk! Du har fortalt oss hvor pengene kommer fra.',
  sofSaved: 'Takk! Svaret ditt er lagret.',
  kycWhyTitle: 'Hvorfor må vi vite hvem du er?',
  kycWhyText:
    'Alle som sender penger med Drop, må bekrefte identiteten sin. Det krever hvitvaskingsloven, og det beskytter deg og pengene dine mot svindel.',
  kycWhyPoints: [
    'Du gjør det bare én gang',
    'Bildene brukes bare til å bekrefte hvem du er',
    'Opplysningene behandles etter personvernreglene',
  ],

  securityTitle: 'Innlogging og sikkerhet',
  securityText: 'Du er logget inn med BankID. Ser du en innlogging du ikke kjenner igjen, avslutter du den på én side.',
  securitySessionsLink: 'Se hvor du er logget inn',

  sessionsTitle: 'Innlogginger',
  sessionsEyebrow: 'Sikkerhet',
  sessionsLead:
    'Her er enhetene der du er logget inn på Drop akkurat nå. Kjenner du ikke igjen en innlogging, avslutter du den. Er du usikker, logg ut overalt.',
  sessionsListLabel: 'Aktive innlogginger',
  sessionsBack: 'Tilbake til Min side',
  sessionsCount: (count: number) => (count === 1 ? '1 aktiv innlogging' : `${count} aktive innlogginger`),
  thisDevice: 'Denne enheten',
  unknownDevice: 'Ukjent enhet',
  deviceName: (browser: string | undefined, os: string | undefined) =>
    browser && os ? `${browser} på ${os}` : (browser ?? os ?? 'Ukjent enhet'),
  signedInAt: 'Logget inn',
  lastActive: 'Sist aktiv',
  expires: 'Utløper',
  method: 'Metode',
  methods: { bid: 'BankID (kodebrikke/app)', bim: 'BankID på mobil', bis: 'BankID biometri' },
  endSession: 'Avslutt',
  endSessionLabel: (device: string) => `Avslutt innloggingen på ${device}`,
  ending: 'Avslutter …',
  sessionEndedNotice: (device: string) => `Innloggingen på ${device} er avsluttet.`,
  everywhereTitle: 'Logg ut på alle enheter',
  everywhereText: 'Avslutter alle innlogginger, også denne. Du må logge inn med BankID igjen etterpå.',
  everywhereConfirmTitle: 'Logge ut overalt?',
  everywhereConfirmText:
    'Alle innlogginger på Drop avsluttes, også på denne enheten. Bruk dette hvis du har mistet en enhet eller tror noen andre har brukt kontoen din.',
  everywhereConfirm: 'Ja, logg ut overalt',
  cancel: 'Avbryt',

  notFoundTitle: 'Fant ikke siden',
  notFoundText: 'Siden finnes ikke, eller den er flyttet.',
  notFoundBack: 'Til forsiden',

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
  heroNote: 'You need BankID with a code device, the app, or BankID on mobile. It takes less than a minute.',

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

  // Signing in and out
  signIn: 'Log in with BankID',
  signInShort: 'Log in',
  myAccount: 'My account',
  signInOutcomes: {
    cancelled: {
      title: 'Sign-in was cancelled',
      text: 'You cancelled the sign-in at BankID. Nothing has changed – you can try again whenever you like.',
    },
    expired: {
      title: 'Sign-in took too long',
      text: 'For your security, sign-in must be completed within ten minutes. Please try again.',
    },
    failed: {
      title: 'Sign-in failed',
      text: 'Something went wrong while signing in with BankID. Please try again in a moment.',
    },
    auth_level_too_low: {
      title: 'Please use BankID with a code device, the app, or BankID on mobile',
      text: 'Because you will be sending money, Drop requires the highest BankID security level (LOA 4). Signing in with biometrics (fingerprint or face) is not enough. Try again and choose BankID with a code device/app or BankID on mobile.',
    },
    account_blocked: {
      title: 'Your account is blocked',
      text: 'You cannot sign in to Drop right now. Please contact customer support and we will help you.',
    },
  },
  farewells: {
    signedOut: { title: 'You are logged out', text: 'Thanks for visiting. Close the browser if you are on a shared computer.' },
    signedOutEverywhere: { title: 'You are logged out everywhere', text: 'Every Drop sign-in has ended, on other devices too.' },
    sessionEnded: { title: 'You are not logged in', text: 'Your session has ended or expired. Log in with BankID to continue.' },
  },
  tryAgain: 'Try again',
  dismiss: 'Close message',

  // Signed-in area
  accountNav: 'My account',
  accountHomeLink: 'Drop, to my account',
  navOverview: 'Overview',
  navSessions: 'Sign-ins',
  signOut: 'Log out',
  signOutEverywhere: 'Log out everywhere',
  signingOut: 'Logging out …',
  signedInAs: (name: string) => `Logged in as ${name}`,
  loading: 'Loading your details …',
  loadFailedTitle: 'We could not load your details',
  loadFailedText: 'Check your internet connection, or try again in a moment.',
  actionFailed: 'That did not work. Please try again in a moment.',

  homeTitle: 'My account',
  greeting: (name: string) => `Hi, ${name}!`,
  greetingAnonymous: 'Hi!',
  homeLead: 'Welcome to Drop. Here is your account and what comes next.',

  profileTitle: 'Profile',
  profileName: 'Name',
  profileBirthDate: 'Date of birth',
  profileCustomerId: 'Customer number',
  profileSince: 'Customer since',
  profileSource: 'Your name and date of birth come from BankID.',
  unknownValue: 'Not provided',

  kycTitle: 'Identity check',
  kycStatus: {
    not_started: 'Not started',
    pending: 'In review',
    approved: 'Verified',
    rejected: 'Not approved',
    retry: 'More information needed',
    on_hold: 'Manual review',
  },
  kycHeadline: {
    not_started: 'Confirm your identity',
    pending: 'We are checking your documents',
    approved: 'You can send money',
    rejected: 'We could not confirm your identity',
    retry: 'We need a little more from you',
    on_hold: 'Your case is being reviewed',
  },
  kycText: {
    not_started:
      'Before you can send money, we are required as a payment institution to know who you are and what the money is for (Anti-Money Laundering Act). It takes about five minutes.',
    pending: 'We are reviewing your documents. It usually takes just a few minutes.',
    approved: 'Your identity is confirmed. You can send money within your limits.',
    rejected: 'Unfortunately we cannot offer you Drop. Please contact customer support if you have questions.',
    retry: 'Some of what you sent needs to be sent again. It only takes a couple of minutes.',
    on_hold: 'A case officer is looking at your case. You will see the answer here as soon as we are done.',
  },
  kycCardAction: {
    not_started: 'Confirm identity',
    pending: 'See status',
    approved: 'See your limits',
    rejected: 'Read more',
    retry: 'See what is missing',
    on_hold: 'See status',
  },
  onboardingSteps: ['Log in with BankID', 'Confirm your identity', 'Send your first transfer'],
  onboardingLabel: 'Getting started',

  // The identity check page, /kyc
  navKyc: 'Identity',
  kycPageTitle: 'Identity check',
  kycLead: {
    not_started:
      'As a payment institution, Drop must know who its customers are before they can send money (Anti-Money Laundering Act). You do it once, and it takes about five minutes.',
    pending: 'Thank you! We have your documents and are reviewing them now. It usually takes just a few minutes.',
    approved: 'Your identity is confirmed. Here is how much you can send, and how much you have used.',
    rejected: 'Unfortunately we cannot offer you Drop. The decision is final.',
    retry: 'We could not confirm your identity with what you sent. Read what needs fixing, and try again.',
    on_hold:
      'A case officer is looking at your case. You do not need to do anything – the answer comes here, usually within 1–2 working days.',
  },
  kycHowTitle: 'How it works',
  kycHowSteps: [
    { title: 'Have your ID ready', text: 'A passport, national ID card or driving licence.' },
    { title: 'Take photos', text: 'Of your ID and of yourself, so we can see it is you.' },
    { title: 'We check', text: 'Usually within a few minutes. You will see the answer here.' },
  ],
  kycStartButton: 'Start verification',
  kycStarting: 'Opening verification …',
  kycProviderNote: 'Verification is done by our partner Sumsub. You come back here when you are done.',
  kycStartFailed: 'We could not start the verification. Please try again in a moment.',
  kycSdkUnavailable: 'Verification is not available right now. Please try again later.',
  kycCheckingTitle: 'Getting your status …',
  kycCheckingText: 'This usually takes just a couple of seconds.',
  kycCheckingHeadline: 'One moment …',
  kycCheckingLead: 'We are checking whether your documents have arrived.',
  kycPendingTitle: 'The check is under way',
  kycPendingText: 'This page updates by itself. You can also close it and come back later.',
  kycReviewSteps: ['Your documents are sent', 'We check your documents', 'You get the answer here'],
  kycOnHoldTitle: 'Manual review',
  kycOnHoldText: 'Sometimes one of us needs to look at a case in person. It does not mean anything is wrong.',
  kycCheckedAt: (time: string) => `Last checked ${time}`,
  kycCheckNow: 'Check now',
  kycRetryTitle: 'What you need to fix',
  kycRetryFallback: 'Some of what you sent could not be used. Try again with clear photos in good light.',
  kycRetryButton: 'Try again',
  kycRejectedTitle: 'The decision is final',
  kycRejectedText:
    'We cannot open an account for you, and you cannot send money with Drop. For regulatory reasons we cannot always say why. If you have questions, please contact customer support.',
  kycApprovedTitle: 'Your identity is confirmed',
  kycApprovedText: 'You can send money within the limits below.',
  limitsTitle: 'Your limits',
  limitsTier: (tier: number) => (tier >= 2 ? 'Extended limits' : 'Standard limits'),
  limitPerTransfer: 'Per transfer',
  limitThirtyDays: 'Last 30 days',
  limitTwelveMonths: 'Last 12 months',
  limitUsed: (used: string, limit: string) => `${used} used of ${limit}`,
  limitLeft: (left: string) => `${left} left`,
  limitsNote: 'The limits apply to the total of your transfers in the period.',
  sofTitle: 'Source of funds',
  sofText:
    'Sending larger amounts? Tell us briefly where the money comes from, for example salary, savings or selling something. Then we can give you higher limits. The Anti-Money Laundering Act requires us to ask.',
  sofLabel: 'Where does the money you send come from?',
  sofPlaceholder: 'For example: salary from my job as a nurse',
  sofHint: 'At least 10 and at most 500 characters.',
  sofCount: (count: number) => `${count} of 500 characters`,
  sofSubmit: 'Send answer',
  sofSending: 'Sending …',
  sofTooShort: 'Write a little more – at least 10 characters.',
  sofFailed: 'We could not save your answer. Please try again in a moment.',
  sofDoneTitle: 'Source of funds provided',
  sofDoneText: 'Thank you! You have told us where the money comes from.',
  sofSaved: 'Thank you! Your answer is saved.',
  kycWhyTitle: 'Why do we need to know who you are?',
  kycWhyText:
    'Everyone who sends money with Drop must confirm their identity. The Anti-Money Laundering Act requires it, and it protects you and your money from fraud.',
  kycWhyPoints: [
    'You only do it once',
    'The photos are only used to confirm who you are',
    'Your details are handled under data protection law',
  ],

  securityTitle: 'Sign-in and security',
  securityText: 'You are logged in with BankID. If you see a sign-in you do not recognise, you can end it on one page.',
  securitySessionsLink: 'See where you are logged in',

  sessionsTitle: 'Sign-ins',
  sessionsEyebrow: 'Security',
  sessionsLead:
    'These are the devices where you are logged in to Drop right now. If you do not recognise a sign-in, end it. If you are unsure, log out everywhere.',
  sessionsListLabel: 'Active sign-ins',
  sessionsBack: 'Back to my account',
  sessionsCount: (count: number) => (count === 1 ? '1 active sign-in' : `${count} active sign-ins`),
  thisDevice: 'This device',
  unknownDevice: 'Unknown device',
  deviceName: (browser: string | undefined, os: string | undefined) =>
    browser && os ? `${browser} on ${os}` : (browser ?? os ?? 'Unknown device'),
  signedInAt: 'Logged in',
  lastActive: 'Last active',
  expires: 'Expires',
  method: 'Method',
  methods: { bid: 'BankID (code device/app)', bim: 'BankID on mobile', bis: 'BankID biometrics' },
  endSession: 'End',
  endSessionLabel: (device: string) => `End the sign-in on ${device}`,
  ending: 'Ending …',
  sessionEndedNotice: (device: string) => `The sign-in on ${device} has ended.`,
  everywhereTitle: 'Log out on all devices',
  everywhereText: 'Ends every sign-in, this one included. You will need to log in with BankID again afterwards.',
  everywhereConfirmTitle: 'Log out everywhere?',
  everywhereConfirmText:
    'Every Drop sign-in ends, on this device too. Use this if you have lost a device or think someone else has used your account.',
  everywhereConfirm: 'Yes, log out everywhere',
  cancel: 'Cancel',

  notFoundTitle: 'Page not found',
  notFoundText: 'The page does not exist, or it has moved.',
  notFoundBack: 'Go to the front page',

  footerTagline: 'Send money from Norway – with a locked rate and a visible fee.',
  footerDevNote: 'Drop is in development. No money can be sent yet.',
  footerProduct: 'Product',
  footerDevelopers: 'For developers',
  footerApiDocs: 'API reference',
  footerHealth: 'Health check (JSON)',
  footerRights: (year: number) => `© ${year} Drop`,
};

export const MESSAGES: Record<Locale, Messages> = { nb, en };

/**
 * The language provider for this app: the shared locale state, remembered under its own key. The
 * document title depends on the page as well, so the app sets it (see `usePageTitle`).
 */
export function I18nProvider(props: { children: ReactNode }): ReactNode {
  return createElement(LocaleProvider, { storageKey: 'drop.locale' }, props.children);
}

/** The current language, its messages, and the way to change it. */
export function useI18n() {
  const { locale, setLocale } = useLocale();
  return { locale, setLocale, t: MESSAGES[locale] };
}
