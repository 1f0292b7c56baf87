import { Button } from 'antd';
import type { ReactNode } from 'react';
import { withQuery } from '../../api/client.ts';
import { can, useCurrentUser } from '../../api/queries.ts';
import type { IndicatorRegionRef } from '../../api/types.ts';
import { Icon } from '../../components/icons.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { type IndicatorParams, RegionPicker, YearPicker } from './region-year.tsx';
import { ReportButton } from './report-button.tsx';
import '../../i18n/messages/indicators.ts';

/**
 * The indicator pages' toolbar over the page's `view`: region and year pickers (a new region starts
 * at its latest year unless `onRegion` says otherwise), the export of the page's view, and the
 * annual-report slot (the report button, for a city or county).
 */
export function IndicatorToolbar({
  view,
  params,
  onRegion = (region) => params.update({ region, year: undefined }),
  exportQuery,
  children,
}: {
  view: { region: IndicatorRegionRef; years: readonly number[]; year: number | null } | undefined;
  params: IndicatorParams;
  onRegion?: (code: string) => void;
  /** The export's query (`view` and its parameters); the region and year are added. */
  exportQuery: Record<string, string | number | undefined>;
  children?: ReactNode;
}) {
  const region = view?.region;
  const year = view?.year;
  const { t } = useLang();
  const me = useCurrentUser();
  return (
    <>
      <RegionPicker value={region} onChange={onRegion} />
      <YearPicker years={view?.years ?? []} value={year} onChange={(y) => params.update({ year: y })} />
      {children}
      {region && year && can(me, 'export.run') && (
        <Button
          href={withQuery('/api/indicators/export', { ...exportQuery, region: region.code, year })}
          download
          icon={<Icon name="download" />}
          data-testid="indicators-export"
        >
          {t('indicators.exportView')}
        </Button>
      )}
      {/* Annual-report slot: the workbook of a city or county (GET /api/indicators/report). */}
      {region && year && (region.level === 'city' || region.level === 'county') && (
        <ReportButton region={region.code} regionName={region.name} year={year} />
      )}
    </>
  );
}
