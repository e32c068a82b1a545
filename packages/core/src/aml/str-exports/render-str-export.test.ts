/** renderStrExport gives every format in STR_EXPORT_FORMATS its own file, name and content type. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STR_EXPORT_FORMATS } from '@drop/contracts';
import { DROP_REPORTER, SUBMITTED_AT, sanctionsHitDocument } from '../../../../../test/support/str-documents.ts';
import { renderStrExport } from './render-str-export.ts';

describe('renderStrExport', () => {
  it('gives each format its file', () => {
    const input = { document: sanctionsHitDocument(), reporter: DROP_REPORTER, submittedAt: SUBMITTED_AT };
    const files = Object.fromEntries(STR_EXPORT_FORMATS.map((format) => [format, renderStrExport(format, input)]));
    assert.deepEqual(Object.fromEntries(Object.entries(files).map(([format, file]) => [format, [file.fileName, file.contentType]])), {
      goaml: ['DROP-STR-000012-goaml.xml', 'application/xml; charset=utf-8'],
      altinn: ['DROP-STR-000012-altinn-mt0002.json', 'application/json; charset=utf-8'],
      mfa: ['DROP-UD-000012-varsel-til-ud.txt', 'text/plain; charset=utf-8'],
    });
    assert.match(files.goaml?.body ?? '', /^<\?xml version="1.0" encoding="UTF-8"\?>\n<report>/);
    assert.equal(JSON.parse(files.altinn?.body ?? '{}').form, 'MT-0002');
  });
});
