/**
 * drop-db: RDS PostgreSQL 16, database dropapp, master user dropuser (DR runbook "Database").
 *
 * Backups as the DR runbook's "Backup Strategy" says: automated snapshots daily in 23:24-23:54 UTC,
 * kept 7 days, which is also what enables point-in-time recovery (any retention above 0 does).
 * Enhanced monitoring runs all the time (DR scenario 5 step 4 only turns its interval down to 1 s).
 * The master password lives in drop/production/db-credentials, rotated by Secrets Manager's
 * single-user PostgreSQL rotation function.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { dbCredentialsSecretName, names } from './names.ts';
import type { Settings } from './settings.ts';

/** The DR runbook's backup window (UTC) and retention; the tests assert the template's literal values. */
const backupWindow = '23:24-23:54';
const backupRetentionDays = 7;
/** Outside the backup window and the AWS Backup copy at 03:00. */
const maintenanceWindow = 'sun:01:00-sun:02:00';
const monitoringIntervalSeconds = 60;

/**
 * Characters the generated password leaves out: everything but letters, digits, '-' and '_', so it
 * can go into DATABASE_URL (postgres://dropuser:<password>@…) without percent-encoding.
 */
export const passwordExcludeCharacters = ' !"#$%&\'()*+,./:;<=>?@[\\]^`{|}~';

export interface DatabaseProps {
  settings: Settings;
  vpc: ec2.IVpc;
  privateSubnets: ec2.ISubnet[];
}

export class Database extends Construct {
  readonly instance: rds.DatabaseInstance;
  readonly securityGroup: ec2.SecurityGroup;
  readonly monitoringRole: iam.Role;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { settings, vpc } = props;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      securityGroupName: names.database,
      description: 'drop-db: PostgreSQL from App Runner and the rotation function only',
      allowAllOutbound: false,
    });

    const monitoringRole = new iam.Role(this, 'MonitoringRole', {
      roleName: `${names.database}-monitoring`,
      description: 'RDS enhanced monitoring of drop-db',
      assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
    });
    this.monitoringRole = monitoringRole;
    Validations.of(monitoringRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      reason:
        'AWS maintains this policy for exactly this role (write OS metrics to the RDSOSMetrics log group); a copy would drift from it.',
    });

    const credentials = new rds.DatabaseSecret(this, 'Credentials', {
      username: names.databaseUser,
      secretName: dbCredentialsSecretName,
      excludeCharacters: passwordExcludeCharacters,
      // In the DR region too: a failover restores drop-db there and needs its password.
      replicaRegions: [{ region: settings.drRegion }],
    });
    // The password of a database that outlives the stack outlives it too.
    credentials.applyRemovalPolicy(RemovalPolicy.RETAIN);
    (credentials.node.defaultChild as secretsmanager.CfnSecret).overrideLogicalId('DropDbCredentials');

    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      instanceIdentifier: names.database,
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: new ec2.InstanceType(settings.dbInstanceClass.replace(/^db\./, '')),
      databaseName: names.databaseName,
      credentials: rds.Credentials.fromSecret(credentials, names.databaseUser),

      vpc,
      subnetGroup: rds.SubnetGroup.fromSubnetGroupName(this, 'SubnetGroup', settings.dbSubnetGroupName),
      securityGroups: [
        this.securityGroup,
        // Someone else's groups (bastion, VPN): attached, never given rules by this stack.
        ...settings.dbExtraSecurityGroupIds.map((groupId, index) =>
          ec2.SecurityGroup.fromSecurityGroupId(this, `Extra${index}`, groupId, { mutable: false }),
        ),
      ],
      publiclyAccessible: false,
      multiAz: false,

      allocatedStorage: settings.dbAllocatedStorageGb,
      maxAllocatedStorage: settings.dbMaxAllocatedStorageGb,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,

      backupRetention: Duration.days(backupRetentionDays),
      preferredBackupWindow: backupWindow,
      preferredMaintenanceWindow: maintenanceWindow,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      deletionProtection: true,
      // The runbooks' endpoint and every snapshot belong to this instance: never delete it with the stack.
      removalPolicy: RemovalPolicy.RETAIN,

      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      cloudwatchLogsExports: ['postgresql'],
      enablePerformanceInsights: true,
      monitoringInterval: Duration.seconds(monitoringIntervalSeconds),
      monitoringRole,
    });
    // A stable logical id for adopting the existing drop-db (README, "Adopting the existing production").
    (this.instance.node.defaultChild as rds.CfnDBInstance).overrideLogicalId('DropDb');

    Validations.of(this.instance).acknowledge(
      {
        id: 'AwsSolutions-RDS3',
        reason:
          'Single-AZ as production runs today (db.t4g.micro); recovery is restore/PITR (DR scenario 2) within the RTO the drills measure. Multi-AZ doubles the cost and is a separate decision.',
      },
      {
        id: 'AwsSolutions-RDS11',
        reason:
          'Port 5432 is in the runbooks, DATABASE_URL and every psql command; the instance is private and its security group admits App Runner and the rotation function only.',
      },
    );

    // Single-user rotation (Secrets Manager's PostgreSQL rotation function, in the private subnets).
    // Never on deploy: Drop connects with DATABASE_URL, which this rotation does not rewrite (README).
    this.instance.addRotationSingleUser({
      automaticallyAfter: Duration.days(settings.dbCredentialsRotationDays),
      rotateImmediatelyOnUpdate: false,
      excludeCharacters: passwordExcludeCharacters,
      vpcSubnets: { subnets: props.privateSubnets },
    });
    if (settings.dbCredentialsRotationDays === 0) {
      Validations.of(credentials).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The rotation function is attached, but rotation runs on demand only: Drop connects with DATABASE_URL, which a scheduled rotation would leave stale (infra/README.md, "Rotation"). settings.dbCredentialsRotationDays schedules it.',
      });
    }
  }
}
