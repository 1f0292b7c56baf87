import { Card, Col, Row, Statistic, Table } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { useDashboard } from '../api/queries.ts';
import type { Dashboard } from '../api/types.ts';
import { type ChartOption, EChart } from '../charts/echart.tsx';
import { CountySelect } from '../components/county-select.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { PageFallback } from '../components/states.tsx';
import { type Lang, useLang } from '../i18n/lang.tsx';
import { labelOf, OWNERSHIP_ORDER, STAGE_ORDER } from '../labels.ts';
import { OWNERSHIP_COLORS } from '../theme.ts';

type Measure = 'pupils' | 'schools';

/** Stacked bars of one measure by stage, one series per ownership. */
function stageChart(d: Dashboard, measure: Measure, lang: Lang): ChartOption {
  const stages = [...new Set(d.byStage.map((r) => r.stage))].sort(
    (a, b) => STAGE_ORDER.indexOf(a) - STAGE_ORDER.indexOf(b),
  );
  const owners = OWNERSHIP_ORDER.filter((o) => d.byStage.some((r) => r.ownership === o));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: stages.map((s) => labelOf('stage', s, lang)),
      axisLabel: { interval: 0 },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: owners.map((o) => ({
      name: labelOf('ownership', o, lang),
      type: 'bar',
      stack: 'total',
      barMaxWidth: 56,
      itemStyle: { color: OWNERSHIP_COLORS[o] },
      data: stages.map((s) =>
        d.byStage.filter((r) => r.stage === s && r.ownership === o).reduce((a, r) => a + r[measure], 0),
      ),
    })),
  };
}

/** Pupils per county, each bar labelled with its number of schools. */
function countyChart(d: Dashboard, t: ReturnType<typeof useLang>['t'], nf: Intl.NumberFormat): ChartOption {
  const rows = [...d.byCounty].sort((a, b) => a.pupils - b.pupils);
  const unit = t('dashboard.unitSchools');
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 96, top: 8, bottom: 8, containLabel: true },
    yAxis: { type: 'category', data: rows.map((r) => r.countyName) },
    xAxis: { type: 'value' },
    series: [
      {
        name: t('dashboard.pupils'),
        type: 'bar',
        data: rows.map((r) => ({
          value: r.pupils,
          label: {
            show: true,
            position: 'right',
            formatter: `${nf.format(r.pupils)} · ${r.schools}${unit || ` ${t('dashboard.schools').toLowerCase()}`}`,
          },
        })),
        itemStyle: { color: '#1f6feb' },
        barMaxWidth: 28,
      },
    ],
  };
}

export default function DashboardPage() {
  const { t, lang } = useLang();
  const [county, setCounty] = useState<string>();
  const navigate = useNavigate();
  const { data, error, isPending, refetch } = useDashboard(county);
  const pupilsOption = useMemo(() => (data ? stageChart(data, 'pupils', lang) : null), [data, lang]);
  const schoolsOption = useMemo(() => (data ? stageChart(data, 'schools', lang) : null), [data, lang]);
  const nf = useMemo(() => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en'), [lang]);
  const countyOption = useMemo(() => (data ? countyChart(data, t, nf) : null), [data, t, nf]);

  const header = (
    <PageHeader
      title={t('dashboard.title')}
      sub={
        data ? (data.year ? t('dashboard.census', { year: data.year }) : t('common.yearUnknown')) : undefined
      }
      extra={<CountySelect value={county} onChange={setCounty} />}
    />
  );
  if (isPending || error)
    return <PageFallback header={header} error={error} onRetry={() => void refetch()} />;
  if (data.totals.schools === 0) return <PageFallback header={header} empty={t('dashboard.empty')} />;

  const stats = [
    {
      key: 'schools',
      title: t('dashboard.schools'),
      value: data.totals.schools,
      unit: t('dashboard.unitSchools'),
    },
    {
      key: 'pupils',
      title: t('dashboard.pupils'),
      value: data.totals.pupils,
      unit: t('dashboard.unitPeople'),
    },
    {
      key: 'classes',
      title: t('dashboard.classes'),
      value: data.totals.classes,
      unit: t('dashboard.unitClasses'),
    },
    {
      key: 'teachers',
      title: t('dashboard.teachers'),
      value: data.totals.teachers,
      unit: t('dashboard.unitPeople'),
    },
  ];
  return (
    <>
      {header}
      <Row gutter={[16, 16]}>
        {stats.map((s) => (
          <Col xs={12} md={6} key={s.key}>
            <Card data-testid={`total-${s.key}`}>
              <Statistic
                title={s.title}
                value={s.value}
                suffix={s.unit || undefined}
                formatter={(v) => nf.format(Number(v))}
              />
            </Card>
          </Col>
        ))}
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.pupilsByStage')}>
            {pupilsOption && <EChart option={pupilsOption} height={300} />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.schoolsByStage')}>
            {schoolsOption && <EChart option={schoolsOption} height={300} />}
          </Card>
        </Col>
        {data.byCounty.length > 1 && countyOption && (
          <Col xs={24}>
            <Card title={`${t('dashboard.byCounty')} · ${t('dashboard.pupils')}`}>
              <EChart
                option={countyOption}
                height={Math.max(160, data.byCounty.length * 40 + 40)}
                onClick={(p) => {
                  const row = data.byCounty.find((c) => c.countyName === p.name);
                  if (row) navigate(`/schools?county=${row.countyCode}`);
                }}
              />
            </Card>
          </Col>
        )}
        <Col xs={24}>
          <Card title={t('dashboard.byStage')}>
            <Table
              size="small"
              pagination={false}
              scroll={{ x: true }}
              rowKey={(r) => `${r.stage}:${r.ownership}`}
              dataSource={[...data.byStage].sort(
                (a, b) =>
                  STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage) ||
                  OWNERSHIP_ORDER.indexOf(a.ownership) - OWNERSHIP_ORDER.indexOf(b.ownership),
              )}
              columns={[
                {
                  title: t('dashboard.stage'),
                  dataIndex: 'stage',
                  render: (v: string) => labelOf('stage', v, lang),
                },
                {
                  title: t('dashboard.ownership'),
                  dataIndex: 'ownership',
                  render: (v: string) => labelOf('ownership', v, lang),
                },
                ...(['schools', 'pupils', 'classes', 'teachers'] as const).map((k) => ({
                  title: t(`dashboard.${k}`),
                  dataIndex: k,
                  align: 'right' as const,
                  render: (v: number) => nf.format(v),
                })),
              ]}
              summary={() => (
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0} colSpan={2}>
                    <b>{t('common.all')}</b>
                  </Table.Summary.Cell>
                  {(['schools', 'pupils', 'classes', 'teachers'] as const).map((k, i) => (
                    <Table.Summary.Cell index={i + 2} key={k} align="right">
                      <b>{nf.format(data.totals[k])}</b>
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              )}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
