import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GRADES } from '../../src/domain/stages.ts';
import { forecastEnrollment } from '../../src/engines/forecast/index.ts';
import { runCli } from '../support/cli.ts';
import { clone, forecastInput, syntheticArea } from './fixture.ts';

/** The contract's output (DESIGN.md "forecast solve"): area → year → grade → unrounded pupils. */
const value = z.number().nonnegative();
const outputSchema = z
  .object({
    areas: z.record(
      z.string(),
      z.record(z.string().regex(/^\d{4}$/), z.partialRecord(z.enum(GRADES), value)),
    ),
    intervals: z
      .record(
        z.string(),
        z.record(z.string().regex(/^\d{4}$/), z.partialRecord(z.enum(GRADES), z.tuple([value, value]))),
      )
      .optional(),
  })
  .strict();

describe('bin/eduatlas forecast solve', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-forecast-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const input = forecastInput([syntheticArea({ id: '411402' }).area, syntheticArea({ id: '411421' }).area], {
    horizon: 5,
  });
  const write = (name: string, json: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
    return file;
  };

  it('prints the contract’s JSON, the engine’s result, and exits 0', () => {
    const r = runCli(['forecast', 'solve', write('input.json', input)]);
    expect(r.status).toBe(0);
    const out = outputSchema.parse(JSON.parse(r.stdout));
    expect(Object.keys(out.areas)).toEqual(['411402', '411421']);
    expect(Object.keys(out.areas['411402'])).toEqual(['2026', '2027', '2028', '2029', '2030']);
    expect(Object.keys(out.areas['411402'][2026])).toEqual([...GRADES]);
    expect(out).toEqual(forecastEnrollment(input));
    expect(out.intervals).toBeUndefined();
  });

  it('writes --out FILE, with intervals beside the areas when asked', () => {
    const out = path.join(dir, 'out.json');
    const asked = { ...input, intervals: { level: 0.8, errors: { 1: [-0.02, 0.01, 0.03] } } };
    const r = runCli(['forecast', 'solve', write('asked.json', asked), '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    const result = outputSchema.parse(JSON.parse(fs.readFileSync(out, 'utf8')));
    expect(Object.keys(result.intervals!['411421'])).toEqual(['2026']);
  });

  it('names the JSON path, area, year and grade of bad data in one line on stderr, exit 1', () => {
    const bad = clone(input);
    delete bad.areas[1].enrollment[2024].G3;
    const r = runCli(['forecast', 'solve', write('bad.json', bad)]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('areas[1].enrollment.2024.G3');
    expect(lines[0]).toContain('area 411421, 2024, G3');
    expect(lines[0]).toContain('区域 411421 2024 年 G3：缺少在校生数');
  });

  it('refuses a file that is not JSON, naming the file', () => {
    const file = write('broken.json', '{ "baseYear": ');
    const r = runCli(['forecast', 'solve', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(file);
  });
});
