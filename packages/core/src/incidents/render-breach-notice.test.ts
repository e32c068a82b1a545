import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from '../errors.ts';
import type { AffectedUsersReport } from './list-affected-users.ts';
import { blanksIn, datatilsynetDeadline, renderCustomerNotice, renderDatatilsynetNotice } from './render-breach-notice.ts';

const report: Pick<AffectedUsersReport, 'counts' | 'users' | 'criteria' | 'caveats'> = {
  counts: { users: 2, sessions: 2, records: 5 },
  criteria: { sessionIds: [], from: null, to: null, ip: null, staffEmail: 'ops@drop.no' },
  caveats: [],
  users: [
    {
      userId: 'usr_1',
      email: 'a@example.no',
      fullName: 'A',
      locale: 'nb',
      deleted: false,
      touched: ['profile', 'compliance_records'],
      reasons: [],
      sessionIds: [],
      auditedActions: {},
    },
    {
      userId: 'usr_2',
      email: null,
      fullName: 'B',
      locale: 'en',
      deleted: true,
      touched: ['profile'],
      reasons: [],
      sessionIds: [],
      auditedActions: {},
    },
  ],
};
const controller = { name: 'Drop AS', orgNumber: '999 999 999', address: 'Oslo' };

describe('the Datatilsynet notice', () => {
  test('the deadline is 72 hours after detection, with the hours left before it and the reasons asked for after it', () => {
    const detectedAt = new Date('2026-12-01T22:30:00Z');
    assert.equal(datatilsynetDeadline(detectedAt).toISOString(), '2026-12-04T22:30:00.000Z');
    const early = renderDatatilsynetNotice({ lang: 'en', detectedAt, now: new Date('2026-12-02T22:30:00Z'), report, controller });
    assert.match(early, /Deadline for this notification: 4 December 2026 at 23:30 \(2026-12-04T22:30:00\.000Z\), 48 hours from now\./);
    assert.doesNotMatch(early, /Reasons for the delay/);
    const late = renderDatatilsynetNotice({ lang: 'nb', detectedAt, now: new Date('2026-12-05T00:30:00Z'), report, controller });
    assert.match(late, /Fristen gikk ut 4\. desember 2026 kl\. 23:30 .*\(2 timer siden\)\. Begrunnelse for forsinkelsen/);
  });

  test('counts people per data category, compliance records by number only, and marks what a person must write', () => {
    const notice = renderDatatilsynetNotice({
      lang: 'en',
      detectedAt: new Date(),
      now: new Date(),
      report,
      controller,
      contact: 'DPO, dpo@drop.no',
    });
    assert.match(notice, /^ {2}- your name, e-mail address and date of birth: 2 customers$/m);
    assert.match(notice, /^ {2}- internal records under the Anti-Money Laundering Act \(count only: .*\): 1 customer$/m);
    assert.doesNotMatch(notice, /usr_1|a@example\.no/, 'no one is named');
    assert.match(notice, /Contact point \(data protection officer or other contact\): DPO, dpo@drop\.no$/m);
    assert.match(notice, /Known scope: a compromised staff account\./);
    assert.ok(blanksIn(notice) >= 8, notice);
  });
});

describe('the customer notice', () => {
  const texts = {
    whatHappened: 'Someone used stolen sign-in details.',
    whatWeDid: 'We signed everyone out.',
    contact: 'personvern@getdrop.no',
  };

  test('names only customer-facing data, and has no blank once a person has written the texts', () => {
    const notice = renderCustomerNotice({ lang: 'en', categories: ['profile', 'compliance_records'], ...texts });
    assert.match(notice.text, /^- your name, e-mail address and date of birth$/m);
    assert.doesNotMatch(notice.text, /Anti-Money|compliance/i);
    assert.equal(blanksIn(notice.text), 0);
    assert.equal(blanksIn(renderCustomerNotice({ lang: 'nb', categories: [] }).text), 3, 'what happened, what we did, contact');
  });

  test('escapes the HTML and keeps a name to one line', () => {
    const notice = renderCustomerNotice({ lang: 'nb', categories: [], customerName: '<b>Kari</b>\nBcc: x@y', ...texts });
    assert.match(notice.html, /Hei &lt;b&gt;Kari&lt;\/b&gt; Bcc: x@y,/);
    assert.doesNotMatch(notice.html, /<b>Kari/);
    assert.match(notice.text, /^Hei <b>Kari<\/b> Bcc: x@y,$/m);
  });

  test('refuses texts that would tell the customer about AML work', () => {
    for (const [field, text] of [
      ['whatHappened', 'Your account was frozen after an alert.'],
      ['whatWeDid', 'Vi har sendt saken til Økokrim.'],
      ['whatWeDid', 'We checked the sanctions lists.'],
      ['contact', 'compliance@getdrop.no'],
    ] as const) {
      assert.throws(
        () => renderCustomerNotice({ lang: 'en', categories: [], ...texts, [field]: text }),
        (error: unknown) => error instanceof DomainError && error.code === 'VALIDATION_FAILED',
        text,
      );
    }
  });
});
