/**
 * `drop lists import|status|refresh` and `drop screen` end to end: the CLI as its own process on a
 * real database, with the shipped list files.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ListStatus } from '@drop/core';
import { ALERT_THRESHOLD, parseListFiles, readShippedList, SHIPPED_LISTS } from '@drop/screening';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { freePort } from '../../../test/support/embedded.ts';
import { describeResult, runDrop } from './run-cli.ts';

const shippedPaths = (list: string) => SHIPPED_LISTS.find((shipped) => shipped.list === list)?.files ?? [];

describe('drop lists and drop screen', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  const versions = async () =>
    (
      await database.pool.query<{ list: string; version: number; current: boolean }>(
        'SELECT list, version, current FROM sanctions_list_versions ORDER BY list, version',
      )
    ).rows;

  before(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  });
  after(() => database.drop());

  it('lists import reads the list from the file name, imports it as version 1 and prints the counts', async () => {
    const result = await runDrop(['lists', 'import', ...shippedPaths('un')], env);
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, /^un: imported as version 1, \d+ records \(Person \d+, Organization \d+; sanction \d+\)\n$/);
    assert.deepEqual(await versions(), [{ list: 'un', version: 1, current: true }]);
  });

  it('lists import of the same file again makes no new version', async () => {
    const result = await runDrop(['lists', 'import', ...shippedPaths('un')], env);
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, /^un: unchanged: the same files as the current version 1, /);
    assert.deepEqual(await versions(), [{ list: 'un', version: 1, current: true }]);
  });

  it('lists import refuses a broken file, or a file of no known list, with exit 1 and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drop-lists-'));
    const broken = join(dir, 'consolidated.xml');
    const un = readShippedList('un').files['consolidated.xml'] as Buffer;
    writeFileSync(broken, un.subarray(0, Math.floor(un.length / 3)));
    const unknown = join(dir, 'notes.txt');
    writeFileSync(unknown, 'hello');
    // A good OFAC set with a broken UN file: neither is imported.
    const cons = shippedPaths('ofac-cons');
    for (const [args, message] of [
      [[broken], /^Refused: un-xml: /],
      [[...cons, broken], /^Refused: un-xml: /],
      [[unknown], /^Refused: Cannot tell which list notes\.txt belongs to/],
      [[join(dir, 'missing.csv')], /^Refused: .*ENOENT/],
    ] as const) {
      const result = await runDrop(['lists', 'import', ...args], env);
      assert.equal(result.code, 1, describeResult(result));
      assert.match(result.stderr, message);
      assert.match(result.stderr, /Nothing was imported\.\n$/);
      assert.deepEqual(await versions(), [{ list: 'un', version: 1, current: true }]);
    }
  });

  it('lists import takes --list and --format for files named otherwise, and prints JSON with --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drop-lists-'));
    const renamed = join(dir, 'download.csv');
    copyFileSync(shippedPaths('uk')[0] ?? '', renamed);
    const result = await runDrop(['lists', 'import', renamed, '--list', 'uk', '--format', 'uk-csv', '--json'], env);
    assert.equal(result.code, 0, describeResult(result));
    const [imported] = JSON.parse(result.stdout) as { list: string; version: number; imported: boolean; recordCount: number }[];
    assert.equal(imported?.list, 'uk');
    assert.equal(imported?.version, 1);
    assert.ok((imported?.recordCount ?? 0) > 1000);
  });

  it('lists status shows each list with its version, age and counts; --json gives the same as data', async () => {
    const json = await runDrop(['lists', 'status', '--json'], env);
    assert.equal(json.code, 0, describeResult(json));
    const status = JSON.parse(json.stdout) as ListStatus[];
    assert.deepEqual(
      status.map((list) => [list.list, list.current?.version ?? null, list.stale]),
      [
        ['eu', null, true],
        ['ofac-cons', null, true],
        ['ofac-sdn', null, true],
        ['os', null, true],
        ['uk', 1, false],
        ['un', 1, false],
      ],
    );
    const table = await runDrop(['lists', 'status'], env);
    assert.equal(table.code, 0, describeResult(table));
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^LIST\s+VERSION\s+RECORDS\s+AGE\s+SOURCE\s+STALE/);
    assert.match(lines.find((line) => line.startsWith('un ')) ?? '', /^un\s+1\s+\d+\s+\d+m\s+file\s+ok\s+Person \d+, Organization \d+/);
    assert.match(lines.find((line) => line.startsWith('eu ')) ?? '', /^eu\s+-\s+-\s+-\s+-\s+STALE/);
  });

  it('lists refresh reports a publisher it cannot reach as failed, with exit 1, and changes nothing', async () => {
    await database.pool.query('UPDATE sanctions_lists SET source_url = NULL');
    const none = await runDrop(['lists', 'refresh'], env);
    assert.equal(none.code, 0, describeResult(none));
    assert.equal(none.stdout, 'No enabled list has a source URL to download from.\n');
    await database.pool.query(`UPDATE sanctions_lists SET source_url = $1 WHERE name = 'un'`, [
      `http://127.0.0.1:${await freePort()}/consolidated.xml`,
    ]);
    const result = await runDrop(['lists', 'refresh'], env);
    assert.equal(result.code, 1, describeResult(result));
    assert.match(result.stdout, /^un: FAILED, nothing changed: /);
    assert.equal((await versions()).length, 2);
  });

  it('screen answers one line per query, in order: matches at or above the threshold best first, or an error for a bad line', async () => {
    const un = parseListFiles('un-xml', readShippedList('un').files);
    const listed = un.records.find((record) => record.schema === 'Person' && record.names[0]?.full);
    assert.ok(listed);
    const queries = [
      JSON.stringify({ name: listed.names[0]?.full, schema: 'Person' }),
      JSON.stringify({ name: 'Solveig Haugland Bakke', schema: 'Person', birthDate: '1984-03-02', country: 'NO' }),
      'this is not json',
      JSON.stringify({ name: 'No Schema' }),
      JSON.stringify({ name: listed.names[0]?.full, schema: 'Person', birthDate: 'yesterday' }),
    ];
    const result = await runDrop(['screen'], env, `${queries.join('\n')}\n`);
    assert.equal(result.code, 0, describeResult(result));
    const answers = result.stdout
      .trimEnd()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            matches?: { id: string; score: number; name: string; list: string }[];
            error?: { code: string; message: string };
          },
      );
    assert.equal(answers.length, queries.length);
    const [hit, clear, notJson, noSchema, badDate] = answers;
    // The UN's designations are copied into the UK list: the person can be there too, as well or better.
    const unMatch = hit?.matches?.find((match) => match.id === `un:${listed.key}`);
    assert.equal(unMatch?.name, listed.names[0]?.full);
    assert.equal(unMatch?.list, 'un');
    assert.ok((unMatch?.score ?? 0) >= ALERT_THRESHOLD);
    assert.ok(hit?.matches?.every((match) => match.score >= ALERT_THRESHOLD));
    const scores = hit?.matches?.map((match) => match.score) ?? [];
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
      'best first',
    );
    assert.deepEqual(clear, { matches: [] });
    assert.equal(notJson?.error?.code, 'VALIDATION_FAILED');
    assert.equal(noSchema?.error?.code, 'VALIDATION_FAILED');
    assert.match(noSchema?.error?.message ?? '', /schema/);
    assert.match(badDate?.error?.message ?? '', /birthDate/);
  });
});
