/**
 * CloudFormation's offline template validation and cdk-nag's AWS Solutions rules over both stacks, as `npm run synth` and `cdk deploy` run them
 * (addPolicyChecks): no finding may be left unacknowledged, every acknowledgement names one rule
 * and gives its reason, and the list of acknowledged rules is this file's to review. A control
 * stack with a known violation shows the checks do run. One synth of Drop's app for the file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import { addPolicyChecks, strictTemplateValidation } from '../lib/app.ts';
import { exampleApp } from './example-app.ts';

interface Violation {
  ruleName: string;
  severity: string;
  violatingConstructs?: { constructPath?: string }[];
  violatingResources?: { constructPath?: string }[];
}
interface Report {
  pluginReports: { pluginName: string; conclusion: string; violations: Violation[] }[];
}

/** As the entry point validates, but report findings instead of throwing at the first synth that has some. */
const reportOnly = { ...strictTemplateValidation, '@aws-cdk/core:failSynthOnValidationErrors': false };

/** Synthesises with the checks and returns the validation report. */
function synthWithChecks(app: App): Report {
  addPolicyChecks(app);
  const assembly = app.synth();
  return JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as Report;
}

/** Every acknowledgement in the tree: metadata entries of { "<namespace>::<rule id>": reason }. */
function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id: id.replace(/^Annotation::/, ''), reason })),
  );
}

const drop = exampleApp({}, reportOnly);
const report = synthWithChecks(drop.app);

describe('cdk-nag AWS Solutions checks', () => {
  it('run on the control stack and fail its unencrypted, plain-HTTP topic', () => {
    const app = new App({ context: reportOnly });
    new sns.Topic(new Stack(app, 'Control', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Topic');
    const control = synthWithChecks(app);
    const nag = control.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
    assert.ok(nag, 'no AwsSolutions report');
    assert.equal(nag.conclusion, 'failure');
    assert.ok(nag.violations.some((violation) => violation.ruleName === 'AwsSolutions-SNS3'));
  });

  it('leave no unacknowledged finding (error or warning) in either stack, CloudFormation template validation included', () => {
    const open = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((violation) => {
        const where = [...(violation.violatingConstructs ?? []), ...(violation.violatingResources ?? [])].map((c) => c.constructPath);
        return `${plugin.pluginName} ${violation.severity} ${violation.ruleName} at ${where.join(', ')}`;
      }),
    );
    assert.deepEqual(open, []);
    for (const plugin of report.pluginReports) assert.equal(plugin.conclusion, 'success', plugin.pluginName);
    // cdk-nag leaves no report when nothing is open (the control stack shows it runs); CloudFormation's validator always reports.
    assert.ok(report.pluginReports.some((plugin) => plugin.pluginName === 'CloudFormation Validate'));
    // The stacks were checked: both templates exist in the same assembly.
    assert.ok(drop.stacks.production.templateFile && drop.stacks.disasterRecovery.templateFile);
  });

  it('acknowledge only these findings, each where it arises and with a specific reason', () => {
    const found = acknowledgements(drop.app);
    for (const { path: where, id, reason } of found) {
      assert.match(
        id,
        /^(AwsSolutions-[A-Z]+\d+(\[.+\])?|CloudFormation-Validate::W\d+|@aws-cdk\/aws-ec2:noSubnetRouteTableId)$/,
        `${where}: ${id}`,
      );
      assert.ok(reason.length >= 60, `${where}: ${id}: the reason is too short to say why`);
      assert.ok(!/^(n\/a|todo|ok|suppressed)/i.test(reason), `${where}: ${id}: ${reason}`);
      assert.ok(
        where.startsWith('DropProduction/') || where.startsWith('DropDisasterRecovery/'),
        `${where}: acknowledged on a whole stack or app`,
      );
    }
    const summary = [
      ...new Set(found.map(({ path: where, id }) => `${where.split('/').slice(0, 2).join('/')} ${id.replace(/:\d{12}:/g, ':<account>:')}`)),
    ].sort();
    assert.deepEqual(summary, [
      'DropProduction/AuditCheckpoints AwsSolutions-IAM5[Resource::<AuditCheckpointsBucket85DA5355.Arn>/audit-checkpoints/*]',
      'DropProduction/AuditCheckpoints AwsSolutions-S1',
      'DropProduction/CrossRegionBackup AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'DropProduction/Database AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      'DropProduction/Database AwsSolutions-RDS11',
      'DropProduction/Database AwsSolutions-RDS3',
      'DropProduction/Database AwsSolutions-SMG4',
      'DropProduction/GithubDeploy AwsSolutions-IAM5[Resource::*]',
      'DropProduction/GithubDeploy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apprunner:eu-west-1:<account>:service/drop-web/*]',
      'DropProduction/GithubDeploy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:eu-west-1:<account>:log-group:/aws/apprunner/drop-web/*]',
      'DropProduction/GithubDeploy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:rds:eu-west-1:<account>:snapshot:drop-db-pre-deploy-*]',
      'DropProduction/PrivateSubnet0 @aws-cdk/aws-ec2:noSubnetRouteTableId',
      'DropProduction/PrivateSubnet1 @aws-cdk/aws-ec2:noSubnetRouteTableId',
      'DropProduction/Secrets AwsSolutions-SMG4',
      'DropProduction/Vpc @aws-cdk/aws-ec2:noSubnetRouteTableId',
      'DropProduction/Web CloudFormation-Validate::W3697',
      'DropProduction/WebFoundation AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSAppRunnerServicePolicyForECRAccess]',
      'DropProduction/WebFoundation CloudFormation-Validate::W3697',
    ]);
  });
});
