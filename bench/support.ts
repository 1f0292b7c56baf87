/** Shared pieces of the benchmarks: medians, command-line options, and the results table in README.md. */
import fs from 'node:fs';
import path from 'node:path';

export const BENCH_README = path.join(import.meta.dirname, 'README.md');

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `--name value` from the command line, or the default. */
export function option(args: readonly string[], name: string, def: string): string {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
}

/** Replaces (or appends) the section headed `heading` in bench/README.md with `body`. */
export function writeSection(heading: string, body: string): void {
  const text = fs.existsSync(BENCH_README) ? fs.readFileSync(BENCH_README, 'utf8') : '# Benchmarks\n\n';
  const start = text.indexOf(`${heading}\n`);
  let next: string;
  if (start < 0) next = `${text.trimEnd()}\n\n${heading}\n\n${body}`;
  else {
    const after = text.indexOf('\n## ', start + heading.length);
    const end = after < 0 ? text.length : after + 1;
    next = `${text.slice(0, start)}${heading}\n\n${body}${after < 0 ? '' : '\n'}${text.slice(end)}`;
  }
  fs.writeFileSync(BENCH_README, next);
}
