/**
 * `drop str list` lists the STRs (all, or one --status, or --json); `drop str show ID` prints one as
 * the FIU will read it, the fødselsnummer opened for the report; an unknown id exits 1 with NOT_FOUND.
 * `drop str export ID --format goaml|altinn|mfa [--out FILE]` writes an approved or filed STR's file
 * (the goAML validates against the 5.0.1 schema); a draft is refused.
 */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { approveStr, createNationalIdProtector, draftStr, fileStr, submitStr } from '@drop/core';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { goamlSchemaErrors } from '../../../test/support/goaml-validate.ts';
import { verifiedCustomer } from '../../../test/support/money.ts';
import { DEV_DATA_KEY, enrolStaff } from '../../../test/support/staff.ts';
import { alertInCase, openCase } from '../../../test/support/str-cases.ts';
import { describeResult, runDrop } from './run-cli.ts';

const nationalIds = createNationalIdProtector(DEV_DATA_KEY);
const FNR = '01129955131';

describe('drop str list, show and export', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let draftId: string;
  let filedId: string;

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_strs' });
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    await enrolStaff(db.pool, { email: 'officer@drop.no', role: 'compliance_officer' });
    await enrolStaff(db.pool, { email: 'lead@drop.no', role: 'compliance_lead' });
    const staff = async (email: string) => (await db.pool.query('SELECT id FROM staff WHERE email = $1', [email])).rows[0].id as string;
    const officer = await staff('officer@drop.no');
    const lead = await staff('lead@drop.no');
    const { userId } = await verifiedCustomer(db.pool, 1);
    await db.pool.query(`UPDATE users SET birth_date = '1999-12-01', national_id_ciphertext = $2 WHERE id = $1`, [
      userId,
      nationalIds.encrypt(FNR),
    ]);
    const caseId = await openCase(db.pool, { userId, openedBy: officer });
    await alertInCase(db.pool, { caseId, userId, rule: 'structuring' });
    const draft = (grounds: string) => draftStr(db.pool, { caseId, actor: officer, nationalIds, content: { grounds, transactionIds: [] } });
    filedId = (await draft('Eleven cash-like payments just below NOK 10 000.')).id;
    await submitStr(db.pool, { id: filedId, actor: officer, nationalIds });
    await approveStr(db.pool, { id: filedId, actor: lead, nationalIds });
    await fileStr(db.pool, { id: filedId, actor: lead, nationalIds, filingReference: 'AR-77' });
    draftId = (await draft('Still being written.')).id;
  });
  after(async () => {
    await db?.drop();
  });

  it('lists every STR, one status, or JSON', async () => {
    const all = await runDrop(['str', 'list'], env);
    assert.equal(all.code, 0, describeResult(all));
    assert.match(all.stdout, new RegExp(`^${filedId}  DROP-STR-\\d{6}  .* filed `, 'm'));
    assert.match(all.stdout, new RegExp(`^${draftId}  DROP-STR-\\d{6}  .* draft `, 'm'));
    const filed = await runDrop(['str', 'list', '--status', 'filed', '--json'], env);
    assert.equal(filed.code, 0, describeResult(filed));
    assert.deepEqual(
      JSON.parse(filed.stdout).map((row: { id: string; status: string }) => [row.id, row.status]),
      [[filedId, 'filed']],
    );
    const bad = await runDrop(['str', 'list', '--status', 'sent'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--status is one of draft, awaiting_approval, approved, filed, rejected/);
  });

  it('shows one STR as the FIU will read it; an unknown id is NOT_FOUND', async () => {
    const shown = await runDrop(['str', 'show', filedId], env);
    assert.equal(shown.code, 0, describeResult(shown));
    assert.match(shown.stdout, /^Status: +filed$/m);
    assert.match(shown.stdout, /Altinn AR-77/);
    assert.match(shown.stdout, /Eleven cash-like payments/);
    assert.match(shown.stdout, /Indicators: +structuring/);
    assert.match(shown.stdout, new RegExp(`subject +Kari Nordmann, born 1999-12-01, fnr ${FNR}`));
    const missing = await runDrop(['str', 'show', '00000000-0000-4000-8000-000000000000'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /NOT_FOUND: No such STR/);
  });

  it('exports a filed STR as goAML to stdout and as Altinn content to a file; a draft is refused', async () => {
    const goaml = await runDrop(['str', 'export', filedId, '--format', 'goaml'], env);
    assert.equal(goaml.code, 0, describeResult(goaml));
    assert.match(goaml.stdout, /^<\?xml/);
    assert.deepEqual(await goamlSchemaErrors(goaml.stdout), []);
    assert.match(goaml.stdout, /01129955131/, 'the subject’s fødselsnummer, opened for the report');

    const out = path.join(tmpdir(), `drop-str-${process.pid}.json`);
    try {
      const altinn = await runDrop(['str', 'export', filedId, '--format', 'altinn', '--out', out], env);
      assert.equal(altinn.code, 0, describeResult(altinn));
      assert.match(altinn.stderr, /Wrote DROP-STR-\d{6}-altinn-mt0002\.json/);
      assert.match(await readFile(out, 'utf8'), /Eleven cash-like payments/);
    } finally {
      await rm(out, { force: true });
    }

    const mfa = await runDrop(['str', 'export', filedId, '--format', 'mfa'], env);
    assert.equal(mfa.code, 1);
    assert.match(mfa.stderr, /STR_EXPORT_NOT_APPLICABLE/);
    const draft = await runDrop(['str', 'export', draftId, '--format', 'goaml', '--as', 'officer@drop.no'], env);
    assert.equal(draft.code, 1);
    assert.match(draft.stderr, /CONFLICT: Only an approved or filed STR is exported/);
    const format = await runDrop(['str', 'export', filedId, '--format', 'pdf'], env);
    assert.notEqual(format.code, 0);
    assert.match(format.stderr, /--format is one of goaml, altinn, mfa/);
  });
});
