/**
 * The notice to the Ministry of Foreign Affairs: for a sanctions hit it names the listed person
 * and the list record, the frozen transfers and their total, when, and Drop's contact, in Norwegian
 * with an English summary line; it never mentions the report to ØKOKRIM; and asking for it on a
 * report without a sanctions hit is STR_EXPORT_NOT_APPLICABLE.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DROP_REPORTER, pepDocument, SUBMITTED_AT, sanctionsHitDocument } from '../../../../../test/support/str-documents.ts';
import { DomainError } from '../../errors.ts';
import { renderMfaNotice } from './mfa-notice.ts';
import { renderStrExport } from './render-str-export.ts';

const isNotApplicable = (error: unknown) => error instanceof DomainError && error.code === 'STR_EXPORT_NOT_APPLICABLE';

describe('notice to the Ministry of Foreign Affairs', () => {
  it('names the listed person, the record, the frozen transfers, when, and who to contact', () => {
    const file = renderMfaNotice({ document: sanctionsHitDocument(), reporter: DROP_REPORTER, submittedAt: SUBMITTED_AT });
    assert.equal(file.fileName, 'DROP-UD-000012-varsel-til-ud.txt');
    assert.equal(file.contentType, 'text/plain; charset=utf-8');
    const text = file.body;
    for (const line of [
      'Til: Utenriksdepartementet (UD), sanksjonsmyndigheten',
      'Dato: 06.12.2026',
      'Vår referanse: DROP-UD-000012',
      'MELDING OM FRYSING AV MIDLER – TREFF MOT SANKSJONSLISTE',
      'Summary (English): Drop AS has frozen 2 transfers totalling NOK 98,000.00 for Øystein "Øy" Æsir O\'Brien & <Søn>, ' +
        "who matches sanctions list record eu/eu-12345 (Øystein Æsir O'Brien), and reports this to the Ministry of Foreign " +
        'Affairs under the Norwegian sanctions rules.',
      'sanksjonsloven',
      "   Navn på listen: Øystein Æsir O'Brien",
      '   Liste og oppføring: EU, oppføring eu-12345, listeført 23.02.2024',
      '   Sanksjonsregime: EU.RUS',
      '   Fødselsnummer: 14037112345',
      '   - tx_01JF00000000000000000000A1, bestilt 02.12.2026 kl. 09:41: NOK 50 000,00 (86 250,00 MXN) til Juan Carlos Pérez Núñez, Mexico (MX)',
      '   - tx_01JF00000000000000000000A2, bestilt 02.12.2026 kl. 10:02: NOK 48 000,00 (82 800,00 MXN)',
      '   Sum fryst: NOK 98 000,00',
      '   Overføringene tx_01 og tx_02 er holdt tilbake (fryst) 2. desember 2026; kunden er sperret.',
      '   Første fryste overføring ble bestilt 02.12.2026 kl. 09:41.',
      '   Åse Bjørnstad, Hvitvaskingsansvarlig (compliance lead)',
      '   E-post: compliance@drop.example, telefon: +47 22 33 44 55',
    ]) {
      assert.ok(text.includes(line), `the notice lacks: ${line}\n\n${text}`);
    }
    // The report to the FIU is confidential: the notice names neither it nor ØKOKRIM.
    assert.doesNotMatch(text, /DROP-STR|ØKOKRIM|Økokrim|MT-rapport|mistenkelig/);
  });

  it('separates transfers already paid out from the frozen ones', () => {
    const document = sanctionsHitDocument();
    document.transactions = document.transactions.map((transaction, index) =>
      index === 1 ? { ...transaction, status: 'paid_out' } : transaction,
    );
    const text = renderMfaNotice({ document, reporter: DROP_REPORTER, submittedAt: SUBMITTED_AT }).body;
    assert.ok(text.includes('Sum fryst: NOK 50 000,00'), text);
    assert.ok(text.includes('Andre overføringer i saken (ikke holdt tilbake hos oss):'), text);
    assert.ok(text.includes('Status: utbetalt til mottaker.'), text);
    assert.ok(text.includes('has frozen 1 transfer totalling NOK 50,000.00'), text);
  });

  it('without the list record on file, says so instead of inventing one', () => {
    const document = { ...sanctionsHitDocument(), sanctionsMatches: undefined };
    const text = renderMfaNotice({ document, reporter: DROP_REPORTER, submittedAt: SUBMITTED_AT }).body;
    assert.ok(text.includes('Listeoppføringen er ikke registrert i saken'), text);
    assert.ok(text.includes('who matches a sanctions list record'), text);
  });

  it('is refused for a report without a sanctions hit', () => {
    assert.throws(() => renderMfaNotice({ document: pepDocument(), reporter: DROP_REPORTER, submittedAt: SUBMITTED_AT }), isNotApplicable);
    assert.throws(
      () => renderStrExport('mfa', { document: pepDocument(), reporter: DROP_REPORTER, submittedAt: SUBMITTED_AT }),
      isNotApplicable,
    );
  });
});
