/**
 * A signed checkpoint of the audit chain's head, kept outside the database: the seq and hash of the
 * newest audit_log row at a moment, signed with an Ed25519 key the database never holds
 * (AUDIT_CHECKPOINT_SIGNING_KEY). Anyone who can write the database, a superuser included, can
 * delete the newest rows and leave a chain that verifies; they cannot make a checkpoint that
 * anchors the shorter chain, nor remove the ones written to the operations channel and to storage
 * under a retention lock. `drop audit verify` compares the log with them.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

export interface AuditCheckpoint {
  version: 1;
  /** The newest audit_log row when the checkpoint was taken (as text: bigint). */
  seq: string;
  /** That row's hash, hex. */
  hash: string;
  /** The database it was taken of (current_database()), to tell environments apart. */
  database: string;
  createdAt: string;
  /** The first 16 hex digits of SHA-256 of the public key (SPKI DER): which key signed it. */
  keyId: string;
  /** Ed25519 over `signedText(…)`, base64. */
  signature: string;
}

/** What the signature covers: every field but the signature, in a fixed order. */
export function signedText(checkpoint: Omit<AuditCheckpoint, 'signature'>): string {
  return [
    'drop-audit-checkpoint',
    `v${checkpoint.version}`,
    checkpoint.database,
    checkpoint.seq,
    checkpoint.hash,
    checkpoint.createdAt,
    checkpoint.keyId,
  ].join('\n');
}

/** A PEM key (`\n` written out allowed), or the base64 of its DER, so it fits on one line of an environment. */
function isPem(text: string): boolean {
  return text.trim().startsWith('-----BEGIN');
}
const pem = (text: string) => text.trim().replaceAll('\\n', '\n');

export function checkpointSigningKey(text: string): KeyObject {
  const key = isPem(text)
    ? createPrivateKey({ key: pem(text), format: 'pem' })
    : createPrivateKey({ key: Buffer.from(text.trim(), 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the audit checkpoint key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

export function checkpointPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  // A private key also gives its public key (development: one setting for both).
  const key =
    trimmed.includes('PRIVATE KEY') || (!isPem(trimmed) && Buffer.from(trimmed, 'base64').length === 48)
      ? createPublicKey(checkpointSigningKey(trimmed))
      : isPem(trimmed)
        ? createPublicKey({ key: pem(trimmed), format: 'pem' })
        : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the audit checkpoint key must be Ed25519, not ${key.asymmetricKeyType}`);
  return key;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function signCheckpoint(
  head: { seq: string; hash: string; database: string; createdAt: Date },
  signingKey: KeyObject,
): AuditCheckpoint {
  const unsigned = {
    version: 1 as const,
    seq: head.seq,
    hash: head.hash,
    database: head.database,
    createdAt: head.createdAt.toISOString(),
    keyId: keyIdOf(createPublicKey(signingKey)),
  };
  return { ...unsigned, signature: sign(null, Buffer.from(signedText(unsigned)), signingKey).toString('base64') };
}

/** Whether the checkpoint was signed by this key and is unchanged. */
export function checkpointSignatureValid(checkpoint: AuditCheckpoint, publicKey: KeyObject): boolean {
  if (checkpoint.version !== 1 || checkpoint.keyId !== keyIdOf(publicKey)) return false;
  const { signature, ...unsigned } = checkpoint;
  return verify(null, Buffer.from(signedText(unsigned)), publicKey, Buffer.from(signature, 'base64'));
}

/**
 * A checkpoint's object name: newest first when listed in name order (S3 lists keys ascending), so
 * the seq is stored inverted and zero-padded; the time keeps two checkpoints of one head apart.
 */
export function checkpointObjectName(checkpoint: Pick<AuditCheckpoint, 'seq' | 'createdAt'>): string {
  const inverted = (10n ** 19n - BigInt(checkpoint.seq)).toString().padStart(20, '0');
  return `audit-checkpoint-${inverted}-seq-${checkpoint.seq}-${checkpoint.createdAt.replace(/[-:.]/g, '')}.json`;
}

/** Where checkpoints are kept: a local directory, an S3 bucket with Object Lock. */
export interface AuditCheckpointStore {
  /** Named in messages: `directory /var/…`, `s3://bucket/prefix`. */
  description: string;
  /** Writes the checkpoint; returns where. */
  write(checkpoint: AuditCheckpoint): Promise<string>;
  /** The newest checkpoints, newest first (at most `limit`). */
  newest(limit: number): Promise<AuditCheckpoint[]>;
}

/** Parses a stored checkpoint, or throws naming what is wrong. */
export function parseCheckpoint(text: string, where: string): AuditCheckpoint {
  const value = JSON.parse(text) as Partial<AuditCheckpoint>;
  for (const field of ['seq', 'hash', 'database', 'createdAt', 'keyId', 'signature'] as const) {
    if (typeof value[field] !== 'string') throw new Error(`${where}: not an audit checkpoint (no ${field})`);
  }
  if (value.version !== 1 || !/^\d+$/.test(value.seq ?? '')) throw new Error(`${where}: not an audit checkpoint of version 1`);
  return value as AuditCheckpoint;
}

/** What the worker's job and the CLI need to write and check checkpoints (built once, in buildServices). */
export interface AuditCheckpointing {
  /** Unset: checkpoints are not written (a production without the setting does not start). */
  signingKey: KeyObject | undefined;
  publicKey: KeyObject | undefined;
  /** The configured stores (the S3 client is loaded only when a bucket is set). */
  stores(): Promise<AuditCheckpointStore[]>;
}
