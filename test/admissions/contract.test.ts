import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { parseAdmissionsInput } from '../../src/engines/admissions/contract.ts';
import { buildInput } from './factory.ts';

/** The error line a clerk reads for a bad input. */
function errorOf(json: unknown): string {
  try {
    parseAdmissionsInput(json);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).toLine();
  }
  throw new Error('accepted');
}

const overflow = {
  schools: [{ id: 'P01', ownership: 'public', x: 0, y: 0 }],
  communities: [{ id: 'C1', x: 100, y: 0 }],
  applicants: { A1: 'C1' },
};

describe('the admissions contract', () => {
  it('accepts the DESIGN.md example', () => {
    const input = {
      seed: 'ab12',
      tieBreaking: 'single',
      schools: [
        { id: 'P01', capacity: 90 },
        { id: 'S03', capacity: 45 },
      ],
      applicants: [{ id: 'A0001', choices: ['P01', 'S03'], tiers: { P01: 1, S03: 2 } }],
    };
    expect(parseAdmissionsInput(input)).toEqual(input);
  });

  it.each([
    [
      { seed: 'xyz' },
      'seed: input does not match the contract: must be a hex string — 输入不符合约定：应为十六进制字符串',
    ],
    [
      { tieBreaking: 'random' },
      'tieBreaking: input does not match the contract: must be one of single, multiple',
    ],
    [
      { schools: [{ id: 'P01', capacity: -1 }] },
      'schools[0].capacity: input does not match the contract: must not be negative — 输入不符合约定：不能为负数',
    ],
    [
      { schools: [{ id: 'P01', capacity: 1.5 }] },
      'schools[0].capacity: input does not match the contract: must be an integer',
    ],
    [
      {
        schools: [
          { id: 'P01', capacity: 1 },
          { id: 'P01', capacity: 2 },
        ],
      },
      'schools[1].id: P01 repeats schools[0] — 编号 P01 与 schools[0] 重复',
    ],
    [
      { applicants: [{ id: 'A1', choices: ['P01'], tiers: { P01: 0 } }] },
      'applicants[0].tiers.P01: input does not match the contract: must be an integer ≥ 1 — 输入不符合约定：应为不小于 1 的整数',
    ],
    [
      { applicants: [{ id: 'A1', choices: ['P01'], tiers: { P01: 1.5 } }] },
      'applicants[0].tiers.P01: input does not match the contract: must be an integer ≥ 1',
    ],
    [
      { applicants: [{ id: 'A1', choices: ['P01'], tiers: { P01: '1' } }] },
      'applicants[0].tiers.P01: input does not match the contract: must be an integer ≥ 1',
    ],
    [
      { applicants: [{ id: 'A1', choices: ['P01'], tiers: [1] }] },
      'applicants[0].tiers: input does not match the contract: must be an object — 输入不符合约定：应为对象',
    ],
    [
      { applicants: [{ id: 'A1', choices: ['P01', 'S09'], tiers: { P01: 1 } }] },
      'applicants[0].choices[1]: unknown school S09 — 未知的学校 S09',
    ],
    [
      { applicants: [{ id: 'A1', choices: ['P01', 'P01'], tiers: { P01: 1 } }] },
      'applicants[0].choices[1]: school P01 is listed twice',
    ],
    [
      { applicants: [{ id: 'A1', choices: ['P01'], tiers: { P01: 1, S09: 1 } }] },
      'applicants[0].tiers.S09: unknown school S09',
    ],
    [
      {
        applicants: [
          { id: 'A1', choices: [], tiers: {} },
          { id: 'A1', choices: [], tiers: {} },
        ],
      },
      'applicants[1].id: A1 repeats applicants[0]',
    ],
    [
      { applicants: [{ id: 'A1', choices: [] }] },
      'applicants[0].tiers: input does not match the contract: is missing — 输入不符合约定：缺少此项',
    ],
    [
      { applicants: [{ id: 'A1', choices: [], tiers: {}, name: '张三' }] },
      'applicants[0]: input does not match the contract: unknown key name',
    ],
    [
      { overflow: { ...overflow, applicants: {} } },
      'overflow.applicants.A1: the applicant has no community — 缺少此申请的小区',
    ],
    [{ overflow: { ...overflow, applicants: { A1: 'C9' } } }, 'overflow.applicants.A1: unknown community C9'],
    [
      { overflow: { ...overflow, applicants: { A1: 'C1', A7: 'C1' } } },
      'overflow.applicants.A7: unknown applicant A7',
    ],
    [
      { overflow: { ...overflow, schools: [{ id: 'P09', ownership: 'public', x: 0, y: 0 }] } },
      'overflow.schools[0].id: unknown school P09',
    ],
    [
      { overflow: { ...overflow, schools: [{ id: 'P01', ownership: 'state', x: 0, y: 0 }] } },
      'overflow.schools[0].ownership: input does not match the contract: must be one of public, private',
    ],
  ])('refuses %j naming the JSON path', (change, line) => {
    expect(errorOf({ ...buildInput(), ...change })).toContain(line);
  });

  it('accepts the overflow extension', () => {
    expect(parseAdmissionsInput(buildInput({ overflow: overflow as never })).overflow).toEqual(overflow);
  });
});
