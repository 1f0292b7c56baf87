import { Card, Flex, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useNavigate, useParams } from 'react-router';
import { useBalance, useForecastRun } from '../../api/forecast-queries.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading, NotFoundResult } from '../../components/states.tsx';
import { useSearchState } from '../../components/use-search-state.ts';
import { useLang } from '../../i18n/lang.tsx';
import { labelOf } from '../../labels.ts';
import { useIsMobile } from '../../layout/use-is-mobile.ts';
import { type Flags, flagSentences, LEVEL_COLORS, runIdOf } from './format.ts';
import { RunLinks } from './run-links.tsx';
import { StageSelect } from './stage-select.tsx';
import '../../i18n/messages/forecast.ts';

/** A run's areas × stages with their flags, most severe first; a row opens the area's page. */
export default function ForecastFlagsPage() {
  const { t, lang } = useLang();
  const navigate = useNavigate();
  const id = runIdOf(useParams().id);
  const [s, update] = useSearchState(['stage', 'all'] as const);
  const head = useForecastRun(id);
  // The flags cover every year; the rows of the base year alone keep the answer small.
  const balance = useBalance(
    id,
    { stage: s.stage, flagged: s.all !== '1', year: head.data?.baseYear },
    head.data !== undefined,
  );
  const { data, refetch } = balance;
  const error = head.error ?? balance.error;
  // A disabled query stays pending: errors are shown first.
  const isPending = head.isPending || balance.isPending;
  const mobile = useIsMobile();
  if (Number.isNaN(id)) return <NotFoundResult />;
  const run = data?.run;
  const areaPage = (f: Flags) => `/forecast/runs/${id}/areas/${encodeURIComponent(f.area)}`;
  const level = (v: Flags['level']) => <Tag color={LEVEL_COLORS[v]}>{t(`fc.level.${v}`)}</Tag>;
  const area = (f: Flags) => (
    <Link to={areaPage(f)} onClick={(e) => e.stopPropagation()}>
      {f.name}
    </Link>
  );
  const sentences = (f: Flags) => (
    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
      {(f.level === 'none' || !run ? [t('fc.flag.none')] : flagSentences(f, run.baseYear, t)).map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
  // A phone gets one column: the area, stage, level and severity above the flags in words.
  const columns: ColumnsType<Flags> = mobile
    ? [
        {
          title: t('fc.flagsCol'),
          key: 'all',
          render: (_, f) => (
            <>
              <Flex gap={8} wrap align="center" style={{ marginBottom: 4 }}>
                {level(f.level)}
                {area(f)}
                <span>{labelOf('stage', f.stage, lang)}</span>
                <Typography.Text type="secondary">
                  {t('fc.severity')} {f.severity.toFixed(1)}
                </Typography.Text>
              </Flex>
              {sentences(f)}
            </>
          ),
        },
      ]
    : [
        { title: t('fc.level'), dataIndex: 'level', width: 72, render: level },
        {
          title: t('fc.severity'),
          dataIndex: 'severity',
          width: 96,
          align: 'right',
          render: (v: number) => v.toFixed(1),
        },
        { title: t('fc.area'), dataIndex: 'name', width: 160, render: (_, f) => area(f) },
        {
          title: t('fc.stage'),
          dataIndex: 'stage',
          width: 96,
          render: (v: string) => labelOf('stage', v, lang),
        },
        { title: t('fc.flagsCol'), key: 'text', render: (_, f) => sentences(f) },
      ];

  return (
    <>
      <PageHeader
        title={t('fc.flags.title')}
        sub={
          run &&
          t('fc.flags.sub', { run: run.name ?? '', base: run.baseYear, to: run.baseYear + run.horizon })
        }
        extra={<RunLinks run={id} current="flags" />}
      />
      <Card
        title={
          <StageSelect
            allowClear
            placeholder={t('fc.allStages')}
            value={s.stage}
            onChange={(v) => update({ stage: v })}
            style={{ width: 160 }}
            data-testid="flags-stage"
          />
        }
        extra={
          <Typography.Text style={{ fontWeight: 400 }}>
            {t('fc.onlyFlagged')}{' '}
            <Switch
              size="small"
              checked={s.all !== '1'}
              onChange={(on) => update({ all: on ? undefined : '1' })}
              data-testid="flags-only"
            />
          </Typography.Text>
        }
      >
        {error ? (
          <ErrorAlert error={error} onRetry={() => void refetch()} />
        ) : isPending || !data ? (
          <Loading />
        ) : data.flags.length === 0 ? (
          <EmptyState description={t('fc.flags.empty')} />
        ) : (
          <Table<Flags>
            size="small"
            rowKey={(f) => `${f.area}|${f.stage}`}
            dataSource={data.flags}
            pagination={data.flags.length > 50 ? { pageSize: 50 } : false}
            scroll={mobile ? undefined : { x: 720 }}
            onRow={(f) => ({ onClick: () => navigate(areaPage(f)), style: { cursor: 'pointer' } })}
            data-testid="flags-table"
            columns={columns}
          />
        )}
      </Card>
    </>
  );
}
