import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListFormatError } from '../model.ts';
import { parseListFiles } from './index.ts';
import { readShippedList } from './shipped.ts';

const shipped = readShippedList('os');
const snapshot = parseListFiles('ftm-json', shipped.files);
const byKey = (key: string) => {
  const found = snapshot.records.find((r) => r.key === key);
  assert.ok(found, `entity ${key}`);
  return found;
};

describe('OpenSanctions FollowTheMoney JSON lines', () => {
  it('merges the shipped files into one os snapshot: 1,327 persons (1,317 PEPs), sanctioned organisations', () => {
    assert.equal(snapshot.list, 'os');
    const persons = snapshot.records.filter((r) => r.schema === 'Person');
    assert.equal(persons.length, 1327);
    assert.equal(persons.filter((r) => r.topics.includes('pep')).length, 1317);
    assert.equal(persons.filter((r) => r.topics.includes('sanction')).length, 10);
    // 13 organisations in the files; 4 of the ZALA network's companies carry no sanction or PEP topic.
    assert.equal(snapshot.records.filter((r) => r.schema === 'Organization').length, 9);
  });

  it('reads names in every script, birth date and nationality (KUZMENKO, EU FSF)', () => {
    const record = byKey('NK-2Ka3UvopqbpZmVDFjWd4LA');
    assert.deepEqual(record.names[0], { full: 'Vitaly Yurievich KUZMENKO', given: 'Vitaly', family: 'KUZMENKO', quality: 'primary' });
    assert.ok(record.names.some((n) => n.full === 'Виталий Юрьевич КУЗЬМЕНКО'));
    assert.deepEqual(record.birthDates, [{ date: '1971-01-22' }]);
    assert.deepEqual(record.countries, ['RU']);
    assert.deepEqual(record.topics, ['sanction']);
  });

  it('reads a PEP with an alias and a birth year', () => {
    const record = byKey('Q101198561');
    assert.deepEqual(
      record.names.map((n) => [n.full, n.quality]),
      [
        ['Scott Franklin', 'primary'],
        ['C. Scott Franklin', 'strong'],
      ],
    );
    assert.deepEqual(record.birthDates, [{ date: '1964' }]);
    assert.deepEqual(record.topics, ['pep']);
    assert.deepEqual(record.countries, ['US']);
  });

  it('attaches Sanction entities as programmes and skips non-party schemas', () => {
    const zakharov = byKey('NK-aU5ybkbRFJucf8YMwsJvDw');
    assert.ok(zakharov.programmes.includes('GB-RUS'));
    assert.ok(zakharov.programmes.includes('US-RUSHAR'));
    assert.ok(snapshot.records.every((r) => ['Person', 'Organization', 'Vessel', 'Aircraft'].includes(r.schema)));
  });

  it('maps role.rca to rca', () => {
    const line = JSON.stringify({ id: 'x-1', schema: 'Person', properties: { name: ['Anna Example'], topics: ['role.rca'] } });
    assert.deepEqual(parseListFiles('ftm-json', { 'a.ftm.json': Buffer.from(`${line}\n`) }).records[0]?.topics, ['rca']);
  });

  describe('refuses a file whole', () => {
    const good = `${(shipped.files['eu_fsf_sample.ftm.json'] as Buffer).toString('utf8').trimEnd()}\n`;
    const cases: [string, string, RegExp][] = [
      ['an empty file', '\n', /is empty/],
      ['one line that is not JSON', `${good}{"id": "x",\n`, /line 8: not JSON/],
      ['a line without an id', `${good}{"schema":"Person","properties":{}}\n`, /line 8: no entity id/],
      ['a line without a schema', `${good}{"id":"y","properties":{}}\n`, /entity y has no schema/],
      ['properties that are not lists', `${good}{"id":"y","schema":"Person","properties":{"name":"X"}}\n`, /no properties of lists/],
    ];
    for (const [name, text, message] of cases) {
      it(name, () => {
        assert.throws(
          () => parseListFiles('ftm-json', { 'eu_fsf_sample.ftm.json': Buffer.from(text) }),
          (error) => error instanceof ListFormatError && error.format === 'ftm-json' && message.test(error.message),
        );
      });
    }
  });
});
