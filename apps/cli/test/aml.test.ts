/** `drop aml rules` lists the rules; `drop aml rules set` changes one (a new version, audited) or refuses bad input. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { runDrop } from './run-cli.ts';

describe('drop aml rules', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_aml' });
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  });
  after(async () => {
    await db?.drop();
  });

  it('lists every rule with its version, state, severity, action and parameters', async () => {
    const result = await runDrop(['aml', 'rules'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^large_transfer\s+v1\s+on\s+high\s+alert\s+\{"minNok":50000\}$/m);
    assert.match(result.stdout, /^sanctions_match\s+v1\s+on\s+critical\s+hold/m);
    const json = await runDrop(['aml', 'rules', '--json'], env);
    assert.equal(JSON.parse(json.stdout).length, 19);
  });

  it('changes a rule as a new version with the reason in the audit log', async () => {
    const result = await runDrop(
      ['aml', 'rules', 'set', 'velocity_daily', '--param', 'maxCount=8', '--severity', 'high', '--reason', 'fewer false positives'],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /velocity_daily is now version 2: on, high, alert, \{"hours":24,"maxCount":8\}/);
    const { rows } = await db.pool.query(
      `SELECT actor, details FROM audit_log WHERE action = 'aml_rule_changed' AND resource_id = 'velocity_daily'`,
    );
    assert.equal(rows.length, 1);
    assert.match(rows[0].actor, /^cli:/);
    assert.equal(rows[0].details.reason, 'fewer false positives');
    const disabled = await runDrop(['aml', 'rules', 'set', 'velocity_daily', '--disable', '--reason', 'pilot'], env);
    assert.match(disabled.stdout, /version 3: off/);
  });

  it('refuses a parameter the rule does not have, changing nothing', async () => {
    const result = await runDrop(['aml', 'rules', 'set', 'large_transfer', '--param', 'minNk=1', '--reason', 'typo'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /VALIDATION_FAILED/);
    const { rows } = await db.pool.query(`SELECT version FROM aml_rules WHERE code = 'large_transfer'`);
    assert.equal(rows[0].version, 1);
  });
});
