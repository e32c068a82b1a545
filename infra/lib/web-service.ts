/**
 * The App Runner service drop-web: the image from ECR, configuration in plain variables, secrets
 * from Secrets Manager, egress through a VPC connector to reach drop-db. App Runner has no L2
 * construct in aws-cdk-lib, so these are the CloudFormation resources themselves.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apprunner from 'aws-cdk-lib/aws-apprunner';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import { names } from './names.ts';
import type { Settings } from './settings.ts';

/** GET /api/health: 200 when the database answers, 503 when not (SPEC). */
export const healthCheckPath = '/api/health';

export interface WebServiceProps {
  settings: Settings;
  vpc: ec2.IVpc;
  privateSubnets: ec2.ISubnet[];
  repository: ecr.IRepository;
  secrets: ReadonlyMap<string, secretsmanager.ISecret>;
}

/** Roles and network that the service uses; they exist with or without the service itself. */
/** CloudFormation's validator warns that App Runner is in maintenance mode (W3697). */
function acknowledgeAppRunnerMaintenance(resource: IConstruct): void {
  Validations.of(resource).acknowledge({
    id: 'CloudFormation-Validate::W3697',
    reason:
      'Production runs on App Runner (the runbooks, deploy-aws.yml); existing services keep running in maintenance mode. Moving drop-web off App Runner is a change of its own, not part of moving the same resources to the CDK.',
  });
}

export class WebServiceFoundation extends Construct {
  readonly accessRole: iam.Role;
  readonly instanceRole: iam.Role;
  readonly securityGroup: ec2.SecurityGroup;
  readonly vpcConnector: apprunner.CfnVpcConnector;
  readonly autoScaling: apprunner.CfnAutoScalingConfiguration;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    const { settings } = props;

    // Lets App Runner pull from the private ECR repository.
    this.accessRole = new iam.Role(this, 'AccessRole', {
      roleName: `${names.service}-apprunner-ecr-access`,
      assumedBy: new iam.ServicePrincipal('build.apprunner.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSAppRunnerServicePolicyForECRAccess')],
    });
    Validations.of(this.accessRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSAppRunnerServicePolicyForECRAccess]',
      reason:
        "AWS's policy for App Runner's ECR access role (pull images, get the ECR login token), which only App Runner's build principal can assume.",
    });

    // The running instances' role: reads Drop's secrets, nothing else.
    this.instanceRole = new iam.Role(this, 'InstanceRole', {
      roleName: `${names.service}-apprunner-instance`,
      assumedBy: new iam.ServicePrincipal('tasks.apprunner.amazonaws.com'),
    });
    for (const secret of props.secrets.values()) secret.grantRead(this.instanceRole);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      securityGroupName: `${names.service}-apprunner`,
      description: 'App Runner VPC connector of drop-web: PostgreSQL and the providers HTTPS APIs (through NAT)',
      allowAllOutbound: true,
    });

    this.vpcConnector = new apprunner.CfnVpcConnector(this, 'VpcConnector', {
      vpcConnectorName: names.service,
      subnets: props.privateSubnets.map((subnet) => subnet.subnetId),
      securityGroups: [this.securityGroup.securityGroupId],
    });

    this.autoScaling = new apprunner.CfnAutoScalingConfiguration(this, 'AutoScaling', {
      autoScalingConfigurationName: names.service,
      minSize: settings.minInstances,
      maxSize: settings.maxInstances,
      maxConcurrency: 100,
    });
    for (const resource of [this.vpcConnector, this.autoScaling]) acknowledgeAppRunnerMaintenance(resource);
  }
}

export class WebService extends Construct {
  readonly service: apprunner.CfnService;

  constructor(
    scope: Construct,
    id: string,
    props: WebServiceProps & {
      foundation: WebServiceFoundation;
      /** The Object Lock bucket of the audit checkpoints (AUDIT_CHECKPOINT_BUCKET). */
      auditCheckpointBucket: string;
    },
  ) {
    super(scope, id);
    const { settings, foundation } = props;

    this.service = new apprunner.CfnService(this, 'Service', {
      serviceName: names.service,
      autoScalingConfigurationArn: foundation.autoScaling.attrAutoScalingConfigurationArn,
      sourceConfiguration: {
        // Deploys are deploy-aws.yml's: build, pre-deploy snapshot, then update the image.
        autoDeploymentsEnabled: false,
        authenticationConfiguration: { accessRoleArn: foundation.accessRole.roleArn },
        imageRepository: {
          imageIdentifier: props.repository.repositoryUriForTag(settings.imageTag),
          imageRepositoryType: 'ECR',
          imageConfiguration: {
            port: '3000',
            runtimeEnvironmentVariables: Object.entries({
              NODE_ENV: 'production',
              HOST: '0.0.0.0',
              PORT: '3000',
              PUBLIC_URL: settings.publicUrl,
              LOG_LEVEL: 'info',
              WORKER_MODE: 'inline',
              // BankID production realm (operational runbook 8.2: BankID variables).
              BANKID_ISSUER: 'https://auth.bankid.no/auth/realms/prod',
              // Payouts through Wise's production API; the organisation number printed on receipts.
              WISE_API_URL: 'https://api.transferwise.com',
              COMPANY_ORG_NUMBER: settings.companyOrgNumber,
              COMPANY_ADDRESS: settings.companyAddress,
              COMPANY_LICENCE: settings.companyLicence,
              // Drop's goAML reporting-entity id from ØKOKRIM's FIU, in its STR exports.
              FIU_REPORTING_ENTITY_ID: settings.fiuReportingEntityId,
              // The audit chain's hourly signed checkpoints (infra/lib/audit-checkpoints.ts).
              AUDIT_CHECKPOINT_BUCKET: props.auditCheckpointBucket,
            }).map(([name, value]) => ({ name, value })),
            runtimeEnvironmentSecrets: [...props.secrets].map(([name, secret]) => ({ name, value: secret.secretArn })),
          },
        },
      },
      instanceConfiguration: { cpu: '1024', memory: '2048', instanceRoleArn: foundation.instanceRole.roleArn },
      healthCheckConfiguration: {
        protocol: 'HTTP',
        path: healthCheckPath,
        interval: 10,
        timeout: 5,
        healthyThreshold: 1,
        unhealthyThreshold: 3,
      },
      networkConfiguration: {
        ingressConfiguration: { isPubliclyAccessible: true },
        egressConfiguration: { egressType: 'VPC', vpcConnectorArn: foundation.vpcConnector.attrVpcConnectorArn },
      },
    });
    // Its ARN and URL are in the runbooks: a stack deletion leaves it, and it is adopted, not recreated.
    this.service.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.service.overrideLogicalId('DropWebService');
    acknowledgeAppRunnerMaintenance(this.service);
    this.service.node.addDependency(foundation.accessRole, foundation.instanceRole);
  }
}
