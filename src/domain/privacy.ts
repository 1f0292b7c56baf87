/** Masking of children's and teachers' personal data in lists, logs and exports. */

/** 张三丰 → 张**; keeps the family name only. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return name ?? null;
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 411402201701011234 → 411402********1234: region and last four only. */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return id ?? null;
  if (id.length < 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/**
 * A register number (学籍号) masked where it embeds an ID number (G + 身份证号): the ID part is masked
 * as an ID number; a number without one is not personal and stays as it is.
 */
export function maskRegisterNo(no: string): string {
  const m = no.match(/^(\D*)(\d{17}[\dXx])$/);
  return m ? `${m[1]}${maskIdNumber(m[2])}` : no;
}
