import { createHmac } from 'node:crypto';
import { hasNationalIdControlDigits } from '@drop/check-digits';
import { deriveKey, open, seal } from '../crypto/data-key.ts';

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

export function createNationalIdProtector(masterKeyBase64: string): NationalIdProtector {
  const encryptionKey = deriveKey(masterKeyBase64, 'national id encryption v1');
  const hashKey = deriveKey(masterKeyBase64, 'national id lookup v1');
  return {
    encrypt: (nationalId) => seal(encryptionKey, Buffer.from(nationalId, 'utf8')),
    decrypt: (ciphertext) => open(encryptionKey, ciphertext).toString('utf8'),
    lookupHash: (nationalId) => createHmac('sha256', hashKey).update(nationalId, 'utf8').digest(),
  };
}

/** Norwegian fødselsnummer / D-number shape and both mod-11 control digits. */
export function isValidNationalId(value: string): boolean {
  return hasNationalIdControlDigits(value);
}
