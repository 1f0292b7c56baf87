import { GRADE_OPTIONS, isTextColumn } from './cells.ts';
import { getKind } from './kinds/index.ts';
import type { FileFormat } from './read/source.ts';
import type { ColumnSpec, ImportKind, KindName } from './spec.ts';
import { type CellValue, type Output, openCsvWriter, XlsxWriter } from './write/table-writer.ts';

export const TYPE_LABELS: Record<ColumnSpec['type'], { zh: string; en: string }> = {
  text: { zh: '文本', en: 'text' },
  int: { zh: '整数', en: 'whole number' },
  int_list: { zh: '整数或按年级的整数列表', en: 'whole number, or one per grade' },
  number: { zh: '数字', en: 'number' },
  date: { zh: '日期', en: 'date' },
  bool: { zh: '是/否', en: 'yes/no' },
  enum: { zh: '选项', en: 'choice' },
  id_number: { zh: '身份证号（文本）', en: 'ID number (text)' },
  region_code: { zh: '行政区划代码（文本）', en: 'region code (text)' },
  school_code: { zh: '学校标识码（文本）', en: 'school code (text)' },
  year: { zh: '年份', en: 'year' },
  grade: { zh: '年级', en: 'grade' },
};

/** The allowed values of a column, as the 说明 sheet and the docs list them. */
export function allowedValues(col: ColumnSpec, lang: 'zh' | 'en' = 'zh'): string {
  const options = col.type === 'grade' ? GRADE_OPTIONS : col.options;
  if (options)
    return options
      .map((o) => (lang === 'en' ? `${o.key} (${o.label})` : `${o.label}（${o.key}）`))
      .join(lang === 'en' ? ', ' : '、');
  const range: string[] = [];
  if (col.min !== undefined) range.push(`≥ ${col.min}`);
  if (col.max !== undefined) range.push(`≤ ${col.max}`);
  if (col.maxLength !== undefined) range.push(`≤ ${col.maxLength} ${lang === 'en' ? 'chars' : '字 / chars'}`);
  return range.join(lang === 'en' ? ', ' : '，');
}

/** The example row of a kind's template, one value per column. */
export function exampleRow(kind: ImportKind): CellValue[] {
  return kind.columns.map((c) => (c.example === '' ? null : isTextColumn(c) ? String(c.example) : c.example));
}

const GUIDE_COLUMNS = {
  zh: [
    { header: '列名', width: 22 },
    { header: '英文列名 / key', width: 24 },
    { header: '类型 / type', width: 18 },
    { header: '必填 / required', width: 12 },
    { header: '允许的取值 / allowed values', width: 40 },
    { header: '说明', width: 60 },
    { header: 'Description', width: 60 },
    { header: '示例 / example', width: 22, text: true },
  ],
  en: [
    { header: 'Column', width: 24 },
    { header: 'Chinese column name / 列名', width: 22 },
    { header: 'Type', width: 18 },
    { header: 'Required', width: 12 },
    { header: 'Allowed values', width: 40 },
    { header: 'Description', width: 60 },
    { header: '说明', width: 60 },
    { header: 'Example', width: 22, text: true },
  ],
};

/**
 * Writes the template of a kind: the header row and one example row, and (XLSX) a second sheet that
 * explains every column. In Chinese (the default) the headers are the Chinese column names; in
 * English they are the column keys, which imports accept as well, so either template imports as it
 * is. ID-number and code columns are formatted as text.
 */
export async function writeTemplate(
  kindName: KindName | ImportKind,
  out: Output,
  format: FileFormat = 'xlsx',
  lang: 'zh' | 'en' = 'zh',
): Promise<void> {
  const kind = typeof kindName === 'string' ? getKind(kindName) : kindName;
  const en = lang === 'en';
  const columns = kind.columns.map((c) => ({ header: en ? c.key : c.header, text: isTextColumn(c) }));
  if (format === 'csv') {
    const csv = openCsvWriter(out, columns);
    await csv.add(exampleRow(kind));
    await csv.close();
    return;
  }
  const book = new XlsxWriter(out);
  const data = book.table({ name: kind.title[lang], columns });
  await data.add(exampleRow(kind));
  await data.close();
  const guide = book.table({ name: en ? 'Guide' : '说明', columns: GUIDE_COLUMNS[lang] });
  // The user's language first, the other beside it: bureaus pass templates on to both kinds of reader.
  const both = (zh: string, english: string) => (en ? [english, zh] : [zh, english]);
  for (const c of kind.columns) {
    const type = TYPE_LABELS[c.type];
    await guide.add([
      en ? c.key : c.header,
      en ? c.header : c.key,
      en ? type.en : `${type.zh} / ${type.en}`,
      en ? (c.required ? 'yes' : 'no') : c.required ? '是 / yes' : '否 / no',
      allowedValues(c, lang),
      ...both(c.zh, c.en),
      c.example === '' ? null : String(c.example),
    ]);
  }
  await guide.add([null, null, null, null, null, null, null, null]);
  await guide.add([
    `${kind.title[lang]} / ${kind.title[en ? 'zh' : 'en']}`,
    null,
    null,
    null,
    null,
    ...both(
      `唯一标识（重复导入按此更新）：${kind.naturalKey.zh}`,
      `Natural key (re-imports update by it): ${kind.naturalKey.en}`,
    ),
    null,
  ]);
  for (const n of [...GENERAL_NOTES, ...(kind.notes ?? [])])
    await guide.add([null, null, null, null, null, ...both(n.zh, n.en), null]);
  await guide.close();
  await book.close();
}

/** Rules that hold for every kind; the 说明 sheet and docs/data-import.md show them. */
export const GENERAL_NOTES: readonly { zh: string; en: string }[] = [
  {
    zh: '第一行为列名，可用中文列名或英文列名；列的顺序不限。模板中没有的列会被拒绝。',
    en: 'Row 1 names the columns, in Chinese or English, in any order. Columns the template does not have are rejected.',
  },
  {
    zh: '整个文件先逐行检查，有任何错误则一行都不导入，并给出错误报告（行号、列名、原值、原因）。',
    en: 'The whole file is checked row by row first; if anything is wrong nothing is imported, and the error report gives row, column, value and reason.',
  },
  {
    zh: '重复导入同一文件不会产生重复数据：按唯一标识更新已有记录。文件中没有的可选列，已有记录保持原值。',
    en: 'Importing the same file again creates no duplicates: existing records are updated by the natural key. Optional columns missing from the file keep their stored values.',
  },
  {
    zh: '身份证号、学校标识码等代码列请设为“文本”格式，否则 Excel 会把 18 位号码变成 4.11402E+17 并丢失末 3 位。',
    en: 'Format ID-number and code columns as Text; otherwise Excel turns 18-digit numbers into 4.11402E+17 and drops the last 3 digits.',
  },
  {
    zh: 'CSV 文件可以是 UTF-8（带或不带 BOM）或 GBK 编码。',
    en: 'CSV files may be UTF-8 (with or without BOM) or GBK.',
  },
];
