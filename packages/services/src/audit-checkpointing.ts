import {
  type AuditCheckpointing,
  type AuditCheckpointStore,
  checkpointPublicKey,
  checkpointSigningKey,
  directoryCheckpointStore,
} from '@drop/core';

/**
 * The audit checkpoints' keys and stores from the settings (AUDIT_CHECKPOINT_*): the keys are
 * parsed now, so a bad key fails the start; the S3 client is loaded at the first use, so a process
 * that never writes a checkpoint does not load the SDK.
 */
export function auditCheckpointing(
  settings: {
    signingKey?: string | undefined;
    publicKey?: string | undefined;
    dir?: string | undefined;
    bucket?: string | undefined;
    prefix: string;
    retentionDays: number;
  },
  aws: { region: string; endpointUrl?: string | undefined },
): AuditCheckpointing & { close(): void } {
  const signingKey = settings.signingKey ? checkpointSigningKey(settings.signingKey) : undefined;
  const publicKey = settings.publicKey ? checkpointPublicKey(settings.publicKey) : undefined;
  let built: Promise<Array<AuditCheckpointStore & { destroy?(): void }>> | undefined;
  return {
    signingKey,
    publicKey,
    stores() {
      built ??= (async () => {
        const stores: Array<AuditCheckpointStore & { destroy?(): void }> = [];
        if (settings.dir) stores.push(directoryCheckpointStore(settings.dir));
        if (settings.bucket) {
          const { s3CheckpointStore } = await import('@drop/integrations/aws');
          stores.push(
            s3CheckpointStore({
              bucket: settings.bucket,
              prefix: settings.prefix,
              region: aws.region,
              endpointUrl: aws.endpointUrl,
              retentionDays: settings.retentionDays,
            }),
          );
        }
        return stores;
      })();
      return built;
    },
    close() {
      void built?.then((stores) => {
        for (const store of stores) store.destroy?.();
      });
    },
  };
}
