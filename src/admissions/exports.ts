/**
 * The admissions office's XLSX exports (`?lang=`), always masked: the verification queue, the
 * published results per school and the appeals. Children's names keep the family name only, ID numbers the region
 * and the last four (src/domain/privacy.ts); the routes audit every export.
 */
import type { Kysely } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import type { Lang } from '../indicators/workbook.ts';
import { type Output, openTableWriter, XlsxWriter } from '../io/write/table-writer.ts';
import { type BilingualColumn, columnsIn } from '../server/download.ts';
import type { Database } from '../store/schema.ts';
import { type AppealFilter, iterateAppeals } from './appeal-views.ts';
import { PLACED_BY, placedByLabel } from './labels.ts';
import { loadAdmitted, loadResults, RESULT_BYS } from './results.ts';
import type { Round } from './rounds.ts';
import { loadQueue } from './verification.ts';

const STATUS: Record<string, { zh: string; en: string }> = {
  submitted: { zh: '待审核', en: 'submitted' },
  returned: { zh: '已退回', en: 'returned' },
  approved: { zh: '审核通过', en: 'approved' },
  withdrawn: { zh: '已撤回', en: 'withdrawn' },
};
const CONFLICT: Record<string, { zh: string; en: string }> = {
  duplicate_child: { zh: '同一儿童重复报名', en: 'same child applied twice' },
  property_overuse: { zh: '同一房产家庭过多', en: 'property used by too many families' },
};
const OWNERSHIP: Record<string, { zh: string; en: string }> = {
  public: { zh: '公办', en: 'public' },
  private: { zh: '民办', en: 'private' },
};

const say = (m: Record<string, { zh: string; en: string }>, k: string | null, lang: Lang) =>
  k === null ? '' : (m[k]?.[lang] ?? k);

const QUEUE_COLUMNS: BilingualColumn[] = [
  { header: { zh: '报名号', en: 'Application no.' }, width: 12, text: true },
  { header: { zh: '儿童姓名（脱敏）', en: 'Child (masked)' }, width: 14 },
  { header: { zh: '身份证号（脱敏）', en: 'ID number (masked)' }, width: 22, text: true },
  { header: { zh: '居住小区', en: 'Community' }, width: 20 },
  { header: { zh: '第一志愿学校', en: 'First-choice school' }, width: 24 },
  { header: { zh: '申报类别', en: 'Claimed category' }, width: 18 },
  { header: { zh: '审核类别', en: 'Approved category' }, width: 18 },
  { header: { zh: '状态', en: 'Status' }, width: 10 },
  { header: { zh: '缺少材料（项）', en: 'Missing proofs' }, width: 10 },
  { header: { zh: '冲突', en: 'Conflicts' }, width: 24 },
  { header: { zh: '提交时间', en: 'Submitted at' }, width: 22 },
  { header: { zh: '更新时间', en: 'Updated at' }, width: 22 },
];

/** The verification queue of a round, every application, masked. Returns the rows written. */
export async function writeQueueWorkbook(
  db: Kysely<Database>,
  round: Round,
  out: Output,
  lang: Lang,
): Promise<number> {
  const label = (code: string | null) =>
    code === null ? '' : (round.parsedRules.categories.find((c) => c.code === code)?.label[lang] ?? code);
  const book = new XlsxWriter(out);
  const sheet = book.table({
    name: lang === 'zh' ? '审核队列' : 'Verification queue',
    columns: columnsIn(lang, QUEUE_COLUMNS),
  });
  const pageSize = 2000;
  let n = 0;
  // Key-set paging by id: families editing meanwhile neither skip nor repeat a row.
  for (let afterId = 0; ; ) {
    const { rows } = await loadQueue(db, round, { limit: pageSize, offset: 0, afterId });
    afterId = rows.at(-1)?.id ?? afterId;
    for (const r of rows)
      await sheet.add([
        r.applicationNo,
        r.childName,
        r.idNumber,
        r.communityName,
        r.schoolName,
        label(r.claimedCategory),
        label(r.approvedCategory),
        say(STATUS, r.status, lang),
        r.missingProofs,
        r.conflicts.map((c) => say(CONFLICT, c, lang)).join(lang === 'zh' ? '；' : '; '),
        r.submittedAt,
        r.updatedAt,
      ]);
    n += rows.length;
    if (rows.length < pageSize) break;
  }
  await sheet.close();
  await book.close();
  return n;
}

const SUMMARY_COLUMNS: BilingualColumn[] = [
  { header: { zh: '学校代码', en: 'School code' }, width: 14, text: true },
  { header: { zh: '学校', en: 'School' }, width: 26 },
  { header: { zh: '办学性质', en: 'Ownership' }, width: 8 },
  { header: { zh: '规划学位', en: 'Planned seats' }, width: 10 },
  { header: { zh: '预留学位', en: 'Reserved for appeals' }, width: 10 },
  { header: { zh: '录取人数', en: 'Placed' }, width: 10 },
  ...RESULT_BYS.map((by) => ({ header: PLACED_BY[by], width: 12 })),
  { header: { zh: '剩余学位', en: 'Seats left' }, width: 10 },
  { header: { zh: '录取线（类别序）', en: 'Cutoff tier' }, width: 10 },
  { header: { zh: '录取线（派位码）', en: 'Cutoff key' }, width: 66, text: true },
];

const ADMITTED_COLUMNS: BilingualColumn[] = [
  { header: { zh: '学校代码', en: 'School code' }, width: 14, text: true },
  { header: { zh: '学校', en: 'School' }, width: 26 },
  { header: { zh: '报名号', en: 'Application no.' }, width: 12, text: true },
  { header: { zh: '儿童姓名（脱敏）', en: 'Child (masked)' }, width: 14 },
  { header: { zh: '身份证号（脱敏）', en: 'ID number (masked)' }, width: 22, text: true },
  { header: { zh: '类别', en: 'Category' }, width: 18 },
  { header: { zh: '类别序', en: 'Tier' }, width: 8 },
  { header: { zh: '录取方式', en: 'Placed by' }, width: 16 },
  { header: { zh: '派位码', en: 'Lottery key' }, width: 66, text: true },
];

/** The published results: a sheet of the schools (seats, placed by how, cutoff) and one of every admitted child, masked. */
export async function writeResultsWorkbook(
  db: Kysely<Database>,
  round: Round,
  out: Output,
  lang: Lang,
): Promise<number> {
  const results = await loadResults(db, round);
  const admitted = await loadAdmitted(db, round);
  const book = new XlsxWriter(out);
  const summary = book.table({
    name: lang === 'zh' ? '各校录取汇总' : 'Schools',
    columns: columnsIn(lang, SUMMARY_COLUMNS),
  });
  for (const s of results.schools)
    await summary.add([
      s.code,
      s.name,
      say(OWNERSHIP, s.ownership, lang),
      s.planned,
      s.reserved,
      s.placed,
      s.choice,
      s.fallback,
      s.overflow,
      s.appeal,
      s.left,
      s.cutoff?.tier ?? (lang === 'zh' ? '有余位' : 'seats left'),
      s.cutoff?.key ?? '',
    ]);
  await summary.close();
  const list = book.table({
    name: lang === 'zh' ? '录取名单' : 'Admitted',
    columns: columnsIn(lang, ADMITTED_COLUMNS),
  });
  for (const r of admitted)
    await list.add([
      r.schoolCode,
      r.schoolName,
      r.applicationNo,
      r.childName,
      r.idNumber,
      r.category?.[lang] ?? '',
      r.tier,
      placedByLabel(r.by, lang),
      r.key,
    ]);
  await list.close();
  await book.close();
  return admitted.length;
}

const APPEAL_STATUS: Record<string, { zh: string; en: string }> = {
  submitted: { zh: '待处理', en: 'Waiting' },
  granted: { zh: '已同意', en: 'Granted' },
  refused: { zh: '不予支持', en: 'Refused' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
};

const APPEAL_COLUMNS: readonly BilingualColumn[] = [
  { header: { zh: '报名编号', en: 'Application no.' }, text: true, width: 12 },
  { header: { zh: '儿童姓名（已脱敏）', en: 'Child (masked)' } },
  { header: { zh: '身份证号（已脱敏）', en: 'ID number (masked)' }, text: true, width: 24 },
  { header: { zh: '状态', en: 'Status' } },
  { header: { zh: '提交时间（UTC）', en: 'Submitted (UTC)' }, width: 22 },
  { header: { zh: '希望学校', en: 'Wished-for school' }, width: 24 },
  { header: { zh: '当前录取学校', en: 'Current result' }, width: 24 },
  { header: { zh: '录取方式', en: 'Placed by' } },
  { header: { zh: '申诉安排学校', en: 'Placed by the appeal' }, width: 24 },
  { header: { zh: '处理人', en: 'Decided by' } },
  { header: { zh: '处理时间（UTC）', en: 'Decided (UTC)' }, width: 22 },
  { header: { zh: '处理理由', en: "Clerk's reason" }, width: 40 },
];

/**
 * The audit entry of an office export of a round (web download or CLI file alike), written before the
 * rows: `action` says which export, `context` its filter.
 */
export function auditRoundExport(
  db: Kysely<Database>,
  actor: AuditActor,
  round: Round,
  action: string,
  context: Record<string, unknown>,
): Promise<void> {
  return writeAudit(db, actor, {
    action,
    resourceType: 'admission_round',
    resourceId: round.id,
    countyCode: round.county_code,
    context,
  });
}

/** The appeals of the filter, masked, one sheet. Returns the rows written. */
export async function writeAppealsWorkbook(
  db: Kysely<Database>,
  round: Round,
  filter: AppealFilter,
  out: Output,
  lang: Lang,
): Promise<number> {
  const w = openTableWriter(out, 'xlsx', {
    name: lang === 'en' ? 'Appeals' : '申诉列表',
    columns: columnsIn(lang, APPEAL_COLUMNS),
  });
  let n = 0;
  for await (const r of iterateAppeals(db, round, filter)) {
    await w.add([
      r.applicationNo,
      r.childName,
      r.idNumber,
      say(APPEAL_STATUS, r.status, lang),
      r.submittedAt,
      r.desiredSchool?.name ?? '',
      r.result.school?.name ?? '',
      placedByLabel(r.result.by, lang),
      r.placedSchool?.name ?? '',
      r.decidedBy ?? '',
      r.decidedAt ?? '',
      r.decisionReason ?? '',
    ]);
    n++;
  }
  await w.close();
  return n;
}
