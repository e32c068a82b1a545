import type { StrReporter } from '@drop/contracts';
import type { Db } from '@drop/db';
import { DomainError } from '../../errors.ts';

/** Drop as a reporting entity, from settings (`config.reportingEntity`). */
export interface ReportingEntitySettings {
  name: string;
  orgNumber: string;
  fiuEntityId: string;
  address: { street: string; postalCode: string; city: string; country: string };
}

/**
 * The reporter of an STR's export: Drop (from settings) and the staff member who files it
 * (goAML's reporting person), whose name is split into first and last as the schema wants.
 */
export async function buildStrReporter(db: Db, input: { entity: ReportingEntitySettings; staffId: string }): Promise<StrReporter> {
  const staff = (
    await db.query<{ full_name: string; email: string; role: string }>('SELECT full_name, email, role FROM staff WHERE id = $1', [
      input.staffId,
    ])
  ).rows[0];
  if (!staff) throw new DomainError('NOT_FOUND', 'No such staff member.');
  const words = staff.full_name.trim().split(/\s+/);
  return {
    entityName: input.entity.name,
    orgNumber: input.entity.orgNumber,
    fiuEntityId: input.entity.fiuEntityId,
    address: { ...input.entity.address },
    person: {
      firstName: words.length > 1 ? words.slice(0, -1).join(' ') : staff.full_name,
      lastName: words.at(-1) ?? staff.full_name,
      email: staff.email,
      phone: null,
      occupation: staff.role === 'compliance_lead' ? 'Compliance lead (AML reporting officer)' : 'Compliance',
    },
  };
}
