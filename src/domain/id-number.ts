/** 居民身份证号码 (GB 11643-1999): 18 characters, the last a check digit computed with ISO 7064 MOD 11-2. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export type IdNumberProblem = 'format' | 'birth_date' | 'check_digit';

/** Returns null when the number is well formed, or what is wrong with it. */
export function checkIdNumber(id: string): IdNumberProblem | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return 'birth_date';
  }
  if (idCheckDigit(id.slice(0, 17)) !== id[17]) return 'check_digit';
  return null;
}

/** The birth date (YYYY-MM-DD) an ID number encodes. */
export function birthDateOfIdNumber(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Builds a valid number from region code, birth date and sequence (used by the synthetic demo city). */
export function makeIdNumber(region6: string, birthDate: string, seq3: number): string {
  const first17 = `${region6}${birthDate.replaceAll('-', '')}${String(seq3).padStart(3, '0')}`;
  return first17 + idCheckDigit(first17);
}
