import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListFormatError } from '../model.ts';
import { parseListFiles } from './index.ts';
import { readShippedList } from './shipped.ts';
import { ukPersonName } from './uk-csv.ts';

const shipped = readShippedList('uk');
const [fileName, content] = Object.entries(shipped.files)[0] as [string, Buffer];
const csv = content.toString('utf8');
const snapshot = parseListFiles('uk-csv', shipped.files);

describe('UK Sanctions List (FCDO) CSV', () => {
  it('reads all 5,302 designations; the two with an empty Name cell are reported as skipped', () => {
    assert.equal(snapshot.list, 'uk');
    assert.equal(snapshot.records.length + (snapshot.skipped?.length ?? 0), 5302);
    assert.deepEqual(snapshot.skipped, [
      { key: 'BEL0174', reason: 'the Name cell is empty' },
      { key: 'RUS1467', reason: 'the Name cell is empty' },
    ]);
    const counts: Record<string, number> = {};
    for (const r of snapshot.records) counts[r.schema] = (counts[r.schema] ?? 0) + 1;
    // 3,754 individuals in the sheet, two of them without a name.
    assert.deepEqual(counts, { Organization: 1087, Person: 3752, Vessel: 461 });
  });

  it('splits SURNAME Given names (PUTIN, RUS0251) and keeps the regime and designation date', () => {
    const putin = snapshot.records.find((r) => r.key === 'RUS0251');
    assert.ok(putin);
    assert.deepEqual(putin.names, [
      { full: 'Vladimir Vladimirovich PUTIN', given: 'Vladimir Vladimirovich', family: 'PUTIN', quality: 'primary' },
    ]);
    assert.deepEqual(putin.programmes, ['Russia']);
    assert.equal(putin.listedOn, '2022-02-25');
    assert.deepEqual(putin.topics, ['sanction']);
  });

  it('leaves a name written all in capitals unsplit', () => {
    assert.deepEqual(ukPersonName('AKHUND MOHAMMAD HASSAN'), { full: 'AKHUND MOHAMMAD HASSAN', quality: 'primary' });
    assert.deepEqual(ukPersonName('ABDUL ZAHIR Shams  Ur-Rahman'), {
      full: 'Shams Ur-Rahman ABDUL ZAHIR',
      given: 'Shams Ur-Rahman',
      family: 'ABDUL ZAHIR',
      quality: 'primary',
    });
  });

  describe('refuses a malformed file whole', () => {
    const header = csv.slice(0, csv.indexOf('\n')).trimEnd();
    const cases: [string, string, RegExp][] = [
      ['an empty file', '', /empty/],
      [
        'a header without the Name column',
        csv.replace('Unique ID,OFSI Group ID,Name,', 'Unique ID,OFSI Group ID,Full name,'),
        /no column 'Name'/,
      ],
      [
        'a row with a column too many',
        `${header}\nAFG0001,12703,X,Afghanistan,Entity,UN,29-06-2012,Asset freeze,extra\n`,
        /uk-csv.*Invalid Record Length|columns/i,
      ],
      ['a missing Unique ID', `${header}\n,12703,X,Afghanistan,Entity,UN,29-06-2012,Asset freeze\n`, /line 2 has no Unique ID/],
      ['a duplicate Unique ID', `${header}\nA1,1,X,R,Entity,UN,,\nA1,2,Y,R,Entity,UN,,\n`, /A1 appears twice/],
      ['an unknown Type', `${header}\nA1,1,X,R,Aircraft,UN,,\n`, /unknown Type 'Aircraft'/],
      [
        'many rows without a name',
        [header, ...Array.from({ length: 20 }, (_, i) => `A${i},1,,R,Entity,UN,,`)].join('\n'),
        /20 of 20 rows have no Name/,
      ],
    ];
    for (const [name, text, message] of cases) {
      it(name, () => {
        assert.throws(
          () => parseListFiles('uk-csv', { [fileName]: Buffer.from(text) }),
          (error) => error instanceof ListFormatError && error.format === 'uk-csv' && message.test(error.message),
        );
      });
    }
  });
});
