/**
 * DropProduction, in eu-west-1: what the runbooks describe (App Runner drop-web, ECR drop-web,
 * RDS PostgreSQL 16 drop-db, Drop's secrets, the GitHub deploy role) plus the alarms and the
 * cross-region copies DR scenario 4 needs. The network is production's existing VPC, given by id
 * (no lookup: the synth runs offline).
 */
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { Alarms } from './alarms.ts';
import { AppSecrets } from './app-secrets.ts';
import { AuditCheckpoints } from './audit-checkpoints.ts';
import { CrossRegionBackup } from './cross-region-backup.ts';
import { Database } from './database.ts';
import { GithubDeployRole } from './github-deploy-role.ts';
import { ImageRepository } from './image-repository.ts';
import type { Settings } from './settings.ts';
import { WebService, WebServiceFoundation } from './web-service.ts';

export interface ProductionStackProps extends StackProps {
  settings: Settings;
}

export class ProductionStack extends Stack {
  readonly database: Database;
  readonly webService: WebService | undefined;

  constructor(scope: Construct, id: string, props: ProductionStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: settings.vpcId,
      availabilityZones: settings.availabilityZones,
      privateSubnetIds: settings.privateSubnetIds,
    });
    const privateSubnets = settings.privateSubnetIds.map((subnetId, index) =>
      ec2.Subnet.fromSubnetAttributes(this, `PrivateSubnet${index}`, { subnetId, availabilityZone: settings.availabilityZones[index] }),
    );
    for (const subnets of [vpc, ...privateSubnets]) {
      Validations.of(subnets).acknowledge({
        id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
        reason:
          "The subnets only place the VPC connector and the rotation function; nothing here reads or changes their route tables (the NAT routes are the network owner's).",
      });
    }

    const images = new ImageRepository(this, 'Images', { drRegion: settings.drRegion });
    this.database = new Database(this, 'Database', { settings, vpc, privateSubnets });
    const secrets = new AppSecrets(this, 'Secrets', { settings });

    const foundation = new WebServiceFoundation(this, 'WebFoundation', {
      settings,
      vpc,
      privateSubnets,
      repository: images.repository,
      secrets: secrets.byVariable,
    });
    const checkpoints = new AuditCheckpoints(this, 'AuditCheckpoints');
    checkpoints.grantWriteAndRead(foundation.instanceRole);
    const serviceProps = {
      settings,
      vpc,
      privateSubnets,
      repository: images.repository,
      secrets: secrets.byVariable,
      auditCheckpointBucket: checkpoints.bucket.bucketName,
    };
    this.database.securityGroup.addIngressRule(
      foundation.securityGroup,
      ec2.Port.tcp(5432),
      'PostgreSQL from the App Runner VPC connector',
    );

    const alarms = new Alarms(this, 'Alarms', { database: this.database.instance, alarmEmail: settings.alarmEmail });
    new CrossRegionBackup(this, 'CrossRegionBackup', { database: this.database.instance, drRegion: settings.drRegion });
    const deployRole = new GithubDeployRole(this, 'GithubDeploy', {
      settings,
      repository: images.repository,
      accessRole: foundation.accessRole,
    });

    if (settings.includeService) {
      this.webService = new WebService(this, 'Web', { ...serviceProps, foundation });
      alarms.addServerErrors(this.webService.service.attrServiceId);
      new CfnOutput(this, 'ServiceArn', {
        description: 'App Runner service ARN (APP_RUNNER_SERVICE_ARN in deploy-aws.yml)',
        value: this.webService.service.attrServiceArn,
      });
      new CfnOutput(this, 'ServiceUrl', { description: 'App Runner URL', value: `https://${this.webService.service.attrServiceUrl}` });
    }

    new CfnOutput(this, 'EcrRepositoryUri', { description: 'Where deploy-aws.yml pushes images', value: images.repository.repositoryUri });
    new CfnOutput(this, 'DbEndpoint', {
      description: 'drop-db endpoint (host:port) for DATABASE_URL',
      value: `${this.database.instance.dbInstanceEndpointAddress}:${this.database.instance.dbInstanceEndpointPort}`,
    });
    new CfnOutput(this, 'DbCredentialsSecretArn', {
      description: 'drop-db master credentials, rotated by Secrets Manager',
      value: this.database.instance.secret?.secretArn ?? '',
    });
    new CfnOutput(this, 'DbMonitoringRoleArn', {
      description: 'Enhanced monitoring role of drop-db (DR scenario 5 step 4: --monitoring-role-arn)',
      value: this.database.monitoringRole.roleArn,
    });
    new CfnOutput(this, 'GithubDeployRoleArn', {
      description: 'The repository variable AWS_DEPLOY_ROLE_ARN',
      value: deployRole.role.roleArn,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'drop-alerts: subscribe Slack (AWS Chatbot) or e-mail here',
      value: alarms.topic.topicArn,
    });
    new CfnOutput(this, 'SecretArns', {
      description: 'Secrets that need a value before the first deploy, by variable',
      value: this.toJsonString(Object.fromEntries([...secrets.created].map((secret) => [secret.node.id, secret.secretArn]))),
    });
  }
}
