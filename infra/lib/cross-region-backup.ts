/**
 * The eu-north-1 copy of drop-db for DR scenario 4. RDS's own cross-region automated-backup
 * replication has no CloudFormation property or resource, so the copy is an AWS Backup plan: a
 * daily snapshot of drop-db into the vault drop-backups here, copied to drop-dr in the DR region
 * (DropDisasterRecovery), both kept 7 days like the automated backups. 03:00 UTC keeps clear of
 * the RDS backup window (23:24-23:54) and the maintenance window (Sunday 01:00-02:00).
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { names } from './names.ts';

export const copyRetentionDays = 7;
export const copySchedule = { hour: '3', minute: '0' };

export class CrossRegionBackup extends Construct {
  readonly plan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: { database: rds.DatabaseInstance; drRegion: string }) {
    super(scope, id);
    const stack = Stack.of(this);

    const key = new kms.Key(this, 'VaultKey', {
      alias: `alias/${names.backupVault}`,
      description: 'Encrypts the AWS Backup snapshots of drop-db',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: names.backupVault,
      encryptionKey: key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // By name: DropDisasterRecovery (deployed first) owns it, and CloudFormation has no cross-region references.
    const drVault = backup.BackupVault.fromBackupVaultArn(
      this,
      'DrVault',
      stack.formatArn({
        service: 'backup',
        region: props.drRegion,
        resource: 'backup-vault',
        resourceName: names.drBackupVault,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );

    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: `${names.database}-cross-region`,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: `daily-copy-to-${props.drRegion}`,
          backupVault: vault,
          scheduleExpression: events.Schedule.cron(copySchedule),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(3),
          deleteAfter: Duration.days(copyRetentionDays),
          copyActions: [{ destinationBackupVault: drVault, deleteAfter: Duration.days(copyRetentionDays) }],
        }),
      ],
    });
    const selection = this.plan.addSelection('DropDb', {
      backupSelectionName: names.database,
      resources: [backup.BackupResource.fromRdsDatabaseInstance(props.database)],
    });
    Validations.of(selection).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        "AWS Backup's own service-role policy (snapshot and copy the selected resources); only backup.amazonaws.com assumes this role.",
    });
  }
}
