import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { renderTransferEmail, type TransferEmailData, type TransferEmailKind } from './transfer-emails.ts';

/** Intl separates groups with a no-break space; compare with plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

const KINDS: readonly TransferEmailKind[] = ['funds_received', 'paid_out', 'failed', 'refunded'];

const transfer: TransferEmailData = {
  transferId: 'tx_01JQ8Z6K4M2N7P9R3S5T',
  reference: 'DRP-7K3-92QX',
  customerName: 'Kari',
  send: { amount: '1234.56', currency: 'NOK' },
  receive: { amount: '105.12', currency: 'EUR' },
  recipientName: 'Åse Ødegård',
  failureReason: 'The recipient’s bank closed the account.',
  refund: { amount: '1234.56', currency: 'NOK', toAccount: '9710.05.12345' },
  transferUrl: 'https://drop.example/transfers/tx_01JQ8Z6K4M2N7P9R3S5T',
};

const SUBJECTS: Record<'nb' | 'en', Record<TransferEmailKind, string>> = {
  nb: {
    funds_received: 'Vi har mottatt 1 234,56 kr – pengene er på vei til Åse Ødegård',
    paid_out: 'Åse Ødegård har fått 105,12 €',
    failed: 'Overføringen til Åse Ødegård ble ikke gjennomført – du får 1 234,56 kr tilbake',
    refunded: 'Vi har betalt tilbake 1 234,56 kr for overføringen til Åse Ødegård',
  },
  en: {
    funds_received: "We've received NOK 1,234.56 – your money is on its way to Åse Ødegård",
    paid_out: 'Åse Ødegård has received €105.12',
    failed: "Your transfer to Åse Ødegård didn't go through – NOK 1,234.56 is coming back to you",
    refunded: "We've refunded NOK 1,234.56 for your transfer to Åse Ødegård",
  },
};

const AMOUNTS = {
  nb: { sent: '1 234,56 kr', receives: '105,12 €' },
  en: { sent: 'NOK 1,234.56', receives: '€105.12' },
};

describe('transfer e-mails', () => {
  for (const locale of ['nb', 'en'] as const) {
    for (const kind of KINDS) {
      test(`${kind} in ${locale}: subject and both bodies give the amounts for the locale, the recipient and the link`, () => {
        // A refund is about the money coming back; what the recipient would have got no longer matters.
        const email = renderTransferEmail(kind, locale, transfer);
        assert.equal(plain(email.subject), SUBJECTS[locale][kind]);
        for (const [body, name] of [
          [plain(email.text), 'text'],
          [plain(email.html), 'html'],
        ] as const) {
          assert.ok(body.includes(AMOUNTS[locale].sent), `${name} gives what was sent`);
          if (kind !== 'refunded') assert.ok(body.includes(AMOUNTS[locale].receives), `${name} gives what the recipient gets`);
          assert.ok(body.includes('Åse Ødegård'), `${name} names the recipient`);
          assert.ok(body.includes(locale === 'nb' ? 'Referanse' : 'Reference'), `${name} labels the reference`);
          assert.ok(body.includes('DRP-7K3-92QX'), `${name} gives the human reference, not the internal id`);
          assert.ok(body.includes(locale === 'nb' ? 'Hei Kari,' : 'Hi Kari,'), `${name} greets the customer`);
        }
        assert.ok(email.text.includes(transfer.transferUrl));
        assert.ok(email.html.includes(`href="${transfer.transferUrl}"`));
        assert.ok(email.html.includes(`<html lang="${locale}">`));
        // The other language must not leak in.
        assert.ok(!email.text.includes(locale === 'nb' ? 'Recipient' : 'Mottaker'));
      });
    }
  }

  test('a failed transfer gives the reason and says the money is being refunded, in both languages', () => {
    const nb = renderTransferEmail('failed', 'nb', transfer);
    assert.ok(nb.text.includes('Årsak:'));
    assert.ok(nb.text.includes('The recipient’s bank closed the account.'));
    assert.ok(plain(nb.text).includes('Vi betaler 1 234,56 kr tilbake til kontoen din (•••• 2345)'));
    const en = renderTransferEmail('failed', 'en', { ...transfer, refund: undefined });
    assert.ok(en.text.includes('Reason:'));
    assert.ok(plain(en.text).includes("We're refunding NOK 1,234.56 to the account you paid from"), 'refunds what was sent by default');
  });

  test('without a reason or a name the e-mail still reads naturally', () => {
    const email = renderTransferEmail('failed', 'nb', { ...transfer, customerName: undefined, failureReason: '  ' });
    assert.ok(email.text.startsWith('Hei,\n'));
    assert.ok(!email.text.includes('Årsak'));
    assert.ok(!email.html.includes('Årsak'));
  });

  test('account numbers are masked to their last four digits, in the refund and in a quoted reason', () => {
    const email = renderTransferEmail('refunded', 'en', {
      ...transfer,
      failureReason: 'Beneficiary account DE89 3704 0044 0532 0130 00 (ref 9710.05.12345) is closed',
    });
    for (const body of [email.subject, email.text, email.html]) {
      for (const secret of ['9710.05.12345', '97100512345', '9710', 'DE89 3704', '0532 0130']) {
        assert.ok(!body.includes(secret), `${secret} must not appear`);
      }
    }
    assert.ok(email.text.includes('Beneficiary account •••• 3000 (ref •••• 2345) is closed'));
    assert.ok(email.html.includes('•••• 2345'));
  });

  test('every interpolated value is escaped in the HTML and kept as written in the text', () => {
    const email = renderTransferEmail('failed', 'en', {
      ...transfer,
      customerName: 'Kari <b>',
      recipientName: '<script>alert("x")</script> & Søn',
      failureReason: '"><img src=x onerror=alert(1)>',
      reference: "tx_1' onmouseover='alert(1)",
    });
    assert.ok(!email.html.includes('<script>'));
    assert.ok(!email.html.includes('<img'));
    assert.ok(!email.html.includes('<b>'));
    assert.ok(email.html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Søn'));
    assert.ok(email.html.includes('Hi Kari &lt;b&gt;,'));
    assert.ok(email.html.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(email.html.includes('tx_1&#39; onmouseover=&#39;alert(1)'));
    assert.ok(email.text.includes('<script>alert("x")</script> & Søn'), 'plain text is not HTML and needs no escaping');
  });

  test('whatever the values, the HTML has exactly the template’s tags and only well-formed entities', () => {
    const nasty = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.constantFrom('<script>', '"><img src=x onerror=alert(1)>', '&amp;', "' onmouseover='x", '</td></tr></table>', '&#x3C;'),
    );
    // Blank values drop an optional line, which is a different template: keep them non-blank.
    const visible = nasty.filter((value) => value.replace(/[\p{Cc}\u2028\u2029\s]/gu, '') !== '');
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.constantFrom('nb' as const, 'en' as const),
        visible,
        visible,
        visible,
        visible,
        (kind, locale, customerName, recipientName, failureReason, reference) => {
          const tags = (html: string) => html.match(/<[^>]*>/g);
          const baseline = renderTransferEmail(kind, locale, {
            ...transfer,
            customerName: 'x',
            recipientName: 'x',
            failureReason: 'x',
            reference: 'x',
          });
          const email = renderTransferEmail(kind, locale, { ...transfer, customerName, recipientName, failureReason, reference });
          assert.deepEqual(tags(email.html), tags(baseline.html));
          assert.equal(email.html.match(/[<>]/g)?.length, baseline.html.match(/[<>]/g)?.length);
          assert.ok(!/&(?!(?:amp|lt|gt|quot|#39);)/.test(email.html), 'every & starts an entity');
          assert.ok(!/[\r\n]/.test(email.subject), 'a value cannot break the subject header');
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a transfer link that is not http(s) is refused', () => {
    assert.throws(() => renderTransferEmail('paid_out', 'nb', { ...transfer, transferUrl: 'javascript:alert(1)' }), /http or https/);
    assert.throws(() => renderTransferEmail('paid_out', 'nb', { ...transfer, transferUrl: '/transfers/tx_1' }), /not a URL/);
  });
});
