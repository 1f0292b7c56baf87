import { Select, TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useCurrentUser, useRegions } from '../../api/queries.ts';
import type { Me, RegionNode } from '../../api/types.ts';
import { useSearchState } from '../../components/use-search-state.ts';
import { useLang } from '../../i18n/lang.tsx';
import '../../i18n/messages/indicators.ts';

/** Region, year and indicator of the indicator pages, kept in the address so that links carry them. */
export type IndicatorParams = ReturnType<typeof useIndicatorParams>;

export function useIndicatorParams() {
  const [values, update] = useSearchState(['region', 'year', 'indicator'] as const);
  return {
    region: values.region,
    year: values.year ? Number(values.year) : undefined,
    indicator: values.indicator,
    update,
  };
}

interface TreeNode {
  value: string;
  title: string;
  disabled: boolean;
  children: TreeNode[];
}

/**
 * The code prefix of the regions whose figures the user may open, as the server's scope rule has it:
 * a county clerk's county, a city office's city (first four digits) or province; null for a school.
 */
function scopePrefix(me: Me): string | null {
  if (me.role === 'school_staff') return null;
  const code = me.regionCode;
  if (!code) return '';
  if (me.role === 'county_staff') return code;
  return code.endsWith('0000') ? code.slice(0, 2) : code.slice(0, 4);
}

/** The regions the user sees as a tree; the province and city above a clerk's county show, disabled. */
function regionTree(regions: readonly RegionNode[], prefix: string): TreeNode[] {
  const nodes = new Map(
    regions.map((r) => [
      r.code,
      { value: r.code, title: r.name, disabled: !r.code.startsWith(prefix), children: [] as TreeNode[] },
    ]),
  );
  const roots: TreeNode[] = [];
  for (const r of regions) {
    const parent = r.parentCode ? nodes.get(r.parentCode) : undefined;
    (parent ? parent.children : roots).push(nodes.get(r.code)!);
  }
  return roots;
}

/**
 * Picks a city, county or township in the user's scope; hidden for a school account and when the
 * scope has a single region. A school (reached by drilling down) is not in the tree: its name stands in.
 */
export function RegionPicker({
  value,
  onChange,
}: {
  value: { code: string; name: string } | undefined;
  onChange: (code: string) => void;
}) {
  const { t } = useLang();
  const me = useCurrentUser();
  const { data } = useRegions();
  const prefix = scopePrefix(me);
  const tree = useMemo(() => regionTree(data ?? [], prefix ?? ''), [data, prefix]);
  if (!data || data.length <= 1 || prefix === null) return null;
  const inTree = value !== undefined && data.some((r) => r.code === value.code);
  return (
    <TreeSelect
      value={inTree ? value.code : undefined}
      onChange={(v) => onChange(v)}
      treeData={tree}
      treeDefaultExpandedKeys={data
        .filter((r) => r.level !== 'county' && r.level !== 'township')
        .map((r) => r.code)}
      showSearch={{ treeNodeFilterProp: 'title' }}
      placeholder={value?.name ?? t('indicators.region')}
      aria-label={t('indicators.region')}
      style={{ width: 200 }}
      data-testid="indicator-region"
    />
  );
}

/** The census years with data for the region, newest first. */
export function YearPicker({
  years,
  value,
  onChange,
}: {
  years: readonly number[];
  value: number | null | undefined;
  onChange: (year: number) => void;
}) {
  const { t } = useLang();
  if (years.length === 0) return null;
  return (
    <Select
      value={value ?? undefined}
      onChange={onChange}
      options={[...years]
        .reverse()
        .map((y) => ({ value: y, label: t('indicators.yearOption', { year: y }) }))}
      aria-label={t('indicators.year')}
      style={{ width: 110 }}
      data-testid="indicator-year"
    />
  );
}
