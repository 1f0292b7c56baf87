import {
  DISABLED_PLACEMENT_LABELS,
  DISABLED_PLACEMENTS,
  LOCALE_LABELS,
  LOCALES,
  OWNERSHIP_LABELS,
  OWNERSHIPS,
  SCHOOL_TYPE_LABELS,
  SCHOOL_TYPES,
  STAGE_LABELS,
  STAGES,
} from '../../domain/stages.ts';
import { SUBJECT_KEYS, SUBJECTS } from '../../domain/subjects.ts';
import type { EnumOption } from '../spec.ts';

const SCHOOL_TYPE_ALIASES: Record<string, readonly string[]> = {
  junior: ['初中', '初级中学'],
  nine_year: ['九年一贯制'],
  senior: ['高中', '普通高中'],
  twelve_year: ['十二年一贯制'],
  vocational: ['中职', '中职学校', '职业高中'],
  special: ['特教学校', '特殊教育'],
};

export const SCHOOL_TYPE_OPTIONS: readonly EnumOption[] = SCHOOL_TYPES.map((t) => ({
  key: t,
  label: SCHOOL_TYPE_LABELS[t],
  aliases: SCHOOL_TYPE_ALIASES[t],
}));

export const OWNERSHIP_OPTIONS: readonly EnumOption[] = OWNERSHIPS.map((o) => ({
  key: o,
  label: OWNERSHIP_LABELS[o],
}));

export const LOCALE_OPTIONS: readonly EnumOption[] = LOCALES.map((l) => ({
  key: l,
  label: LOCALE_LABELS[l],
  aliases: { urban: ['城市'], town: ['镇'], rural: ['农村'] }[l],
}));

export const STAGE_OPTIONS: readonly EnumOption[] = STAGES.map((s) => ({
  key: s,
  label: STAGE_LABELS[s],
  aliases: { kindergarten: ['幼儿园', '学前教育'], primary: [], junior: ['初级中学'], senior: ['高中'] }[s],
}));

/** 性别, stored as M / F (the demo city's values; not yet in src/domain). */
export const SEX_OPTIONS: readonly EnumOption[] = [
  { key: 'M', label: '男', aliases: ['male'] },
  { key: 'F', label: '女', aliases: ['female'] },
];

export const PLACEMENT_OPTIONS: readonly EnumOption[] = DISABLED_PLACEMENTS.map((p) => ({
  key: p,
  label: DISABLED_PLACEMENT_LABELS[p],
  aliases: { special_school: ['特教学校'], special_class: ['特教班就读'], home_teaching: ['送教'] }[
    p as string
  ],
}));

/**
 * 残疾类别: the seven categories of the national disability classification (GB/T 26341). Not yet in
 * src/domain; kept here until another module needs them.
 */
export const DISABILITY_TYPE_OPTIONS: readonly EnumOption[] = [
  { key: 'visual', label: '视力残疾', aliases: ['视力'] },
  { key: 'hearing', label: '听力残疾', aliases: ['听力'] },
  { key: 'speech', label: '言语残疾', aliases: ['言语'] },
  { key: 'physical', label: '肢体残疾', aliases: ['肢体'] },
  { key: 'intellectual', label: '智力残疾', aliases: ['智力'] },
  { key: 'mental', label: '精神残疾', aliases: ['精神'] },
  { key: 'multiple', label: '多重残疾', aliases: ['多重'] },
];

/** Stages of a housing project in the pipeline (the demo city's values). Not yet in src/domain. */
export const HOUSING_STATUS_OPTIONS: readonly EnumOption[] = [
  { key: 'planned', label: '规划', aliases: ['拟建', '规划中'] },
  { key: 'approved', label: '已立项', aliases: ['已批准', '已审批'] },
  { key: 'under_construction', label: '在建', aliases: ['建设中'] },
  { key: 'delivered', label: '已交付', aliases: ['交付', '已交房'] },
];

/** 学科, stored by key (src/domain/subjects.ts). */
export const SUBJECT_OPTIONS: readonly EnumOption[] = SUBJECT_KEYS.map((k) => {
  const s: { zh: string; aliases?: readonly string[] } = SUBJECTS[k];
  return { key: k, label: s.zh, aliases: s.aliases };
});
