import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '../../bin/eduatlas');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin/eduatlas` as a user would, with DATABASE_URL and other variables set for this call. */
export function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd?: string,
): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
