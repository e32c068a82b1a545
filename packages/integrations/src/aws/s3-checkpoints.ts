/**
 * Audit checkpoints in S3 (AUDIT_CHECKPOINT_BUCKET): the bucket has Object Lock on (the CDK app,
 * infra/lib/audit-checkpoints.ts), and each checkpoint is written with a COMPLIANCE retention, so
 * no one, the account's root included, can delete or overwrite it before the date. That is what
 * makes the checkpoint an anchor a database superuser cannot move.
 *
 * Keys sort newest first (`checkpointObjectName`), so the newest are the first page of a listing.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type AuditCheckpoint, type AuditCheckpointStore, checkpointObjectName, parseCheckpoint } from '@drop/core';

export interface S3CheckpointSettings {
  bucket: string;
  /** Key prefix, e.g. `audit-checkpoints/`. */
  prefix: string;
  region: string;
  endpointUrl?: string | undefined;
  retentionDays: number;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The PutObject input for one checkpoint (also what a dry run would show). */
export function planPutCheckpoint(settings: S3CheckpointSettings, checkpoint: AuditCheckpoint, now = new Date()) {
  return {
    Bucket: settings.bucket,
    Key: `${settings.prefix}${checkpointObjectName(checkpoint)}`,
    Body: `${JSON.stringify(checkpoint, null, 2)}\n`,
    ContentType: 'application/json',
    ObjectLockMode: 'COMPLIANCE' as const,
    ObjectLockRetainUntilDate: new Date(now.getTime() + settings.retentionDays * 86_400_000),
    // Object Lock needs an integrity checksum on every put.
    ChecksumAlgorithm: 'SHA256' as const,
  };
}

export function s3CheckpointStore(settings: S3CheckpointSettings): AuditCheckpointStore & { destroy(): void } {
  const client = new S3Client({
    region: settings.region,
    ...(settings.endpointUrl ? { endpoint: settings.endpointUrl, forcePathStyle: true } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    maxAttempts: 3,
  });
  return {
    description: `s3://${settings.bucket}/${settings.prefix}`,
    async write(checkpoint) {
      const input = planPutCheckpoint(settings, checkpoint);
      await client.send(new PutObjectCommand(input));
      return `s3://${input.Bucket}/${input.Key}`;
    },
    async newest(limit) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: settings.bucket, Prefix: settings.prefix, MaxKeys: limit }));
      const keys = (listed.Contents ?? []).flatMap((object) => (object.Key?.endsWith('.json') ? [object.Key] : [])).sort();
      return Promise.all(
        keys.map(async (key) => {
          const object = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: key }));
          return parseCheckpoint((await object.Body?.transformToString('utf8')) ?? '', `s3://${settings.bucket}/${key}`);
        }),
      );
    },
    destroy() {
      client.destroy();
    },
  };
}
