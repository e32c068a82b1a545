/**
 * The synthesised CloudFormation of both stacks, asserted against the runbooks: names, the RDS
 * backup window, retention and PITR, enhanced monitoring, the alarms and their thresholds, the
 * eu-north-1 copies (AWS Backup copy action, ECR replication), the ECR lifecycle, secret rotation,
 * the App Runner service and the deploy role. One synth for the whole file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { freeStorageThresholdBytes, latencyThresholdSeconds } from '../lib/alarms.ts';
import { imageLifecyclePolicy } from '../lib/image-lifecycle.ts';
import { appSecretNames } from '../lib/names.ts';
import { exampleApp } from './example-app.ts';

const { stacks, settings } = exampleApp();
const production = Template.fromStack(stacks.production);
const dr = Template.fromStack(stacks.disasterRecovery);

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
function only(template: Template, type: string, props: Record<string, unknown> = {}): [string, Resource] {
  const found = Object.entries(template.findResources(type, props.Properties ? props : { Properties: props })) as [string, Resource][];
  assert.equal(found.length, 1, `expected one ${type} matching ${JSON.stringify(props)}, found ${found.length}`);
  return found[0] as [string, Resource];
}

describe('the stacks', () => {
  it('production in eu-west-1 and the DR stack in eu-north-1, same account, DR deployed first', () => {
    assert.equal(stacks.production.region, 'eu-west-1');
    assert.equal(stacks.disasterRecovery.region, 'eu-north-1');
    assert.equal(stacks.production.account, '324480209768');
    assert.equal(stacks.disasterRecovery.account, '324480209768');
    assert.ok(stacks.production.dependencies.includes(stacks.disasterRecovery));
    assert.equal(stacks.production.terminationProtection, true);
  });
});

describe('drop-db', () => {
  const [logicalId, db] = only(production, 'AWS::RDS::DBInstance');

  it('is RDS PostgreSQL 16 drop-db with database dropapp and master user dropuser', () => {
    assert.equal(logicalId, 'DropDb');
    assert.equal(db.Properties.DBInstanceIdentifier, 'drop-db');
    assert.equal(db.Properties.Engine, 'postgres');
    assert.equal(db.Properties.EngineVersion, '16');
    assert.equal(db.Properties.DBName, 'dropapp');
    assert.equal(db.Properties.MasterUsername, 'dropuser');
    assert.equal(db.Properties.DBInstanceClass, 'db.t4g.micro');
  });

  it('keeps automated backups 7 days in the runbook window 23:24-23:54 UTC, which enables point-in-time recovery', () => {
    assert.equal(db.Properties.BackupRetentionPeriod, 7);
    assert.equal(db.Properties.PreferredBackupWindow, '23:24-23:54');
    // RDS keeps transaction logs for PITR whenever the retention is above 0; deleting the instance keeps them too.
    assert.ok((db.Properties.BackupRetentionPeriod as number) > 0);
    assert.equal(db.Properties.DeleteAutomatedBackups, false);
    assert.equal(db.Properties.CopyTagsToSnapshot, true);
    // The maintenance window does not overlap the backup window.
    assert.equal(db.Properties.PreferredMaintenanceWindow, 'sun:01:00-sun:02:00');
  });

  it('is encrypted, private, deletion-protected and retained when the stack goes', () => {
    assert.equal(db.Properties.StorageEncrypted, true);
    assert.equal(db.Properties.PubliclyAccessible, false);
    assert.equal(db.Properties.DeletionProtection, true);
    assert.equal(db.DeletionPolicy, 'Retain');
    assert.equal(db.UpdateReplacePolicy, 'Retain');
    assert.equal(db.Properties.StorageType, 'gp3');
    assert.equal(db.Properties.AllocatedStorage, '20');
    assert.equal(db.Properties.MaxAllocatedStorage, 100);
  });

  it('has enhanced monitoring every 60 s through its own role, Performance Insights and PostgreSQL logs', () => {
    assert.equal(db.Properties.MonitoringInterval, 60);
    const roleRef = (db.Properties.MonitoringRoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = production.toJSON().Resources[roleRef] as Resource;
    assert.equal(role.Type, 'AWS::IAM::Role');
    assert.equal(role.Properties.RoleName, 'drop-db-monitoring');
    assert.deepEqual(
      (role.Properties.AssumeRolePolicyDocument as { Statement: { Principal: unknown }[] }).Statement.map((s) => s.Principal),
      [{ Service: 'monitoring.rds.amazonaws.com' }],
    );
    assert.match(JSON.stringify(role.Properties.ManagedPolicyArns), /service-role\/AmazonRDSEnhancedMonitoringRole/);
    assert.equal(db.Properties.EnablePerformanceInsights, true);
    assert.deepEqual(db.Properties.EnableCloudwatchLogsExports, ['postgresql']);
  });

  it('takes its master password from drop/production/db-credentials, which a single-user rotation function rotates', () => {
    const [secretId, secret] = only(production, 'AWS::SecretsManager::Secret', { Name: 'drop/production/db-credentials' });
    assert.equal(secret.DeletionPolicy, 'Retain');
    assert.match(JSON.stringify(db.Properties.MasterUserPassword), new RegExp(`${secretId}.*:SecretString:password::`));
    const generate = secret.Properties.GenerateSecretString as { SecretStringTemplate: string; ExcludeCharacters: string };
    assert.deepEqual(JSON.parse(generate.SecretStringTemplate), { username: 'dropuser' });
    // URL-safe: the password goes into DATABASE_URL as it is.
    for (const char of ':/@?#%') assert.ok(generate.ExcludeCharacters.includes(char), `the password may contain ${char}`);
    assert.deepEqual(secret.Properties.ReplicaRegions, [{ Region: 'eu-north-1' }]);

    const [, schedule] = only(production, 'AWS::SecretsManager::RotationSchedule');
    assert.equal(schedule.Properties.RotateImmediatelyOnUpdate, false);
    // On demand by default (settings.dbCredentialsRotationDays = 0): no rotation rules.
    assert.equal(schedule.Properties.RotationRules, undefined);
    const lambdaArn = schedule.Properties.RotationLambdaARN as { 'Fn::GetAtt': [string, string] };
    const application = production.toJSON().Resources[lambdaArn['Fn::GetAtt'][0]] as Resource;
    assert.equal(application.Type, 'AWS::Serverless::Application');
    const mapping = JSON.stringify(production.toJSON().Mappings);
    assert.match(mapping, /SecretsManagerRDSPostgreSQLRotationSingleUser/);
    assert.equal((application.Properties.Parameters as Record<string, unknown>).vpcSubnetIds, settings.privateSubnetIds.join(','));
  });

  it('admits PostgreSQL from the App Runner connector and the rotation function only', () => {
    const [sgId] = only(production, 'AWS::EC2::SecurityGroup', { GroupName: 'drop-db' });
    const ingress = Object.values(production.findResources('AWS::EC2::SecurityGroupIngress')) as Resource[];
    const toDb = ingress.filter((rule) => JSON.stringify(rule.Properties.GroupId).includes(sgId));
    assert.equal(toDb.length, 2);
    const postgresPort = [5432, { 'Fn::GetAtt': ['DropDb', 'Endpoint.Port'] }];
    for (const rule of toDb) {
      assert.ok(postgresPort.some((port) => JSON.stringify(port) === JSON.stringify(rule.Properties.FromPort)));
      assert.deepEqual(rule.Properties.ToPort, rule.Properties.FromPort);
      assert.ok(rule.Properties.SourceSecurityGroupId, 'ingress from a security group, not a CIDR');
    }
    const [, sg] = only(production, 'AWS::EC2::SecurityGroup', { GroupName: 'drop-db' });
    assert.equal((sg.Properties.SecurityGroupIngress as unknown[] | undefined)?.length ?? 0, 0);
  });
});

describe('alarms', () => {
  const topic = only(production, 'AWS::SNS::Topic', { TopicName: 'drop-alerts' });
  const topicRef = { Ref: topic[0] };
  const alarm = (name: string) => only(production, 'AWS::CloudWatch::Alarm', { AlarmName: name })[1].Properties;

  it('free storage below 2 GB (2147483648 bytes) on drop-db', () => {
    const props = alarm('drop-db-free-storage-low');
    assert.equal(freeStorageThresholdBytes, 2147483648);
    assert.equal(props.Threshold, 2147483648);
    assert.equal(props.Namespace, 'AWS/RDS');
    assert.equal(props.MetricName, 'FreeStorageSpace');
    assert.equal(props.ComparisonOperator, 'LessThanThreshold');
    assert.deepEqual(props.Dimensions, [{ Name: 'DBInstanceIdentifier', Value: { Ref: 'DropDb' } }]);
    assert.deepEqual(props.AlarmActions, [topicRef]);
  });

  it('drop-web 5xx responses: 10 or more in 5 minutes', () => {
    const props = alarm('drop-web-5xx');
    assert.equal(props.Namespace, 'AWS/AppRunner');
    assert.equal(props.MetricName, '5xxStatusResponses');
    assert.equal(props.Statistic, 'Sum');
    assert.equal(props.Period, 300);
    assert.equal(props.Threshold, 10);
    assert.equal(props.ComparisonOperator, 'GreaterThanOrEqualToThreshold');
    assert.equal(props.TreatMissingData, 'notBreaching');
    assert.deepEqual(props.Dimensions, [
      { Name: 'ServiceID', Value: { 'Fn::GetAtt': ['DropWebService', 'ServiceId'] } },
      { Name: 'ServiceName', Value: 'drop-web' },
    ]);
    assert.deepEqual(props.AlarmActions, [topicRef]);
  });

  it('drop-db read and write latency above 100 ms', () => {
    assert.equal(latencyThresholdSeconds, 0.1);
    for (const [name, metric] of [
      ['drop-db-read-latency-high', 'ReadLatency'],
      ['drop-db-write-latency-high', 'WriteLatency'],
    ]) {
      const props = alarm(name as string);
      assert.equal(props.Namespace, 'AWS/RDS');
      assert.equal(props.MetricName, metric);
      assert.equal(props.Threshold, 0.1);
      assert.equal(props.ComparisonOperator, 'GreaterThanThreshold');
      assert.deepEqual(props.Dimensions, [{ Name: 'DBInstanceIdentifier', Value: { Ref: 'DropDb' } }]);
      assert.deepEqual(props.AlarmActions, [topicRef]);
      assert.deepEqual(props.OKActions, [topicRef]);
    }
  });

  it('notify drop-alerts, an encrypted topic CloudWatch can publish to, with the e-mail subscription', () => {
    assert.equal(Object.keys(production.findResources('AWS::CloudWatch::Alarm')).length, 4);
    const keyRef = (topic[1].Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const key = production.toJSON().Resources[keyRef] as Resource;
    assert.equal(key.Properties.EnableKeyRotation, true);
    assert.match(JSON.stringify(key.Properties.KeyPolicy), /cloudwatch\.amazonaws\.com/);
    production.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.no', TopicArn: topicRef });
  });
});

describe('eu-north-1 for DR scenario 4', () => {
  it('AWS Backup snapshots drop-db daily and copies it to the drop-dr vault in eu-north-1, both kept 7 days', () => {
    const [, plan] = only(production, 'AWS::Backup::BackupPlan');
    const rules = (plan.Properties.BackupPlan as { BackupPlanRule: Record<string, unknown>[] }).BackupPlanRule;
    assert.equal(rules.length, 1);
    const rule = rules[0] as Record<string, unknown>;
    assert.equal(rule.ScheduleExpression, 'cron(0 3 * * ? *)');
    assert.deepEqual(rule.Lifecycle, { DeleteAfterDays: 7 });
    assert.deepEqual(rule.CopyActions, [
      {
        DestinationBackupVaultArn: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':backup:eu-north-1:324480209768:backup-vault:drop-dr']],
        },
        Lifecycle: { DeleteAfterDays: 7 },
      },
    ]);
    const [, selection] = only(production, 'AWS::Backup::BackupSelection');
    assert.match(JSON.stringify(selection.Properties.BackupSelection), /:rds:eu-west-1:324480209768:db:".*DropDb|DropDb/);
    // The vault it copies to is the DR stack's.
    const [, vault] = only(dr, 'AWS::Backup::BackupVault');
    assert.equal(vault.Properties.BackupVaultName, 'drop-dr');
    assert.equal(vault.DeletionPolicy, 'Retain');
    assert.ok(vault.Properties.EncryptionKeyArn, 'the DR vault has its own KMS key');
  });

  it('ECR replicates drop-web to eu-north-1, where the replica gets the same lifecycle and immutable tags', () => {
    const [, replication] = only(production, 'AWS::ECR::ReplicationConfiguration');
    assert.deepEqual(replication.Properties.ReplicationConfiguration, {
      Rules: [
        {
          Destinations: [{ Region: 'eu-north-1', RegistryId: '324480209768' }],
          RepositoryFilters: [{ Filter: 'drop-web', FilterType: 'PREFIX_MATCH' }],
        },
      ],
    });
    const [, template] = only(dr, 'AWS::ECR::RepositoryCreationTemplate');
    assert.equal(template.Properties.Prefix, 'drop-web');
    assert.deepEqual(template.Properties.AppliedFor, ['REPLICATION']);
    assert.equal(template.Properties.ImageTagMutability, 'IMMUTABLE');
    assert.deepEqual(JSON.parse(template.Properties.LifecyclePolicy as string), imageLifecyclePolicy);
  });

  it('every secret, the database password included, is replicated to eu-north-1', () => {
    const secrets = Object.values(production.findResources('AWS::SecretsManager::Secret')) as Resource[];
    assert.equal(secrets.length, Object.keys(appSecretNames).length + 1);
    for (const secret of secrets)
      assert.deepEqual(secret.Properties.ReplicaRegions, [{ Region: 'eu-north-1' }], String(secret.Properties.Name));
  });
});

describe('drop-web', () => {
  it('ECR repository drop-web: immutable tags, scan on push, the lifecycle (untagged after 7 days, keep 100)', () => {
    const [logicalId, repository] = only(production, 'AWS::ECR::Repository');
    assert.equal(logicalId, 'DropWebRepository');
    assert.equal(repository.Properties.RepositoryName, 'drop-web');
    assert.equal(repository.Properties.ImageTagMutability, 'IMMUTABLE');
    assert.deepEqual(repository.Properties.ImageScanningConfiguration, { ScanOnPush: true });
    assert.equal(repository.DeletionPolicy, 'Retain');
    const policy = JSON.parse((repository.Properties.LifecyclePolicy as { LifecyclePolicyText: string }).LifecyclePolicyText);
    assert.deepEqual(
      policy.rules.map((rule: { selection: unknown }) => rule.selection),
      [
        { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
        { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 },
      ],
    );
  });

  it('App Runner service drop-web: the ECR image, health check on /api/health, VPC egress, retained', () => {
    const [logicalId, service] = only(production, 'AWS::AppRunner::Service');
    assert.equal(logicalId, 'DropWebService');
    assert.equal(service.DeletionPolicy, 'Retain');
    production.hasResourceProperties('AWS::AppRunner::Service', {
      ServiceName: 'drop-web',
      HealthCheckConfiguration: {
        Protocol: 'HTTP',
        Path: '/api/health',
        Interval: 10,
        Timeout: 5,
        HealthyThreshold: 1,
        UnhealthyThreshold: 3,
      },
      SourceConfiguration: {
        AutoDeploymentsEnabled: false,
        ImageRepository: {
          ImageRepositoryType: 'ECR',
          ImageIdentifier: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([`:${settings.imageTag}`])]) }),
          ImageConfiguration: Match.objectLike({ Port: '3000' }),
        },
      },
      NetworkConfiguration: { EgressConfiguration: { EgressType: 'VPC' }, IngressConfiguration: { IsPubliclyAccessible: true } },
    });
  });

  it('passes every Drop secret from Secrets Manager (DATABASE_URL and JWT_SECRET included) and production settings in plain variables', () => {
    const [, service] = only(production, 'AWS::AppRunner::Service');
    const image = (
      service.Properties.SourceConfiguration as {
        ImageRepository: { ImageConfiguration: Record<string, { Name: string; Value: unknown }[]> };
      }
    ).ImageRepository.ImageConfiguration;
    const secrets = new Map((image.RuntimeEnvironmentSecrets ?? []).map((entry) => [entry.Name, entry.Value]));
    assert.deepEqual([...secrets.keys()].sort(), Object.keys(appSecretNames).sort());
    const byName = Object.fromEntries(
      (Object.entries(production.findResources('AWS::SecretsManager::Secret')) as [string, Resource][]).map(([id, r]) => [
        r.Properties.Name,
        id,
      ]),
    );
    assert.deepEqual(secrets.get('DATABASE_URL'), { Ref: byName['drop/production/database-url'] });
    assert.deepEqual(secrets.get('JWT_SECRET'), { Ref: byName['drop/production/jwt-secret'] });
    const variables = Object.fromEntries((image.RuntimeEnvironmentVariables ?? []).map((entry) => [entry.Name, entry.Value]));
    assert.equal(variables.NODE_ENV, 'production');
    assert.equal(variables.PUBLIC_URL, 'https://9ef3szvvsb.eu-west-1.awsapprunner.com');
    assert.equal(variables.PORT, '3000');
    for (const secretName of Object.keys(appSecretNames)) assert.ok(!(secretName in variables), `${secretName} in plain text`);
    // Created empty for operators to fill, except JWT_SECRET, generated.
    const [, jwt] = only(production, 'AWS::SecretsManager::Secret', { Name: 'drop/production/jwt-secret' });
    assert.deepEqual(jwt.Properties.GenerateSecretString, { ExcludePunctuation: true, PasswordLength: 64 });
    const [, url] = only(production, 'AWS::SecretsManager::Secret', { Name: 'drop/production/database-url' });
    assert.equal(url.Properties.GenerateSecretString, undefined);
    assert.equal(url.Properties.SecretString, undefined);
  });

  it('the instance role reads exactly those secrets', () => {
    const policies = Object.values(production.findResources('AWS::IAM::Policy')) as Resource[];
    const instancePolicy = policies.find((policy) => JSON.stringify(policy.Properties.Roles).includes('WebFoundationInstanceRole'));
    assert.ok(instancePolicy);
    const statements = (instancePolicy.Properties.PolicyDocument as { Statement: { Action: string[]; Resource: unknown }[] }).Statement;
    assert.ok(statements.every((statement) => statement.Action.every((action) => action.startsWith('secretsmanager:'))));
    assert.equal(statements.length, Object.keys(appSecretNames).length);
  });
});

describe('audit checkpoints', () => {
  it('a bucket with Object Lock in compliance mode for five years, which Drop may write and read but not delete from', () => {
    const [, bucket] = only(production, 'AWS::S3::Bucket');
    assert.equal(bucket.Properties.ObjectLockEnabled, true);
    assert.deepEqual(bucket.Properties.ObjectLockConfiguration, {
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1825 } },
    });
    const policies = Object.values(production.findResources('AWS::IAM::Policy')) as Resource[];
    const writer = policies.find((policy) => JSON.stringify(policy.Properties.PolicyDocument).includes('s3:PutObjectRetention'));
    assert.ok(writer && JSON.stringify(writer.Properties.Roles).includes('WebFoundationInstanceRole'));
    const actions = (writer.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap((statement) =>
      [statement.Action].flat(),
    );
    assert.deepEqual(actions.sort(), ['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:PutObjectRetention']);
  });
});

describe('GitHub deploy role', () => {
  it('drop-github-deploy trusts only the repository production environment through GitHub OIDC', () => {
    const [, provider] = only(production, 'AWS::IAM::OIDCProvider');
    assert.equal(provider.Properties.Url, 'https://token.actions.githubusercontent.com');
    assert.deepEqual(provider.Properties.ClientIdList, ['sts.amazonaws.com']);
    const [, role] = only(production, 'AWS::IAM::Role', { RoleName: 'drop-github-deploy' });
    const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    assert.equal(trust.length, 1);
    assert.equal(trust[0]?.Action, 'sts:AssumeRoleWithWebIdentity');
    assert.deepEqual(trust[0]?.Condition, {
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': 'repo:example-owner/drop:environment:production',
      },
    });
    const policy = JSON.stringify(role.Properties.Policies);
    for (const action of ['ecr:PutImage', 'rds:CreateDBSnapshot', 'apprunner:StartDeployment', 'apprunner:UpdateService', 'iam:PassRole'])
      assert.ok(policy.includes(action), action);
    assert.match(policy, /snapshot:drop-db-pre-deploy-\*/);
  });
});

describe('outputs and adoption of the running production', () => {
  it('outputs what deploy-aws.yml and the operators need', () => {
    const outputs = Object.keys(production.toJSON().Outputs);
    for (const name of [
      'ServiceArn',
      'ServiceUrl',
      'EcrRepositoryUri',
      'DbEndpoint',
      'DbCredentialsSecretArn',
      'DbMonitoringRoleArn',
      'GithubDeployRoleArn',
      'AlarmTopicArn',
      'SecretArns',
    ])
      assert.ok(outputs.includes(name), name);
    assert.deepEqual(Object.keys(dr.toJSON().Outputs).sort(), ['BackupVaultArn', 'KeyArn']);
  });

  it('import/drop-web-service.json maps the retained App Runner service to the runbooks ARN', () => {
    const mapping = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../import/drop-web-service.json'), 'utf8'));
    const resources = production.toJSON().Resources as Record<string, Resource>;
    for (const [logicalId, identifier] of Object.entries(mapping)) {
      assert.equal(resources[logicalId]?.Type, 'AWS::AppRunner::Service', logicalId);
      assert.equal(resources[logicalId]?.DeletionPolicy, 'Retain');
      assert.deepEqual(identifier, {
        ServiceArn: 'arn:aws:apprunner:eu-west-1:324480209768:service/drop-web/8e45b0d335304487a1880f4e32d6aeec',
      });
    }
    // --import-existing-resources adopts these two by their names; CloudFormation requires a DeletionPolicy.
    assert.equal(resources.DropWebRepository?.Properties.RepositoryName, 'drop-web');
    assert.equal(resources.DropDb?.Properties.DBInstanceIdentifier, 'drop-db');
    for (const logicalId of ['DropWebRepository', 'DropDb', 'DropWebService'])
      assert.equal(resources[logicalId]?.DeletionPolicy, 'Retain', logicalId);
  });
});
