import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlanningInput } from '../../src/engines/planning/contract.ts';
import { runCli } from '../support/cli.ts';
import { planningInput } from './factory.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-planning-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const pathOf = (json: unknown) => {
  try {
    parsePlanningInput(json);
    return null;
  } catch (e) {
    return (e as { field?: string }).field;
  }
};

describe('planning contract', () => {
  it('names the JSON path of the first problem', () => {
    const base = planningInput();
    expect(pathOf(base)).toBeNull();
    expect(pathOf({ ...base, demand_points: [{ ...base.demand_points[0], pupils: -1 }] })).toBe(
      'demand_points[0].pupils',
    );
    expect(pathOf({ ...base, sites: [{ ...base.sites![0], options: [] }] })).toBe('sites[0].options');
    expect(pathOf({ ...base, schools: [base.schools![0], { ...base.schools![1], id: 'S1' }] })).toBe(
      'schools[1].id',
    );
    // School and site ids share one namespace: a plan names its facilities by id.
    expect(pathOf({ ...base, sites: [{ ...base.sites![0], id: 'S2' }] })).toBe('sites[0].id');
    expect(
      pathOf({ ...base, distance: { method: 'matrix', pairs: [{ demand: 'V1', facility: 'X9', km: 2 }] } }),
    ).toBe('distance.pairs[0].facility');
    expect(pathOf({ ...base, service_radius_km: { urban: 0, rural: 8 } })).toBe('service_radius_km.urban');
  });

  it('words each problem in Chinese and in English', () => {
    const base = planningInput();
    const errorOf = (json: unknown) => {
      try {
        parsePlanningInput(json);
      } catch (e) {
        return e as { zh: string; en: string };
      }
      throw new Error('accepted');
    };
    const duplicate = errorOf({ ...base, schools: [base.schools![0], { ...base.schools![1], id: 'S1' }] });
    expect(duplicate.zh).toBe('输入不符合约定：编号 S1 重复');
    expect(duplicate.en).toBe('input does not match the contract: duplicate id S1');
    // zod's own checks in its Chinese wording: no English inside the Chinese.
    const negative = errorOf({ ...base, demand_points: [{ ...base.demand_points[0], pupils: -1 }] });
    expect(negative.zh).toMatch(/^输入不符合约定：数值过小/);
    expect(negative.en).toMatch(/too small/i);
  });

  it('takes a sparse distance matrix: a pair not listed is out of reach', () => {
    const base = planningInput();
    const parsed = parsePlanningInput({
      ...base,
      distance: { method: 'matrix', pairs: [{ demand: 'V1', facility: 'S1', km: 1.5 }] },
    });
    expect(parsed.distance).toEqual({ method: 'matrix', pairs: [{ demand: 'V1', facility: 'S1', km: 1.5 }] });
  });
});

describe('bin/eduatlas planning solve', () => {
  it('prints the plan as JSON, or writes it with --out', () => {
    const file = path.join(dir, 'in.json');
    fs.writeFileSync(file, JSON.stringify(planningInput()));
    const r = runCli(['planning', 'solve', file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ status: 'optimal', method: 'exact', gap: 0 });
    expect(out.plan.summary.new_schools).toBe(1);
    const target = path.join(dir, 'out.json');
    expect(runCli(['planning', 'solve', file, '--out', target]).status).toBe(0);
    expect(JSON.parse(fs.readFileSync(target, 'utf8'))).toEqual(out);
  });

  it('fails with one line naming the JSON path, in English then Chinese', () => {
    const file = path.join(dir, 'bad.json');
    const base = planningInput();
    fs.writeFileSync(
      file,
      JSON.stringify({ ...base, sites: [{ ...base.sites![0], options: [{ capacity: 0 }] }] }),
    );
    const r = runCli(['planning', 'solve', file]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /sites\[0\]\.options\[0\]\.capacity: input does not match the contract: .* — 输入不符合约定/,
    );
  });
});
