import type { StaffRole } from '@drop/contracts';
import type { Db } from '@drop/db';
import { DomainError } from '../errors.ts';

/** An enabled staff member by email (any case), for the CLI's `--as`: NOT_FOUND otherwise. */
export async function staffByEmail(db: Db, email: string): Promise<{ id: string; name: string; role: StaffRole }> {
  const { rows } = await db.query<{ id: string; name: string; role: StaffRole }>(
    'SELECT id, full_name AS name, role FROM staff WHERE lower(email) = lower($1) AND disabled_at IS NULL',
    [email],
  );
  const staff = rows[0];
  if (!staff) throw new DomainError('NOT_FOUND', `No enabled staff member with email ${email}.`);
  return staff;
}
