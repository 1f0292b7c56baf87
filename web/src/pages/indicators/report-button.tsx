import { Button, Tooltip } from 'antd';
import { withQuery } from '../../api/client.ts';
import { can, useCurrentUser } from '../../api/queries.ts';
import { Icon } from '../../components/icons.tsx';
import { useLang } from '../../i18n/lang.tsx';
import '../../i18n/messages/report.ts';

/**
 * Downloads the annual report 年报 of a city or county and year, headings in the page's language.
 * Shown only to users the server lets read indicators and export.
 */
export function ReportButton({
  region,
  regionName,
  year,
}: {
  region: string;
  regionName?: string;
  year: number;
}) {
  const { t, lang } = useLang();
  const me = useCurrentUser();
  if (!can(me, 'indicators.read') || !can(me, 'export.run')) return null;
  return (
    <Tooltip title={t('report.hint', { region: regionName ?? region, year })}>
      <Button
        href={withQuery('/api/indicators/report', { region, year, lang })}
        download
        icon={<Icon name="download" />}
        data-testid="report-download"
      >
        {t('report.download')}
      </Button>
    </Tooltip>
  );
}
