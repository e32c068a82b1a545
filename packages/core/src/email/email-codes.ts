import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../crypto/data-key.ts';

/**
 * The rules for email verification codes, in one place: six digits, valid 15 minutes, five wrong
 * tries, a new code at most once a minute and five per address, and at most five new addresses an
 * hour. A code is stored only as an HMAC keyed from DATA_ENCRYPTION_KEY (its own HKDF purpose) over
 * the verification's id and the code, so the table alone does not give the million codes away.
 */
export const EMAIL_CODE_RULES = {
  ttlMinutes: 15,
  maxAttempts: 5,
  resendAfterSeconds: 60,
  maxSends: 5,
  maxRequestsPerHour: 5,
} as const;

export interface EmailCodeHasher {
  hash(verificationId: string, code: string): Buffer;
  matches(verificationId: string, code: string, stored: Buffer): boolean;
}

export function createEmailCodeHasher(masterKeyBase64: string): EmailCodeHasher {
  const key = deriveKey(masterKeyBase64, 'email verification code v1');
  const hash = (verificationId: string, code: string) => createHmac('sha256', key).update(`${verificationId}:${code}`, 'utf8').digest();
  return {
    hash,
    matches(verificationId, code, stored) {
      const candidate = hash(verificationId, code);
      return candidate.length === stored.length && timingSafeEqual(candidate, stored);
    },
  };
}

/** Six random digits, leading zeros kept. */
export function newEmailCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}
