import { z } from 'zod';
import { AppError } from './errors.ts';
import { jsonPath } from './json-path.ts';

const zhCN = z.locales.zhCN();

/**
 * An issue's message in Chinese and English: zod's own Chinese wording for its built-in checks, and for
 * a custom check the Chinese it carries as `params.zh` (its `message` is the English).
 * @example ctx.addIssue({ code: 'custom', path, message: `duplicate id ${id}`, params: { zh: `编号 ${id} 重复` } })
 */
export function issueText(issue: z.core.$ZodIssue): { zh: string; en: string } {
  const zh = (issue.code === 'custom' ? issue.params?.zh : undefined) ?? zhCN.localeError(issue as never);
  return { zh: typeof zh === 'string' ? zh : (zh?.message ?? issue.message), en: issue.message };
}

/** Validates `json` against `schema`; the issues keep what they received, so the Chinese can name its type. */
export const safeParseContract = <S extends z.ZodType>(schema: S, json: unknown) =>
  schema.safeParse(json, { reportInput: true });

/**
 * Validates an engine's input against its zod contract. On failure the first issue becomes an
 * AppError `code` naming its JSON path (`sites[2].options`); an engine that words its errors itself
 * (the forecast names the area, year and grade) passes `error` instead.
 */
export function parseContract<S extends z.ZodType>(
  schema: S,
  json: unknown,
  how: { code: string } | { error: (issue: z.core.$ZodIssue) => AppError },
): z.output<S> {
  const r = safeParseContract(schema, json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if ('error' in how) throw how.error(issue);
  const text = issueText(issue);
  throw new AppError(
    how.code,
    `输入不符合约定：${text.zh}`,
    `input does not match the contract: ${text.en}`,
    jsonPath(issue.path),
  );
}
