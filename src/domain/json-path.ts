/** A JSON path as engine errors name it: `census[3].grade`, `$` for the whole document. */
export function jsonPath(path: readonly PropertyKey[]): string {
  const text = path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  return text || '$';
}
