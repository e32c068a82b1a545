/**
 * Payments in the console, end to end in a real Chromium against a real server: a customer creates
 * transfers through the API (each with its KID), an admin uploads the bank's camt.054 notification
 * in the console and sees what the import did (one transfer funded, one payment with an unknown
 * KID queued), uploads the same file again (nothing changes), and refunds the queued payment; a
 * file cut in the middle is refused with the problem named; support sees the queue but cannot
 * import or act; on a phone the page fits the screen and an overpayment is matched by hand with
 * the excess refunded.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { StaffRole } from '@drop/core';
import type { Locator } from 'playwright-core';
import { signInThroughTestProvider } from '../support/bankid-sign-in.ts';
import { GERMAN_IBAN, recipientBody } from '../support/customers.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleStaff } from './pages/console-staff.ts';
import { eventually, type PageProblems, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';
/** Drop's default pay-in account 8601.11.17947 as an IBAN. */
const PAY_IN_IBAN = 'NO9386011117947';
/** A KID with a valid MOD10 check digit that no transfer has. */
const UNKNOWN_KID = '000000000018';

/** Today in Norway, as the bank writes a booking date. */
function today(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });
}

interface Credit {
  /** AcctSvcrRef: the bank's reference for the booking. */
  reference: string;
  amount: string;
  kid?: string;
  message?: string;
  payer: { name: string; account: string };
}

/** A camt.054.001.08 notification for Drop's pay-in account with booked credits, as a Norwegian bank sends it. */
function camt054(messageId: string, credits: Credit[]): string {
  const date = today();
  const entries = credits
    .map(
      (credit) => `
      <Ntry>
        <Amt Ccy="NOK">${credit.amount}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>${date}</Dt></BookgDt>
        <ValDt><Dt>${date}</Dt></ValDt>
        <AcctSvcrRef>${credit.reference}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
            <Amt Ccy="NOK">${credit.amount}</Amt>
            <CdtDbtInd>CRDT</CdtDbtInd>
            <RltdPties>
              <Dbtr><Pty><Nm>${credit.payer.name}</Nm></Pty></Dbtr>
              <DbtrAcct><Id><Othr><Id>${credit.payer.account}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id></DbtrAcct>
            </RltdPties>
            <RmtInf>${
              credit.message
                ? `
              <Ustrd>${credit.message}</Ustrd>`
                : ''
            }${
              credit.kid
                ? `
              <Strd>
                <CdtrRefInf>
                  <Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>
                  <Ref>${credit.kid}</Ref>
                </CdtrRefInf>
              </Strd>`
                : ''
            }
            </RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr>
      <MsgId>${messageId}</MsgId>
      <CreDtTm>${date}T09:15:00+01:00</CreDtTm>
    </GrpHdr>
    <Ntfctn>
      <Id>${messageId}-1</Id>
      <CreDtTm>${date}T09:15:00+01:00</CreDtTm>
      <Acct>
        <Id><IBAN>${PAY_IN_IBAN}</IBAN></Id>
        <Ccy>NOK</Ccy>
      </Acct>${entries}
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
`;
}

/** Requests the page makes and expects to be refused: a refused bank file, and a match the server turns down. */
const EXPECTED_REFUSALS = [
  { status: 422, path: /^\/api\/staff\/bank-files$/ },
  { status: 422, path: /^\/api\/staff\/payment-exceptions\/be_[0-9A-Z]{26}\/match$/ },
];

/** Page object for `/console/payments`: the upload, the result of an import, the exceptions queue and the imports. */
class ConsolePayments extends ConsoleStaff {
  override async unexpectedProblems(problems: PageProblems): Promise<string[]> {
    return (await super.unexpectedProblems(problems)).filter((problem) => {
      const match = /^console\.error: Failed to load resource: the server responded with a status of (\d{3}) .*\((.+)\)$/.exec(problem);
      const url = URL.parse(match?.[2] ?? '');
      if (!match || !url || url.origin !== new URL(this.baseUrl).origin) return true;
      return !EXPECTED_REFUSALS.some((expected) => expected.status === Number(match[1]) && expected.path.test(url.pathname));
    });
  }

  uploadForm(): Locator {
    return this.page.getByTestId('upload-form');
  }

  /** Chooses `contents` as the file (as a person would in the file picker) and presses Import. */
  async upload(fileName: string, contents: string): Promise<void> {
    await this.page.getByLabel(/^(Bankfil|Bank file) \(XML\)$/).setInputFiles({
      name: fileName,
      mimeType: 'application/xml',
      buffer: Buffer.from(contents, 'utf8'),
    });
    await this.page.getByRole('button', { name: /^(Importer|Import)$/ }).click();
  }

  result(): Locator {
    return this.page.getByTestId('import-result');
  }

  /** Waits until the result panel shows `fileName` in `state` (imported, already, refused). */
  async waitForResult(state: 'imported' | 'already' | 'refused', fileName: string): Promise<void> {
    await eventually(async () => {
      assert.equal(await this.result().getAttribute('data-state'), state);
      assert.match(await text(this.result()), new RegExp(fileName.replaceAll('.', '\\.')));
    });
  }

  async count(testId: string): Promise<string> {
    return text(this.result().getByTestId(testId));
  }

  exceptionRows(): Locator {
    return this.page.getByTestId('exception-row');
  }

  exceptionRow(kid: string): Locator {
    return this.page.locator(`[data-testid="exception-row"][data-kid="${kid}"]`);
  }

  /** The KIDs of the queue, top to bottom. */
  async queuedKids(): Promise<string[]> {
    return this.exceptionRows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kid') ?? ''));
  }

  /** Waits until the queue shows exactly `kids` (in order, or in any order when several were booked in one file). */
  async waitForQueue(kids: string[], options: { anyOrder?: boolean } = {}): Promise<void> {
    const arrange = (list: string[]) => (options.anyOrder ? [...list].sort() : list);
    await eventually(async () => assert.deepEqual(arrange(await this.queuedKids()), arrange(kids)));
  }

  fileRows(): Locator {
    return this.page.getByTestId('bank-file-row');
  }

  outcome(): Locator {
    return this.page.getByTestId('payment-outcome');
  }

  /** How far the page scrolls sideways (0 when it fits the screen). */
  async sidewaysOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }
}

describe('console: payments from bank files', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  const visit = (viewport = WIDE_DESKTOP) => visitApp(bed, ConsolePayments, { viewport });

  /** A new staff member, enrolled through the enrolment page and signed in with password and a TOTP code. */
  async function signedIn(app: ConsolePayments, role: StaffRole, name: string): Promise<void> {
    const staff = await newStaffMember(bed.database.pool, { role, name, dataEncryptionKey: DATA_KEY });
    await app.enrolAndSignIn({ ...staff, password: PASSWORD });
    await app.waitForHeading('Oversikt');
  }

  /** A verified customer signed in with BankID creates a transfer through the API, as the customer app does: it awaits a bank payment with its KID. */
  async function customerTransfer(person: string, sendAmount: string): Promise<{ id: string; kid: string; amount: string }> {
    const { sessionCookie } = await signInThroughTestProvider(bed.origin, person);
    const cookie = `__Host-drop_session=${sessionCookie}`;
    const me = (await (await fetch(`${bed.origin}/api/me`, { headers: { cookie } })).json()).data;
    await bed.database.pool.query(`UPDATE users SET kyc_status = 'approved', kyc_tier = 1 WHERE id = $1`, [me.id]);
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${bed.origin}${path}`, {
        method: 'POST',
        headers: { cookie, origin: bed.origin, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 201, `${path}: ${await response.clone().text()}`);
      return (await response.json()).data;
    };
    const quote = await post('/api/quotes', { country: 'DE', currency: 'EUR', sendAmount });
    const recipient = await post('/api/recipients', recipientBody({ iban: GERMAN_IBAN }));
    const transfer = await post('/api/transfers', { quoteId: quote.id, recipientId: recipient.id }, { 'idempotency-key': randomUUID() });
    assert.equal(transfer.status, 'awaiting_funds');
    return { id: transfer.id, kid: transfer.kid, amount: transfer.send.amount };
  }

  const statusOf = async (transactionId: string) =>
    (await bed.database.pool.query('SELECT status FROM transactions WHERE id = $1', [transactionId])).rows[0]?.status as string;

  test('admin imports a camt.054: one transfer funded, the unknown KID queued; the same file again changes nothing; support only looks; the admin refunds it', async () => {
    const transfer = await customerTransfer('kari', '1000');
    assert.equal(transfer.amount, '1000.00');
    const fileName = 'camt054-dnb-0001.xml';
    const file = camt054('DNB-NTF-0001', [
      { reference: 'DNB-20001', amount: transfer.amount, kid: transfer.kid, payer: { name: 'Kari Nordmann', account: '12345678903' } },
      {
        reference: 'DNB-20002',
        amount: '500.00',
        kid: UNKNOWN_KID,
        message: 'Penger til mamma',
        payer: { name: 'Ola Nordmann', account: '98765432106' },
      },
    ]);

    const { context, app, problems } = await visit();
    try {
      await signedIn(app, 'admin', 'Ada Admin');
      assert.ok((await app.navLinks()).includes('Innbetalinger'), 'Payments is in the sidebar');
      await app.goToSection('Innbetalinger');
      assert.equal(app.pathname(), '/console/payments');
      await app.waitForQueue([]);
      assert.match(await text(app.page.getByTestId('exception-table')), /Ingen innbetalinger venter på behandling/);

      // The import: the exact payment funds the transfer, the unknown KID is queued.
      await app.upload(fileName, file);
      await app.waitForResult('imported', fileName);
      assert.match(await text(app.result().getByTestId('import-notice')), /Filen er importert: 2 posteringer/);
      assert.equal(await app.count('import-funded-count'), '1');
      assert.equal(await app.count('import-queued-count'), '1');
      assert.equal(await app.count('import-seen-count'), '0');
      assert.equal(await app.count('import-not-booked-count'), '0');
      assert.equal(await app.count('import-debit-count'), '0');
      const funded = app.result().getByTestId('import-funded-row');
      assert.equal(await funded.count(), 1);
      assert.equal(await funded.getAttribute('data-transfer-id'), transfer.id);
      assert.equal(await funded.getByTestId('import-funded-link').getAttribute('href'), `/console/transfers/${transfer.id}`);
      assert.match(await text(funded), /1\s000,00\skr/);
      const queued = app.result().getByTestId('import-queued-row');
      assert.equal(await queued.count(), 1);
      assert.equal(await queued.getAttribute('data-reason'), 'unknown_kid');
      assert.match(await text(queued), new RegExp(`Ukjent KID.*${UNKNOWN_KID}.*500,00\\skr`));
      assert.equal(await statusOf(transfer.id), 'funds_received');

      // The queue: the payment with its booking date, amount, reason in words, KID, payer and message.
      await app.waitForQueue([UNKNOWN_KID]);
      const row = app.exceptionRow(UNKNOWN_KID);
      assert.match(await text(row.getByTestId('exception-amount')), /^500,00\skr$/);
      assert.equal(await text(row.getByTestId('payment-reason')), 'Ukjent KID');
      assert.match(await text(row), /KID-en er gyldig, men ingen overføring har den/);
      assert.match(await text(row), /Ola Nordmann.*9876\.54\.32106/);
      assert.equal(await text(row.getByTestId('exception-message')), 'Penger til mamma');
      assert.match(await text(row), /DNB-20002/);
      assert.match(await text(row), /Ingen overføring/);
      assert.equal(await text(app.page.getByTestId('exception-count')), '1');
      await eventually(async () => assert.equal(await app.fileRows().count(), 1));
      assert.match(await text(app.fileRows().first()), new RegExp(`${fileName.replaceAll('.', '\\.')}.*camt\\.054.*Ada Admin \\(deg\\)`));
      const sideways = await app.page
        .getByTestId('exception-table')
        .evaluate((table) => (table.parentElement?.scrollWidth ?? 0) - (table.parentElement?.clientWidth ?? 0));
      assert.equal(sideways, 0, 'the queue fits its card on a desktop, actions included');
      await screenshot(app.page, 'console-payments-imported');

      // The funded transfer opens from the result.
      await funded.getByTestId('import-funded-link').click();
      await app.waitForHeading('Overføring');
      await eventually(async () => assert.equal(await text(app.page.getByTestId('transfer-status')), 'Betaling mottatt'));
      await app.page.goBack();
      await app.waitForHeading('Innbetalinger');
      await app.waitForQueue([UNKNOWN_KID]);

      // The same file again: nothing changes, and the page says so.
      await app.upload(fileName, file);
      await app.waitForResult('already', fileName);
      assert.match(await text(app.result().getByTestId('import-notice')), /importert før, så ingenting er endret/);
      assert.equal(await app.count('import-funded-count'), '1');
      await app.waitForQueue([UNKNOWN_KID]);
      assert.equal(await app.fileRows().count(), 1);
      const entries = await bed.database.pool.query('SELECT count(*)::int AS n FROM bank_entries');
      assert.equal(entries.rows[0].n, 2, 'no booking is recorded twice');

      // Support sees the same queue, but neither the upload nor the actions.
      const support = await visit();
      try {
        await signedIn(support.app, 'support', 'Sofie Support');
        assert.ok((await support.app.navLinks()).includes('Innbetalinger'));
        await support.app.goToSection('Innbetalinger');
        await support.app.waitForQueue([UNKNOWN_KID]);
        assert.equal(await support.app.uploadForm().count(), 0, 'no upload form for support');
        assert.equal(await support.app.page.locator('input[type="file"]').count(), 0);
        assert.match(await text(support.app.page.getByTestId('payments-view-only')), /kan se køen og importene, men ikke importere/);
        assert.equal(await support.app.page.getByTestId('match-button').count(), 0, 'no match action for support');
        assert.equal(await support.app.page.getByTestId('refund-button').count(), 0, 'no refund action for support');
        assert.equal(await support.app.fileRows().count(), 1);
        await screenshot(support.app.page, 'console-payments-support');
        assert.deepEqual(await support.app.unexpectedProblems(support.problems), []);
      } finally {
        await support.context.close();
      }

      // Matching it to the funded transfer is refused by the server, and the refusal is shown in the dialog.
      await app.exceptionRow(UNKNOWN_KID).getByTestId('match-button').click();
      const match = app.page.getByTestId('match-dialog');
      await match.waitFor();
      assert.equal(await match.getByTestId('match-transaction').inputValue(), '', 'the unknown KID names no transfer');
      await match.getByTestId('match-transaction').fill(transfer.id);
      await match.getByTestId('match-note').fill('Kunden sier det gjelder denne');
      await match.getByRole('button', { name: 'Ja, koble til' }).click();
      await eventually(async () =>
        assert.match(
          await text(match.getByTestId('payment-action-error')),
          /Innbetalingen \(500,00\skr\) dekker ikke overføringen \(1\s000,00\skr\)/,
        ),
      );
      await screenshot(app.page, 'console-payments-match-refused', { fullPage: false });
      await match.getByRole('button', { name: 'Avbryt' }).click();
      await eventually(async () => assert.equal(await match.count(), 0));

      // The refund: the payer's account is filled in; a reason is required; then it leaves the queue.
      await app.exceptionRow(UNKNOWN_KID).getByTestId('refund-button').click();
      const refund = app.page.getByTestId('refund-dialog');
      await refund.waitFor();
      assert.match(await text(refund.getByRole('heading')), /^Betale 500,00\skr tilbake\?$/);
      assert.equal(await refund.getByTestId('refund-account').inputValue(), '9876.54.32106');
      await refund.getByRole('button', { name: 'Ja, betal tilbake' }).click();
      await eventually(async () => assert.match(await text(refund), /Skriv en begrunnelse på minst 5 tegn/));
      await refund.getByTestId('refund-note').fill('Ukjent KID, ingen kunde kjenner igjen betalingen');
      await screenshot(app.page, 'console-payments-refund-dialog', { fullPage: false });
      await refund.getByRole('button', { name: 'Ja, betal tilbake' }).click();
      await eventually(async () => assert.match(await text(app.outcome()), /500,00\skr betales tilbake til konto 9876\.54\.32106/));
      await app.waitForQueue([]);
      assert.equal(await text(app.page.getByTestId('exception-count')), '0');
      const refunded = await bed.database.pool.query(
        `SELECT status, refund_account, resolution_note FROM bank_entries WHERE reference = 'DNB-20002'`,
      );
      assert.deepEqual(refunded.rows, [
        { status: 'refunded', refund_account: '98765432106', resolution_note: 'Ukjent KID, ingen kunde kjenner igjen betalingen' },
      ]);

      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('a file cut in the middle is refused whole, with the problem named; nothing is imported', async () => {
    const file = camt054('DNB-NTF-0002', [
      { reference: 'DNB-30001', amount: '750.00', kid: UNKNOWN_KID, payer: { name: 'Per Hansen', account: '11112222333' } },
      { reference: 'DNB-30002', amount: '250.00', payer: { name: 'Per Hansen', account: '11112222333' } },
    ]);
    const secondEntry = file.indexOf('<Ntry>', file.indexOf('<Ntry>') + 1);
    const cut = file.slice(0, secondEntry);
    const before = (await bed.database.pool.query('SELECT (SELECT count(*) FROM bank_files) + (SELECT count(*) FROM bank_entries) AS n'))
      .rows[0].n;

    const { context, app, problems } = await visit();
    try {
      await signedIn(app, 'admin', 'Arne Admin');
      await app.goto('/console/payments');
      await app.waitForHeading('Innbetalinger');
      await app.upload('camt054-dnb-0002.xml', cut);
      await app.waitForResult('refused', 'camt054-dnb-0002.xml');
      assert.match(await text(app.result().getByTestId('import-notice')), /Filen ble avvist, og ingenting fra den er importert/);
      assert.match(
        await text(app.result().getByTestId('import-problem')),
        /ends inside Document\/BkToCstmrDbtCdtNtfctn\/Ntfctn, before that element is closed, so it looks truncated/,
      );
      assert.equal(await app.result().getByTestId('import-funded-count').count(), 0, 'a refused file has no figures');
      await screenshot(app.page, 'console-payments-refused');
      const now = (await bed.database.pool.query('SELECT (SELECT count(*) FROM bank_files) + (SELECT count(*) FROM bank_entries) AS n'))
        .rows[0].n;
      assert.equal(now, before, 'nothing of the refused file is stored');

      // Without a file, the form says what is missing.
      await app.page.getByRole('button', { name: 'Importer' }).click();
      await eventually(async () => assert.match(await text(app.uploadForm()), /Velg en fil først/));

      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('on a phone: the page fits the screen; an overpayment is matched by hand to the transfer its KID names, the excess refunded; English works', async () => {
    const transfer = await customerTransfer('kari', '2000');
    const fileName = 'camt054-dnb-0003.xml';
    const file = camt054('DNB-NTF-0003', [
      { reference: 'DNB-40001', amount: '2100.00', kid: transfer.kid, payer: { name: 'Kari Nordmann', account: '12345678903' } },
      {
        reference: 'DNB-40002',
        amount: '120.00',
        message: 'Overføring til Drop, husker ikke KID',
        payer: { name: 'Nils Berg', account: '55556666777' },
      },
    ]);

    const { context, app, problems } = await visit({ width: 390, height: 844 });
    try {
      await signedIn(app, 'admin', 'Anne Admin');
      await app.goto('/console/payments');
      await app.waitForHeading('Innbetalinger');
      await app.upload(fileName, file);
      await app.waitForResult('imported', fileName);
      assert.equal(await app.count('import-funded-count'), '0');
      assert.equal(await app.count('import-queued-count'), '2');
      await app.waitForQueue([transfer.kid, ''], { anyOrder: true });
      const over = app.exceptionRow(transfer.kid);
      assert.equal(await over.getAttribute('data-reason'), 'overpayment');
      assert.equal(await text(over.getByTestId('payment-reason')), 'Betalt for mye');
      assert.equal(await over.getByTestId('exception-transfer').getAttribute('href'), `/console/transfers/${transfer.id}`);
      assert.equal(await text(app.exceptionRow('').getByTestId('payment-reason')), 'Mangler KID');
      await screenshot(app.page, 'console-payments-mobile');
      assert.equal(await app.sidewaysOverflow(), 0, 'the page does not scroll sideways on a phone');

      // Match: the transfer the KID names is filled in; the 100 kr beyond it goes back to the payer.
      await over.getByTestId('match-button').click();
      const match = app.page.getByTestId('match-dialog');
      await match.waitFor();
      assert.equal(await match.getByTestId('match-transaction').inputValue(), transfer.id);
      await match.getByTestId('match-note').fill('Kunden betalte 100 kr for mye, resten sendes tilbake');
      await screenshot(app.page, 'console-payments-match-mobile', { fullPage: false });
      await match.getByRole('button', { name: 'Ja, koble til' }).click();
      await eventually(async () =>
        assert.match(
          await text(app.outcome()),
          new RegExp(`2\\s100,00\\skr er koblet til overføring ${transfer.id}\\. Overskuddet på 100,00\\skr betales tilbake\\.`),
        ),
      );
      await app.waitForQueue(['']);
      assert.equal(await statusOf(transfer.id), 'funds_received');

      await app.switchLanguage('EN');
      await app.waitForHeading('Payments');
      assert.match(await text(app.outcome()), /^NOK\s2,100\.00 is matched to transfer tx_\w+\. The excess of NOK\s100\.00 is refunded\.$/);
      assert.equal(await text(app.exceptionRow('').getByTestId('payment-reason')), 'No KID');
      assert.match(await text(app.exceptionRow('')), /Nils Berg/);
      assert.ok(await app.page.getByRole('heading', { name: 'Recent imports' }).isVisible());
      await screenshot(app.page, 'console-payments-mobile-en');
      await app.switchLanguage('NB');

      assert.equal(await app.sidewaysOverflow(), 0, 'the page does not scroll sideways on a phone');
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });
});
