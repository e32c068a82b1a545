/**
 * The dependency audit gate (`npm run audit:deps`, scripts/audit-deps.ts) on recorded
 * `npm audit --json` reports: which advisories an allowance accepts (same GHSA id, same package,
 * not expired), that an expired or too long allowance fails the gate, that the checked-in
 * allowlist is well-formed, and the command's exit codes, including "no report" (the registry
 * refused the audit endpoint), which fails in CI and never passes silently.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type Allowance, allowlistFile, judge, parseAuditReport } from '../scripts/support/audit-gate.ts';

const root = path.resolve(import.meta.dirname, '..');
const fixture = (name: string) => path.join(root, 'test/fixtures/npm-audit', name);
const report = (name: string) => parseAuditReport(readFileSync(fixture(name), 'utf8'));

const COOKIE = 'GHSA-pxg6-pf52-xh8x';
const SEMVER = 'GHSA-c2qf-rxjj-qqgw';
const TODAY = '2026-12-06';

function allow(id: string, pkg: string, expires: string): Allowance {
  return { id, package: pkg, reason: 'only reached through the test server, never with input from outside', reviewer: 'tester', expires };
}

function advisoriesOf(name: string) {
  const parsed = report(name);
  assert.ok(parsed.ok, 'the fixture is an audit report');
  return parsed.advisories;
}

describe('parseAuditReport', () => {
  it('lists each advisory once, by GHSA id and vulnerable package, not the packages that only depend on it', () => {
    const parsed = report('two-advisories.json');
    assert.ok(parsed.ok);
    assert.equal(parsed.dependencies, 432);
    assert.deepEqual(
      parsed.advisories.map((advisory) => [advisory.id, advisory.package, advisory.severity, advisory.range]),
      [
        [COOKIE, 'cookie', 'low', '<0.7.0'],
        [SEMVER, 'semver', 'high', '>=7.0.0 <7.5.2'],
      ],
    );
  });

  it('reads a clean report as no advisories', () => {
    assert.deepEqual(report('clean.json'), { ok: true, advisories: [], dependencies: 432 });
  });

  it("turns npm's error body (the registry refusing the audit endpoint) into no report, with npm's message", () => {
    const parsed = report('endpoint-refused.json');
    assert.equal(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.reason, /405 Method Not Allowed/);
    assert.equal(parseAuditReport('').ok, false);
    assert.equal(parseAuditReport('{"auditReportVersion":1,"advisories":{}}').ok, false);
  });
});

describe('judge', () => {
  const advisories = advisoriesOf('two-advisories.json');

  it('fails on every advisory no allowance names', () => {
    const verdict = judge(advisories, { allowances: [] }, TODAY);
    assert.equal(verdict.passed, false);
    assert.deepEqual(
      verdict.unallowed.map((advisory) => advisory.id),
      [COOKIE, SEMVER],
    );
  });

  it('passes when every advisory has a current allowance for its own package', () => {
    const allowances = [allow(COOKIE, 'cookie', '2027-01-31'), allow(SEMVER, 'semver', TODAY)];
    const verdict = judge(advisories, { allowances }, TODAY);
    assert.equal(verdict.passed, true);
    assert.deepEqual(verdict.unallowed, []);
    assert.deepEqual(
      verdict.allowed.map(({ advisory, allowance }) => [advisory.id, allowance.expires]),
      [
        [COOKIE, '2027-01-31'],
        [SEMVER, TODAY],
      ],
    );
  });

  it('does not let an allowance for one package cover the same advisory id in another, or another id in the same package', () => {
    const allowances = [allow(COOKIE, 'light-my-request', '2027-01-31'), allow(SEMVER, 'cookie', '2027-01-31')];
    const verdict = judge(advisories, { allowances }, TODAY);
    assert.equal(verdict.passed, false);
    assert.deepEqual(
      verdict.unallowed.map((advisory) => advisory.id),
      [COOKIE, SEMVER],
    );
    assert.equal(verdict.unused.length, 2, 'neither allowance matches anything');
  });

  it('fails on an expired allowance: its advisory counts as not allowed, and the allowance itself is reported', () => {
    const allowances = [allow(COOKIE, 'cookie', '2026-12-05'), allow(SEMVER, 'semver', '2027-01-31')];
    const verdict = judge(advisories, { allowances }, TODAY);
    assert.equal(verdict.passed, false);
    assert.deepEqual(
      verdict.unallowed.map((advisory) => advisory.id),
      [COOKIE],
    );
    assert.deepEqual(
      verdict.expired.map((entry) => entry.id),
      [COOKIE],
    );
  });

  it('fails on an expired allowance even when its advisory is gone, so the list is reviewed again', () => {
    const verdict = judge(advisoriesOf('clean.json'), { allowances: [allow(COOKIE, 'cookie', '2026-11-30')] }, TODAY);
    assert.equal(verdict.passed, false);
    assert.equal(verdict.expired.length, 1);
  });

  it('fails on an allowance reaching more than 180 days ahead, and only warns about an unused current one', () => {
    const tooLong = judge(advisoriesOf('clean.json'), { allowances: [allow(COOKIE, 'cookie', '2027-06-05')] }, TODAY);
    assert.equal(tooLong.passed, false);
    assert.equal(tooLong.tooLong.length, 1);
    const unused = judge(advisoriesOf('clean.json'), { allowances: [allow(COOKIE, 'cookie', '2027-06-04')] }, TODAY);
    assert.equal(unused.passed, true);
    assert.equal(unused.unused.length, 1);
  });

  it('matches the GHSA id whatever its case', () => {
    const upper = advisories.map((advisory) => ({ ...advisory, id: advisory.id.toUpperCase() }));
    const allowances = [allow(COOKIE, 'cookie', '2027-01-31'), allow(SEMVER, 'semver', '2027-01-31')];
    assert.equal(judge(upper, { allowances }, TODAY).passed, true);
  });
});

describe('audit-allowlist.json', () => {
  it('is a list of reviewed allowances: GHSA id, package, reason, reviewer and an end date', () => {
    const parsed = allowlistFile.parse(JSON.parse(readFileSync(path.join(root, 'audit-allowlist.json'), 'utf8')));
    const keys = parsed.allowances.map((entry) => `${entry.id} ${entry.package}`);
    assert.equal(new Set(keys).size, keys.length, 'an advisory is allowed once per package');
  });

  it('refuses an allowance without a reviewer, a reason or a date', () => {
    assert.throws(() => allowlistFile.parse({ allowances: [{ id: COOKIE, package: 'cookie', reason: 'fine', expires: '2027-01-01' }] }));
    assert.throws(() => allowlistFile.parse({ allowances: [{ ...allow(COOKIE, 'cookie', 'soon') }] }));
    assert.throws(() => allowlistFile.parse({ allowances: [{ ...allow('CVE-2024-47764', 'cookie', '2027-01-01') }] }));
  });
});

describe('npm run audit:deps', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        process.execPath,
        ['scripts/audit-deps.ts', ...args],
        { cwd: root, env: { ...process.env, CI: '', ...env }, timeout: 60_000 },
        (error, stdout, stderr) => resolve({ code: typeof error?.code === 'number' ? error.code : 0, output: stdout + stderr }),
      );
    });

  async function allowlist(allowances: Allowance[]): Promise<string> {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'drop-audit-')), 'allowlist.json');
    await writeFile(file, JSON.stringify({ allowances }));
    return file;
  }

  it('exits 1 and names each advisory not allowed', async () => {
    const { code, output } = await run(['--report', fixture('two-advisories.json'), '--allowlist', await allowlist([]), '--today', TODAY]);
    assert.equal(code, 1, output);
    assert.match(output, new RegExp(`NOT ALLOWED high ${SEMVER} in semver`));
    assert.match(output, new RegExp(`NOT ALLOWED low ${COOKIE} in cookie`));
    assert.match(output, /audit:deps FAILED/);
  });

  it('exits 0 when the allowlist accepts everything, and 1 once an allowance has expired', async () => {
    const file = await allowlist([allow(COOKIE, 'cookie', '2027-01-31'), allow(SEMVER, 'semver', '2027-01-31')]);
    const passed = await run(['--report', fixture('two-advisories.json'), '--allowlist', file, '--today', TODAY]);
    assert.equal(passed.code, 0, passed.output);
    assert.match(passed.output, /audit:deps PASSED/);
    const later = await run(['--report', fixture('two-advisories.json'), '--allowlist', file, '--today', '2027-02-01']);
    assert.equal(later.code, 1, later.output);
    assert.match(later.output, /EXPIRED allowance/);
  });

  it('with no audit report: exit 2 in CI (--ci or CI=true), and outside CI a loud NOT AUDITED, never a pass', async () => {
    const args = ['--report', fixture('endpoint-refused.json'), '--allowlist', await allowlist([]), '--today', TODAY];
    for (const outcome of [await run([...args, '--ci']), await run(args, { CI: 'true' })]) {
      assert.equal(outcome.code, 2, outcome.output);
      assert.match(outcome.output, /NOT AUDITED.*405 Method Not Allowed/);
      assert.doesNotMatch(outcome.output, /PASSED/);
    }
    const local = await run(args);
    assert.equal(local.code, 0, local.output);
    assert.match(local.output, /NOT AUDITED/);
    assert.doesNotMatch(local.output, /PASSED/);
  });
});
