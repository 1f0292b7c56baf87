import { Alert, Button, Card, Col, Descriptions, Flex, Row, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { withQuery } from '../../api/client.ts';
import { useScenario, useScenarioCompare, useScenarios } from '../../api/planning-queries.ts';
import { can, useCurrentUser } from '../../api/queries.ts';
import type { ScenarioSummaryView, ScenarioView } from '../../api/types.ts';
import { EChart } from '../../charts/echart.tsx';
import { ACTION_COLOURS, planningMapOption } from '../../charts/planning-map.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { NewScenarioForm } from './new-scenario-form.tsx';
import '../../i18n/messages/planning.ts';

type Summary = ScenarioSummaryView;
type Facility = ScenarioView['facilities'][number];
const wan = (fen: number | null) => (fen === null ? '—' : (fen / 1_000_000).toFixed(1));
const km = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** The figures a comparison shows, one row per scenario. */
function useSummaryColumns() {
  const { t } = useLang();
  return [
    { title: t('pl.name'), dataIndex: 'name' },
    {
      title: t('pl.stage'),
      dataIndex: 'stage',
      render: (s: string) => t(`pl.stage.${s}` as 'pl.stage.primary'),
    },
    { title: t('pl.year'), dataIndex: 'targetYear' },
    {
      title: t('pl.status'),
      dataIndex: 'status',
      render: (s: string) => t(`pl.status.${s}` as 'pl.status.optimal'),
    },
    { title: t('pl.meanKm'), dataIndex: 'meanKm', render: km },
    { title: t('pl.maxKm'), dataIndex: 'maxKm', render: km },
    { title: t('pl.seatsAdded'), dataIndex: 'seatsAdded', render: (x: number | null) => x ?? '—' },
    { title: t('pl.netCost'), dataIndex: 'netCostFen', render: wan },
    { title: t('pl.closed'), dataIndex: 'schoolsClosed', render: (x: number | null) => x ?? '—' },
    { title: t('pl.newSchools'), dataIndex: 'newSchools', render: (x: number | null) => x ?? '—' },
    { title: t('pl.largeClass'), dataIndex: 'largeClassShare', render: pct },
    { title: t('pl.superLargeClass'), dataIndex: 'superLargeClassShare', render: pct },
  ];
}

function ScenarioDetail({ id }: { id: number }) {
  const { t, lang } = useLang();
  const { data, error, isPending, refetch } = useScenario(id);
  const option = useMemo(
    () => (data ? planningMapOption(data, (k) => t(k as 'pl.radius')) : null),
    [data, t],
  );
  if (isPending) return <Loading />;
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  const s = data.summary;
  const actions = data.facilities.filter((f) => f.action !== 'keep');
  return (
    <Flex vertical gap={16}>
      <Card
        title={`${t('pl.summary')} · ${s.name}`}
        size="small"
        extra={
          s.seatsAdded !== null && (
            <Button href={withQuery(`/api/planning/scenarios/${id}/export`, { lang })} data-testid="export">
              {t('pl.export')}
            </Button>
          )
        }
      >
        <Descriptions size="small" column={{ xs: 1, md: 3, xl: 4 }}>
          <Descriptions.Item label={t('pl.status')}>{t(`pl.status.${s.status}`)}</Descriptions.Item>
          <Descriptions.Item label={t('pl.gap')}>{pct(s.gap)}</Descriptions.Item>
          <Descriptions.Item label={t('pl.pupils')}>{s.pupils ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('pl.meanKm')}>{km(s.meanKm)}</Descriptions.Item>
          <Descriptions.Item label={t('pl.maxKm')}>{km(s.maxKm)}</Descriptions.Item>
          <Descriptions.Item label={t('pl.seatsAdded')}>{s.seatsAdded ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('pl.spend')}>{wan(s.spendFen)}</Descriptions.Item>
          <Descriptions.Item label={t('pl.netCost')}>{wan(s.netCostFen)}</Descriptions.Item>
          <Descriptions.Item label={t('pl.closed')}>{s.schoolsClosed ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('pl.expanded')}>{s.schoolsExpanded ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('pl.newSchools')}>{s.newSchools ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('pl.largeClass')}>{pct(s.largeClassShare)}</Descriptions.Item>
          <Descriptions.Item label={t('pl.superLargeClass')}>{pct(s.superLargeClassShare)}</Descriptions.Item>
        </Descriptions>
        {data.reasons.length > 0 && (
          <Alert
            type="warning"
            showIcon
            title={t('pl.reasons')}
            description={data.reasons.map((r) => <div key={r.zh}>{lang === 'en' ? r.en : r.zh}</div>)}
          />
        )}
      </Card>
      <Card
        title={t('pl.map')}
        size="small"
        extra={<Typography.Text type="secondary">{t('pl.mapNote')}</Typography.Text>}
      >
        {option && <EChart option={option} height={520} testId="planning-map" />}
      </Card>
      <Card title={t('pl.actions')} size="small">
        {actions.length === 0 ? (
          <EmptyState description={t('pl.noActions')} />
        ) : (
          <Table<Facility>
            size="small"
            rowKey="id"
            dataSource={actions}
            pagination={actions.length > 20 ? { pageSize: 20 } : false}
            data-testid="planning-actions"
            columns={[
              { title: t('pl.school'), dataIndex: 'name' },
              {
                title: t('pl.action'),
                dataIndex: 'action',
                render: (a: Facility['action']) => <Tag color={ACTION_COLOURS[a]}>{t(`pl.action.${a}`)}</Tag>,
              },
              { title: t('pl.extraClasses'), dataIndex: 'extraClasses' },
              { title: t('pl.seats'), dataIndex: 'seats' },
              { title: t('pl.pupils'), dataIndex: 'pupils' },
              { title: t('pl.cost'), dataIndex: 'costFen', render: wan },
              { title: t('pl.saving'), dataIndex: 'savingFen', render: wan },
              { title: t('pl.mergedInto'), dataIndex: 'mergedInto', render: (x: string | null) => x ?? '—' },
            ]}
          />
        )}
      </Card>
    </Flex>
  );
}

/** 布局规划: the saved scenarios, a new one, the picked one's map and actions, and the comparison. */
export default function PlanningPage() {
  const { t } = useLang();
  const me = useCurrentUser();
  const { data, error, isPending, refetch } = useScenarios();
  const [shown, setShown] = useState<number | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const compare = useScenarioCompare(picked);
  const columns = useSummaryColumns();
  const list = data?.scenarios ?? [];
  const current = shown ?? list[0]?.id ?? null;
  return (
    <>
      <PageHeader title={t('pl.title')} sub={t('pl.sub')} />
      <Flex vertical gap={16}>
        {can(me, 'forecast.run') && <NewScenarioForm onSaved={setShown} />}
        <Card size="small" extra={<Typography.Text type="secondary">{t('pl.compareHint')}</Typography.Text>}>
          {isPending ? (
            <Loading />
          ) : error ? (
            <ErrorAlert error={error} onRetry={() => void refetch()} />
          ) : list.length === 0 ? (
            <EmptyState description={t('pl.empty')} />
          ) : (
            <Table<Summary>
              size="small"
              rowKey="id"
              dataSource={list}
              pagination={list.length > 10 ? { pageSize: 10 } : false}
              scroll={{ x: true }}
              rowSelection={{ selectedRowKeys: picked, onChange: (keys) => setPicked(keys.map(Number)) }}
              onRow={(r) => ({ onClick: () => setShown(r.id), style: { cursor: 'pointer' } })}
              data-testid="scenarios-table"
              columns={columns}
            />
          )}
        </Card>
        {picked.length >= 2 && (
          <Card title={t('pl.compare')} size="small">
            {compare.error ? (
              <ErrorAlert error={compare.error} />
            ) : (
              <Table<Summary>
                size="small"
                rowKey="id"
                loading={compare.isPending}
                dataSource={compare.data?.scenarios ?? []}
                pagination={false}
                scroll={{ x: true }}
                data-testid="planning-compare"
                columns={columns}
              />
            )}
          </Card>
        )}
        <Row>
          <Col span={24}>{current === null ? null : <ScenarioDetail id={current} />}</Col>
        </Row>
      </Flex>
    </>
  );
}
