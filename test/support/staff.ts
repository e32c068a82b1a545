/** Back-office staff for tests: a member created and enrolled (password + authenticator) in one call. */
import { randomBytes } from 'node:crypto';
import { completeEnrolment, createStaffMember, getEnrolment, type StaffRole, totpFor } from '@drop/core';
import type pg from 'pg';

/** The development data key the test servers run with (packages/config's default). */
export const DEV_DATA_KEY = Buffer.from('drop-development-only-data-key-1').toString('base64');
export const STAFF_PASSWORD = 'a long staff passphrase 7';

/**
 * Creates a staff member of `role` with a fresh e-mail address, as `drop staff create` does; returns
 * them with the enrolment token the command prints (their enrolment link's).
 */
export async function newStaffMember(
  pool: pg.Pool,
  input: { role: StaffRole; name: string; dataEncryptionKey: string },
): Promise<{ email: string; name: string; token: string }> {
  const email = `${input.role.replace('_', '.')}.${randomBytes(3).toString('hex')}@drop.no`;
  const { enrolmentToken } = await createStaffMember(pool, {
    email,
    name: input.name,
    role: input.role,
    actor: 'test',
    dataEncryptionKey: input.dataEncryptionKey,
  });
  return { email, name: input.name, token: enrolmentToken };
}

/** Creates and enrols a staff member; returns their authenticator, to make sign-in codes. */
export async function enrolStaff(pool: pg.Pool, input: { email: string; role: StaffRole }): Promise<ReturnType<typeof totpFor>> {
  const { enrolmentToken } = await createStaffMember(pool, {
    email: input.email,
    name: `${input.role} person`,
    role: input.role,
    actor: 'test',
    dataEncryptionKey: DEV_DATA_KEY,
  });
  const view = await getEnrolment(pool, { token: enrolmentToken, dataEncryptionKey: DEV_DATA_KEY });
  const totp = totpFor(view.totpSecret, input.email);
  await completeEnrolment(pool, {
    token: enrolmentToken,
    password: STAFF_PASSWORD,
    // The previous 30 s step, so the code used to sign in right after is a fresh one.
    totp: totp.generate({ timestamp: Date.now() - 30_000 }),
    dataEncryptionKey: DEV_DATA_KEY,
  });
  return totp;
}
