/**
 * A body is read only in a media type its route declares (issue 17, item 1): a form-encoded,
 * plain-text, multipart or untyped body on a JSON route is 415 UNSUPPORTED_MEDIA_TYPE as a problem
 * document and changes nothing (a form-encoded `POST /api/quotes` used to be accepted). The routes
 * that read other types still do: the BankID sign-in form, bank files (XML), STR attachments
 * (their file types) and the webhooks (any bytes, signature first).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { mediaTypeOf } from '../src/http/media-types.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('request bodies in a media type the route does not declare', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let customer: string;
  let admin: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    customer = `__Host-drop_session=${(await signInThroughTestProvider(base, 'kari')).sessionCookie}`;
    admin = await signInStaff(base, db.pool, 'admin');
  });
  after(() => stopDropOnFreePort({ db, drop }));

  const count = async (table: string) => Number((await db.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  const send = (path: string, cookie: string, body: BodyInit | undefined, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: base, ...headers },
      ...(body === undefined ? {} : { body }),
    });

  async function assertUnsupported(response: Response) {
    const text = await response.text();
    assert.equal(response.status, 415, text);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal((JSON.parse(text) as { code: string }).code, 'UNSUPPORTED_MEDIA_TYPE');
  }

  it('POST /api/quotes as a form, plain text, multipart or without a type: 415, no quote', async () => {
    const quotes = await count('quotes');
    const fields = { country: 'DE', currency: 'EUR', sendAmount: '100' };
    await assertUnsupported(await send('/api/quotes', customer, new URLSearchParams(fields)));
    await assertUnsupported(await send('/api/quotes', customer, JSON.stringify(fields), { 'content-type': 'text/plain;charset=UTF-8' }));
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    await assertUnsupported(await send('/api/quotes', customer, form));
    await assertUnsupported(await send('/api/quotes', customer, new Blob([JSON.stringify(fields)])));
    assert.equal(await count('quotes'), quotes);
    // The same fields as JSON make a quote: the route refuses the type, not the request.
    const json = await send('/api/quotes', customer, JSON.stringify(fields), { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(json.status, 201, await json.clone().text());
    assert.equal(await count('quotes'), quotes + 1);
  });

  it('a JSON route beside routes that read files refuses those files’ types', async () => {
    const strs = await count('str_reports');
    // The STR plugin reads PDFs for attachments; creating an STR is JSON only.
    await assertUnsupported(await send('/api/staff/strs', admin, '%PDF-1.4', { 'content-type': 'application/pdf' }));
    // The payments plugin reads XML bank files; matching an exception is JSON only.
    await assertUnsupported(await send('/api/staff/payment-exceptions/bex_x/match', admin, '<x/>', { 'content-type': 'application/xml' }));
    assert.equal(await count('str_reports'), strs);
  });

  it('routes that declare other types read them, and only them', async () => {
    // Bank files: XML reaches the importer (which refuses this one as not camt), JSON does not.
    const xml = await send('/api/staff/bank-files', admin, '<Document/>', { 'content-type': 'text/xml' });
    assert.equal(xml.status, 422, await xml.clone().text());
    assert.equal((await xml.json()).code, 'BANK_FILE_INVALID');
    await assertUnsupported(await send('/api/staff/bank-files', admin, '{}', { 'content-type': 'application/json' }));
    assert.equal(await count('bank_files'), 0);

    // The BankID sign-in button posts an (empty) HTML form, or nothing at all.
    const form = await send('/api/auth/bankid/start', '', '', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 303);
    assert.equal((await send('/api/auth/bankid/start', '', undefined)).status, 303);
    const attempts = await count('auth_attempts');
    await assertUnsupported(await send('/api/auth/bankid/start', '', '{}', { 'content-type': 'application/json' }));
    assert.equal(await count('auth_attempts'), attempts);

    // A webhook reads any bytes: its signature decides (here: none, so 401).
    const webhook = await send('/api/webhooks/sumsub', '', 'hello', { 'content-type': 'text/plain' });
    assert.equal(webhook.status, 401);
    assert.equal((await webhook.json()).code, 'WEBHOOK_SIGNATURE_INVALID');
  });

  it('reads the media type from the header', () => {
    assert.equal(mediaTypeOf('Application/JSON; charset=utf-8'), 'application/json');
    assert.equal(mediaTypeOf(' text/plain '), 'text/plain');
    assert.equal(mediaTypeOf(''), undefined);
    assert.equal(mediaTypeOf(undefined), undefined);
  });
});
