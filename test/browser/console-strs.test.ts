/**
 * STRs in the console, in a real Chromium against a real server: a compliance officer drafts an
 * STR from a case (the case row written in SQL, as the case screens will), picks the case's
 * transfer and adds a connected person, and submits it; their own approval is refused, in the page
 * (the buttons disabled with the reason beside them) and by the API (403); a compliance lead, in
 * another browser and in English, sees it waiting on the overview and returns it with a note; the
 * officer edits the draft and submits it again; the lead approves it and files it with Altinn's
 * receipt, the filed row is what the runbook's INSERT writes, and its goAML export (a
 * real download) validates against the 5.0.1 schema.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createNationalIdProtector } from '../../packages/core/src/identity/national-id.ts';
import { SequenceKidAllocator } from '../../packages/core/src/payments/kid-allocator.ts';
import { goamlSchemaErrors } from '../support/goaml-validate.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../support/money.ts';
import { newStaffMember } from '../support/staff.ts';
import { alertInCase, openCase } from '../support/str-cases.ts';
import { ConsoleStrs } from './pages/console-strs.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';
/** A synthetic fødselsnummer with valid control digits. */
const FNR = '01129955131';

describe('console: suspicious-transaction reports', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('an officer drafts an STR from a case and submits it; they cannot approve it; a lead approves and files it', async () => {
    const pool = bed.database.pool;
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const kari = await verifiedCustomer(pool, 2);
    const nationalIds = createNationalIdProtector(DATA_KEY);
    await pool.query(
      `UPDATE users SET given_name = 'Kari', family_name = 'Nordmann', birth_date = '1999-12-01', national_id_ciphertext = $2 WHERE id = $1`,
      [kari.userId, nationalIds.encrypt(FNR)],
    );
    const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
    const transfer = await makeTransfer(pool, { ...kari, nok: 48_000, rates, kids });

    const first = await visitApp(bed, ConsoleStrs, { viewport: WIDE_DESKTOP });
    const second = await visitApp(bed, ConsoleStrs, { viewport: WIDE_DESKTOP, acceptDownloads: true });
    try {
      const officer = await newStaffMember(pool, { role: 'compliance_officer', name: 'Oda Offiser', dataEncryptionKey: DATA_KEY });
      const app = first.app;
      await app.enrolAndSignIn({ ...officer, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      const officerId = (await pool.query('SELECT id FROM staff WHERE email = $1', [officer.email])).rows[0].id as string;
      const caseId = await openCase(pool, { userId: kari.userId, openedBy: officerId, title: 'Store overføringer til Tyskland' });
      await alertInCase(pool, { caseId, userId: kari.userId, rule: 'large_transfer', transactionId: transfer.id });

      // The STRs section is real now: in the sidebar, not "coming soon".
      assert.ok((await app.navLinks()).includes('STR-rapporter'));

      await app.openDraft(caseId);
      await app.waitForHeading('Ny STR fra sak');
      assert.equal(await app.transferChoices().count(), 1);
      assert.equal(await app.transferChoices().first().isChecked(), true, 'the alerted transfer is picked');
      await app.fillGrounds(
        'Kari Nordmann sendte 48 000 kr til Anna Schmidt i Tyskland 6. desember, langt over oppgitt inntekt som student. Opprinnelsen er ikke dokumentert.',
      );
      await app.addPerson({ firstName: 'Per', lastName: 'Hansen', note: 'Satte inn 50 000 kr på kontoen hennes dagen før' });
      await screenshot(app.page, 'console-strs-draft');
      const strId = await app.saveDraft();
      const document = await text(app.document());
      assert.match(document, /DROP-STR-\d{6}/);
      const persons = await app.page.getByTestId('str-person').allTextContents();
      assert.equal(persons.length, 3);
      assert.match(persons[0] ?? '', /^Den meldingen gjelderKari Nordmann · Født 1999-12-01 · Fødselsnr\. 01129955131/);
      assert.match(persons[1] ?? '', /^TilknyttetAnna Schmidt — Mottaker av 1 rapportert overføring, konto DE89370400440532013000/);
      assert.match(persons[2] ?? '', /^TilknyttetPer Hansen — Satte inn 50 000 kr på kontoen hennes dagen før/);
      assert.match(document, new RegExp(transfer.id));
      assert.equal(await text(app.page.getByTestId('str-indicators')), 'Stor overføring');

      // Supporting documents on the draft: a PDF is attached and listed; a page renamed .pdf is refused and nothing listed for it.
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
      await app.attach({ name: 'kontoutskrift-desember.pdf', mimeType: 'application/pdf', buffer: pdf });
      await eventually(async () => assert.equal(await app.attachments().count(), 1));
      assert.match(await text(app.attachments().first()), /^kontoutskrift-desember\.pdf application\/pdf · 1 kB/);
      await app.attach({ name: 'faktura.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><body>faktura</body></html>') });
      await eventually(async () =>
        assert.match(await text(app.page.getByTestId('str-attachments')), /Innholdet i filen stemmer ikke med filtypen\./),
      );
      assert.equal(await app.attachments().count(), 1);
      assert.deepEqual((await pool.query('SELECT file_name FROM str_attachments WHERE str_id = $1', [strId])).rows, [
        { file_name: 'kontoutskrift-desember.pdf' },
      ]);
      await screenshot(app.page, 'console-strs-attachment');

      await app.stepButton('str-submit').click();
      await app.waitForStatus('awaiting_approval');
      await eventually(async () => assert.equal(await text(app.done()), 'STR-en venter nå på godkjenning fra en annen person.'));

      // The drafter's own approval: disabled, with why; and the API refuses it whatever the page shows.
      assert.equal(await app.stepButton('str-approve').isDisabled(), true);
      assert.equal(await app.stepButton('str-return').isDisabled(), true);
      assert.equal(
        await text(app.whyDisabled('str-approve')),
        'Du skrev denne STR-en: en annen leder må godkjenne eller sende den tilbake.',
      );
      const refusal = await app.page.evaluate(async (id) => {
        const response = await fetch(`/api/staff/strs/${id}/approve`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({}),
        });
        return response.status;
      }, strId);
      assert.equal(refusal, 403);
      assert.equal((await pool.query('SELECT status FROM str_reports WHERE id = $1', [strId])).rows[0].status, 'awaiting_approval');
      await screenshot(app.page, 'console-strs-own-approval-refused');

      // A compliance lead, in another browser, in English.
      const leadStaff = await newStaffMember(pool, { role: 'compliance_lead', name: 'Lars Leder', dataEncryptionKey: DATA_KEY });
      const lead = second.app;
      await lead.enrolAndSignIn({ ...leadStaff, password: PASSWORD });
      await lead.waitForHeading('Oversikt');
      await lead.switchLanguage('EN');
      await lead.waitForHeading('Overview');
      await eventually(async () => assert.equal(await lead.waitingCount(), '1'));
      await screenshot(lead.page, 'console-strs-lead-overview');
      await lead.page.getByTestId('kpi-strs-link').click();
      await lead.waitForHeading('STR reports');
      const row = lead.strRow(strId);
      await eventually(async () => assert.match(await text(row), /Awaiting approval/));
      assert.match(await text(row), /Oda Offiser/);
      await screenshot(lead.page, 'console-strs-list');
      await row.getByTestId('str-open').click();
      await lead.waitForStatus('awaiting_approval');
      assert.equal(await lead.stepButton('str-approve').isDisabled(), false);
      // The lead sees the attachment to download, and cannot remove it (nor could anyone, once submitted).
      assert.equal(await lead.attachments().count(), 1);
      assert.equal(await lead.page.getByTestId('str-attachment-remove').count(), 0);
      assert.equal(await lead.page.getByTestId('str-attachment-input').count(), 0);
      const downloaded = await lead.page.evaluate(
        async (href) => {
          const response = await fetch(href);
          return {
            status: response.status,
            disposition: response.headers.get('content-disposition'),
            size: (await response.arrayBuffer()).byteLength,
          };
        },
        (await lead.page.getByTestId('str-attachment-download').getAttribute('href')) as string,
      );
      assert.deepEqual(downloaded, {
        status: 200,
        disposition: `attachment; filename="kontoutskrift-desember.pdf"; filename*=UTF-8''kontoutskrift-desember.pdf`,
        size: pdf.length,
      });

      // Returned to the drafter with a note; the officer edits the draft and submits it again.
      await lead.stepWithDialog('str-return', 'Name the origin of the money: who paid in the NOK 50 000?');
      await lead.waitForStatus('draft');
      await app.openStr(strId);
      await app.waitForStatus('draft');
      assert.equal(
        await text(app.page.getByTestId('str-returned-note')),
        'Sendt tilbake: Name the origin of the money: who paid in the NOK 50 000?',
      );
      await app.page.getByTestId('str-edit').click();
      await app.waitForHeading('Rediger STR-utkastet');
      const grounds = app.page.locator('textarea[name="grounds"]');
      await eventually(async () => assert.match(await grounds.inputValue(), /^Kari Nordmann sendte 48 000 kr/));
      assert.equal(await app.page.getByTestId('str-person').locator('input[name="lastName"]').inputValue(), 'Hansen');
      await grounds.fill(`${await grounds.inputValue()} Per Hansen satte inn 50 000 kr dagen før.`);
      await screenshot(app.page, 'console-strs-edit');
      assert.equal(await app.saveDraft(), strId);
      // The page may show the STR as it was cached before the edit until its reload lands.
      await eventually(async () =>
        assert.match(await text(app.page.getByTestId('str-grounds')), /Per Hansen satte inn 50 000 kr dagen før\.$/),
      );
      await app.stepButton('str-submit').click();
      await app.waitForStatus('awaiting_approval');

      await lead.page.reload();
      await lead.waitForStatus('awaiting_approval');
      await lead.stepWithDialog('str-approve', 'Well documented grounds');
      await lead.waitForStatus('approved');
      await eventually(async () => assert.equal(await text(lead.done()), 'The STR is approved and can be filed.'));
      await lead.stepWithDialog('str-file', 'AR-2026-000123');
      await lead.waitForStatus('filed');
      await eventually(async () => assert.match(await text(lead.page.getByTestId('str-filed')), /Altinn AR-2026-000123/));
      await eventually(async () =>
        assert.deepEqual(
          await lead.page
            .getByTestId('str-history')
            .locator('li')
            .evaluateAll((items) => items.map((item) => item.getAttribute('data-kind'))),
          ['str_drafted', 'str_submitted', 'str_returned', 'str_submitted', 'str_approved', 'str_filed'],
        ),
      );
      await screenshot(lead.page, 'console-strs-filed');

      // The exports: goAML and Altinn (no UD notice without a sanctions hit); the goAML validates against the 5.0.1 schema.
      assert.deepEqual(
        await lead.page
          .getByTestId('str-exports')
          .locator('a')
          .evaluateAll((links) => links.map((link) => link.getAttribute('data-testid'))),
        ['str-export-goaml', 'str-export-altinn'],
      );
      const download = await lead.downloadExport('goaml');
      assert.match(download.fileName, /^DROP-STR-\d{6}-goaml\.xml$/);
      assert.deepEqual(await goamlSchemaErrors(download.body), []);
      assert.match(download.body, new RegExp(transfer.id));

      // What the runbook's STR query reads: as its INSERT writes it.
      const { rows } = await pool.query(
        `SELECT report_type, status, filed_at, details ->> 'reason' AS reason, details -> 'amount' AS amount, transaction_id, drafted_by, approved_by
           FROM str_reports WHERE id = $1`,
        [strId],
      );
      assert.equal(rows[0].status, 'filed');
      assert.ok(rows[0].filed_at instanceof Date);
      assert.equal(rows[0].report_type, 'suspicious_transaction');
      assert.match(rows[0].reason, /^Kari Nordmann sendte 48 000 kr.* Per Hansen satte inn 50 000 kr dagen før\.$/);
      assert.equal(rows[0].amount, 48000);
      assert.equal(rows[0].transaction_id, transfer.id);
      assert.equal(rows[0].drafted_by, officerId);
      assert.notEqual(rows[0].approved_by, officerId);

      // Filed: the list's Filed tab shows it, and the officer's page has no steps left.
      await lead.goToSection('STR reports');
      await lead.showTab('filed');
      await eventually(async () => assert.equal(await lead.strRow(strId).getAttribute('data-status'), 'filed'));
      await app.openStr(strId);
      await app.waitForStatus('filed');
      assert.equal(await app.stepButton('str-approve').count(), 0);

      assert.deepEqual(await app.unexpectedProblems(first.problems), [], 'only the refused approval');
      assert.deepEqual(await lead.unexpectedProblems(second.problems), []);
    } finally {
      await first.context.close();
      await second.context.close();
    }
  });
});
