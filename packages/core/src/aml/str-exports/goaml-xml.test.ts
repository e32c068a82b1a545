/**
 * goAML XML against the real goAML 5.0.1 schema (xmllint compiled to WebAssembly): the sanctions
 * hit with two MXN transfers to Mexico, the PEP case and the activity report all validate; names
 * with æøå and & < > " ' survive the round trip exactly; the validator does reject a report with a
 * required element missing or a code outside the schema's lists (so a passing test means
 * something); text over the schema's lengths, unknown codes and odd characters are brought inside
 * it; and a property test renders generated documents and validates every one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type StrDocument, type StrPerson, strDocument } from '@drop/contracts';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { goamlSchemaErrors } from '../../../../../test/support/goaml-validate.ts';
import {
  activityDocument,
  DROP_REPORTER,
  MEXICAN_RECIPIENT,
  pepDocument,
  SANCTIONED_CUSTOMER,
  SUBMITTED_AT,
  sanctionsHitDocument,
} from '../../../../../test/support/str-documents.ts';
import { DomainError } from '../../errors.ts';
import { GOAML_COUNTRY_CODES, GOAML_CURRENCY_CODES } from './goaml-code-lists.ts';
import { renderGoamlXml } from './goaml-xml.ts';
import { GOAML_5_0_1_XSD } from './index.ts';

const render = (document: StrDocument) => renderGoamlXml({ document, reporter: DROP_REPORTER, submittedAt: SUBMITTED_AT });

// Elements that may repeat are always arrays, so the assertions read the same for one or many.
const parser = new XMLParser({
  parseTagValue: false,
  isArray: (name, jpath) =>
    ['transaction', 'report_party', 'indicator', 'phone', 'signatory'].includes(name) || String(jpath).endsWith('addresses.address'),
});
// biome-ignore lint/suspicious/noExplicitAny: a parsed XML tree is untyped; the schema check types it.
const parse = (xml: string): any => parser.parse(xml).report;

const assertValid = async (xml: string) => assert.deepEqual(await goamlSchemaErrors(xml), [], xml);

describe('goAML 5.0.1 XML', () => {
  it('the sanctions hit: two MXN transfers to Mexico from our customer, valid against the schema', async () => {
    const file = render(sanctionsHitDocument());
    assert.equal(file.fileName, 'DROP-STR-000012-goaml.xml');
    assert.equal(file.contentType, 'application/xml; charset=utf-8');
    await assertValid(file.body);

    const report = parse(file.body);
    assert.equal(report.rentity_id, '4711');
    assert.equal(report.submission_code, 'E');
    assert.equal(report.report_code, 'STR');
    assert.equal(report.entity_reference, 'DROP-STR-000012');
    assert.equal(report.currency_code_local, 'NOK');
    // 12:30 UTC on 6 December is 13:30 in Oslo (CET).
    assert.equal(report.submission_date, '2026-12-06T13:30:00');
    assert.equal(report.reporting_person.email, 'compliance@drop.example');
    assert.match(report.reason, /^Kunden ble 2\. desember 2026 truffet/);
    assert.match(report.reason, /Indikatorer \(Drops regler\): sanctions_match, large_transfer/);
    assert.match(report.reason, /UD\) er varslet 03\.12\.2026 kl\. 10:15/);
    assert.match(report.action, /holdt tilbake \(fryst\)/);
    assert.deepEqual(report.report_indicators.indicator, ['-']);

    assert.equal(report.transaction.length, 2);
    const [first, second] = report.transaction;
    assert.equal(first.transactionnumber, 'tx_01JF00000000000000000000A1');
    assert.equal(first.internal_ref_number, 'DROP-STR-000012');
    assert.equal(first.date_transaction, '2026-12-02T09:41:12');
    assert.equal(first.amount_local, '50000.00');
    assert.match(first.transaction_description, /status i Drop: held/);
    const from = first.t_from_my_client;
    assert.equal(from.from_person.first_name, 'Øystein "Øy" Æsir');
    assert.equal(from.from_person.last_name, "O'Brien & <Søn>");
    assert.equal(from.from_person.ssn, '14037112345');
    assert.equal(from.from_person.birthdate, '1971-03-14T00:00:00');
    assert.equal(from.from_person.passport_number, 'FH1234567');
    assert.equal(from.from_person.phones.phone[0].tph_country_prefix, '47');
    assert.equal(from.from_funds_comment, 'Innbetalt fra konto 12345678903');
    assert.equal(from.from_country, 'NO');
    assert.deepEqual(first.t_to.to_foreign_currency, {
      foreign_currency_code: 'MXN',
      foreign_amount: '86250.00',
      foreign_exchange_rate: '0.579710',
    });
    assert.equal(first.t_to.to_country, 'MX');
    assert.equal(first.t_to.to_account.swift, 'BNMXMXMM');
    assert.equal(first.t_to.to_account.account, '002180700123456789');
    assert.equal(first.t_to.to_account.signatory[0].t_person.last_name, 'Pérez Núñez');
    assert.equal(second.amount_local, '48000.00');
    assert.equal(second.t_to.to_foreign_currency.foreign_amount, '82800.00');

    // The recipient and the customer's company are reported parties as well; the customer is not repeated.
    const parties = report.activity.report_parties.report_party;
    assert.deepEqual(
      parties.map((party: { person?: { last_name: string }; entity?: { name: string } }) => party.person?.last_name ?? party.entity?.name),
      ['Pérez Núñez', 'Æsir Import & Eksport AS'],
    );
    assert.equal(parties[1].entity.incorporation_number, '987654321');
  });

  it('the PEP case: a customer without a national id is a plain t_person, the EUR account an IBAN', async () => {
    const file = render(pepDocument());
    await assertValid(file.body);
    const [transaction] = parse(file.body).transaction;
    // t_person_my_client requires the ssn Drop does not have here.
    assert.equal(transaction.t_from_my_client, undefined);
    assert.equal(transaction.t_from.from_person.last_name, 'Løvås');
    assert.equal(transaction.t_from.from_person.nationality1, 'SE');
    assert.equal(transaction.t_from.from_person.identification.comments, 'Nasjonalt ID-kort');
    assert.equal(transaction.t_to.to_account.iban, 'ES9121000418450200051332');
    assert.equal(transaction.t_to.to_foreign_currency.foreign_currency_code, 'EUR');
    assert.equal(parse(file.body).action, undefined);
  });

  it('activity without a transfer: a SAR with the persons as report parties', async () => {
    const file = render(activityDocument());
    await assertValid(file.body);
    const report = parse(file.body);
    assert.equal(report.report_code, 'SAR');
    assert.equal(report.transaction, undefined);
    const parties = report.activity.report_parties.report_party;
    assert.equal(parties.length, 2);
    assert.equal(parties[0].person.last_name, 'Nordmann-Ødegård');
    assert.equal(parties[0].person.ssn, '01019012345');
    assert.equal(parties[0].significance, '10');
    // No street: the city stands in for the address line the schema requires.
    assert.equal(parties[0].person.addresses.address[0].address, 'Bergen');
    assert.equal(parties[1].reason, 'Person hun forsøkte å registrere');
    assert.deepEqual(report.report_indicators.indicator, ['-']);
  });

  it('the validator rejects a report missing a required element, or with a code outside the lists', async () => {
    const valid = render(sanctionsHitDocument()).body;
    const withoutLocation = valid.replace(/<location>[\s\S]*?<\/location>\s*/, '');
    assert.notEqual(withoutLocation, valid);
    const missing = await goamlSchemaErrors(withoutLocation);
    assert.ok(
      missing.some((error) => /Element 'reason'.*Expected is \( location \)/s.test(error)),
      missing.join('\n'),
    );

    // Checked in one run with a valid report, the invalid one is still named.
    const batch = await goamlSchemaErrors([valid, withoutLocation]);
    assert.ok(batch.length > 0 && batch.every((error) => error.startsWith('report-2.xml')), batch.join('\n'));

    const badCountry = valid.replace('<to_country>MX</to_country>', '<to_country>ZZ</to_country>');
    const refused = await goamlSchemaErrors(badCountry);
    assert.ok(
      refused.some((error) => /to_country.*'ZZ'.*not an element of the set/s.test(error)),
      refused.join('\n'),
    );
  });

  it('brings over-long text, unknown codes, bad dates and control characters inside the schema', async () => {
    const document = sanctionsHitDocument();
    document.grounds = `${'Å'.repeat(9000)}\u0007`;
    document.persons[0] = { ...SANCTIONED_CUSTOMER, firstName: 'N'.repeat(150), birthDate: '1700-01-01', nationality: 'XK' };
    document.persons[1] = { ...MEXICAN_RECIPIENT, nationality: 'ZZ', phone: 'ring meg' };
    const [first, second] = document.transactions as [StrDocument['transactions'][number], StrDocument['transactions'][number]];
    document.transactions = [
      { ...first, foreign: { amount: '1000.00', currency: 'VES' }, recipient: { ...first.recipient, country: 'ZZ', bankBic: 'not a bic' } },
      { ...second, recipient: { ...second.recipient, account: null } },
    ];
    const file = render(document);
    await assertValid(file.body);
    const report = parse(file.body);
    assert.equal(Array.from(report.reason as string).length, 8000);
    assert.ok(report.reason.endsWith('…'));
    const [withVes, withoutAccount] = report.transaction;
    // A birth date before 1753 cannot be a my_client birthdate, so the customer is a plain t_person.
    assert.equal(withVes.t_from.from_person.first_name.length, 100);
    assert.equal(withVes.t_from.from_person.birthdate, undefined);
    assert.equal(withVes.t_to.to_foreign_currency, undefined);
    assert.equal(withVes.t_to.to_country, '-');
    assert.equal(withVes.t_to.to_account.institution_code, '-');
    assert.equal(withVes.t_to.to_account.signatory[0].t_person.nationality1, '-');
    assert.equal(withVes.t_to.to_account.signatory[0].t_person.phones.phone[0].tph_number, 'ring meg');
    assert.equal(withoutAccount.t_to.to_person.first_name, 'Juan Carlos');
  });

  it('refuses what cannot be a goAML report: nothing to report, a non-numeric rentity_id', () => {
    const empty = { ...activityDocument(), persons: [], companies: [] };
    assert.throws(
      () => render(empty),
      (error) => error instanceof DomainError && error.code === 'STR_EXPORT_NOT_APPLICABLE',
    );
    assert.throws(
      () => renderGoamlXml({ document: pepDocument(), reporter: { ...DROP_REPORTER, fiuEntityId: 'DROP' }, submittedAt: SUBMITTED_AT }),
      /numeric rentity_id/,
    );
  });

  it('the country and currency lists are exactly the schema enumerations', () => {
    const xsd = readFileSync(GOAML_5_0_1_XSD, 'utf8');
    const enumeration = (type: string) => {
      const body = new RegExp(`<xs:simpleType name="${type}">([\\s\\S]*?)</xs:simpleType>`).exec(xsd)?.[1] ?? '';
      return new Set([...body.matchAll(/value="([^"]*)"/g)].map((match) => match[1]).filter((code) => code !== '-'));
    };
    assert.deepEqual(new Set(GOAML_COUNTRY_CODES), enumeration('country_type'));
    assert.deepEqual(new Set(GOAML_CURRENCY_CODES), enumeration('currency_type'));
  });

  it('any valid document renders to schema-valid XML (property)', async () => {
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
    const wild = fc.string({ unit: 'binary', minLength: 1, maxLength: 300 });
    const country = fc.constantFrom('NO', 'SE', 'MX', 'PH', 'XK', 'ZZ', 'GB');
    const date = fc.date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true });
    const calendarDate = fc.oneof(
      date.map((d) => d.toISOString().slice(0, 10)),
      fc.constantFrom('2023-02-30', '1600-05-05'),
    );
    const amount = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 99 }))
      .map(([whole, cents]) => `${whole}.${String(cents).padStart(2, '0')}`);
    const address = fc.option(fc.record({ street: fc.option(text), postalCode: fc.option(text), city: fc.option(text), country }));
    const person: fc.Arbitrary<StrPerson> = fc.record({
      role: fc.constantFrom('subject' as const, 'connected' as const),
      customerId: fc.option(fc.constant('usr_01JF0000000000000000000009')),
      firstName: text,
      lastName: text,
      birthDate: fc.option(calendarDate),
      nationalId: fc.option(fc.stringMatching(/^\d{11}$/)),
      nationality: fc.option(country),
      address,
      phone: fc.option(fc.oneof(text, fc.constantFrom('+4791234567', '+52 55 1234 5678'))),
      email: fc.option(text),
      occupation: fc.option(text),
      employer: fc.option(wild),
      idDocument: fc.option(
        fc.record({
          type: fc.constantFrom('passport' as const, 'national_id_card' as const, 'drivers_licence' as const, 'other' as const),
          number: text,
          issuingCountry: country,
          expiresOn: fc.option(calendarDate),
        }),
      ),
      note: fc.option(wild),
    });
    const transaction = fc.record({
      id: fc.string({ minLength: 1, maxLength: 120 }),
      date: date.map((d) => d.toISOString()),
      direction: fc.constantFrom('sent' as const, 'received' as const),
      status: text,
      destinationCountry: country,
      description: wild,
      amountNok: amount,
      foreign: fc.option(fc.record({ amount, currency: fc.constantFrom('MXN', 'EUR', 'PHP', 'VES') })),
      sender: fc.record({ name: text, account: fc.option(text) }),
      recipient: fc.record({ name: text, account: fc.option(text), bankBic: fc.option(fc.constantFrom('BNMXMXMM', 'xx')), country }),
    });
    const company = fc.record({ name: text, orgNumber: fc.option(text), country: fc.option(country), address, note: fc.option(wild) });
    const document = fc
      .record({
        reference: fc.string({ maxLength: 30 }),
        reportType: fc.constantFrom('suspicious_transaction' as const, 'suspicious_activity' as const),
        grounds: wild,
        indicators: fc.array(fc.constantFrom('large_transfer', 'sanctions_match', 'structuring'), { maxLength: 3 }),
        actionTaken: fc.option(wild),
        sanctionsHit: fc.boolean(),
        mfaNotifiedAt: fc.option(date.map((d) => d.toISOString())),
        transactions: fc.array(transaction, { maxLength: 3 }),
        persons: fc.array(person, { minLength: 1, maxLength: 3 }),
        companies: fc.array(company, { maxLength: 2 }),
        attachments: fc.constant<StrDocument['attachments']>([]),
      })
      .filter((candidate) => strDocument.safeParse(candidate).success);

    // Five documents per xmllint run: compiling the 190 KB schema is most of the cost of a run.
    await fc.assert(
      fc.asyncProperty(fc.array(document, { minLength: 5, maxLength: 5 }), async (generated) => {
        const errors = await goamlSchemaErrors(generated.map((one) => render(one).body));
        assert.deepEqual(errors, []);
      }),
      { numRuns: 12 },
    );
  });
});
