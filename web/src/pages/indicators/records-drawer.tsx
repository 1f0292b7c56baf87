import { Alert, Button, Drawer, Flex, Segmented, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { withQuery } from '../../api/client.ts';
import { useIndicatorRecords } from '../../api/indicator-queries.ts';
import { can, useCurrentUser } from '../../api/queries.ts';
import type { IndicatorRegionRef } from '../../api/types.ts';
import { Icon } from '../../components/icons.tsx';
import { EmptyState, ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { useIsMobile } from '../../layout/use-is-mobile.ts';
import { formatCount, formatValue } from './format.ts';
import '../../i18n/messages/indicators.ts';

/** Which figure's records to show: an indicator (and stage) of a region or school in a year. */
export interface RecordsTarget {
  region: IndicatorRegionRef;
  year: number;
  indicator: string;
  stage: string | null;
  /** The figure's name, for the title. */
  name: string;
}

/** The records counted behind a figure, one click from it; a school's register pupils too, masked as the role needs. */
export function RecordsDrawer({ target, onClose }: { target: RecordsTarget | null; onClose: () => void }) {
  const { t } = useLang();
  const mobile = useIsMobile();
  return (
    <Drawer
      open={target !== null}
      onClose={onClose}
      size={mobile ? '100%' : 900}
      destroyOnHidden
      title={
        target
          ? t('indicators.recordsTitle', {
              indicator: target.name,
              region: target.region.name,
              year: target.year,
            })
          : undefined
      }
    >
      {target && (
        <RecordsBody key={`${target.region.code}:${target.indicator}:${target.stage}`} target={target} />
      )}
    </Drawer>
  );
}

function RecordsBody({ target }: { target: RecordsTarget }) {
  const { t, lang } = useLang();
  const me = useCurrentUser();
  const [source, setSource] = useState<'figure' | 'register'>('figure');
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });
  const params = {
    region: target.region.code,
    year: target.year,
    indicator: target.indicator,
    stage: target.stage,
    source,
  };
  const { data, error, isPending, refetch } = useIndicatorRecords({ ...params, ...paging });
  const registerOffered = target.region.level === 'school' && can(me, 'personal.read');
  const exportHref = withQuery('/api/indicators/export', {
    view: 'records',
    ...params,
    stage: target.stage ?? undefined,
  });
  return (
    <>
      <Flex wrap gap={12} align="center" justify="space-between" style={{ marginBottom: 12 }}>
        {registerOffered ? (
          <Segmented
            value={source}
            onChange={(v) => {
              setSource(v as 'figure' | 'register');
              setPaging((p) => ({ ...p, page: 1 }));
            }}
            options={[
              { value: 'figure', label: t('indicators.sourceFigure') },
              { value: 'register', label: t('indicators.sourceRegister') },
            ]}
            data-testid="records-source"
          />
        ) : (
          <span />
        )}
        {can(me, 'export.run') && (
          <Button href={exportHref} download icon={<Icon name="download" />} data-testid="records-export">
            {t('common.exportXlsx')}
          </Button>
        )}
      </Flex>
      {data && (
        <Flex wrap gap={24} style={{ marginBottom: 12 }}>
          <Statistic
            title={t('indicators.value')}
            value={formatValue(data.figure.value, data.figure.unit, lang) ?? t('indicators.notAvailable')}
          />
          <Statistic title={t('indicators.numerator')} value={formatCount(data.figure.numerator, lang)} />
          <Statistic title={t('indicators.denominator')} value={formatCount(data.figure.denominator, lang)} />
        </Flex>
      )}
      {data && (data.kind === 'pupils' || data.kind === 'disabled') && (
        <Alert
          type={data.masked ? 'info' : 'warning'}
          showIcon
          title={t(data.masked ? 'indicators.masked' : 'indicators.unmasked')}
          style={{ marginBottom: 12 }}
        />
      )}
      {error ? (
        <ErrorAlert error={error} onRetry={() => void refetch()} />
      ) : isPending ? (
        <Loading rows={8} />
      ) : data.total === 0 ? (
        <EmptyState description={t('indicators.noRecords')} />
      ) : (
        <Table
          size="small"
          data-testid="records-table"
          rowKey={(r) => String(r.i)}
          scroll={{ x: true }}
          dataSource={data.rows.map((values, i) => ({ i, values }))}
          columns={data.columns.map((c, k) => ({
            key: c.key,
            title: c.label,
            align: c.numeric ? ('right' as const) : undefined,
            render: (_: unknown, row: { values: (string | number | null)[] }) => {
              const v = row.values[k];
              return v === null ? '—' : c.numeric && typeof v === 'number' ? formatCount(v, lang) : v;
            },
          }))}
          pagination={{
            current: paging.page,
            pageSize: paging.pageSize,
            total: data.total,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (n: number) => (
              <Typography.Text type="secondary">{t('common.total', { n })}</Typography.Text>
            ),
            onChange: (page, pageSize) => setPaging({ page, pageSize }),
          }}
        />
      )}
    </>
  );
}
