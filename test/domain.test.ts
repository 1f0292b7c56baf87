import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { birthDateOfIdNumber, checkIdNumber, idCheckDigit, makeIdNumber } from '../src/domain/id-number.ts';
import { maskIdNumber, maskName, maskRegisterNo } from '../src/domain/privacy.ts';
import { levelOfCode } from '../src/domain/regions/index.ts';
import { gradesOfSchoolType, stageOfGrade } from '../src/domain/stages.ts';
import { schoolYearOf, todayInShanghai } from '../src/domain/time.ts';

describe('GB 11643 ID numbers', () => {
  it('computes the check digit of the standard’s worked example', () => {
    // GB 11643-1999 appendix example: 11010519491231002X
    expect(idCheckDigit('11010519491231002')).toBe('X');
    expect(checkIdNumber('11010519491231002X')).toBeNull();
  });
  it('rejects a wrong check digit, a bad date and a bad format', () => {
    expect(checkIdNumber('110105194912310021')).toBe('check_digit');
    expect(checkIdNumber('110105194902300026')).toBe('birth_date');
    expect(checkIdNumber('4.11402E+17')).toBe('format');
    expect(checkIdNumber('11010519491231002x')).toBe('format');
  });
  it('makes numbers that always check out and carry their birth date', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }),
        fc.nat(999),
        (d, seq) => {
          const birth = d.toISOString().slice(0, 10);
          const id = makeIdNumber('411499', birth, seq);
          return checkIdNumber(id) === null && birthDateOfIdNumber(id) === birth;
        },
      ),
    );
  });
});

describe('masking', () => {
  it('keeps the family name and the ends of an ID number only', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李四')).toBe('李*');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskRegisterNo('G11010519491231002X')).toBe('G110105********002X');
    expect(maskRegisterNo('L2025000123')).toBe('L2025000123');
  });
});

describe('stages, regions and time', () => {
  it('knows which grades a school type teaches', () => {
    expect(gradesOfSchoolType('nine_year')).toEqual(['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8', 'G9']);
    expect(gradesOfSchoolType('vocational')).toEqual(['G10', 'G11', 'G12']);
    expect(stageOfGrade('K2')).toBe('kindergarten');
  });
  it('reads the level from a region code', () => {
    expect(levelOfCode('410000')).toBe('province');
    expect(levelOfCode('411400')).toBe('city');
    expect(levelOfCode('411402')).toBe('county');
    expect(levelOfCode('411402001')).toBe('township');
    expect(levelOfCode('41140')).toBeNull();
  });
  it('names school years by the year they start, with dates in Asia/Shanghai', () => {
    expect(schoolYearOf('2025-09-01')).toBe(2025);
    expect(schoolYearOf('2025-08-31')).toBe(2024);
    expect(todayInShanghai(new Date('2025-08-31T16:30:00Z'))).toBe('2025-09-01');
  });
});
