/**
 * The words for how a child was placed (录取方式), the same in every export, route and page (the web
 * app has its twin, `placedBy.*` in web/src/i18n/messages/admissions-draw.ts):
 * - `choice`: the first school the family listed;
 * - `fallback`: a later school in the list — including the catchment school after a lost private
 *   lottery (划片学校兜底), which the draw adds after the family's own choices;
 * - `overflow`: 统筹, the nearest public school with seats left, for a child the list left unplaced;
 * - `appeal`: a granted appeal, into reserved or left-over seats.
 */
import type { ResultBy } from './results.ts';

export const PLACED_BY: Readonly<Record<ResultBy, { zh: string; en: string }>> = {
  choice: { zh: '第一志愿录取', en: 'First choice' },
  fallback: { zh: '后续志愿录取（含划片兜底）', en: 'A later school in the list (incl. catchment fallback)' },
  overflow: { zh: '统筹安排', en: 'Overflow placement (统筹)' },
  appeal: { zh: '申诉安排', en: 'By appeal' },
};

/** The label of how a child was placed, in `lang`; '' for a child not placed. */
export const placedByLabel = (by: ResultBy | null, lang: 'zh' | 'en') =>
  by === null ? '' : PLACED_BY[by][lang];
