import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src/domain/errors.ts';
import type { AdmissionsInput } from '../../src/engines/admissions/contract.ts';
import { type DrawFile, publishDraw, verifyDraw } from '../../src/engines/admissions/verify.ts';
import { buildInput, instanceArb, sha } from './factory.ts';

const SECRET = '9f2c-公证处-2026';
const PUBLIC_VALUE = '2026-07-20 福彩3D 4 7 1';

const draw = (input: AdmissionsInput): DrawFile => {
  const { seed: _seed, ...body } = input;
  return publishDraw(body, SECRET, PUBLIC_VALUE);
};

const tiny = () =>
  draw(
    buildInput({
      schools: [
        { id: 'M1', capacity: 1 },
        { id: 'P1', capacity: 2 },
      ],
      applicants: ['A1', 'A2', 'A3'].map((id) => ({ id, choices: ['M1'], tiers: { M1: 1 } })),
      overflow: {
        schools: [{ id: 'P1', ownership: 'public', x: 0, y: 0 }],
        communities: [{ id: 'C1', x: 10, y: 10 }],
        applicants: { A1: 'C1', A2: 'C1', A3: 'C1' },
      },
    }),
  );

describe('a published draw', () => {
  it('carries the digest, the commitment and the seed of its inputs, and verifies', () => {
    const file = tiny();
    expect(file.commitment).toBe(sha(SECRET));
    expect(file.seed).toBe(sha(`${SECRET}:${PUBLIC_VALUE}`));
    const report = verifyDraw(JSON.parse(JSON.stringify(file)));
    expect(report.ok).toBe(true);
    expect(report.result).toEqual({ ok: true, mismatches: 0, first: [] });
  });

  it('catches any single altered placement and names it', () => {
    fc.assert(
      fc.property(
        instanceArb().filter((i) => i.applicants.length > 0),
        fc.nat(),
        (input, pick) => {
          const file = draw(input);
          const ids = Object.keys(file.result.assignments);
          const victim = ids[pick % ids.length];
          const was = file.result.assignments[victim];
          const other = input.schools.map((s) => s.id).find((s) => s !== was);
          file.result.assignments[victim] = was === null ? input.schools[0].id : (other ?? null);
          const report = verifyDraw(file);
          expect(report.ok).toBe(false);
          expect(report.digest.ok && report.commitment.ok && report.seed.ok).toBe(true);
          expect(report.result.mismatches).toBe(1);
          expect(report.result.first).toEqual([
            {
              field: `result.assignments.${victim}`,
              published: file.result.assignments[victim],
              recomputed: was,
            },
          ]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('catches an altered overflow placement, a missing entry and an invented one', () => {
    const file = tiny();
    const moved = Object.keys(file.result.placements!).find(
      (a) => file.result.placements![a].by === 'overflow',
    )!;
    file.result.placements![moved] = { school: 'M1', by: 'choice' };
    delete file.result.seatsLeft!.P1;
    file.result.assignments.A9 = 'P1';
    const report = verifyDraw(file);
    expect(report.ok).toBe(false);
    expect(report.result.first.map((m) => m.field).sort()).toEqual(
      [
        `result.placements.${moved}.school`,
        `result.placements.${moved}.by`,
        'result.seatsLeft.P1',
        'result.assignments.A9',
      ].sort(),
    );
    expect(report.result.first.find((m) => m.field === 'result.assignments.A9')).toEqual({
      field: 'result.assignments.A9',
      published: 'P1',
    });
  });

  it('refuses a wrong secret: the commitment and the seed no longer match', () => {
    const file = { ...tiny(), secret: 'another secret' };
    const report = verifyDraw(file);
    expect(report.ok).toBe(false);
    expect(report.commitment.ok).toBe(false);
    expect(report.seed.ok).toBe(false);
    expect(report.digest.ok).toBe(true);
  });

  it('refuses an applicant list altered after its digest was published', () => {
    const file = tiny();
    file.applicants[1] = { ...file.applicants[1], tiers: { M1: 1, P1: 2 } };
    const report = verifyDraw(file);
    expect(report.ok).toBe(false);
    expect(report.digest.ok).toBe(false);
    expect(report.commitment.ok && report.seed.ok).toBe(true);
  });

  it('names the JSON path of a malformed draw file', () => {
    const lineOf = (json: unknown) => {
      try {
        verifyDraw(json);
      } catch (e) {
        return (e as AppError).toLine();
      }
    };
    const { commitment: _c, ...file } = tiny();
    expect(lineOf(file)).toBe(
      'commitment: input does not match the contract: is missing — 输入不符合约定：缺少此项',
    );
    expect(lineOf({ ...tiny(), result: { assignments: {} } })).toMatch(/^result\.schools: /);
  });
});
