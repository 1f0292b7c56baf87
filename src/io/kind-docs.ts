import { KINDS } from './kinds/index.ts';
import { allowedValues, GENERAL_NOTES, TYPE_LABELS } from './template.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The reference of every import kind (natural key, columns, rules) as Markdown, generated from the
 * specs so that docs/data-import.md cannot drift from the code (`bin/eduatlas template --docs`).
 */
export function renderKindReference(): string {
  const out: string[] = [];
  out.push('通用规则 / Rules for every kind:', '');
  for (const n of GENERAL_NOTES) out.push(`- ${n.zh} ${n.en}`);
  out.push('');
  for (const k of KINDS) {
    out.push(`### ${k.title.zh} / ${k.title.en} — \`${k.name}\``, '');
    out.push(
      `唯一标识 / natural key: **${k.naturalKey.zh}** (${k.naturalKey.en}). 数据表 / table: \`${k.table}\`.`,
      '',
    );
    for (const n of k.notes ?? []) out.push(`- ${n.zh} ${n.en}`);
    if (k.notes?.length) out.push('');
    out.push('| 列名 | key | 类型 / type | 必填 / required | 允许的取值 / allowed | 说明 | Description |');
    out.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const c of k.columns) {
      const names = [c.header, ...(c.aliases ?? [])].join('<br>');
      out.push(
        `| ${cell(names)} | \`${c.key}\` | ${TYPE_LABELS[c.type].zh} / ${TYPE_LABELS[c.type].en} | ${c.required ? '是 / yes' : ''} | ${cell(allowedValues(c))} | ${cell(c.zh)} | ${cell(c.en)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

export const DOCS_BEGIN = '<!-- BEGIN GENERATED: bin/eduatlas template --docs -->';
export const DOCS_END = '<!-- END GENERATED -->';
