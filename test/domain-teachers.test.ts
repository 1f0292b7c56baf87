import { describe, expect, it } from 'vitest';
import { teachersByStage } from '../src/domain/teachers.ts';

describe('teachers shared among a school’s stages', () => {
  it('follows the pupils, and falls back to an even split when the school has none', () => {
    const nine = teachersByStage(
      30,
      new Map([
        ['primary', 400],
        ['junior', 200],
      ] as const),
      'nine_year',
    );
    expect(Object.fromEntries(nine)).toEqual({ primary: 20, junior: 10 });
    const empty = teachersByStage(6, new Map(), 'complete_secondary');
    expect(Object.fromEntries(empty)).toEqual({ junior: 3, senior: 3 });
    expect(teachersByStage(0, new Map([['primary', 10]] as const), 'primary').size).toBe(0);
  });
});
