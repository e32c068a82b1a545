/**
 * Where the audit chain's signed checkpoints go (AUDIT_CHECKPOINT_BUCKET): an S3 bucket with
 * Object Lock, every object locked in COMPLIANCE mode for the retention (Drop sets it on each put,
 * and the bucket's default covers a put that does not). In compliance mode no one, the account's
 * root included, can delete or overwrite a checkpoint before its date, so a database superuser who
 * cuts the tail of the audit log cannot also move its anchor (packages/core/src/audit/checkpoints).
 * Drop's instance role may write and read checkpoints, never delete them.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { names } from './names.ts';

/** AUDIT_CHECKPOINT_RETENTION_DAYS' default: five years, the AML Act's period for what proves the records. */
export const AUDIT_CHECKPOINT_RETENTION_DAYS = 1825;
export const AUDIT_CHECKPOINT_PREFIX = 'audit-checkpoints/';

export class AuditCheckpoints extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: `${names.auditCheckpointBucket}-${Stack.of(this).account}`,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(AUDIT_CHECKPOINT_RETENTION_DAYS)),
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The checkpoints are written once by Drop and never changed (Object Lock, compliance mode); who wrote one is the signature inside it, and a second access-log bucket would only log those writes.',
    });
  }

  /** Drop's instance role: put (with its retention) and read checkpoints under the prefix, list them; never delete. */
  grantWriteAndRead(role: iam.IRole): void {
    const policy = new iam.Policy(this, 'WriterPolicy', {
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject'],
          resources: [this.bucket.arnForObjects(`${AUDIT_CHECKPOINT_PREFIX}*`)],
        }),
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [this.bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${AUDIT_CHECKPOINT_PREFIX}*`] } },
        }),
      ],
    });
    policy.attachToRole(role);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${AUDIT_CHECKPOINT_PREFIX}*]`,
      reason:
        'Each checkpoint is a new object whose name holds its seq and time, so the writer needs the prefix, not one key; the actions are put, put-retention and get (no delete, and Object Lock refuses one anyway).',
    });
  }
}
