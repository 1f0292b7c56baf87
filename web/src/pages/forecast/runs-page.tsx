import { Button, Card, Flex, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useForecastRuns } from '../../api/forecast-queries.ts';
import { can, useCurrentUser } from '../../api/queries.ts';
import type { RunList } from '../../api/types.ts';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { formatInstant } from '../../time.ts';
import '../../i18n/messages/forecast.ts';

type Run = RunList['runs'][number];

/** The saved runs in the user's scope, newest first; tick several to compare them. */
export default function ForecastRunsPage() {
  const { t } = useLang();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const { data, error, isPending, refetch } = useForecastRuns();
  const [picked, setPicked] = useState<number[]>([]);

  return (
    <>
      <PageHeader
        title={t('fc.runs.title')}
        sub={t('fc.runs.sub')}
        extra={
          <>
            <Tooltip title={picked.length < 2 ? t('fc.runs.pickTwo') : undefined}>
              <Button
                disabled={picked.length < 2}
                onClick={() => navigate(`/forecast/compare?runs=${picked.join(',')}`)}
                data-testid="compare-selected"
              >
                {t('fc.runs.compareSelected')}
              </Button>
            </Tooltip>
            {can(me, 'forecast.run') && (
              <Link to="/forecast/new">
                <Button type="primary" icon={<Icon name="plus" />} data-testid="new-run">
                  {t('nav.forecastNew')}
                </Button>
              </Link>
            )}
          </>
        }
      />
      <Card>
        {isPending ? (
          <Loading />
        ) : error ? (
          <ErrorAlert error={error} onRetry={() => void refetch()} />
        ) : data.runs.length === 0 ? (
          <EmptyState description={t('fc.runs.empty')}>
            {can(me, 'forecast.run') && (
              <Typography.Text type="secondary">{t('fc.runs.emptyRun')}</Typography.Text>
            )}
          </EmptyState>
        ) : (
          <Table<Run>
            size="small"
            rowKey="id"
            dataSource={data.runs}
            pagination={data.runs.length > 20 ? { pageSize: 20 } : false}
            scroll={{ x: true }}
            rowSelection={{
              selectedRowKeys: picked,
              onChange: (keys) => setPicked(keys.map(Number)),
            }}
            data-testid="runs-table"
            columns={[
              {
                title: t('fc.name'),
                dataIndex: 'name',
                render: (name: string, r) => <Link to={`/forecast/runs/${r.id}`}>{name}</Link>,
              },
              { title: t('fc.region'), dataIndex: 'regionName' },
              {
                title: t('fc.areaLevel'),
                dataIndex: 'areaLevel',
                render: (v: Run['areaLevel']) => t(`fc.areaLevel.${v}`),
              },
              { title: t('fc.baseYear'), dataIndex: 'baseYear' },
              {
                title: t('fc.horizon'),
                key: 'years',
                render: (_, r) => t('fc.years', { from: r.baseYear + 1, to: r.baseYear + r.horizon }),
              },
              { title: t('fc.window'), dataIndex: 'window' },
              {
                title: t('fc.fingerprint'),
                dataIndex: 'fingerprint',
                render: (v: string) => (
                  <Tooltip title={v}>
                    <Typography.Text code>{v.slice(0, 12)}</Typography.Text>
                  </Tooltip>
                ),
              },
              { title: t('fc.createdBy'), dataIndex: 'createdBy' },
              {
                title: t('fc.createdAt'),
                dataIndex: 'createdAt',
                render: (v: string) => formatInstant(v),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                render: (_, r) => (
                  <Flex gap={8} wrap>
                    <Link to={`/forecast/runs/${r.id}`}>{t('fc.open')}</Link>
                    <Link to={`/forecast/runs/${r.id}/map`}>{t('fc.map')}</Link>
                  </Flex>
                ),
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
