import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListFormatError } from '../model.ts';
import { parseListFiles } from './index.ts';
import { readShippedList } from './shipped.ts';

const shipped = readShippedList('eu');
const [fileName, content] = Object.entries(shipped.files)[0] as [string, Buffer];
const xml = content.toString('utf8');
const snapshot = parseListFiles('eu-fsf-xml', shipped.files);
const byKey = (key: string) => {
  const found = snapshot.records.find((r) => r.key === key);
  assert.ok(found, `logicalId ${key}`);
  return found;
};

describe('EU Financial Sanctions Files XML 1.1', () => {
  it('reads the shipped excerpt: 5 entities, 4 persons and 1 enterprise, with the generation date', () => {
    assert.equal(snapshot.list, 'eu');
    assert.equal(snapshot.publishedAt, '2026-08-05T16:47:04.449+02:00');
    assert.deepEqual(
      snapshot.records.map((r) => [r.key, r.schema]),
      [
        ['191', 'Person'],
        ['521', 'Person'],
        ['3822', 'Organization'],
        ['6106', 'Person'],
        ['6177', 'Person'],
      ],
    );
    // Every one of the file's 45 nameAlias elements is a distinct name (its README says 40).
    assert.equal(xml.match(/<nameAlias /g)?.length, 45);
    assert.equal(snapshot.records.flatMap((r) => r.names).length, 45);
  });

  it('reads Khalid Sheikh MOHAMMED (191): the alias with name parts leads, both birth dates, programme TERR', () => {
    const record = byKey('191');
    assert.deepEqual(record.names[0], {
      full: 'Khalid Sheikh MOHAMMED',
      given: 'Khalid Sheikh',
      family: 'MOHAMMED',
      quality: 'primary',
      lang: 'en',
    });
    assert.ok(record.names.some((n) => n.full === 'Bin Khalid Fahd Bin Adballah' && n.lang === 'fr'));
    assert.deepEqual(record.birthDates, [{ date: '1965-04-14' }, { date: '1964-03-01' }]);
    assert.deepEqual(record.programmes, ['TERR']);
  });

  it('keeps names in every script with their language (Arabic for 6177, Persian for 3822) and citizenship codes', () => {
    const asiri = byKey('6177');
    assert.deepEqual(
      asiri.names.filter((n) => n.lang === 'ar').map((n) => n.full),
      ['إبراهيم حسن طالع عسيري', 'إبراهيم حسن طالع العسيري'],
    );
    assert.deepEqual(asiri.countries, ['SA']);
    // The ISLAMIC entry carries its Gregorian date, so it folds into the same day.
    assert.deepEqual(asiri.birthDates, [{ date: '1982-04-18' }, { date: '1982-04-19' }]);
    assert.ok(byKey('3822').names.some((n) => n.full === 'صنایع شیمیایی پارچین' && n.lang === 'fa'));
  });

  it('reads circa year ranges and designation dates', () => {
    const record = byKey('521');
    assert.deepEqual(record.birthDates, [{ fromYear: 1953, toYear: 1958 }]);
    assert.deepEqual(record.countries, ['AF']);
    assert.equal(record.listedOn, '2001-01-25');
  });

  it('reads the FSF namespace under any prefix', () => {
    const prefixed = xml
      .replace('xmlns="http://eu.europa.ec/fpi/fsd/export"', 'xmlns:fsd="http://eu.europa.ec/fpi/fsd/export"')
      .replace(/<(\/?)(?=[a-zA-Z])/g, '<$1fsd:');
    const again = parseListFiles('eu-fsf-xml', { [fileName]: Buffer.from(prefixed) });
    assert.deepEqual(again.records, snapshot.records);
  });

  describe('refuses a malformed file whole', () => {
    const cases: [string, string, RegExp][] = [
      ['an empty file', '   ', /empty/],
      ['broken XML', xml.replace('</sanctionEntity>', ''), /not well-formed/],
      ['the wrong root element', '<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>', /root element is not export/],
      ['another namespace', xml.replace('http://eu.europa.ec/fpi/fsd/export', 'urn:other'), /not in the FSF namespace/],
      [
        'a missing logicalId',
        xml.replace('euReferenceNumber="EU.502.12" logicalId="521"', 'euReferenceNumber="EU.502.12"'),
        /EU.502.12\) has no logicalId/,
      ],
      ['an unknown subjectType', xml.replace('code="enterprise"', 'code="vessel"'), /unknown subjectType 'vessel'/],
      ['no sanctionEntity', '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="x"/>', /no sanctionEntity/],
    ];
    for (const [name, text, message] of cases) {
      it(name, () => {
        assert.throws(
          () => parseListFiles('eu-fsf-xml', { [fileName]: Buffer.from(text) }),
          (error) => error instanceof ListFormatError && error.format === 'eu-fsf-xml' && message.test(error.message),
        );
      });
    }
  });
});
