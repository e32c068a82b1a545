import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * National identity numbers (fødselsnummer) are stored encrypted (AES-256-GCM, random IV) with a
 * keyed hash (HMAC-SHA-256) for finding a customer again. Both keys are derived with HKDF from
 * the 32-byte master key for data at rest (DATA_ENCRYPTION_KEY), each for its one purpose.
 */
export interface NationalIdProtector {
  encrypt(nationalId: string): Buffer;
  decrypt(ciphertext: Buffer): string;
  lookupHash(nationalId: string): Buffer;
}

const FORMAT_VERSION = 1;

export function createNationalIdProtector(keyBase64: string): NationalIdProtector {
  const master = Buffer.from(keyBase64, 'base64');
  if (master.length !== 32) throw new Error('DATA_ENCRYPTION_KEY must be 32 bytes');
  const encryptionKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'drop national id encryption v1', 32));
  const hashKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'drop national id lookup v1', 32));

  return {
    encrypt(nationalId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(nationalId, 'utf8'), cipher.final()]);
      // version ‖ iv ‖ tag ‖ ciphertext
      return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
    },
    decrypt(ciphertext) {
      if (ciphertext[0] !== FORMAT_VERSION) throw new Error('unknown national id ciphertext format');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, ciphertext.subarray(1, 13));
      decipher.setAuthTag(ciphertext.subarray(13, 29));
      return Buffer.concat([decipher.update(ciphertext.subarray(29)), decipher.final()]).toString('utf8');
    },
    lookupHash(nationalId) {
      return createHmac('sha256', hashKey).update(nationalId, 'utf8').digest();
    },
  };
}

/** Norwegian fødselsnummer / D-number shape and both mod-11 control digits. */
export function isValidNationalId(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const control = (weights: number[]) => {
    const sum = weights.reduce((total, weight, index) => total + weight * (digits[index] ?? 0), 0);
    const rest = 11 - (sum % 11);
    return rest === 11 ? 0 : rest;
  };
  const k1 = control([3, 7, 6, 1, 8, 9, 4, 5, 2]);
  const k2 = control([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
  return k1 !== 10 && k2 !== 10 && k1 === digits[9] && k2 === digits[10];
}
