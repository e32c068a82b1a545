import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListFormatError } from '../model.ts';
import { parseListFiles } from './index.ts';
import { readShippedList } from './shipped.ts';

const shipped = readShippedList('un');
const xml = (shipped.files['consolidated.xml'] as Buffer).toString('utf8');
const snapshot = parseListFiles('un-xml', shipped.files);
const byKey = (key: string) => {
  const found = snapshot.records.find((r) => r.key === key);
  assert.ok(found, `record ${key}`);
  return found;
};

describe('UN consolidated XML', () => {
  it('reads the whole shipped list: 1,003 records, 730 individuals, 273 entities', () => {
    assert.equal(snapshot.list, 'un');
    assert.equal(snapshot.publishedAt, '2026-02-27T00:00:09.554Z');
    assert.equal(snapshot.records.length, 1003);
    assert.equal(snapshot.records.filter((r) => r.schema === 'Person').length, 730);
    assert.equal(snapshot.records.filter((r) => r.schema === 'Organization').length, 273);
  });

  it('reads QDi.001 with its original-script name, aliases by quality, birth dates and nationality', () => {
    const record = byKey('QDi.001');
    assert.deepEqual(record.names[0], {
      full: 'MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE',
      given: 'MOHAMMED',
      family: 'SALAHALDIN ABD EL HALIM ZIDANE',
      quality: 'primary',
    });
    assert.deepEqual(record.names[1], { full: 'محمد صلاح الدين عبدالحليم زيدان', quality: 'strong' });
    assert.deepEqual(
      record.names.filter((n) => n.quality === 'strong').map((n) => n.full),
      ['محمد صلاح الدين عبدالحليم زيدان', 'Sayf-Al Adl', 'Muhamad Ibrahim Makkawi'],
    );
    assert.deepEqual(
      record.names.filter((n) => n.quality === 'weak').map((n) => n.full),
      ['Ibrahim al-Madani', "Saif Al-'Adil", 'Seif al Adel'],
    );
    assert.deepEqual(record.birthDates, [{ date: '1963-04-11' }, { date: '1960-04-11' }]);
    assert.deepEqual(record.countries, ['EG']);
    assert.deepEqual(record.programmes, ['Al-Qaida']);
    assert.equal(record.listedOn, '2001-01-25');
  });

  it('reads YEAR, APPROXIMATELY and BETWEEN birth dates, and a month given only as a note', () => {
    assert.deepEqual(byKey('CDi.001').birthDates, [{ date: '1971' }]);
    assert.deepEqual(byKey('CDi.004').birthDates, [{ date: '1973-11' }]);
    assert.deepEqual(byKey('TAi.144').birthDates, [{ fromYear: 1977, toYear: 1978 }]);
    const approximate = snapshot.records.filter((r) => r.birthDates.some((d) => d.fromYear !== undefined && d.toYear === d.fromYear + 2));
    assert.ok(approximate.length >= 100, `${approximate.length} records born about a year`);
  });

  it('maps UN country names to ISO codes and leaves "former Soviet Union" out', () => {
    const codes = new Set(snapshot.records.flatMap((r) => r.countries));
    for (const code of ['KP', 'CD', 'GB', 'IR', 'SY', 'RU', 'US', 'TR', 'TZ', 'PS']) assert.ok(codes.has(code), code);
    assert.ok([...codes].every((code) => /^[A-Z]{2}$/.test(code)));
  });

  it('reads entities with their aliases', () => {
    const adf = byKey('CDe.001');
    assert.equal(adf.schema, 'Organization');
    assert.deepEqual(adf.names.map((n) => n.full).slice(0, 2), ['ADF', 'Allied Democratic Forces']);
    assert.deepEqual(adf.countries, ['CD']);
  });

  describe('refuses a malformed file whole', () => {
    const cases: [string, string, RegExp][] = [
      ['an empty file', '', /empty/],
      ['a download cut off', xml.slice(0, 100_000), /not well-formed/],
      ['broken XML', xml.replace('<INDIVIDUALS>', '<INDIVIDUALS'), /not well-formed/],
      [
        'the wrong root element',
        '<?xml version="1.0"?><export xmlns="http://eu.europa.ec/fpi/fsd/export"/>',
        /root element is not CONSOLIDATED_LIST/,
      ],
      ['no records', '<CONSOLIDATED_LIST dateGenerated="x"><INDIVIDUALS/><ENTITIES/></CONSOLIDATED_LIST>', /no INDIVIDUAL or ENTITY/],
      [
        'a missing REFERENCE_NUMBER',
        xml.replace('<REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>', ''),
        /DATAID 113219 has no REFERENCE_NUMBER/,
      ],
      ['a duplicate REFERENCE_NUMBER', xml.replace('QDi.002<', 'QDi.001<'), /QDi.001 appears twice/],
    ];
    for (const [name, content, message] of cases) {
      it(name, () => {
        assert.throws(
          () => parseListFiles('un-xml', { 'consolidated.xml': Buffer.from(content) }),
          (error) => error instanceof ListFormatError && error.format === 'un-xml' && message.test(error.message),
        );
      });
    }
  });
});
