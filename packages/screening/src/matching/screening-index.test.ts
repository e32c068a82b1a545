import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListRecord, ListSnapshot } from '../model.ts';
import { ALERT_THRESHOLD, ScreeningIndex } from './index.ts';

function person(key: string, names: ListRecord['names'], extra: Partial<ListRecord> = {}): ListRecord {
  return { key, schema: 'Person', topics: ['sanction'], names, birthDates: [], countries: [], programmes: ['SDGT'], ...extra };
}

function organisation(key: string, names: string[], extra: Partial<ListRecord> = {}): ListRecord {
  return {
    key,
    schema: 'Organization',
    topics: ['sanction'],
    names: names.map((full, i) => ({ full, quality: i === 0 ? 'primary' : 'strong' })),
    birthDates: [],
    countries: [],
    programmes: ['RUSSIA-EO14024'],
    ...extra,
  };
}

const ofac: ListSnapshot = {
  list: 'ofac-sdn',
  format: 'ofac-csv',
  records: [
    person(
      '6365',
      [
        { full: 'BIN LADIN, Usama bin Muhammad bin Awad', quality: 'primary' },
        { full: 'BIN LADEN, Osama', quality: 'strong' },
        { full: 'Abu Abdallah', quality: 'weak' },
      ],
      { birthDates: [{ date: '1957-03-10' }, { fromYear: 1956, toYear: 1958 }], countries: ['SA'] },
    ),
    person('9001', [{ full: 'ROTENBERG, Arkady Romanovich', quality: 'primary' }], {
      birthDates: [{ date: '1951-12-15' }],
      countries: ['RU'],
    }),
    person('9002', [{ full: 'HAQQANI, Sirajuddin Jallaloudine', quality: 'primary' }], { birthDates: [{ fromYear: 1977, toYear: 1978 }] }),
    person('9003', [{ full: 'MÜLLER, Jürgen Óscar', quality: 'primary' }], { birthDates: [{ date: '1970' }] }),
    organisation('7001', ['AL-QAIDA', 'The Base']),
    organisation('7002', ['KALASHNIKOV CONCERN JSC', 'Концерн Калашников']),
    organisation('7003', ['OOO SOVCOMFLOT TRADING']),
  ],
};

const un: ListSnapshot = {
  list: 'un',
  format: 'un-xml',
  records: [
    person(
      'QDi.430',
      [
        { full: 'Abdul Rahman Ould Muhammad Al-Husayn', given: 'Abdul Rahman', family: 'Al-Husayn', quality: 'primary' },
        { full: 'عبد الرحمن ولد محمد الحسين', quality: 'strong', lang: 'ar' },
      ],
      { birthDates: [{ date: '1965' }] },
    ),
    person('QDi.999', [
      { full: 'Ivan Petrovich SIDOROV', quality: 'primary' },
      { full: 'Иван Петрович Сидоров', quality: 'strong', lang: 'ru' },
    ]),
    person('QDi.500', [{ full: 'Mohammed Omar Hassan', quality: 'primary' }], { birthDates: [{ date: '1960-01-01' }] }),
  ],
};

const index = ScreeningIndex.build([ofac, un]);

function top(name: string, schema: 'Person' | 'Organization' = 'Person', extra: { birthDate?: string; country?: string } = {}) {
  return index.screen({ name, schema, ...extra }, { threshold: 0 })[0];
}

function alerts(name: string, schema: 'Person' | 'Organization' = 'Person', extra: { birthDate?: string; country?: string } = {}) {
  return index.screen({ name, schema, ...extra }).map((m) => m.id);
}

describe('ScreeningIndex', () => {
  it('counts every record and names hits <list>:<key>', () => {
    assert.equal(index.size, 10);
    assert.deepEqual(alerts('Arkady Rotenberg'), ['ofac-sdn:9001']);
  });

  it('finds a name despite one or two typos', () => {
    assert.deepEqual(alerts('Arkadi Romanovich Rotenburg'), ['ofac-sdn:9001']);
    assert.deepEqual(alerts('Arkady Rotenbreg'), ['ofac-sdn:9001']);
    assert.deepEqual(alerts('Sirajudin Haqani'), ['ofac-sdn:9002']);
  });

  it('finds reordered names and names with the middle name missing', () => {
    assert.deepEqual(alerts('Rotenberg Arkady Romanovich'), ['ofac-sdn:9001']);
    assert.deepEqual(alerts('Usama bin Ladin'), ['ofac-sdn:6365']);
  });

  it('builds the same index in slices (buildAsync) as in one go', async () => {
    const sliced = await ScreeningIndex.buildAsync([ofac, un], { slice: 2 });
    assert.equal(sliced.size, index.size);
    for (const name of ['Usama bin Ladin', 'Аркадий Ротенберг', 'Сидоров Иван', 'Kari Nordmann']) {
      assert.deepEqual(
        sliced.screen({ name, schema: 'Person' }, { threshold: 0 }),
        index.screen({ name, schema: 'Person' }, { threshold: 0 }),
      );
    }
  });

  it('finds a full legal name with a middle name the list does not carry (as BankID gives it)', () => {
    assert.deepEqual(alerts('Arkady Borisovich Romanovich Rotenberg', 'Person', { birthDate: '1951-12-15' }), ['ofac-sdn:9001']);
    // The same extra names on someone born decades apart do not alert.
    assert.deepEqual(alerts('Arkady Borisovich Romanovich Rotenberg', 'Person', { birthDate: '1990-01-01' }), []);
  });

  it('joins Mohammed/Muhammad and Osama/Usama spellings', () => {
    const hit = top('Osama bin Mohammed bin Awad bin Laden');
    assert.equal(hit?.id, 'ofac-sdn:6365');
    assert.ok((hit?.score ?? 0) >= ALERT_THRESHOLD);
  });

  it('transliterates Cyrillic and Arabic queries to Latin', () => {
    assert.deepEqual(alerts('Сидоров Иван'), ['un:QDi.999']);
    assert.deepEqual(alerts('Arkadij Rotenberg'), ['ofac-sdn:9001']);
    assert.deepEqual(alerts('Аркадий Ротенберг'), ['ofac-sdn:9001']);
    // Arabic script has no short vowels: 'bn ldn' must still find 'Bin Laden'.
    assert.deepEqual(alerts('أسامة بن لادن'), ['ofac-sdn:6365']);
    assert.deepEqual(alerts('عبد الرحمن ولد محمد الحسين'), ['un:QDi.430']);
  });

  it('folds diacritics on both sides', () => {
    assert.deepEqual(alerts('Jurgen Oscar Muller'), ['ofac-sdn:9003']);
    assert.deepEqual(alerts('Jürgen Müller'), ['ofac-sdn:9003']);
  });

  it('matches aliases and name particles written together or apart', () => {
    assert.deepEqual(alerts('Osama Bin Laden'), ['ofac-sdn:6365']);
    assert.deepEqual(alerts('Alqaida', 'Organization'), ['ofac-sdn:7001']);
    assert.deepEqual(alerts('Al Qaeda', 'Organization'), ['ofac-sdn:7001']);
    assert.deepEqual(alerts('Abdulrahman Ould Mohamed Alhusayn'), ['un:QDi.430']);
  });

  it('does not alert on a weak alias alone', () => {
    const hit = top('Abu Abdallah');
    assert.ok(hit === undefined || hit.score < ALERT_THRESHOLD, JSON.stringify(hit));
  });

  it('tells a namesake apart by a birth date years away, and rewards the right one', () => {
    const namesake = top('Arkady Rotenberg', 'Person', { birthDate: '1985-04-02' });
    assert.ok((namesake?.score ?? 0) < ALERT_THRESHOLD, JSON.stringify(namesake?.explanation));
    assert.ok(namesake?.explanation.notes.some((n) => n.includes('34 year(s) apart')));
    const same = top('Arkady Rotenberg', 'Person', { birthDate: '1951-12-15' });
    assert.ok((same?.score ?? 0) > (top('Arkady Rotenberg')?.score ?? 1) - 0.001);
    assert.deepEqual(alerts('Usama bin Ladin', 'Person', { birthDate: '1957' }), ['ofac-sdn:6365']);
  });

  it('does not alert on a shared given name alone', () => {
    assert.deepEqual(alerts('Mohammed Hansen'), []);
    assert.deepEqual(alerts('Mohammed'), []);
    assert.deepEqual(alerts('Ola Nordmann'), []);
  });

  it('treats organisation legal forms as low-weight words', () => {
    assert.deepEqual(alerts('Kalashnikov Concern', 'Organization'), ['ofac-sdn:7002']);
    assert.deepEqual(alerts('Sovcomflot Trading LLC', 'Organization'), ['ofac-sdn:7003']);
    assert.deepEqual(alerts('Trading LLC', 'Organization'), []);
    assert.deepEqual(alerts('Концерн Калашников', 'Organization'), ['ofac-sdn:7002']);
  });

  it('keeps people and organisations apart', () => {
    assert.deepEqual(alerts('Al-Qaida'), []);
    assert.deepEqual(alerts('Arkady Rotenberg', 'Organization'), []);
  });

  it('explains a match: names side by side, per-feature scores, notes, a stable record hash', () => {
    const hit = top('Mohamed Omar Hasan', 'Person', { birthDate: '1960-01-01' });
    assert.equal(hit?.id, 'un:QDi.500');
    assert.equal(hit?.list, 'un');
    assert.equal(hit?.key, 'QDi.500');
    assert.equal(hit?.name, 'Mohammed Omar Hassan');
    assert.equal(hit?.explanation.queryName, 'Mohamed Omar Hasan');
    assert.equal(hit?.explanation.matchedName, 'Mohammed Omar Hassan');
    for (const feature of ['name', 'queryCoverage', 'recordCoverage', 'tokenSimilarity', 'birthDate', 'score']) {
      assert.equal(typeof hit?.explanation.features[feature], 'number', feature);
    }
    assert.ok(hit?.explanation.notes.some((n) => n.includes("'mohamed' ~ 'mohammed' (variant")));
    assert.ok(hit?.explanation.notes.includes('birth date 1960-01-01 matches'));
    assert.match(hit?.recordHash ?? '', /^[0-9a-f]{16}$/);
    const again = ScreeningIndex.build([ofac, un]).screen({ name: 'Mohamed Omar Hasan', schema: 'Person' }, { threshold: 0 })[0];
    assert.equal(again?.recordHash, hit?.recordHash);
    const changed = ScreeningIndex.build([
      { ...un, records: un.records.map((r) => (r.key === 'QDi.500' ? { ...r, countries: ['SD'] } : r)) },
    ]).screen({ name: 'Mohamed Omar Hasan', schema: 'Person' }, { threshold: 0 })[0];
    assert.notEqual(changed?.recordHash, hit?.recordHash);
  });

  it('orders matches best first and honours threshold and limit', () => {
    const all = index.screen({ name: 'Mohammed Omar', schema: 'Person' }, { threshold: 0 });
    for (let i = 1; i < all.length; i++) assert.ok((all[i - 1]?.score ?? 0) >= (all[i]?.score ?? 0));
    assert.equal(index.screen({ name: 'Mohammed Omar Hassan', schema: 'Person' }, { threshold: 0, limit: 1 }).length, 1);
  });
});
