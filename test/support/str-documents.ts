/**
 * Realistic STR documents for the export tests: a sanctions hit with two transfers to Mexico in
 * MXN, a PEP case, and a report on activity without a transfer. Names carry æøå and the
 * characters XML must escape (& < > " '), so every export is tested with them.
 */
import type { StrDocument, StrPerson, StrReporter } from '@drop/contracts';

export const DROP_REPORTER: StrReporter = {
  entityName: 'Drop AS',
  orgNumber: '929292929',
  fiuEntityId: '4711',
  address: { street: 'Karl Johans gate 1', postalCode: '0154', city: 'Oslo', country: 'NO' },
  person: {
    firstName: 'Åse',
    lastName: 'Bjørnstad',
    email: 'compliance@drop.example',
    phone: '+47 22 33 44 55',
    occupation: 'Hvitvaskingsansvarlig (compliance lead)',
  },
};

export const SUBMITTED_AT = new Date('2026-12-06T12:30:00Z');

export const SANCTIONED_CUSTOMER: StrPerson = {
  role: 'subject',
  customerId: 'usr_01JF0000000000000000000001',
  firstName: 'Øystein "Øy" Æsir',
  lastName: "O'Brien & <Søn>",
  birthDate: '1971-03-14',
  nationalId: '14037112345',
  nationality: 'NO',
  address: { street: 'Storgata 7 & 9', postalCode: '0155', city: 'Oslo', country: 'NO' },
  phone: '+47 912 34 567',
  email: 'oystein@example.no',
  occupation: 'Daglig leder',
  employer: 'Æsir Import & Eksport AS',
  idDocument: { type: 'passport', number: 'FH1234567', issuingCountry: 'NO', expiresOn: '2031-05-01' },
  note: null,
};

export const MEXICAN_RECIPIENT: StrPerson = {
  role: 'connected',
  customerId: null,
  firstName: 'Juan Carlos',
  lastName: 'Pérez Núñez',
  birthDate: null,
  nationalId: null,
  nationality: 'MX',
  address: { street: 'Avenida Reforma 222', postalCode: '06600', city: 'Ciudad de México', country: 'MX' },
  phone: '+52 55 1234 5678',
  email: null,
  occupation: null,
  employer: null,
  idDocument: null,
  note: 'Mottaker av begge overføringene',
};

export function sanctionsHitDocument(): StrDocument {
  return {
    reference: 'DROP-STR-000012',
    reportType: 'suspicious_transaction',
    grounds:
      'Kunden ble 2. desember 2026 truffet på EUs sanksjonsliste (oppføring eu-12345, "Øystein Æsir O\'Brien"). ' +
      'To overføringer til Mexico på til sammen NOK 98 000 ble stanset før utbetaling. Midlenes opprinnelse er ukjent; ' +
      'kunden har ikke svart på spørsmål om formålet. Tegn som må escapes: & < > " \'',
    indicators: ['sanctions_match', 'large_transfer'],
    actionTaken: 'Overføringene tx_01 og tx_02 er holdt tilbake (fryst) 2. desember 2026; kunden er sperret.',
    sanctionsHit: true,
    mfaNotifiedAt: '2026-12-03T09:15:00Z',
    sanctionsMatches: [
      {
        list: 'eu',
        recordKey: 'eu-12345',
        listedName: "Øystein Æsir O'Brien",
        matchedName: 'Øystein "Øy" Æsir O\'Brien & <Søn>',
        programmes: ['EU.RUS'],
        listedOn: '2024-02-23',
      },
    ],
    transactions: [
      {
        id: 'tx_01JF00000000000000000000A1',
        date: '2026-12-02T08:41:12Z',
        direction: 'sent',
        status: 'held',
        destinationCountry: 'MX',
        description: 'Overføring til privatperson, oppgitt formål "familiestøtte"',
        amountNok: '50000.00',
        foreign: { amount: '86250.00', currency: 'MXN' },
        sender: { name: 'Øystein "Øy" Æsir O\'Brien & <Søn>', account: '12345678903' },
        recipient: { name: 'Juan Carlos Pérez Núñez', account: '002180700123456789', bankBic: 'BNMXMXMM', country: 'MX' },
      },
      {
        id: 'tx_01JF00000000000000000000A2',
        date: '2026-12-02T09:02:00Z',
        direction: 'sent',
        status: 'held',
        destinationCountry: 'MX',
        description: 'Overføring til privatperson, oppgitt formål "gave"',
        amountNok: '48000.00',
        foreign: { amount: '82800.00', currency: 'MXN' },
        sender: { name: 'Øystein "Øy" Æsir O\'Brien & <Søn>', account: '12345678903' },
        recipient: { name: 'Juan Carlos Pérez Núñez', account: '002180700123456789', bankBic: 'BNMXMXMM', country: 'MX' },
      },
    ],
    persons: [SANCTIONED_CUSTOMER, MEXICAN_RECIPIENT],
    companies: [
      {
        name: 'Æsir Import & Eksport AS',
        orgNumber: '987654321',
        country: 'NO',
        address: { street: 'Havnegata 3', postalCode: '9008', city: 'Tromsø', country: 'NO' },
        note: 'Kundens eget selskap',
      },
    ],
    attachments: [
      {
        id: 'att_01',
        fileName: 'kontoutskrift-nov-2026.pdf',
        contentType: 'application/pdf',
        sizeBytes: 48213,
        sha256: 'a'.repeat(64),
      },
    ],
  };
}

/** A politically exposed customer sending an amount far above their stated income to Spain in EUR. */
export function pepDocument(): StrDocument {
  return {
    reference: 'DROP-STR-000013',
    reportType: 'suspicious_transaction',
    grounds:
      'Kunden er statsråd i et annet land (PEP). Overføringen på NOK 250 000 til en konto i Spania står ikke i forhold til oppgitt inntekt.',
    indicators: ['pep_match', 'large_transfer'],
    actionTaken: null,
    sanctionsHit: false,
    mfaNotifiedAt: null,
    transactions: [
      {
        id: 'tx_01JF00000000000000000000B1',
        date: '2026-11-20T15:00:00Z',
        direction: 'sent',
        status: 'paid_out',
        destinationCountry: 'ES',
        description: 'Kjøp av leilighet, oppgitt av kunden',
        amountNok: '250000.00',
        foreign: { amount: '21459.23', currency: 'EUR' },
        sender: { name: 'Ingrid Løvås', account: null },
        recipient: { name: 'Inmobiliaria Sol S.L.', account: 'ES9121000418450200051332', bankBic: 'CAIXESBBXXX', country: 'ES' },
      },
    ],
    persons: [
      {
        role: 'subject',
        customerId: 'usr_01JF0000000000000000000002',
        firstName: 'Ingrid',
        lastName: 'Løvås',
        birthDate: '1968-09-30',
        nationalId: null,
        nationality: 'SE',
        address: { street: 'Bygdøy allé 12', postalCode: '0262', city: 'Oslo', country: 'NO' },
        phone: '+46 70 123 45 67',
        email: null,
        occupation: null,
        employer: null,
        idDocument: { type: 'national_id_card', number: 'SE-ID-99887766', issuingCountry: 'SE', expiresOn: null },
        note: 'PEP: statsråd',
      },
    ],
    companies: [
      {
        name: 'Inmobiliaria Sol S.L.',
        orgNumber: 'B12345678',
        country: 'ES',
        address: null,
        note: 'Mottaker (eiendomsmegler)',
      },
    ],
    attachments: [],
  };
}

/** Activity without a transfer: a customer who tried to open accounts for others. */
export function activityDocument(): StrDocument {
  return {
    reference: 'DROP-STR-000014',
    reportType: 'suspicious_activity',
    grounds: 'Kunden forsøkte tre ganger å registrere nye brukere med andres BankID i nærvær, og oppga at hun "hjelper venner".',
    indicators: [],
    actionTaken: 'Kundeforholdet er avsluttet 1. desember 2026.',
    sanctionsHit: false,
    mfaNotifiedAt: null,
    transactions: [],
    persons: [
      {
        role: 'subject',
        customerId: 'usr_01JF0000000000000000000003',
        firstName: 'Kari',
        lastName: 'Nordmann-Ødegård',
        birthDate: '1990-01-01',
        nationalId: '01019012345',
        nationality: 'NO',
        address: { street: null, postalCode: null, city: 'Bergen', country: 'NO' },
        phone: null,
        email: 'kari@example.no',
        occupation: 'Student',
        employer: null,
        idDocument: null,
        note: null,
      },
      {
        role: 'connected',
        customerId: null,
        firstName: 'Per',
        lastName: 'Hansen',
        birthDate: null,
        nationalId: null,
        nationality: null,
        address: null,
        phone: null,
        email: null,
        occupation: null,
        employer: null,
        idDocument: null,
        note: 'Person hun forsøkte å registrere',
      },
    ],
    companies: [],
    attachments: [],
  };
}
