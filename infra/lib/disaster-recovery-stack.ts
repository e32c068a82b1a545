/**
 * DropDisasterRecovery, in the DR region (eu-north-1): where production's backups and images land
 * for DR scenario 4 (full eu-west-1 outage). Deployed before DropProduction, which copies into it.
 *
 * - The backup vault drop-dr (own KMS key) receives AWS Backup's daily copy of drop-db.
 * - A repository creation template gives the drop-web replica that ECR replication creates here
 *   the same settings as the original: immutable tags, encryption, the lifecycle policy.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { imageLifecyclePolicy } from './image-lifecycle.ts';
import { names } from './names.ts';

export class DisasterRecoveryStack extends Stack {
  readonly vault: backup.BackupVault;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);

    const key = new kms.Key(this, 'VaultKey', {
      alias: `alias/${names.drBackupVault}`,
      description: 'Encrypts the copies of drop-db in the DR region',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: names.drBackupVault,
      encryptionKey: key,
      // The copies outlive this stack: a region failover restores from them.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    new CfnOutput(this, 'BackupVaultArn', { description: 'Where AWS Backup copies drop-db', value: this.vault.backupVaultArn });
    new CfnOutput(this, 'KeyArn', {
      description: 'KMS key in the DR region, also for copy-db-snapshot of the encrypted drop-db (DR scenario 4 step 1: --kms-key-id)',
      value: key.keyArn,
    });

    new ecr.CfnRepositoryCreationTemplate(this, 'ReplicaTemplate', {
      prefix: names.service,
      appliedFor: ['REPLICATION'],
      description: 'drop-web replicated from production: same tags rule, encryption and lifecycle',
      imageTagMutability: 'IMMUTABLE',
      encryptionConfiguration: { encryptionType: 'AES256' },
      lifecyclePolicy: JSON.stringify(imageLifecyclePolicy),
    });
  }
}
