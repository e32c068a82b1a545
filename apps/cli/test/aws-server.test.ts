/**
 * The server mounts the AWS stand-in at /aws-sim outside production (AWS_SIMULATOR_ENABLED, on by
 * default), so `drop aws …` works against a running development Drop with
 * AWS_ENDPOINT_URL=<PUBLIC_URL>/aws-sim, through the server's own hooks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DropOnPort, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { awsStandInEnv, describeResult, runDrop } from './run-cli.ts';

describe('drop aws against the server’s /aws-sim', () => {
  let running: DropOnPort | undefined;

  before(async () => {
    running = await startDropOnFreePort();
  });
  after(async () => {
    if (running) await stopDropOnFreePort(running);
  });

  it('reads the RDS instance and the App Runner service from the stand-in the server mounts', async () => {
    assert.ok(running);
    const env = {
      DATABASE_URL: running.db.url,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      ...awsStandInEnv(`${running.base}/aws-sim`),
    };
    const instance = await runDrop(['aws', 'db', 'status'], env);
    assert.equal(instance.code, 0, describeResult(instance));
    assert.match(instance.stdout, /^drop-db: available$/m);
    const service = await runDrop(['aws', 'service', 'status'], env);
    assert.equal(service.code, 0, describeResult(service));
    assert.match(service.stdout, /^drop-web: RUNNING$/m);
  });
});
