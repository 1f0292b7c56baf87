import { Button, Card, DatePicker, Flex, Input, Table, type TableProps, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { withQuery } from '../api/client.ts';
import { useAudit } from '../api/queries.ts';
import type { AuditRow } from '../api/types.ts';
import { Icon } from '../components/icons.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorAlert } from '../components/states.tsx';
import { useSearchState } from '../components/use-search-state.ts';
import { useLang } from '../i18n/lang.tsx';
import { labelOf } from '../labels.ts';
import { formatInstant } from '../time.ts';

const TEXT_FILTERS = ['username', 'action', 'resourceType', 'resourceId'] as const;
const KEYS = [...TEXT_FILTERS, 'from', 'to', 'page', 'pageSize'] as const;
type TextFilter = (typeof TEXT_FILTERS)[number];

export default function AuditPage() {
  const { t, lang } = useLang();
  const [s, update] = useSearchState(KEYS);
  const page = Number(s.page ?? 1) || 1;
  const pageSize = Number(s.pageSize ?? 50) || 50;
  const filters = {
    username: s.username,
    action: s.action,
    resourceType: s.resourceType,
    resourceId: s.resourceId,
    from: s.from,
    to: s.to,
  };
  const { data, error, isPending, isFetching, refetch } = useAudit({ ...filters, page, pageSize });

  // Text boxes are edited locally and applied together with 搜索 / Enter.
  const [draft, setDraft] = useState<Record<TextFilter, string>>(() => ({
    username: s.username ?? '',
    action: s.action ?? '',
    resourceType: s.resourceType ?? '',
    resourceId: s.resourceId ?? '',
  }));
  useEffect(() => {
    setDraft({
      username: s.username ?? '',
      action: s.action ?? '',
      resourceType: s.resourceType ?? '',
      resourceId: s.resourceId ?? '',
    });
  }, [s.username, s.action, s.resourceType, s.resourceId]);
  const apply = () =>
    update(Object.fromEntries(TEXT_FILTERS.map((k) => [k, draft[k].trim()])), { resetPage: true });
  const range: [Dayjs, Dayjs] | null = s.from && s.to ? [dayjs(s.from), dayjs(s.to)] : null;

  const columns: TableProps<AuditRow>['columns'] = [
    {
      title: t('audit.at'),
      dataIndex: 'at',
      width: 170,
      render: (v: string) => formatInstant(v, true),
    },
    { title: t('audit.username'), dataIndex: 'username', render: (v: string | null) => v ?? '—' },
    {
      title: t('audit.role'),
      dataIndex: 'role',
      render: (v: string | null) => (v ? labelOf('role', v, lang) : '—'),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    { title: t('audit.resourceType'), dataIndex: 'resourceType' },
    { title: t('audit.resourceId'), dataIndex: 'resourceId', render: (v: string | null) => v ?? '—' },
    { title: t('audit.county'), dataIndex: 'countyCode', render: (v: string | null) => v ?? '—' },
    { title: t('audit.ip'), dataIndex: 'ip', render: (v: string | null) => v ?? '—' },
  ];

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        extra={
          <Button
            href={withQuery('/api/audit/export', { ...filters, lang })}
            download
            icon={<Icon name="download" />}
            data-testid="audit-export"
          >
            {t('common.exportXlsx')}
          </Button>
        }
      />
      <Card>
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          {TEXT_FILTERS.map((k) => (
            <Input
              key={k}
              allowClear
              placeholder={t(`audit.${k}`)}
              aria-label={t(`audit.${k}`)}
              value={draft[k]}
              onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value }))}
              onPressEnter={apply}
              style={{ width: 160 }}
              data-testid={`audit-${k}`}
            />
          ))}
          <DatePicker.RangePicker
            value={range}
            onChange={(v) =>
              update(
                { from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') },
                { resetPage: true },
              )
            }
            aria-label={t('audit.dates')}
          />
          <Button type="primary" onClick={apply}>
            {t('common.search')}
          </Button>
          <Button
            onClick={() =>
              update(
                {
                  username: undefined,
                  action: undefined,
                  resourceType: undefined,
                  resourceId: undefined,
                  from: undefined,
                  to: undefined,
                },
                { resetPage: true },
              )
            }
          >
            {t('common.reset')}
          </Button>
        </Flex>
        {error ? (
          <ErrorAlert error={error} onRetry={() => void refetch()} />
        ) : (
          <Table<AuditRow>
            rowKey="id"
            size="small"
            loading={isPending || isFetching}
            columns={columns}
            dataSource={data?.rows ?? []}
            scroll={{ x: 1000 }}
            expandable={{
              rowExpandable: (r) => r.detail != null,
              expandedRowRender: (r) => (
                <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>
                  {JSON.stringify(r.detail, null, 2)}
                </pre>
              ),
            }}
            onChange={(p, _f, _s, extra) => {
              if (extra.action === 'paginate')
                update({
                  page: p.current === 1 ? undefined : p.current,
                  pageSize: p.pageSize === 50 ? undefined : p.pageSize,
                });
            }}
            pagination={{
              current: page,
              pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 200],
              showTotal: (n) => t('common.total', { n }),
            }}
            locale={{ emptyText: isPending ? ' ' : <EmptyState description={t('audit.empty')} /> }}
            data-testid="audit-table"
          />
        )}
      </Card>
    </>
  );
}
