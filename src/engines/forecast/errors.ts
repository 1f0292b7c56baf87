/**
 * The one way the forecast engine reports bad data: an AppError naming the JSON path and, in words,
 * the area, year and grade ("区域 411402 2024 年 G3：…"), in Chinese and English.
 */
import type { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { jsonPath } from '../../domain/json-path.ts';

/** Where a datum sits, in words: `区域 411402 2024 年 G3` / `area 411402, 2024, G3`. */
export interface Place {
  area?: string;
  year?: number | string;
  grade?: string;
  /** What the number counts when it is not pupils of a grade, e.g. births. */
  what?: { zh: string; en: string };
}

function placeWords(p: Place): { zh: string; en: string } {
  const zh = [
    p.area !== undefined ? `区域 ${p.area}` : '',
    p.year !== undefined ? `${p.year} 年${p.what?.zh ?? ''}` : (p.what?.zh ?? ''),
    p.grade ?? '',
  ];
  const en = [
    p.area !== undefined ? `area ${p.area}` : '',
    String(p.year ?? ''),
    p.grade ?? '',
    p.what?.en ?? '',
  ];
  return { zh: zh.filter(Boolean).join(' '), en: en.filter(Boolean).join(', ') };
}

/** A data error naming the place in words and the JSON path. */
export function forecastError(
  code: string,
  place: Place,
  path: readonly PropertyKey[],
  zh: string,
  en: string,
): AppError {
  const w = placeWords(place);
  return new AppError(
    `forecast.${code}`,
    w.zh ? `${w.zh}：${zh}` : zh,
    w.en ? `${w.en}: ${en}` : en,
    jsonPath(path),
  );
}

export const BIRTHS_WORDS = { zh: '出生数', en: 'births' };

/** The place a zod path points at, read from the raw input (the area's id, when it has one). */
export function placeOfPath(json: unknown, path: readonly PropertyKey[]): Place {
  if (path[0] === 'options' && typeof path[2] === 'number') {
    // An option entry names its area (housing, migration) in its own `area` field.
    const item = (json as { options?: Record<string, { area?: unknown }[]> }).options?.[String(path[1])]?.[
      path[2]
    ];
    return typeof item?.area === 'string' ? { area: item.area } : {};
  }
  if (path[0] !== 'areas' || typeof path[1] !== 'number') return {};
  const raw = (json as { areas?: { id?: unknown }[] }).areas?.[path[1]]?.id;
  const area = typeof raw === 'string' && raw ? raw : `#${path[1] + 1}`;
  if (path[2] === 'births') return { area, year: path[3] as string | undefined, what: BIRTHS_WORDS };
  if (path[2] === 'enrollment')
    return { area, year: path[3] as string | undefined, grade: path[4] as string };
  return { area };
}

const TYPE_ZH: Record<string, string> = {
  number: '数字',
  int: '整数',
  string: '文字',
  object: '对象',
  record: '对象',
  array: '数组',
};

/** Chinese and English wording of a zod issue (zod's own messages are English only). */
export function issueWords(issue: z.core.$ZodIssue, json: unknown): { zh: string; en: string } {
  switch (issue.code) {
    case 'invalid_type': {
      const missing = issue.path.reduce<unknown>(
        (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
        json,
      );
      if (missing === undefined) return { zh: '缺少此项', en: 'is missing' };
      return {
        zh: `应为${TYPE_ZH[issue.expected] ?? issue.expected}`,
        en: `must be ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`}`,
      };
    }
    case 'too_small':
      return issue.minimum === 0
        ? { zh: '不能为负数', en: 'must not be negative' }
        : {
            zh: `不能小于${issue.inclusive ? '' : '或等于'} ${issue.minimum}`,
            en: `must be ${issue.inclusive ? 'at least' : 'greater than'} ${issue.minimum}`,
          };
    case 'too_big':
      return {
        zh: `不能大于${issue.inclusive ? '' : '或等于'} ${issue.maximum}`,
        en: `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`,
      };
    case 'unrecognized_keys':
      if ((issue.path[2] === 'enrollment' && issue.path.length === 4) || issue.path.at(-1) === 'yield')
        return {
          zh: `未知年级 ${issue.keys.join('、')}（年级为 K1–K3、G1–G12）`,
          en: `unknown grade ${issue.keys.join(', ')} (grades are K1–K3, G1–G12)`,
        };
      return { zh: `未知的项 ${issue.keys.join('、')}`, en: `unknown key ${issue.keys.join(', ')}` };
    case 'invalid_key':
      return { zh: '键不合格式（年份为四位数字）', en: 'the key is malformed (years are four digits)' };
    case 'invalid_value':
      return {
        zh: `应为 ${issue.values.join('、')} 之一`,
        en: `must be one of ${issue.values.join(', ')}`,
      };
    case 'invalid_union':
      if (issue.path.at(-1) === 'method')
        return { zh: '应为 trend 或 fertility', en: 'must be trend or fertility' };
      return { zh: '不符合任何一种写法', en: 'matches none of the allowed forms' };
    case 'custom':
      return { zh: String(issue.params?.zh ?? issue.message), en: issue.message };
    default:
      return { zh: `不合格式：${issue.message}`, en: issue.message };
  }
}
