/**
 * `npm run audit:deps`: the dependency audit gate. Runs `npm audit --json` over the whole lockfile
 * (every workspace, dev dependencies included: they build the image and run CI), and fails on any
 * advisory that audit-allowlist.json does not accept, or on an allowance that expired.
 *
 * `npm audit` asks the registry's bulk advisory endpoint. When that answer is missing (no network,
 * or a registry mirror that does not serve the endpoint: the development machines' mirror answers
 * 405) there is nothing to judge, and the gate says so loudly. With --ci (or CI=true) that is a
 * failure, exit 2: a gate that passes when it could not look would hide every advisory. Without
 * it, on a developer's machine, the same message ends in exit 0, so the command stays usable
 * offline; CI on GitHub, which reaches the registry, is where the gate holds.
 *
 *   npm run audit:deps                     audit now, judge against the allowlist
 *   npm run audit:deps -- --ci             the same; no report is a failure
 *   npm run audit:deps -- --report FILE    judge a saved `npm audit --json` report instead
 *
 * Exit codes: 0 passed (or, outside CI, not audited), 1 an advisory not allowed or an allowance
 * expired or too long, 2 no audit report in CI.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { allowlistFile, describeVerdict, judge, parseAuditReport } from './support/audit-gate.ts';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    ci: { type: 'boolean', default: false },
    report: { type: 'string' },
    allowlist: { type: 'string', default: path.join(root, 'audit-allowlist.json') },
    today: { type: 'string' },
  },
});
const ciMode = values.ci || process.env.CI === 'true';
const today = values.today ?? new Date().toISOString().slice(0, 10);

/** npm audit exits 1 when it finds advisories, and also when the endpoint fails: the JSON tells which. */
function runNpmAudit(): Promise<string> {
  return new Promise((resolve) => {
    execFile('npm', ['audit', '--json'], { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve(stdout.trim() !== '' ? stdout : JSON.stringify({ message: error?.message ?? stderr.trim() }));
    });
  });
}

const allowlist = allowlistFile.parse(JSON.parse(await readFile(values.allowlist, 'utf8')));
const report = parseAuditReport(values.report ? await readFile(values.report, 'utf8') : await runNpmAudit());

if (!report.ok) {
  console.error(`audit:deps NOT AUDITED: the registry gave no audit report (${report.reason}).`);
  console.error(
    'Nothing was checked. Run it where the registry answers npm audit (GitHub CI does), or judge a saved report with --report.',
  );
  process.exit(ciMode ? 2 : 0);
}

const verdict = judge(report.advisories, allowlist, today);
for (const line of describeVerdict(verdict)) console.log(line);
console.log(
  `audit:deps ${verdict.passed ? 'PASSED' : 'FAILED'}: ${report.dependencies} dependencies, ${report.advisories.length} advisories, ` +
    `${verdict.allowed.length} allowed, ${verdict.unallowed.length} not allowed, ${verdict.expired.length} allowances expired`,
);
process.exit(verdict.passed ? 0 : 1);
