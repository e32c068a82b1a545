import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { countryCode, detectListFormat, isoCountryCode, parseListFiles, readListFiles, SHIPPED_LISTS } from '../index.ts';
import { LIST_NAMES } from '../model.ts';

describe('shipped lists', () => {
  it('ships every list once, with existing files and an https source', () => {
    assert.deepEqual(SHIPPED_LISTS.map((l) => l.list).sort(), [...LIST_NAMES].sort());
    for (const shipped of SHIPPED_LISTS) {
      for (const file of shipped.files) assert.ok(existsSync(file), file);
      assert.match(shipped.sourceUrl, /^https:\/\//);
    }
  });

  it('detects each shipped list from its file names and parses it as that list', () => {
    for (const shipped of SHIPPED_LISTS) {
      assert.deepEqual(detectListFormat(shipped.files), { format: shipped.format, list: shipped.list }, shipped.list);
      const snapshot = parseListFiles(shipped.format, readListFiles(shipped.files));
      assert.equal(snapshot.list, shipped.list);
      assert.ok(snapshot.records.length > 0);
      const keys = new Set(snapshot.records.map((r) => r.key));
      assert.equal(keys.size, snapshot.records.length, `${shipped.list}: keys are unique`);
      for (const record of snapshot.records) {
        assert.ok(record.names.length > 0 && record.names[0]?.quality === 'primary', `${shipped.list}:${record.key} has a primary name`);
        assert.ok(
          record.countries.every((c) => /^[A-Z]{2}$/.test(c)),
          `${shipped.list}:${record.key} countries`,
        );
        for (const date of record.birthDates) {
          assert.ok(
            date.date ? /^\d{4}(-\d{2}(-\d{2})?)?$/.test(date.date) : (date.fromYear ?? 0) <= (date.toYear ?? 0),
            `${shipped.list}:${record.key} birth date`,
          );
        }
      }
    }
  });

  it('detects publisher file names and refuses mixed or unknown sets', () => {
    assert.deepEqual(detectListFormat(['/tmp/x/sdn.csv', 'alt.csv', 'add.csv']), { format: 'ofac-csv', list: 'ofac-sdn' });
    assert.deepEqual(detectListFormat(['cons_prim.csv', 'cons_alt.csv']), { format: 'ofac-csv', list: 'ofac-cons' });
    assert.deepEqual(detectListFormat(['consolidated.xml']), { format: 'un-xml', list: 'un' });
    assert.deepEqual(detectListFormat(['xmlFullSanctionsList_1_1.xml']), { format: 'eu-fsf-xml', list: 'eu' });
    assert.deepEqual(detectListFormat(['UK_Sanctions_List.csv']), { format: 'uk-csv', list: 'uk' });
    assert.deepEqual(detectListFormat(['entities.ftm.json']), { format: 'ftm-json', list: 'os' });
    assert.equal(detectListFormat(['alt.csv']), undefined);
    assert.equal(detectListFormat(['sdn.csv', 'consolidated.xml']), undefined);
    assert.equal(detectListFormat(['consolidated.xml', 'consolidated.xml']), undefined);
    assert.equal(detectListFormat(['notes.txt']), undefined);
    assert.equal(detectListFormat([]), undefined);
  });

  it('maps country names, codes and adjectives to ISO2, and leaves unknowns out', () => {
    assert.equal(countryCode('Iraq'), 'IQ');
    assert.equal(countryCode('Russian Federation'), 'RU');
    assert.equal(countryCode('Afghan'), 'AF');
    assert.equal(isoCountryCode('ru'), 'RU');
    assert.equal(isoCountryCode('00'), undefined);
    assert.equal(countryCode('Côte d’Ivoire'), 'CI');
    assert.equal(countryCode('former Soviet Union'), undefined);
    assert.equal(countryCode('na'), undefined);
    assert.equal(isoCountryCode('zz'), undefined);
  });
});
