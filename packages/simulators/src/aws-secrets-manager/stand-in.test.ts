/** The Secrets Manager stand-in speaks AWS JSON 1.1 to the real SDK client and refuses what AWS refuses. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type RunningSecretsManagerStandIn, startSecretsManagerStandIn } from './index.ts';

describe('Secrets Manager stand-in', () => {
  let standIn: RunningSecretsManagerStandIn;
  let client: SecretsManagerClient;
  before(async () => {
    standIn = await startSecretsManagerStandIn();
    client = new SecretsManagerClient({
      region: 'eu-west-1',
      endpoint: standIn.url,
      credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'stand-in-secret' },
    });
  });
  after(async () => {
    client?.destroy();
    await standIn?.close();
  });

  it('GetSecretValue and PutSecretValue by name or ARN: a put becomes AWSCURRENT, the one before AWSPREVIOUS', async () => {
    const arn = standIn.putSecret('drop/test', '{"username":"a","password":"1"}');
    const first = await client.send(new GetSecretValueCommand({ SecretId: 'drop/test' }));
    assert.equal(first.SecretString, '{"username":"a","password":"1"}');
    assert.equal(first.ARN, arn);
    assert.deepEqual(first.VersionStages, ['AWSCURRENT']);
    assert.ok(first.CreatedDate instanceof Date);
    const put = await client.send(new PutSecretValueCommand({ SecretId: arn, SecretString: '{"username":"b","password":"2"}' }));
    assert.deepEqual(put.VersionStages, ['AWSCURRENT']);
    assert.equal((await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString, '{"username":"b","password":"2"}');
    const previous = await client.send(new GetSecretValueCommand({ SecretId: 'drop/test', VersionStage: 'AWSPREVIOUS' }));
    assert.equal(previous.SecretString, '{"username":"a","password":"1"}');
  });

  it('answers a missing secret with ResourceNotFoundException, as the SDK reads it', async () => {
    await assert.rejects(client.send(new GetSecretValueCommand({ SecretId: 'nothing' })), { name: 'ResourceNotFoundException' });
  });

  it('refuses an unsigned request (and counts only the answered calls)', async () => {
    const unsigned = await fetch(standIn.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: 'drop/test' }),
    });
    assert.equal(unsigned.status, 400);
    assert.equal(((await unsigned.json()) as { __type: string }).__type, 'MissingAuthenticationTokenException');
    assert.equal(standIn.calls.get('GetSecretValue'), 3);
  });
});
