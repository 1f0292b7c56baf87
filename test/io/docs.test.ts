import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPORT_TABLES } from '../../src/io/export.ts';
import { DOCS_BEGIN, DOCS_END, renderKindReference } from '../../src/io/kind-docs.ts';
import { KINDS } from '../../src/io/kinds/index.ts';

const DOC = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/data-import.md'), 'utf8');

describe('docs/data-import.md', () => {
  it('carries the column reference as the specs generate it (regenerate with bin/eduatlas template --docs)', () => {
    const start = DOC.indexOf(DOCS_BEGIN);
    const end = DOC.indexOf(DOCS_END);
    expect(start).toBeGreaterThan(0);
    expect(DOC.slice(start + DOCS_BEGIN.length, end).trim()).toBe(renderKindReference().trim());
  });

  it('names every kind with its natural key, and every exportable table', () => {
    for (const k of KINDS) expect(DOC).toContain(`| \`${k.name}\` | ${k.naturalKey.zh} |`);
    const listed = /可导出的表：`([^`]+)`/.exec(DOC)?.[1].split(/\s+/);
    expect(listed?.sort()).toEqual([...EXPORT_TABLES].sort());
  });
});
