import { Button, Segmented } from 'antd';
import { useNavigate } from 'react-router';
import { withQuery } from '../../api/client.ts';
import { can, useCurrentUser } from '../../api/queries.ts';
import { Icon } from '../../components/icons.tsx';
import { useLang } from '../../i18n/lang.tsx';
import '../../i18n/messages/forecast.ts';

/** Between a run's views (flag table, map), and the run's whole workbook (flags by severity and every row). */
export function RunLinks({ run, current }: { run: number; current: 'flags' | 'map' | 'area' }) {
  const { t, lang } = useLang();
  const me = useCurrentUser();
  const navigate = useNavigate();
  return (
    <>
      <Segmented
        value={current === 'area' ? undefined : current}
        onChange={(v) => navigate(v === 'map' ? `/forecast/runs/${run}/map` : `/forecast/runs/${run}`)}
        options={[
          { value: 'flags', label: t('nav.forecastFlags') },
          { value: 'map', label: t('nav.forecastMap') },
        ]}
        data-testid="run-views"
      />
      {can(me, 'export.run') && (
        <Button
          href={withQuery(`/api/forecast/runs/${run}/export`, { lang })}
          download
          icon={<Icon name="download" />}
          data-testid="run-export"
        >
          {t('fc.exportRun')}
        </Button>
      )}
    </>
  );
}

/** "Export this view": the comparison workbook narrowed to what the page shows (one run or several). */
export function ViewExport({
  runs,
  area,
  stage,
  year,
}: {
  runs: number[];
  area?: string;
  stage?: string;
  year?: number;
}) {
  const { t, lang } = useLang();
  const me = useCurrentUser();
  if (!can(me, 'export.run') || runs.length === 0) return null;
  return (
    <Button
      href={withQuery('/api/forecast/compare/export', { runs: runs.join(','), area, stage, year, lang })}
      download
      icon={<Icon name="download" />}
      data-testid="view-export"
    >
      {t('fc.exportView')}
    </Button>
  );
}
