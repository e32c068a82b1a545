import { createSecretKey, randomBytes } from 'node:crypto';
import { type Db, withTransaction } from '@drop/db';
import { monotonicFactory } from 'ulidx';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { deriveKey, open, seal } from '../crypto/data-key.ts';
import { envKeyId, envSigningKey, type KeyRing, type SigningKey } from './session-tokens.ts';

const KEY_PURPOSE = 'session signing keys v1';
const ulid = monotonicFactory();

interface KeyRow {
  kid: string;
  secret_ciphertext: Buffer | null;
  status: 'active' | 'verifying' | 'retired';
  usable: boolean;
}

/**
 * The session signing keys from the database (plus JWT_SECRET's key), refreshed on an interval and
 * whenever a token names a key this process has not seen (another instance may have rotated).
 * Before any rotation it is exactly the JWT_SECRET ring.
 */
export class DatabaseKeyRing implements KeyRing {
  private signer: SigningKey;
  private accepted = new Map<string, SigningKey>();
  private refreshing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly db: Db;
  private readonly envKey: SigningKey;
  private readonly sealKey: Buffer;

  private constructor(db: Db, envSecret: string, dataEncryptionKey: string) {
    this.db = db;
    this.envKey = envSigningKey(envSecret);
    this.sealKey = deriveKey(dataEncryptionKey, KEY_PURPOSE);
    this.signer = this.envKey;
    this.accepted.set(this.envKey.kid, this.envKey);
  }

  static async load(
    db: Db,
    options: { envSecret: string; dataEncryptionKey: string; refreshIntervalMs?: number },
  ): Promise<DatabaseKeyRing> {
    const ring = new DatabaseKeyRing(db, options.envSecret, options.dataEncryptionKey);
    await ring.refresh();
    if (options.refreshIntervalMs) {
      ring.timer = setInterval(() => void ring.refresh().catch(() => undefined), options.refreshIntervalMs);
      ring.timer.unref();
    }
    return ring;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async current(): Promise<SigningKey> {
    // Signing happens once per sign-in: reload first, so that right after an emergency rotation
    // no instance signs a new session with a key that is being retired.
    await this.refresh();
    return this.signer;
  }

  /** The key this instance last loaded as the signer, without reloading. */
  cachedSigner(): SigningKey {
    return this.signer;
  }

  async find(kid: string): Promise<SigningKey | undefined> {
    const known = this.accepted.get(kid);
    if (known) return known;
    // An unknown kid of our shape may be a key another instance just started signing with: reload
    // now (concurrent misses share one query). No delay here, or a customer could be logged out
    // for hitting another instance right after a rotation; a request costs a query anyway.
    if (!/^(k-[0-9A-Z]{26}|env-[0-9a-f]{12})$/.test(kid)) return undefined;
    await this.refresh();
    return this.accepted.get(kid);
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const { rows } = await this.db.query<KeyRow>(
      `SELECT kid, secret_ciphertext, status,
              status = 'active' OR (status = 'verifying' AND verify_until > now()) AS usable
         FROM signing_keys`,
    );
    const accepted = new Map<string, SigningKey>();
    const envRow = rows.find((row) => row.kid === this.envKey.kid);
    if (!envRow || envRow.usable) accepted.set(this.envKey.kid, this.envKey);
    for (const row of rows) {
      if (!row.usable || row.kid === this.envKey.kid || !row.secret_ciphertext) continue;
      accepted.set(row.kid, { kid: row.kid, secret: createSecretKey(open(this.sealKey, row.secret_ciphertext)) });
    }
    const active = rows.find((row) => row.status === 'active');
    // Without an active row (no rotation yet) the JWT_SECRET key signs.
    const signer = (active ? accepted.get(active.kid) : undefined) ?? this.envKey;
    accepted.set(signer.kid, signer);
    this.accepted = accepted;
    this.signer = signer;
  }
}

export interface RotationResult {
  kid: string;
  previousKid: string;
  emergency: boolean;
  sessionsRevoked: number;
  verifyUntil: Date | null;
}

/**
 * Rotates the session signing key. Normally the old key keeps verifying until every session it
 * signed has reached its absolute lifetime, so nobody is logged out. In an emergency (a leaked
 * key) every other key is retired at once and every session ends, as the runbook's rotation
 * does. Either way the runbook's `secret_rotated` audit row is written in the same transaction.
 */
export async function rotateSigningKey(
  db: Db,
  options: { envSecret: string; dataEncryptionKey: string; sessionLifetimeSeconds: number; emergency: boolean; actor: string },
): Promise<RotationResult> {
  const sealKey = deriveKey(options.dataEncryptionKey, KEY_PURPOSE);
  const envKid = envKeyId(options.envSecret);
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7406720153)');
    await tx.query(`SELECT set_config('drop.actor', $1, true)`, [options.actor]);
    const active = await tx.query<{ kid: string }>(`SELECT kid FROM signing_keys WHERE status = 'active'`);
    const previousKid = active.rows[0]?.kid ?? envKid;
    // Before the first rotation the JWT_SECRET key signs; give it a row (without its secret) so
    // that being replaced can be recorded like any other key.
    if (!active.rows[0])
      await tx.query(`INSERT INTO signing_keys (kid, status) VALUES ($1, 'active') ON CONFLICT (kid) DO NOTHING`, [envKid]);

    let verifyUntil: Date | null = null;
    let sessionsRevoked = 0;
    if (options.emergency) {
      await tx.query(`UPDATE signing_keys SET status = 'retired', retired_at = now(), verify_until = NULL WHERE status <> 'retired'`);
      const revoked = await tx.query(`UPDATE sessions SET revoked = 1, revoked_reason = 'emergency_key_rotation' WHERE revoked = 0`);
      sessionsRevoked = revoked.rowCount ?? 0;
    } else {
      const demoted = await tx.query<{ verify_until: Date }>(
        `UPDATE signing_keys SET status = 'verifying', verify_until = now() + make_interval(secs => $1)
          WHERE status = 'active' RETURNING verify_until`,
        [options.sessionLifetimeSeconds],
      );
      verifyUntil = demoted.rows[0]?.verify_until ?? null;
    }
    const kid = `k-${ulid()}`;
    await tx.query(`INSERT INTO signing_keys (kid, secret_ciphertext, status) VALUES ($1, $2, 'active')`, [
      kid,
      seal(sealKey, randomBytes(48)),
    ]);
    await recordAuditEvent(tx, {
      action: 'secret_rotated',
      resourceType: 'secret',
      resourceId: 'JWT_SECRET',
      actor: options.actor,
      details: { rotated_at: new Date().toISOString(), kid, previousKid, emergency: options.emergency, sessionsRevoked },
    });
    return { kid, previousKid, emergency: options.emergency, sessionsRevoked, verifyUntil };
  });
}
