import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of data at rest. One 32-byte master key (DATA_ENCRYPTION_KEY) yields, by HKDF, a
 * separate key for each purpose, so a key is never used for two things. Sealed values are
 * AES-256-GCM: version ‖ 12-byte IV ‖ 16-byte tag ‖ ciphertext.
 */
const FORMAT_VERSION = 1;

export function deriveKey(masterKeyBase64: string, purpose: string): Buffer {
  const master = Buffer.from(masterKeyBase64, 'base64');
  if (master.length !== 32) throw new Error('DATA_ENCRYPTION_KEY must be 32 bytes');
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `drop ${purpose}`, 32));
}

export function seal(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
}

export function open(key: Buffer, sealed: Buffer): Buffer {
  if (sealed[0] !== FORMAT_VERSION) throw new Error('unknown sealed value format');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
}
