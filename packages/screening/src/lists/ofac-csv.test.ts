import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListFormatError, type ListRecord } from '../model.ts';
import { parseListFiles } from './index.ts';
import { ofacBirthDate, parseOfacRemarks } from './ofac-remarks.ts';
import { readShippedList } from './shipped.ts';

const sdn = readShippedList('ofac-sdn');
const cons = readShippedList('ofac-cons');
const sdnSnapshot = parseListFiles('ofac-csv', sdn.files);

function record(records: ListRecord[], key: string): ListRecord {
  const found = records.find((r) => r.key === key);
  assert.ok(found, `record ${key}`);
  return found;
}

function countBy(records: ListRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.schema] = (counts[r.schema] ?? 0) + 1;
  return counts;
}

describe('OFAC legacy CSV', () => {
  it('reads the whole shipped SDN list: 14,965 entries by SDN_Type', () => {
    assert.equal(sdnSnapshot.list, 'ofac-sdn');
    assert.equal(sdnSnapshot.format, 'ofac-csv');
    assert.equal(sdnSnapshot.records.length, 14_965);
    assert.deepEqual(countBy(sdnSnapshot.records), { Person: 6854, Organization: 6884, Vessel: 851, Aircraft: 376 });
    assert.ok(sdnSnapshot.records.every((r) => r.topics.join() === 'sanction' && r.names[0]?.quality === 'primary'));
  });

  it('joins alt.csv aliases, reads DOB, nationality and weak a.k.a.s from the remarks (AL-LIBI, 7150)', () => {
    const libi = record(sdnSnapshot.records, '7150');
    assert.equal(libi.schema, 'Person');
    assert.deepEqual(libi.names[0], { full: 'Abd al-Muhsin AL-LIBI', given: 'Abd al-Muhsin', family: 'AL-LIBI', quality: 'primary' });
    assert.ok(libi.names.some((n) => n.full === 'Ibrahim Ali Abu Bakr TANTOUSH' && n.quality === 'strong' && n.family === 'TANTOUSH'));
    assert.deepEqual(
      libi.names.filter((n) => n.quality === 'weak').map((n) => n.full),
      ['ABU ANAS', "'ABD AL-MUHSI", "'ABD AL-RAHMAN"],
    );
    assert.deepEqual(libi.birthDates, [{ date: '1966' }, { date: '1969-10-27' }]);
    assert.deepEqual(libi.countries, ['LY']);
    assert.deepEqual(libi.programmes, ['SDGT']);
  });

  it('keeps organisations as published, with address countries and remarks aliases (BANCO NACIONAL DE CUBA, 306)', () => {
    const bank = record(sdnSnapshot.records, '306');
    assert.equal(bank.schema, 'Organization');
    assert.deepEqual(
      bank.names.map((n) => [n.full, n.quality]),
      [
        ['BANCO NACIONAL DE CUBA', 'primary'],
        ['NATIONAL BANK OF CUBA', 'strong'],
        ['BNC', 'weak'],
      ],
    );
    assert.ok(bank.countries.includes('CH'));
    assert.deepEqual(bank.birthDates, []);
  });

  it('reads circa years and ranges as year ranges', () => {
    assert.deepEqual(record(sdnSnapshot.records, '7782').birthDates, [{ fromYear: 1950, toYear: 1952 }]);
    assert.deepEqual(ofacBirthDate('1955 to 1957'), { fromYear: 1955, toYear: 1957 });
    assert.deepEqual(ofacBirthDate('12 Jan 1960 to 15 Jan 1962'), { fromYear: 1960, toYear: 1962 });
    assert.deepEqual(ofacBirthDate('circa 1955-1957'), { fromYear: 1955, toYear: 1957 });
    assert.deepEqual(ofacBirthDate('Apr 1961.'), { date: '1961-04' });
    assert.equal(ofacBirthDate('31 Feb 1961'), undefined);
  });

  it('maps OFAC country spellings and leaves unknown ones out', () => {
    const remarks = parseOfacRemarks(
      'nationality Korea, North; alt. citizen Burma; citizen possibly Palestinian; Nationality of Registration Man, Isle of',
    );
    assert.deepEqual(remarks.nationalities, ['KP', 'MM']);
    assert.deepEqual(remarks.registrations, ['IM']);
  });

  it('appends sdn_comments.csv to the remarks it continues', () => {
    const sberbank = record(sdnSnapshot.records, '17018');
    assert.ok(sberbank.names.some((n) => n.full === 'SBERBANK INDIA' && n.quality === 'weak'));
  });

  it('reads the consolidated (non-SDN) set as ofac-cons: 442 entries, 79 individuals', () => {
    const snapshot = parseListFiles('ofac-csv', cons.files);
    assert.equal(snapshot.list, 'ofac-cons');
    assert.equal(snapshot.records.length, 442);
    assert.deepEqual(countBy(snapshot.records), { Person: 79, Organization: 363 });
    const haniya = record(snapshot.records, '9639');
    assert.equal(haniya.names[0]?.full, 'Ismail Abdul Salah HANIYA');
    assert.deepEqual(haniya.birthDates, [{ date: '1962' }]);
    assert.deepEqual(haniya.programmes, ['NS-PLC']);
  });

  it('ignores alias rows of entries that are not in sdn.csv', () => {
    const files = {
      'sdn.csv': Buffer.from('36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'),
      'alt.csv': Buffer.from('36,12,"aka","AERO-CARIBBEAN",-0- \r\n99999,1,"aka","NOBODY",-0- \r\n\x1a'),
    };
    const snapshot = parseListFiles('ofac-csv', files);
    assert.deepEqual(
      snapshot.records.map((r) => r.names.map((n) => n.full)),
      [['AEROCARIBBEAN AIRLINES', 'AERO-CARIBBEAN']],
    );
  });

  describe('refuses a malformed set whole', () => {
    const good = sdn.files['sdn.csv'] as Buffer;
    const firstLines = good.toString('utf8').split('\r\n').slice(0, 25).join('\r\n');
    const cases: [string, Record<string, Buffer>, RegExp][] = [
      ['an empty sdn.csv', { 'sdn.csv': Buffer.from('\x1a') }, /sdn.csv is empty/],
      ['no primary file', { 'alt.csv': sdn.files['alt.csv'] as Buffer }, /no sdn.csv or cons_prim.csv/],
      [
        'a row with too few columns',
        { 'sdn.csv': Buffer.from(`${firstLines}\r\n12,"X","individual"\r\n`) },
        /line 26: 3 columns, expected 12/,
      ],
      ['a download cut off mid-row', { 'sdn.csv': good.subarray(0, 2000) }, /columns, expected 12/],
      [
        'a missing ent_num',
        { 'sdn.csv': Buffer.from('-0- ,"X",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n') },
        /ent_num '' is not a number/,
      ],
      [
        'an unknown SDN_Type',
        { 'sdn.csv': Buffer.from('1,"X","person","CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n') },
        /unknown SDN_Type/,
      ],
      [
        'a duplicate ent_num',
        {
          'sdn.csv': Buffer.from(
            '1,"X",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n1,"Y",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n',
          ),
        },
        /appears twice/,
      ],
      ['an unclosed quote', { 'sdn.csv': Buffer.from('1,"X,-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n') }, /sdn.csv/],
      ['a broken alt.csv', { 'sdn.csv': good, 'alt.csv': Buffer.from('36,12,"aka"\r\n') }, /alt.csv line 1: 3 columns, expected 5/],
    ];
    for (const [name, files, message] of cases) {
      it(name, () => {
        assert.throws(
          () => parseListFiles('ofac-csv', files),
          (error) => error instanceof ListFormatError && error.format === 'ofac-csv' && message.test(error.message),
        );
      });
    }
  });
});
