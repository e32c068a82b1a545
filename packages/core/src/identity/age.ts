/**
 * A customer's age, from what BankID vouches for. Drop serves adults only (a minor cannot enter a
 * binding agreement alone, vergemålsloven § 9), so sign-in refuses anyone under `ADULT_AGE`.
 */
export const ADULT_AGE = 18;

/** Whole years from `birthdate` (YYYY-MM-DD) to `today` (Oslo's calendar day in practice; UTC here is within a day). */
export function ageOn(birthdate: string, today: Date): number {
  const [year, month, day] = birthdate.split('-').map(Number) as [number, number, number];
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth() + 1;
  const d = today.getUTCDate();
  return y - year - (m < month || (m === month && d < day) ? 1 : 0);
}

/**
 * The birth date a fødselsnummer (or D-/H-number) encodes, YYYY-MM-DD, for when BankID's
 * `birthdate` claim is missing: ddmmyy, with the century from the individual number.
 */
export function birthdateFromNationalId(nationalId: string): string | undefined {
  if (!/^\d{11}$/.test(nationalId)) return undefined;
  let day = Number(nationalId.slice(0, 2));
  let month = Number(nationalId.slice(2, 4));
  const yy = Number(nationalId.slice(4, 6));
  const individual = Number(nationalId.slice(6, 9));
  if (day > 40) day -= 40; // D-number
  if (month > 40) month -= 40; // H-number
  let century: number | undefined;
  if (individual <= 499) century = 1900;
  else if (individual <= 749 && yy >= 54) century = 1800;
  else if (yy <= 39) century = 2000;
  else if (individual >= 900) century = 1900;
  if (century === undefined || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${century + yy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
