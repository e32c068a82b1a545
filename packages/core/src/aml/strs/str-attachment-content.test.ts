import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkStrAttachmentContent, sanitiseStrAttachmentName, strAttachmentTypeOf } from './str-attachment-content.ts';

const isInvalid = (error: unknown) => (error as { code?: string }).code === 'STR_ATTACHMENT_INVALID';

describe('STR attachment content', () => {
  it('takes the five types by their essence, and nothing else', () => {
    assert.equal(strAttachmentTypeOf('text/plain; charset=utf-8'), 'text/plain');
    assert.equal(strAttachmentTypeOf('Application/PDF'), 'application/pdf');
    for (const refused of ['text/html', 'image/svg+xml', 'application/octet-stream', 'application/json', '', undefined]) {
      assert.equal(strAttachmentTypeOf(refused), null, String(refused));
    }
  });

  it('checks PDF, PNG and JPEG by their first bytes, and text as UTF-8 without NUL', () => {
    checkStrAttachmentContent('application/pdf', Buffer.from('%PDF-1.7\n'));
    checkStrAttachmentContent('image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]));
    checkStrAttachmentContent('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
    checkStrAttachmentContent('text/csv', Buffer.from('beløp;dato\n'));
    assert.throws(() => checkStrAttachmentContent('application/pdf', Buffer.from('<html>')), isInvalid);
    assert.throws(() => checkStrAttachmentContent('image/png', Buffer.from([0xff, 0xd8, 0xff, 0xe0])), isInvalid);
    assert.throws(() => checkStrAttachmentContent('image/jpeg', Buffer.from('%PDF-1.7')), isInvalid);
    assert.throws(() => checkStrAttachmentContent('text/plain', Buffer.from([0x61, 0x00])), isInvalid);
    assert.throws(() => checkStrAttachmentContent('text/csv', Buffer.from([0xc3, 0x28])), isInvalid);
    assert.throws(() => checkStrAttachmentContent('text/plain', Buffer.alloc(0)), isInvalid);
  });

  it('sanitises file names: last path segment, no control characters or quotes, Norwegian letters kept, 120 characters', () => {
    assert.equal(sanitiseStrAttachmentName('../../etc/passwd'), 'passwd');
    assert.equal(sanitiseStrAttachmentName('C:\\Users\\kari\\Kontoutskrift mars.pdf'), 'Kontoutskrift mars.pdf');
    assert.equal(sanitiseStrAttachmentName('a"b\r\nc<script>.pdf'), 'a_b_c_script_.pdf');
    assert.equal(sanitiseStrAttachmentName('Bøker og årsoppgjør (2026).pdf'), 'Bøker og årsoppgjør (2026).pdf');
    assert.equal(sanitiseStrAttachmentName('...'), 'vedlegg');
    assert.equal(sanitiseStrAttachmentName(undefined), 'vedlegg');
    const long = sanitiseStrAttachmentName(`${'x'.repeat(300)}.pdf`);
    assert.equal(long.length, 120);
    assert.ok(long.endsWith('.pdf'));
  });
});
