import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { type ReceiptData, renderReceiptPdf } from './render-receipt.ts';

/** NOK 10 000 to Germany, priced as in pricing/price-quote.test.ts: fee 54, 9 946 converted at 0.0851027470. */
const receipt: ReceiptData = {
  transferId: 'tx_01JQ8Z6K4M2N7P9R3S5T',
  reference: 'DRP-7K3-92QX',
  company: {
    name: 'Drop AS',
    orgNumber: '912 345 678',
    address: 'Postboks 1, 0101 Oslo',
    licence: 'Betalingsforetak med tillatelse fra Finanstilsynet',
  },
  sender: { name: 'Kari Nordmann', customerNumber: '10000017' },
  recipient: { name: 'Åse Ødegård', accountMasked: 'DE89 •••• •••• 3000', country: 'DE' },
  send: { amount: '10000.00', currency: 'NOK' },
  fee: { amount: '54.00', currency: 'NOK' },
  converted: { amount: '9946.00', currency: 'NOK' },
  receive: { amount: '846.43', currency: 'EUR' },
  rate: '0.0851027470',
  // 22:50 and 23:30 UTC on 28 March are 23:50 on the 28th and 00:30 on the 29th in Oslo.
  createdAt: new Date('2026-03-28T22:50:00Z'),
  fundsReceivedAt: new Date('2026-03-28T23:30:00Z'),
  paidOutAt: new Date('2026-03-29T08:15:00Z'),
  partnerReference: 'PRT-7731-AB',
};

interface ReadPdf {
  pages: number;
  /** The page's text with Intl's no-break spaces as plain ones and lines joined by spaces. */
  text: string;
  info: Record<string, unknown>;
}

async function readPdf(bytes: Uint8Array): Promise<ReadPdf> {
  // pdf.js may take over the buffer it is given: hand it a copy.
  const pdf = await getDocumentProxy(bytes.slice());
  const { text } = await extractText(pdf, { mergePages: true });
  const { info } = await pdf.getMetadata();
  return { pages: pdf.numPages, text: text.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' '), info: info as Record<string, unknown> };
}

function assertShows(text: string, expected: readonly string[]): void {
  for (const piece of expected) assert.ok(text.includes(piece), `the receipt shows "${piece}"\n${text}`);
}

describe('transfer receipt PDF', () => {
  test('in Norwegian: one page with the reference, times in Oslo, parties, every amount, the rate and the partner reference', async () => {
    const pdf = await readPdf(await renderReceiptPdf(receipt, 'nb'));
    assert.equal(pdf.pages, 1);
    assertShows(pdf.text, [
      'Drop AS Kvittering',
      'Org.nr. 912 345 678 · Postboks 1, 0101 Oslo',
      'Betalingsforetak med tillatelse fra Finanstilsynet',
      'Referanse DRP-7K3-92QX',
      'Transaksjons-ID tx_01JQ8Z6K4M2N7P9R3S5T',
      'Opprettet 28. mars 2026 kl. 23:50',
      'Innbetaling mottatt 29. mars 2026 kl. 00:30',
      'Utbetalt 29. mars 2026 kl. 10:15',
      'Utbetalingsreferanse PRT-7731-AB',
      'Avsender Navn Kari Nordmann Kundenummer 1000 0017',
      'Mottaker Navn Åse Ødegård',
      'Konto •••• 3000',
      'Land Tyskland',
      'Du sendte 10 000,00 kr',
      'Gebyr 54,00 kr',
      'Vekslet beløp 9 946,00 kr',
      'Vekslingskurs 1 NOK = 0,085102747 EUR',
      'Mottaker fikk 846,43 €',
      'Alle tidspunkter er norsk tid.',
    ]);
  });

  test('in English: the same facts in English formats', async () => {
    const pdf = await readPdf(await renderReceiptPdf(receipt, 'en'));
    assert.equal(pdf.pages, 1);
    assertShows(pdf.text, [
      'Drop AS Receipt',
      'Org. no. 912 345 678',
      'Reference DRP-7K3-92QX',
      'Transaction ID tx_01JQ8Z6K4M2N7P9R3S5T',
      'Created 28 March 2026 at 23:50',
      'Funds received 29 March 2026 at 00:30',
      'Paid out 29 March 2026 at 10:15',
      'Payout reference PRT-7731-AB',
      'Sender Name Kari Nordmann Customer number 1000 0017',
      'Recipient Name Åse Ødegård',
      'Account •••• 3000',
      'Country Germany',
      'You sent NOK 10,000.00',
      'Fee NOK 54.00',
      'Amount converted NOK 9,946.00',
      'Exchange rate 1 NOK = 0.085102747 EUR',
      'Recipient received €846.43',
      'All times are Norwegian time.',
    ]);
  });

  test('the same receipt gives the same bytes, dated by its payout', async () => {
    const first = await renderReceiptPdf(receipt, 'nb');
    // Long enough apart that a PDF dated "now" would differ.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await renderReceiptPdf(structuredClone(receipt), 'nb');
    assert.deepEqual(Buffer.from(second), Buffer.from(first));
    const { info } = await readPdf(first);
    assert.equal(info.CreationDate, 'D:20260329081500Z');
    const later = await renderReceiptPdf({ ...receipt, paidOutAt: new Date('2026-03-29T08:16:00Z') }, 'nb');
    assert.notDeepEqual(Buffer.from(later), Buffer.from(first));
  });

  test('a full account number given as the masked one is masked anyway', async () => {
    const pdf = await readPdf(
      await renderReceiptPdf({ ...receipt, recipient: { ...receipt.recipient, accountMasked: '97100512345' } }, 'en'),
    );
    assertShows(pdf.text, ['Account •••• 2345']);
    assert.ok(!pdf.text.includes('9710'));
  });

  test('without a funds-received time or partner reference those lines are left out', async () => {
    const { fundsReceivedAt: _received, partnerReference: _reference, ...bare } = receipt;
    const pdf = await readPdf(await renderReceiptPdf(bare, 'en'));
    assert.ok(!pdf.text.includes('Funds received'));
    assert.ok(!pdf.text.includes('Payout reference'));
    assertShows(pdf.text, ['Created 28 March 2026 at 23:50 Paid out 29 March 2026 at 10:15']);
  });

  test('a name beyond the standard font’s letters is drawn without its accents rather than as garbage', async () => {
    const pdf = await readPdf(
      await renderReceiptPdf(
        {
          ...receipt,
          recipient: { name: 'Nguyễn Văn Đức', accountMasked: '•••• 6789', country: 'VN' },
          receive: { amount: '2500000', currency: 'VND' },
        },
        'nb',
      ),
    );
    assertShows(pdf.text, ['Navn Nguyen Van Duc', 'Land Vietnam', 'Mottaker fikk 2 500 000 VND']);
  });
});
