/**
 * STR attachments over HTTP: the drafter uploads a PDF to a draft (raw body, ?fileName=), it is
 * listed in the document and downloads as an attachment with nosniff; content that is not what
 * its type says, a type not taken, and a file over 10 MB are refused with a stable code and
 * nothing stored; after submission adding or removing is 409 (the database refuses it in psql too).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { alertInCase, openCase } from '../../../test/support/str-cases.ts';
import type { RunningDrop } from '../src/runtime.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

describe('STR attachments over HTTP', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let officer: string;
  let lead: string;
  let officerId: string;
  let strId: string;

  const upload = (cookie: string, id: string, fileName: string, contentType: string, body: Buffer) =>
    fetch(`${base}/api/staff/strs/${id}/attachments?fileName=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': contentType },
      body: new Uint8Array(body),
    });
  const stored = async () => (await db.pool.query('SELECT count(*)::int AS n FROM str_attachments')).rows[0].n as number;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    officer = await signInStaff(base, db.pool, 'compliance_officer');
    lead = await signInStaff(base, db.pool, 'compliance_lead');
    officerId = (await db.pool.query(`SELECT id FROM staff WHERE email = 'compliance_officer@drop.no'`)).rows[0].id;
    const kari = await verifiedCustomer(base, db.pool, 'kari');
    const caseId = await openCase(db.pool, { userId: kari.userId, openedBy: officerId });
    await alertInCase(db.pool, { caseId, userId: kari.userId, rule: 'velocity' });
    const drafted = await fetch(`${base}/api/staff/strs`, {
      method: 'POST',
      headers: { cookie: officer, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ caseId, grounds: 'Many small transfers', transactionIds: [] }),
    });
    assert.equal(drafted.status, 201);
    strId = (await drafted.json()).data.id;
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('takes a PDF from the drafter, lists it in the document, and downloads it as an attachment with nosniff; audited', async () => {
    const added = await upload(officer, strId, '../../kontoutskrift "mars".pdf', 'application/pdf', PDF);
    assert.equal(added.status, 201, await added.clone().text());
    const attachment = (await added.json()).data;
    assert.match(attachment.id, /^sta_/);
    assert.deepEqual(
      [attachment.fileName, attachment.contentType, attachment.sizeBytes, attachment.sha256],
      ['kontoutskrift _mars_.pdf', 'application/pdf', PDF.length, createHash('sha256').update(PDF).digest('hex')],
    );

    const str = (await (await fetch(`${base}/api/staff/strs/${strId}`, { headers: { cookie: lead } })).json()).data;
    assert.deepEqual(str.document.attachments, [attachment]);

    const download = await fetch(`${base}/api/staff/strs/${strId}/attachments/${attachment.id}`, { headers: { cookie: lead } });
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/pdf');
    assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
    assert.match(
      download.headers.get('content-disposition') ?? '',
      /^attachment; filename="kontoutskrift _mars_\.pdf"; filename\*=UTF-8''/,
    );
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), PDF);

    const audit = await db.pool.query(
      `SELECT action FROM audit_log WHERE resource_id = $1 AND action LIKE 'str_attachment_%' ORDER BY seq`,
      [strId],
    );
    assert.deepEqual(
      audit.rows.map((row) => row.action),
      ['str_attachment_added', 'str_attachment_downloaded'],
    );
  });

  it('refuses content that is not its type, a type not taken, another staff member, and a file over 10 MB; nothing is stored', async () => {
    const before = await stored();
    const fake = await upload(officer, strId, 'invoice.pdf', 'application/pdf', Buffer.from('<html><script>alert(1)</script></html>'));
    assert.equal(fake.status, 422);
    assert.equal((await fake.json()).code, 'STR_ATTACHMENT_INVALID');
    const pngAsJpeg = await upload(officer, strId, 'scan.jpg', 'image/jpeg', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    assert.equal((await pngAsJpeg.json()).code, 'STR_ATTACHMENT_INVALID');
    const binaryText = await upload(officer, strId, 'notes.txt', 'text/plain', Buffer.from([0x61, 0x00, 0xff]));
    assert.equal((await binaryText.json()).code, 'STR_ATTACHMENT_INVALID');
    const html = await upload(officer, strId, 'page.html', 'text/html', Buffer.from('<html></html>'));
    assert.equal(html.status, 415);
    assert.equal((await html.json()).code, 'UNSUPPORTED_MEDIA_TYPE');
    const notDrafter = await upload(lead, strId, 'lead.pdf', 'application/pdf', PDF);
    assert.equal(notDrafter.status, 403);
    const tooLarge = await upload(officer, strId, 'big.pdf', 'application/pdf', Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]));
    assert.equal(tooLarge.status, 413);
    assert.equal((await tooLarge.json()).code, 'PAYLOAD_TOO_LARGE');
    assert.equal(await stored(), before);
  });

  it('removes an attachment while draft; after submission adding and removing is 409, in psql too', async () => {
    const csv = (
      await (await upload(officer, strId, 'transfers.csv', 'text/csv; charset=utf-8', Buffer.from('dato;beløp\n2026-12-01;9000\n'))).json()
    ).data;
    const extra = (await (await upload(officer, strId, 'extra.txt', 'text/plain', Buffer.from('Notat'))).json()).data;
    const removed = await fetch(`${base}/api/staff/strs/${strId}/attachments/${extra.id}`, {
      method: 'DELETE',
      headers: { cookie: officer, origin: base },
    });
    assert.equal(removed.status, 204);
    const submitted = await fetch(`${base}/api/staff/strs/${strId}/submit`, { method: 'POST', headers: { cookie: officer, origin: base } });
    assert.equal(submitted.status, 200);
    const names = (await submitted.json()).data.document.attachments.map((item: { fileName: string }) => item.fileName);
    assert.deepEqual(names, ['kontoutskrift _mars_.pdf', 'transfers.csv']);

    const before = await stored();
    const late = await upload(officer, strId, 'late.pdf', 'application/pdf', PDF);
    assert.equal(late.status, 409);
    assert.equal((await late.json()).code, 'CONFLICT');
    const lateRemove = await fetch(`${base}/api/staff/strs/${strId}/attachments/${csv.id}`, {
      method: 'DELETE',
      headers: { cookie: officer, origin: base },
    });
    assert.equal(lateRemove.status, 409);
    await assert.rejects(db.pool.query('DELETE FROM str_attachments WHERE id = $1', [csv.id]), /CONFLICT/);
    await assert.rejects(db.pool.query(`UPDATE str_attachments SET file_name = 'x.csv' WHERE id = $1`, [csv.id]), /CONFLICT/);
    assert.equal(await stored(), before);

    // The Altinn MT-0002 content lists them (goAML has no attachment element).
    const approved = await fetch(`${base}/api/staff/strs/${strId}/approve`, {
      method: 'POST',
      headers: { cookie: lead, origin: base, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(approved.status, 200);
    const altinn = await (await fetch(`${base}/api/staff/strs/${strId}/export?format=altinn`, { headers: { cookie: lead } })).json();
    assert.deepEqual(
      altinn.attachments.map((item: { fileName: string }) => item.fileName),
      ['kontoutskrift _mars_.pdf', 'transfers.csv'],
    );
    assert.match(altinn.text, /- transfers\.csv \(text\/csv, \d+ byte\)/);
  });
});
