import { Breadcrumb, Button, Card, Table, Typography } from 'antd';
import { useState } from 'react';
import { useIndicatorChildren } from '../../api/indicator-queries.ts';
import type { IndicatorFigure, IndicatorRegionRef } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { PageFallback } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { figureKey, figureName, formatValue, statusColor } from './format.ts';
import { IndicatorToolbar } from './indicator-toolbar.tsx';
import { RecordsDrawer, type RecordsTarget } from './records-drawer.tsx';
import { useIndicatorParams } from './region-year.tsx';
import '../../i18n/messages/indicators.ts';

interface Row {
  key: string;
  region: IndicatorRegionRef;
  figures: IndicatorFigure[];
  total: boolean;
}

/** Drill-down city → county → township → school: a row per region one level down, a column per figure. */
export default function IndicatorDrillPage() {
  const { t, lang } = useLang();
  const p = useIndicatorParams();
  const { data, error, isPending, refetch } = useIndicatorChildren(p.region, p.year);
  const [records, setRecords] = useState<RecordsTarget | null>(null);
  const open = (code: string) => p.update({ region: code });

  const header = (
    <PageHeader
      title={t('indicators.drillTitle')}
      sub={t('indicators.drillHint')}
      extra={<IndicatorToolbar view={data} params={p} onRegion={open} exportQuery={{ view: 'children' }} />}
    />
  );
  if (isPending || error)
    return <PageFallback header={header} error={error} onRetry={() => void refetch()} />;
  const crumbs = [...data.path, data.region].map((r, i, all) => ({
    key: r.code,
    title:
      i === all.length - 1 ? (
        <span data-testid="drill-current">{r.name}</span>
      ) : (
        <Button type="link" size="small" style={{ padding: 0, height: 'auto' }} onClick={() => open(r.code)}>
          {r.name}
        </Button>
      ),
  }));
  const breadcrumb = (
    <Breadcrumb items={crumbs} style={{ marginBottom: 12 }} data-testid="drill-breadcrumb" />
  );
  if (data.year === null)
    return (
      <PageFallback
        header={
          <>
            {header}
            {breadcrumb}
          </>
        }
        empty={t('indicators.noData')}
      />
    );
  const year = data.year;
  const rows: Row[] = [
    { key: `total:${data.region.code}`, region: data.region, figures: data.total, total: true },
    ...data.children.map((c) => ({ key: c.region.code, region: c.region, figures: c.figures, total: false })),
  ];
  const definitionOf = (id: string) => data.definitions.find((d) => d.id === id);
  return (
    <>
      {header}
      {breadcrumb}
      <Card
        title={data.childLevel ? t(`indicators.level.${data.childLevel}`) : data.region.name}
        extra={
          data.children.length === 0 ? (
            <Typography.Text type="secondary">{t('indicators.noChildren')}</Typography.Text>
          ) : null
        }
      >
        <Table<Row>
          size="small"
          data-testid="drill-table"
          rowKey="key"
          pagination={data.children.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          dataSource={rows}
          columns={[
            {
              title: t('indicators.name'),
              key: 'name',
              fixed: 'left',
              width: 160,
              render: (_: unknown, r: Row) =>
                r.total ? (
                  <b>{t('indicators.total', { region: r.region.name })}</b>
                ) : (
                  <Button
                    type="link"
                    style={{ padding: 0, whiteSpace: 'normal', textAlign: 'left', height: 'auto' }}
                    onClick={() => open(r.region.code)}
                    data-testid="drill-open"
                  >
                    {r.region.name}
                  </Button>
                ),
            },
            ...data.total.map((f, i) => ({
              title: figureName(definitionOf(f.id), f, lang),
              key: figureKey(f),
              align: 'right' as const,
              width: 120,
              render: (_: unknown, r: Row) => {
                const x = r.figures[i];
                return (
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0, color: statusColor(x.status) }}
                    title={t('indicators.recordsHint')}
                    data-testid={`drill-value-${figureKey(f)}`}
                    onClick={() =>
                      setRecords({
                        region: r.region,
                        year,
                        indicator: x.id,
                        stage: x.stage,
                        name: figureName(definitionOf(x.id), x, lang),
                      })
                    }
                  >
                    {formatValue(x.value, x.unit, lang) ?? '—'}
                  </Button>
                );
              },
            })),
          ]}
        />
      </Card>
      <RecordsDrawer target={records} onClose={() => setRecords(null)} />
    </>
  );
}
