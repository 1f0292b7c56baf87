import fs from 'node:fs';
import { AppError } from '../domain/errors.ts';

/** A JSON file an engine command reads; a missing or broken file is `<module>.unreadable` naming the file. */
export function readJsonFile(file: string, module: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AppError(
      `${module}.unreadable`,
      `无法读取 JSON：${(e as Error).message}`,
      `cannot read the JSON: ${(e as Error).message}`,
      file,
    );
  }
}
