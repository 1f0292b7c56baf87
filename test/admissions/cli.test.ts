import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { solveAdmissions } from '../../src/engines/admissions/solve.ts';
import { publishDraw } from '../../src/engines/admissions/verify.ts';
import { runCli } from '../support/cli.ts';
import { buildInput, sha } from './factory.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-admissions-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const write = (name: string, json: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
};

/** The output of DESIGN.md "admissions solve", and nothing else. */
const contractOutput = z.strictObject({
  assignments: z.record(z.string(), z.string().nullable()),
  schools: z.record(
    z.string(),
    z.strictObject({
      admitted: z.number().int().min(0),
      cutoff: z
        .strictObject({ tier: z.number().int().min(1), key: z.string().regex(/^[0-9a-f]{64}$/) })
        .nullable(),
    }),
  ),
});

const input = buildInput({
  seed: 'ab12',
  schools: [
    { id: 'P01', capacity: 1 },
    { id: 'S03', capacity: 3 },
  ],
  applicants: [
    { id: 'A0001', choices: ['P01', 'S03'], tiers: { P01: 1, S03: 2 } },
    { id: 'A0002', choices: ['P01'], tiers: { P01: 1 } },
    { id: 'A0003', choices: ['S03'], tiers: { S03: 1 } },
  ],
});

describe('bin/eduatlas admissions solve', () => {
  it('prints the contract JSON', () => {
    const r = runCli(['admissions', 'solve', write('in.json', input)]);
    expect(r.status).toBe(0);
    const out = contractOutput.parse(JSON.parse(r.stdout));
    expect(out).toEqual(solveAdmissions(input));
    const p01 = sha('ab12:A0001') < sha('ab12:A0002') ? 'A0001' : 'A0002';
    expect(out.assignments[p01]).toBe('P01');
    expect(out.schools.P01).toEqual({ admitted: 1, cutoff: { tier: 1, key: sha(`ab12:${p01}`) } });
    expect(out.schools.S03.cutoff).toBeNull();
  });

  it('writes the result with --out', () => {
    const out = path.join(dir, 'out.json');
    const r = runCli(['admissions', 'solve', write('in.json', input), '--out', out]);
    expect(r.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(solveAdmissions(input));
  });

  it('refuses a bad input with one line naming the JSON path, English then Chinese', () => {
    const bad = { ...input, schools: [{ id: 'P01', capacity: -3 }, input.schools[1]] };
    const r = runCli(['admissions', 'solve', write('bad.json', bad)]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      '错误 / error: schools[0].capacity: input does not match the contract: must not be negative — 输入不符合约定：不能为负数',
    ]);
    const broken = runCli(['admissions', 'solve', write('broken.json', '{"seed": ')]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/broken\.json: cannot read the JSON/);
  });
});

describe('bin/eduatlas admissions verify', () => {
  const { seed: _seed, ...body } = input;
  const draw = publishDraw(body, 'notary-secret', '2026-07-20 3D 4 7 1');

  it('says a published draw verifies', () => {
    const r = runCli(['admissions', 'verify', write('draw.json', draw)]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, seed: { ok: true }, result: { mismatches: 0 } });
  });

  it('fails, names the first difference and lists it, for one altered placement', () => {
    const altered = structuredClone(draw);
    const victim = Object.keys(altered.result.assignments).find(
      (a) => altered.result.assignments[a] !== null,
    )!;
    altered.result.assignments[victim] = null;
    const r = runCli(['admissions', 'verify', write('altered.json', altered)]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).result.first).toEqual([
      { field: `result.assignments.${victim}`, published: null, recomputed: draw.result.assignments[victim] },
    ]);
    expect(r.stderr.trim()).toBe(
      `错误 / error: result.assignments.${victim}: the draw does not verify: 1 result entry differs — 派位验证不通过：1 项结果不符`,
    );
  });
});
