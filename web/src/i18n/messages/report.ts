import { addMessages } from '../messages.ts';

/** Strings of the annual indicator report 年报 download. */
export const zh = {
  'report.download': '下载年报（Excel）',
  'report.hint':
    '{region} {year} 年统计指标年报：各县区（或各乡镇）与合计、目标与达标、比上年增减；下载记入审计日志',
} as const;

export const en: Record<keyof typeof zh, string> = {
  'report.download': 'Annual report (Excel)',
  'report.hint':
    'Indicator report of {region}, {year}: each county (or township) and the total, targets and status, change on the year before; the download is audited',
};

addMessages({ zh, en });
