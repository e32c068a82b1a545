import { type Db, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import { ADULT_AGE, ageOn, birthdateFromNationalId } from './age.ts';
import { isValidNationalId, type NationalIdProtector } from './national-id.ts';

/** What BankID vouched for, after the relying party has validated the ID token. */
export interface BankIdIdentity {
  subject: string;
  nationalId: string;
  givenName: string;
  familyName: string;
  name: string;
  birthdate: string | undefined;
  acr: string;
  amr: string[];
}

export interface SignInResult {
  userId: string;
  sessionId: string;
  expiresAt: Date;
  newCustomer: boolean;
}

/** The assurance level in a BankID `acr` such as `urn:bankid:bid;LOA=4`; 0 when it carries none. */
function levelOfAssurance(acr: string): number {
  const match = /;LOA=(\d)$/.exec(acr);
  return match ? Number(match[1]) : 0;
}

/**
 * Signs a customer in: finds them by the keyed hash of their national identity number (or
 * creates them, `usr_…`, `auth_provider = 'bankid'`), refuses blocked customers, and opens a new
 * session (a new id on every sign-in). A person under 18 (BankID's birth date, or the one the
 * national id encodes) is refused with UNDER_AGE: no customer is created for them (only the
 * audit event `signup_refused` with the reason and age, no identity), and a customer who signed
 * up before the rule is refused too (`login_refused`, reason `under_age`). The session row, the customer and the audit event commit
 * together. The national identity number is stored encrypted and never leaves this function.
 */
export async function signInWithBankId(
  db: Db,
  input: {
    identity: BankIdIdentity;
    minLoa: number;
    protector: NationalIdProtector;
    sessionLifetimeSeconds: number;
    client: { ip: string | undefined; userAgent: string | undefined };
  },
): Promise<SignInResult> {
  const { identity } = input;
  if (levelOfAssurance(identity.acr) < input.minLoa) {
    throw new DomainError(
      'AUTH_LEVEL_TOO_LOW',
      `BankID level of assurance ${levelOfAssurance(identity.acr)} is below the required ${input.minLoa}.`,
    );
  }
  if (!isValidNationalId(identity.nationalId)) {
    throw new DomainError('SIGN_IN_FAILED', 'BankID did not provide a valid national identity number.');
  }
  const lookupHash = input.protector.lookupHash(identity.nationalId);
  const birthdate = identity.birthdate ?? birthdateFromNationalId(identity.nationalId);
  const age = birthdate ? ageOn(birthdate, new Date()) : undefined;
  const minor = age !== undefined && age < ADULT_AGE;

  return withTransaction(db, async (tx) => {
    const found = await tx.query<{ id: string; deleted_at: Date | null; kyc_status: string }>(
      'SELECT id, deleted_at, kyc_status FROM users WHERE national_id_hash = $1 FOR UPDATE',
      [lookupHash],
    );
    let userId = found.rows[0]?.id;
    const newCustomer = !userId;
    if (minor) {
      await recordAuditEvent(tx, {
        action: newCustomer ? 'signup_refused' : 'login_refused',
        resourceType: newCustomer ? 'auth' : 'user',
        ...(userId ? { resourceId: userId } : {}),
        actor: userId ?? 'anonymous',
        details: { reason: 'under_age', age, minimumAge: ADULT_AGE, acr: identity.acr },
      });
      return { refused: 'under_age' as const, existingCustomer: !newCustomer };
    }
    if (found.rows[0] && (found.rows[0].deleted_at || found.rows[0].kyc_status === 'rejected')) {
      await recordAuditEvent(tx, {
        action: 'login_refused',
        resourceType: 'user',
        resourceId: found.rows[0].id,
        actor: found.rows[0].id,
        details: { reason: found.rows[0].deleted_at ? 'deleted' : 'kyc_rejected', acr: identity.acr },
      });
      // Commit the audit row, then refuse.
      return { refused: 'blocked' as const };
    }
    if (!userId) {
      userId = newId('usr');
      await tx.query(
        `INSERT INTO users (id, full_name, given_name, family_name, birth_date, auth_provider, bankid_sub,
                            national_id_ciphertext, national_id_hash, last_login_at)
         VALUES ($1, $2, $3, $4, $5, 'bankid', $6, $7, $8, now())`,
        [
          userId,
          identity.name,
          identity.givenName,
          identity.familyName,
          identity.birthdate ?? null,
          identity.subject,
          input.protector.encrypt(identity.nationalId),
          lookupHash,
        ],
      );
    } else {
      await tx.query(
        `UPDATE users SET full_name = $2, given_name = $3, family_name = $4, birth_date = coalesce($5, birth_date),
                          bankid_sub = $6, last_login_at = now()
          WHERE id = $1`,
        [userId, identity.name, identity.givenName, identity.familyName, identity.birthdate ?? null, identity.subject],
      );
    }
    const sessionId = newId('ses');
    const session = await tx.query<{ expires_at: Date }>(
      `INSERT INTO sessions (id, user_id, expires_at, ip, user_agent, acr, amr)
       VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5, $6, $7) RETURNING expires_at`,
      [
        sessionId,
        userId,
        input.sessionLifetimeSeconds,
        input.client.ip ?? null,
        input.client.userAgent?.slice(0, 512) ?? null,
        identity.acr,
        identity.amr,
      ],
    );
    await recordAuditEvent(tx, {
      action: 'login_succeeded',
      resourceType: 'user',
      resourceId: userId,
      actor: userId,
      details: { sessionId, provider: 'bankid', acr: identity.acr, amr: identity.amr, newCustomer },
    });
    return { refused: false as const, userId, sessionId, expiresAt: session.rows[0]?.expires_at as Date, newCustomer };
  }).then((result) => {
    if (result.refused === 'under_age') {
      throw new DomainError('UNDER_AGE', `Drop is for customers aged ${ADULT_AGE} or over.`, { existingCustomer: result.existingCustomer });
    }
    if (result.refused) throw new DomainError('ACCOUNT_BLOCKED', 'This account is blocked. Contact support.');
    return { userId: result.userId, sessionId: result.sessionId, expiresAt: result.expiresAt, newCustomer: result.newCustomer };
  });
}
