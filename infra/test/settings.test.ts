/**
 * Settings validation and the CDK app's entry point as `npm run synth` and the CDK CLI run it:
 * a bad settings file stops it with every problem named (exit 2, nothing written); context
 * overrides reach the stacks (drop:includeService=false leaves the App Runner service out for the
 * first, adopting deploy).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseSettings, SettingsError } from '../lib/settings.ts';
import { exampleSettingsFile } from './example-app.ts';

const run = promisify(execFile);
const infraDir = path.resolve(import.meta.dirname, '..');
const example = JSON.parse(readFileSync(exampleSettingsFile, 'utf8')) as Record<string, unknown>;
const scratch = mkdtempSync(path.join(tmpdir(), 'drop-infra-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function problemsOf(input: unknown): string[] {
  try {
    parseSettings(input);
  } catch (error) {
    assert.ok(error instanceof SettingsError);
    return error.problems;
  }
  assert.fail('the settings were accepted');
}

describe('settings', () => {
  it('the example file is valid and gets the runbook defaults', () => {
    const settings = parseSettings(example);
    assert.equal(settings.region, 'eu-west-1');
    assert.equal(settings.drRegion, 'eu-north-1');
    assert.equal(settings.dbInstanceClass, 'db.t4g.micro');
    assert.equal(settings.dbSubnetGroupName, 'default');
    assert.equal(settings.dbCredentialsRotationDays, 0);
    assert.equal(settings.includeService, true);
  });

  it('names every problem at once', () => {
    const problems = problemsOf({
      ...example,
      account: '3244',
      publicUrl: 'http://drop.example',
      privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1'],
      fiuReportingEntityId: '1000',
      existingSecretArns: { NOT_A_DROP_SETTING: 'arn:aws:secretsmanager:eu-west-1:324480209768:secret:x-AbCdEf' },
      surprise: true,
    });
    const text = problems.join('\n');
    for (const field of ['account', 'publicUrl', 'privateSubnetIds', 'fiuReportingEntityId', 'surprise'])
      assert.match(text, new RegExp(field), `${field} not named in:\n${text}`);
  });

  it('refuses a DR region equal to production region, and zones that do not pair with the subnets', () => {
    assert.match(problemsOf({ ...example, drRegion: 'eu-west-1' }).join('\n'), /drRegion must differ/);
    assert.match(problemsOf({ ...example, availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] }).join('\n'), /pair up/);
    assert.match(
      problemsOf({
        ...example,
        existingSecretArns: { NOT_A_DROP_SETTING: 'arn:aws:secretsmanager:eu-west-1:324480209768:secret:x-AbCdEf' },
      }).join('\n'),
      /existingSecretArns/,
    );
  });
});

describe('bin/drop-infra.ts', () => {
  it('exits 2 naming the problems of a bad settings file, writing no assembly', async () => {
    const file = path.join(scratch, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...example, vpcId: 'my-vpc', imageTag: '' }));
    const outdir = path.join(scratch, 'bad-out');
    const result = await run(process.execPath, ['bin/drop-infra.ts', file], {
      cwd: infraDir,
      env: { ...process.env, CDK_OUTDIR: outdir },
    }).then(
      () => assert.fail('the app accepted bad settings'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /vpcId/);
    assert.match(result.stderr, /imageTag/);
    assert.ok(!existsSync(path.join(outdir, 'DropProduction.template.json')));
  });

  it('synthesises both stacks offline; drop:includeService=false leaves the App Runner service and its alarm out', async () => {
    const outdir = path.join(scratch, 'out');
    // With a bastion's security group on drop-db: attached, but this stack gives it no rules.
    const bastion = 'sg-0123456789abcdef0';
    const file = path.join(scratch, 'with-bastion.json');
    writeFileSync(file, JSON.stringify({ ...example, dbExtraSecurityGroupIds: [bastion] }));
    await run(process.execPath, ['bin/drop-infra.ts', file], {
      cwd: infraDir,
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ 'drop:includeService': false, 'drop:imageTag': 'abc1234' }),
      },
    });
    const template = JSON.parse(readFileSync(path.join(outdir, 'DropProduction.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: unknown }>;
      Outputs: Record<string, unknown>;
    };
    const types = Object.values(template.Resources).map((resource) => resource.Type);
    assert.ok(!types.includes('AWS::AppRunner::Service'));
    assert.ok(!('ServiceArn' in template.Outputs));
    assert.equal(types.filter((type) => type === 'AWS::CloudWatch::Alarm').length, 3);
    // What --import-existing-resources adopts by name, and what the service will need, is there.
    assert.equal(template.Resources.DropDb?.Type, 'AWS::RDS::DBInstance');
    assert.equal(template.Resources.DropWebRepository?.Type, 'AWS::ECR::Repository');
    assert.ok(types.includes('AWS::AppRunner::VpcConnector') && types.includes('AWS::AppRunner::AutoScalingConfiguration'));
    assert.ok(readdirSync(outdir).includes('DropDisasterRecovery.template.json'));
    assert.ok(JSON.stringify(template.Resources.DropDb).includes(bastion));
    const rules = Object.values(template.Resources).filter((resource) => resource.Type.startsWith('AWS::EC2::SecurityGroup'));
    assert.ok(!JSON.stringify(rules).includes(bastion), 'the stack added a rule to the bastion security group');
  });
});
