/** Back-office staff for tests: a member created and enrolled (password + authenticator) in one call. */
import { randomBytes } from 'node:crypto';
import { completeEnrolment, createStaffMember, getEnrolment, type StaffRole, totpFor } from '@drop/core';
import type { TOTP } from 'otpauth';
import type pg from 'pg';

/** The development data key the test servers run with (packages/config's default). */
export const DEV_DATA_KEY = Buffer.from('drop-development-only-data-key-1').toString('base64');
export const STAFF_PASSWORD = 'a long staff passphrase 7';

/**
 * The code to enrol with: the current step's. The server accepts a code for one step either side
 * of its own, and each step once, so a sign-in straight after takes `signInCode` (the next step).
 * Enrolling with the previous step instead failed now and then on a busy machine: when a step
 * boundary fell between making the code and the server checking it, the code was two steps old.
 */
export const enrolmentCode = (totp: TOTP): string => totp.generate();

/** A code for signing in after enrolling with `enrolmentCode`: the next step's, valid for 30 s or more from now. */
export const signInCode = (totp: TOTP): string => totp.generate({ timestamp: Date.now() + 30_000 });

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

/** Creates and enrols a staff member; returns their authenticator, to make sign-in codes (`signInCode`). */
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
    totp: enrolmentCode(totp),
    dataEncryptionKey: DEV_DATA_KEY,
  });
  return totp;
}
