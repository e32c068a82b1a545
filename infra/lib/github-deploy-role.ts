/**
 * The role .github/workflows/deploy-aws.yml assumes through GitHub's OIDC provider: no stored AWS
 * keys. Only jobs of the configured repository running in its "production" environment may assume
 * it, and it may do exactly the workflow's steps: push to drop-web, snapshot drop-db before the
 * deploy, update and deploy the App Runner service, read its logs.
 */
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { names } from './names.ts';
import type { Settings } from './settings.ts';

const githubIssuer = 'token.actions.githubusercontent.com';

export class GithubDeployRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: { settings: Settings; repository: ecr.IRepository; accessRole: iam.IRole }) {
    super(scope, id);
    const { settings } = props;
    const stack = Stack.of(this);

    const providerArn =
      settings.githubOidcProviderArn ??
      new iam.OidcProviderNative(this, 'Provider', { url: `https://${githubIssuer}`, clientIds: ['sts.amazonaws.com'] }).oidcProviderArn;

    const dbArn = stack.formatArn({
      service: 'rds',
      resource: 'db',
      resourceName: names.database,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.role = new iam.Role(this, 'Role', {
      roleName: names.githubDeployRole,
      description: 'deploy-aws.yml (GitHub Actions, environment production)',
      assumedBy: new iam.WebIdentityPrincipal(providerArn, {
        StringEquals: {
          [`${githubIssuer}:aud`]: 'sts.amazonaws.com',
          [`${githubIssuer}:sub`]: `repo:${settings.githubRepository}:environment:production`,
        },
      }),
      inlinePolicies: {
        'deploy-drop': new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ sid: 'EcrLogin', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
            new iam.PolicyStatement({
              sid: 'EcrPush',
              actions: [
                'ecr:BatchCheckLayerAvailability',
                'ecr:BatchGetImage',
                'ecr:CompleteLayerUpload',
                'ecr:DescribeImages',
                'ecr:GetDownloadUrlForLayer',
                'ecr:InitiateLayerUpload',
                'ecr:PutImage',
                'ecr:UploadLayerPart',
              ],
              resources: [props.repository.repositoryArn],
            }),
            new iam.PolicyStatement({
              sid: 'PreDeploySnapshot',
              actions: ['rds:CreateDBSnapshot', 'rds:AddTagsToResource'],
              resources: [dbArn, `arn:${stack.partition}:rds:${stack.region}:${stack.account}:snapshot:${names.database}-pre-deploy-*`],
            }),
            new iam.PolicyStatement({ sid: 'WaitForSnapshot', actions: ['rds:DescribeDBSnapshots'], resources: ['*'] }),
            new iam.PolicyStatement({
              sid: 'Deploy',
              actions: ['apprunner:DescribeService', 'apprunner:ListOperations', 'apprunner:StartDeployment', 'apprunner:UpdateService'],
              // By name: the service's id is App Runner's, and the role must exist before the service is adopted.
              resources: [`arn:${stack.partition}:apprunner:${stack.region}:${stack.account}:service/${names.service}/*`],
            }),
            new iam.PolicyStatement({ sid: 'PassAccessRole', actions: ['iam:PassRole'], resources: [props.accessRole.roleArn] }),
            new iam.PolicyStatement({
              sid: 'ReadDeployLogs',
              actions: ['logs:DescribeLogGroups', 'logs:FilterLogEvents'],
              resources: [`arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/aws/apprunner/${names.service}/*`],
            }),
          ],
        }),
      },
    });
    Validations.of(this.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken and rds:DescribeDBSnapshots support no resource-level permissions (the service authorization reference lists "*" only).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:rds:${stack.region}:${stack.account}:snapshot:${names.database}-pre-deploy-*]`,
        reason:
          'The workflow names each pre-deploy snapshot drop-db-pre-deploy-<timestamp> (runbook 4.1 step 3): only snapshots of that prefix.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apprunner:${stack.region}:${stack.account}:service/${names.service}/*]`,
        reason: 'The service drop-web under whichever id App Runner gave it; the role exists before the service is adopted (README).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${stack.region}:${stack.account}:log-group:/aws/apprunner/${names.service}/*]`,
        reason: "drop-web's own App Runner log groups (service and application logs under /aws/apprunner/drop-web/<id>/).",
      },
    );
  }
}
