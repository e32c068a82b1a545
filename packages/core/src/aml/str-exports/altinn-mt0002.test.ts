/**
 * The Altinn MT-0002 content: every one of ØKOKRIM's 14 items has its field and is filled from
 * the report (or marked missing when the report lacks it); the Norwegian text carries the same
 * content in the form's order, with æøå and & < > " ' as written; a sanctions hit says whether
 * UD has been notified.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StrDocument } from '@drop/contracts';
import {
  activityDocument,
  DROP_REPORTER,
  pepDocument,
  SUBMITTED_AT,
  sanctionsHitDocument,
} from '../../../../../test/support/str-documents.ts';
import { type AltinnMt0002Document, renderAltinnMt0002 } from './altinn-mt0002.ts';

const render = (document: StrDocument) => {
  const file = renderAltinnMt0002({ document, reporter: DROP_REPORTER, submittedAt: SUBMITTED_AT, filingReference: null });
  return { file, report: JSON.parse(file.body) as AltinnMt0002Document };
};

/** Reads a checklist field path ("content.transactions[].amountNok") from the report: one value per array element. */
function valuesAt(report: AltinnMt0002Document, path: string): unknown[] {
  const [head = '', ...alternatives] = path.split('/');
  const read = (field: string): unknown[] =>
    field.split('.').reduce<unknown[]>(
      (values, step) => {
        const key = step.replace('[]', '');
        const next = values.map((value) => (value as Record<string, unknown>)[key]);
        return step.endsWith('[]') ? next.flatMap((value) => value as unknown[]) : next;
      },
      [report],
    );
  const base = head.split('.').slice(0, -1).join('.');
  return [read(head), ...alternatives.map((field) => read(`${base}.${field}`))].flat();
}

describe('Altinn MT-0002 content', () => {
  it('the sanctions hit: all 14 items are present, in fields and in the Norwegian text, in the form order', () => {
    const { file, report } = render(sanctionsHitDocument());
    assert.equal(file.fileName, 'DROP-STR-000012-altinn-mt0002.json');
    assert.equal(file.contentType, 'application/json; charset=utf-8');
    assert.equal(report.form, 'MT-0002');
    assert.deepEqual(
      report.items.map((item) => [item.item, item.provided]),
      Array.from({ length: 14 }, (_, index) => [index + 1, true]),
    );
    // Every item points at a field that holds something.
    for (const item of report.items) {
      const values = valuesAt(report, item.field).filter((value) => value !== null && value !== undefined && value !== '');
      assert.ok(values.length > 0, `item ${item.item} (${item.field}) is empty`);
    }

    const [first] = report.content.transactions;
    assert.deepEqual(first, {
      reference: 'tx_01JF00000000000000000000A1',
      date: '2026-12-02T08:41:12Z',
      direction: 'sent',
      destinationCountry: 'MX',
      typePurposeDescription: 'Overføring til privatperson, oppgitt formål "familiestøtte"',
      amountNok: '50000.00',
      foreignAmount: { amount: '86250.00', currency: 'MXN' },
      status: 'held',
      carriedOut: false,
      sender: { name: 'Øystein "Øy" Æsir O\'Brien & <Søn>', account: '12345678903' },
      recipient: { name: 'Juan Carlos Pérez Núñez', account: '002180700123456789', bankBic: 'BNMXMXMM', country: 'MX' },
    });
    assert.equal(report.content.totalAmountNok, '98000.00');
    assert.deepEqual(
      report.content.implicatedPersons.map((person) => [person.lastName, person.nationalId, person.idDocument?.number]),
      [["O'Brien & <Søn>", '14037112345', 'FH1234567']],
    );
    assert.deepEqual(
      report.content.implicatedCompanies.map((company) => company.orgNumber),
      ['987654321'],
    );
    assert.deepEqual(
      report.content.otherConnectedPersons.map((person) => person.lastName),
      ['Pérez Núñez'],
    );
    assert.deepEqual(report.sanctions, {
      hit: true,
      mfaNotifiedAt: '2026-12-03T09:15:00Z',
      statement: 'Treff på sanksjonsliste. Utenriksdepartementet (UD) er varslet 03.12.2026 kl. 10:15.',
    });

    const text = report.text;
    const headings = [
      '## 1. Grunnlag for MT-rapporten',
      '## 2–8. Transaksjoner',
      '## 9–12. Involverte personer',
      '## 13. Involverte foretak',
      '## 14. Andre tilknyttede personer',
      '## Vedlegg',
    ];
    const positions = headings.map((heading) => text.indexOf(heading));
    assert.ok(
      positions.every((position) => position >= 0),
      positions.join(','),
    );
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
    for (const line of [
      'Vår referanse: DROP-STR-000012',
      'Utenriksdepartementet (UD) er varslet 03.12.2026 kl. 10:15.',
      'Tegn som må escapes: & < > " \'',
      '- 2. Transaksjonsreferanse: tx_01JF00000000000000000000A1',
      '- 3. Transaksjonsdato: 02.12.2026 kl. 09:41',
      '- 4. Retning: sendt (fra kunden til utlandet)',
      '- 5. Destinasjonsland: Mexico (MX)',
      '- 6. Type, formål og beskrivelse: pengeoverføring. Overføring til privatperson, oppgitt formål "familiestøtte". Status: holdt tilbake (ikke utbetalt) – ikke gjennomført.',
      '- 7. Beløp i NOK: 50 000,00',
      '- 8. Beløp i annen valuta: 86 250,00 MXN',
      'Sum for alle transaksjonene: NOK 98 000,00',
      '- 9. Navn: Øystein "Øy" Æsir (fornavn) O\'Brien & <Søn> (etternavn)',
      '- 10. Fødsels- og personnummer: 14037112345 (født 14.03.1971)',
      '- 11. Adresse: Storgata 7 & 9, 0155 Oslo, Norge (NO)',
      '- 11. Arbeid: Daglig leder, Æsir Import & Eksport AS',
      '- 11. Statsborgerskap: Norge (NO)',
      '- 12. Legitimasjon: Pass nr. FH1234567, utstedt av Norge (NO), gyldig til 01.05.2031',
      '- Organisasjonsnummer: 987654321',
      '- Adresse: Havnegata 3, 9008 Tromsø, Norge (NO)',
      '### Juan Carlos Pérez Núñez',
      '- Tilknytning: Mottaker av begge overføringene',
      '- kontoutskrift-nov-2026.pdf (application/pdf, 48213 byte)',
    ]) {
      assert.ok(text.includes(line), `the text lacks: ${line}\n\n${text}`);
    }
  });

  it('a sanctions hit before UD is notified says so', () => {
    const { report } = render({ ...sanctionsHitDocument(), mfaNotifiedAt: null });
    assert.equal(report.sanctions.statement, 'Treff på sanksjonsliste. Utenriksdepartementet (UD) er ennå ikke varslet.');
    assert.ok(report.text.includes('UD) er ennå ikke varslet'));
  });

  it('the PEP case: a missing national id is marked as not provided, not invented', () => {
    const { report } = render(pepDocument());
    const provided = Object.fromEntries(report.items.map((item) => [item.item, item.provided]));
    assert.equal(provided[10], false);
    assert.equal(provided[14], false);
    assert.equal(provided[13], true);
    assert.equal(report.sanctions.statement, null);
    assert.ok(report.text.includes('- 10. Fødsels- og personnummer: ikke kjent (født 30.09.1968)'));
    assert.ok(report.text.includes('Status: utbetalt til mottaker – gjennomført.'));
    assert.ok(!report.text.includes('Utenriksdepartementet'));
  });

  it('activity without a transfer: items 2–8 are marked missing and the text says why', () => {
    const { report } = render(activityDocument());
    assert.deepEqual(
      report.items.filter((item) => !item.provided).map((item) => item.item),
      [2, 3, 4, 5, 6, 7, 8, 12, 13],
    );
    assert.equal(report.reportType, 'suspicious_activity');
    assert.ok(report.text.includes('Ingen transaksjon: rapporten gjelder mistenkelig aktivitet uten overføring.'));
    assert.ok(report.text.includes('Rapporten gjelder: mistenkelig aktivitet'));
  });
});
