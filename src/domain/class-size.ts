/** 班额 bands of the national statistics: up to 45 normal, 46–55 偏大, 56–65 大班额, 66 and more 超大班额. */
export type ClassSizeBand = 'normal' | 'somewhat_large' | 'large' | 'super_large';

export function classSizeBand(size: number): ClassSizeBand {
  if (size >= 66) return 'super_large';
  if (size >= 56) return 'large';
  if (size >= 46) return 'somewhat_large';
  return 'normal';
}
