/**
 * The AWS stand-in at the wire: a request without a well-formed SigV4 Authorization is refused in
 * each protocol's own error form, the RDS Query answers are XML in the documented shape, the JSON
 * services answer by X-Amz-Target, and production refuses the stand-in (loadConfig, and
 * startAwsStandIn). The clients' behaviour against it is tested through `drop aws` (apps/cli).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '@drop/config';
import { type AwsCall, AwsOperationError, createAwsClients, setMasterUserPassword, waitForInstanceAvailable } from '@drop/integrations/aws';
import { PRODUCTION_ENV } from '../../../../test/support/production-env.ts';
import { type RunningAwsStandIn, startAwsStandIn } from './index.ts';

const AMZ_DATE = '20261206T120000Z';
const signed = (service: string, region = 'eu-west-1') => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDSTANDINTEST00000/20261206/${region}/${service}/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${'a'.repeat(64)}`,
  'x-amz-date': AMZ_DATE,
});

describe('AWS stand-in', () => {
  let standIn: RunningAwsStandIn;

  before(async () => {
    standIn = await startAwsStandIn({ production: false, settleReads: 2 });
  });
  after(async () => {
    await standIn.close();
  });

  const rds = (body: string, headers: Record<string, string>) =>
    fetch(standIn.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });

  it('refuses an RDS request without a signature, or with a malformed one, as RDS does (403, ErrorResponse XML), and runs nothing', async () => {
    const unsigned = await rds('Action=CreateDBSnapshot&Version=2014-10-31&DBInstanceIdentifier=drop-db&DBSnapshotIdentifier=x', {});
    assert.equal(unsigned.status, 403);
    assert.match(
      await unsigned.text(),
      /<ErrorResponse xmlns="http:\/\/rds\.amazonaws\.com\/doc\/2014-10-31\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code>/,
    );
    const malformed = await rds('Action=DescribeDBInstances&Version=2014-10-31', { authorization: 'Bearer nope', 'x-amz-date': AMZ_DATE });
    assert.equal(malformed.status, 403);
    assert.match(await malformed.text(), /<Code>IncompleteSignature<\/Code>/);
    const noDate = await rds('Action=DescribeDBInstances&Version=2014-10-31', { authorization: signed('rds').authorization });
    assert.equal(noDate.status, 403);
    assert.deepEqual(standIn.state.calls, []);
    assert.equal(standIn.state.snapshot('eu-west-1', 'x'), undefined);
  });

  it('answers a signed DescribeDBInstances in the documented XML, and an unknown instance with DBInstanceNotFound (404)', async () => {
    const answer = await rds('Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=drop-db', signed('rds'));
    assert.equal(answer.status, 200);
    const xml = await answer.text();
    assert.match(
      xml,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<DescribeDBInstancesResponse xmlns="http:\/\/rds\.amazonaws\.com\/doc\/2014-10-31\/"><DescribeDBInstancesResult><DBInstances><DBInstance><DBInstanceIdentifier>drop-db<\/DBInstanceIdentifier>/,
    );
    assert.match(xml, /<DBInstanceStatus>available<\/DBInstanceStatus>/);
    assert.match(xml, /<Endpoint><Address>drop-db\.czu2qe4quy4v\.eu-west-1\.rds\.amazonaws\.com<\/Address><Port>5432<\/Port>/);
    assert.match(
      xml,
      /<\/DescribeDBInstancesResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DescribeDBInstancesResponse>$/,
    );
    const missing = await rds('Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=nope', signed('rds'));
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<Code>DBInstanceNotFound<\/Code><Message>DBInstance nope not found\.<\/Message>/);
  });

  it('tells App Runner (JSON 1.0) and ECR (JSON 1.1) apart by X-Amz-Target, with their error shapes', async () => {
    const json = (target: string, version: string, service: string, body: unknown) =>
      fetch(standIn.url, {
        method: 'POST',
        headers: { 'content-type': `application/x-amz-json-${version}`, 'x-amz-target': target, ...signed(service) },
        body: JSON.stringify(body),
      });
    const described = await json('AppRunner.DescribeService', '1.0', 'apprunner', {
      ServiceArn: 'arn:aws:apprunner:eu-west-1:324480209768:service/drop-web/8e45b0d335304487a1880f4e32d6aeec',
    });
    assert.equal(described.status, 200);
    const service = ((await described.json()) as { Service: { Status: string; CreatedAt: unknown } }).Service;
    assert.equal(service.Status, 'RUNNING');
    assert.equal(typeof service.CreatedAt, 'number');

    const missing = await json('AppRunner.DescribeService', '1.0', 'apprunner', {
      ServiceArn: 'arn:aws:apprunner:eu-west-1:324480209768:service/x/0',
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    assert.equal(((await missing.json()) as { __type: string }).__type, 'ResourceNotFoundException');

    const images = await json('AmazonEC2ContainerRegistry_V20150921.DescribeImages', '1.1', 'ecr', {
      repositoryName: 'drop-web',
      maxResults: 2,
    });
    const page = (await images.json()) as { imageDetails: Array<{ imageTags: string[]; imagePushedAt: number }>; nextToken?: string };
    assert.equal(page.imageDetails.length, 2);
    assert.equal(page.nextToken, '2');
    const noRepository = await json('AmazonEC2ContainerRegistry_V20150921.DescribeImages', '1.1', 'ecr', { repositoryName: 'nope' });
    assert.equal(((await noRepository.json()) as { __type: string; message: string }).__type, 'RepositoryNotFoundException');

    const wrongScope = await json('AppRunner.DescribeService', '1.0', 'rds', { ServiceArn: 'x' });
    assert.equal(wrongScope.status, 403);
    const unsigned = await fetch(standIn.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AppRunner.StartDeployment' },
      body: '{}',
    });
    assert.equal(unsigned.status, 403);
    assert.equal(((await unsigned.json()) as { __type: string }).__type, 'MissingAuthenticationTokenException');
  });

  it('setMasterUserPassword (runbook 5.2) goes through the SDK to ModifyDBInstance, and the password is never told to onCall', async () => {
    const told: AwsCall[] = [];
    const config = loadConfig({ NODE_ENV: 'test', AWS_ENDPOINT_URL: standIn.url, AWS_WAIT_INTERVAL_SECONDS: '0.05' });
    const aws = createAwsClients(config.aws, {
      onCall: (call) => told.push(call),
      credentials: { accessKeyId: 'AKIDSTANDINTEST00000', secretAccessKey: 'stand-in-test-secret-key' },
    });
    try {
      await assert.rejects(setMasterUserPassword(aws, { password: 'short' }), AwsOperationError);
      assert.equal(told.length, 0);
      const password = 'N3w-Str0ng-Passw0rd-For-Rds';
      const view = await setMasterUserPassword(aws, { password });
      assert.equal(view.status, 'resetting-master-credentials');
      assert.ok(standIn.state.instance('eu-west-1', 'drop-db')?.masterPasswordChangedAt);
      assert.deepEqual(told[0]?.input, { DBInstanceIdentifier: 'drop-db', MasterUserPassword: '****', ApplyImmediately: true });
      assert.doesNotMatch(JSON.stringify(told), new RegExp(password));
      const available = await waitForInstanceAvailable(aws, 'drop-db', { ...config.aws.wait });
      assert.equal(available.status, 'available');
    } finally {
      aws.destroy();
    }
  });

  it('never runs in production: loadConfig refuses AWS_SIMULATOR_ENABLED, and startAwsStandIn refuses to start', async () => {
    assert.throws(
      () => loadConfig({ ...PRODUCTION_ENV, AWS_SIMULATOR_ENABLED: 'true' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.includes('AWS_SIMULATOR_ENABLED must be false in production (simulators never run in production)'),
    );
    assert.equal(loadConfig({ ...PRODUCTION_ENV }).simulators.awsSimulator, false);
    await assert.rejects(startAwsStandIn({ production: true }), /never runs in production/);
  });
});
