import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zh as base } from '../../web/src/i18n/messages.ts';

/**
 * The web app's strings are split: a base bundle loaded with the first page, and module bundles
 * (web/src/i18n/messages/*.ts that add themselves with addMessages) loaded with the pages that
 * import them. A key whose bundle was not loaded shows as the key itself, so these rules are checked
 * on the sources: the shell uses base keys only, and a file that uses a module bundle's key imports
 * that bundle.
 */
const web = path.resolve(import.meta.dirname, '../../web/src');
const bundlesDir = path.join(web, 'i18n', 'messages');

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });

/** Module bundles loaded with their pages: the files under messages/ that add themselves. */
const lazyBundles = await Promise.all(
  fs
    .readdirSync(bundlesDir)
    .filter((f) => fs.readFileSync(path.join(bundlesDir, f), 'utf8').includes('addMessages({ zh, en })'))
    .map(async (f) => {
      const m = (await import(path.join(bundlesDir, f))) as { zh: object; en: object };
      return { file: f, keys: Object.keys(m.zh), en: Object.keys(m.en) };
    }),
);

/** String literals and the fixed heads of template literals (`fc.stage.${s}` gives `fc.stage.`). */
function literalsOf(source: string): { exact: Set<string>; heads: string[] } {
  const exact = new Set<string>();
  for (const m of source.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`$]*)`/g)) exact.add(m[1] ?? m[2] ?? m[3]);
  const heads = [...source.matchAll(/`([^`$]*)\$\{/g)].map((m) => m[1]).filter((h) => h.includes('.'));
  return { exact, heads };
}

/** The bundle keys a source file uses, by literal. */
function usedKeys(source: string, keys: string[]): string[] {
  const { exact, heads } = literalsOf(source);
  return keys.filter((k) => exact.has(k) || heads.some((h) => k.startsWith(h)));
}

const importsBundle = (source: string, file: string) =>
  new RegExp(`^import '[./]*(?:i18n/)?messages/${file.replace('.', '\\.')}';`, 'm').test(source);

/** Files the first page loads before any lazy route: static imports from main.tsx. */
function shellFiles(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = fs.readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^import (?!type )[^;]*?from '(\.[^']+)';|^import '(\.[^']+)';/gm)) {
      const target = path.resolve(path.dirname(file), m[1] ?? m[2]);
      if (target.startsWith(web) && fs.existsSync(target)) visit(target);
    }
  };
  visit(path.join(web, 'main.tsx'));
  return [...seen];
}

describe('web message bundles', () => {
  it('finds the module bundles, each with its English for every key', () => {
    expect(lazyBundles.map((b) => b.file).sort()).toEqual(
      expect.arrayContaining(['admissions.ts', 'admissions-draw.ts', 'forecast.ts', 'indicators.ts']),
    );
    for (const b of lazyBundles) expect(b.en.sort(), b.file).toEqual([...b.keys].sort());
  });

  it('keeps every nav.* key (menu and breadcrumbs) in the base bundle', () => {
    for (const b of lazyBundles)
      expect(
        b.keys.filter((k) => k.startsWith('nav.')),
        b.file,
      ).toEqual([]);
    const router = fs.readFileSync(path.join(web, 'router.tsx'), 'utf8');
    const crumbs = [...router.matchAll(/handle\('([^']+)'\)/g)].map((m) => m[1]);
    expect(crumbs.length).toBeGreaterThan(10);
    expect(crumbs.filter((k) => !(k in base))).toEqual([]);
  });

  it('gives each key one bundle', () => {
    const owner = new Map<string, string>(Object.keys(base).map((k) => [k, 'messages.ts']));
    for (const b of lazyBundles)
      for (const k of b.keys) {
        expect(owner.get(k), `${k} in ${b.file}`).toBeUndefined();
        owner.set(k, b.file);
      }
  });

  it('loads no module bundle with the shell, and the shell uses base keys only', () => {
    const shell = shellFiles();
    expect(shell.map((f) => path.relative(web, f))).toEqual(
      expect.arrayContaining(['layout/app-layout.tsx', 'layout/nav.tsx', 'i18n/messages.ts']),
    );
    for (const file of shell) {
      expect(path.dirname(file) === bundlesDir && lazyBundles.some((b) => file.endsWith(`/${b.file}`))).toBe(
        false,
      );
      const source = fs.readFileSync(file, 'utf8');
      for (const b of lazyBundles) expect(usedKeys(source, b.keys), path.relative(web, file)).toEqual([]);
    }
  });

  it('has every file that uses a module bundle’s keys import that bundle', () => {
    const missing: string[] = [];
    let users = 0;
    for (const file of sourceFiles(web).filter((f) => !f.startsWith(bundlesDir))) {
      const source = fs.readFileSync(file, 'utf8');
      for (const b of lazyBundles) {
        const keys = usedKeys(source, b.keys);
        if (keys.length === 0) continue;
        users++;
        if (!importsBundle(source, b.file))
          missing.push(`${path.relative(web, file)} uses ${keys[0]} without importing messages/${b.file}`);
      }
    }
    expect(users).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
