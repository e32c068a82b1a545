/**
 * SECURITY.md maps each requirement to the test that proves it. This keeps the map true: every
 * test file it names exists, every test it names by title is still in that file, and each payment
 * item T01–T25 has its row, with a proof or an honest "gap" / "does not apply".
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');
const text = readFileSync(path.join(root, 'SECURITY.md'), 'utf8');

interface Reference {
  file: string;
  name?: string;
  line: number;
}

/**
 * `path/to/file.test.ts` sets the file; each `› "title"` after it names a test in that file, until
 * the next file. Within one line only: a row of a table is one line.
 */
function references(markdown: string): Reference[] {
  const found: Reference[] = [];
  for (const [index, line] of markdown.split('\n').entries()) {
    let file: string | undefined;
    for (const match of line.matchAll(/`([\w./-]+\.test\.tsx?)`|›\s*"([^"]+)"/g)) {
      if (match[1]) {
        file = match[1];
        found.push({ file, line: index + 1 });
      } else {
        assert.ok(file, `SECURITY.md line ${index + 1}: › "${match[2]}" follows no test file`);
        found.push({ file, name: match[2], line: index + 1 });
      }
    }
  }
  return found;
}

/** Whether `source` has a test (`it(` or `test(`) whose title starts with `title`. */
function hasTest(source: string, title: string): boolean {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\b(it|test)\\(\\s*['"\`]${escaped}`).test(source);
}

describe('SECURITY.md', () => {
  const all = references(text);

  it('names test files', () => {
    assert.ok(all.length > 50, `only ${all.length} references found`);
  });

  it('names only test files that exist', () => {
    const missing = [...new Set(all.map((reference) => reference.file))].filter((file) => !existsSync(path.join(root, file)));
    assert.deepEqual(missing, []);
  });

  it('names only tests that are in their files', () => {
    const missing = all
      .filter((reference) => reference.name !== undefined)
      .filter((reference) => {
        const file = path.join(root, reference.file);
        return !existsSync(file) || !hasTest(readFileSync(file, 'utf8'), reference.name ?? '');
      })
      .map((reference) => `line ${reference.line}: ${reference.file} › "${reference.name}"`);
    assert.deepEqual(missing, []);
  });

  it('has one row for each payment item T01–T25, each with a proof, a gap or a reason it does not apply', () => {
    for (let number = 1; number <= 25; number++) {
      const id = `T${String(number).padStart(2, '0')}`;
      const rows = text.split('\n').filter((line) => line.startsWith(`| ${id} |`));
      assert.equal(rows.length, 1, `${id}: ${rows.length} rows`);
      const row = rows[0] ?? '';
      assert.ok(
        /`[\w./-]+\.test\.tsx?`/.test(row) || /\bgap\b|does not apply/i.test(row),
        `${id} names no test and says neither "gap" nor "does not apply"`,
      );
      assert.match(row, /\| (proved|partly|gap|does not apply[^|]*) +\|/, `${id} has no status`);
    }
  });

  it('finds a reference that is wrong: a file that is not there, a title no test has', () => {
    const wrong = references('`test/no-such-file.test.ts` › "x"\n`test/security-md.test.ts` › "a title no test has"');
    assert.deepEqual(
      wrong.map((reference) => [reference.file, reference.name]),
      [
        ['test/no-such-file.test.ts', undefined],
        ['test/no-such-file.test.ts', 'x'],
        ['test/security-md.test.ts', undefined],
        ['test/security-md.test.ts', 'a title no test has'],
      ],
    );
    assert.ok(!existsSync(path.join(root, 'test/no-such-file.test.ts')));
    const source = readFileSync(path.join(root, 'test/security-md.test.ts'), 'utf8');
    assert.equal(hasTest(source, 'a title no test has'), false, 'a title quoted outside it( is no test');
    assert.equal(hasTest(source, 'names only test files that exist'), true);
  });
});
