import { Button, Card, Flex, Input, Select, Table, type TableProps, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { withQuery } from '../api/client.ts';
import { can, useCurrentUser, useSchools } from '../api/queries.ts';
import type { SchoolListItem } from '../api/types.ts';
import { CountySelect } from '../components/county-select.tsx';
import { Icon } from '../components/icons.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorAlert } from '../components/states.tsx';
import { useSearchState } from '../components/use-search-state.ts';
import { useLang } from '../i18n/lang.tsx';
import { labelOf, optionsOf } from '../labels.ts';

const KEYS = [
  'q',
  'county',
  'schoolType',
  'stage',
  'ownership',
  'locale',
  'sort',
  'order',
  'page',
  'pageSize',
] as const;
const FILTERS = ['q', 'county', 'schoolType', 'stage', 'ownership', 'locale'] as const;
type SortKey = 'code' | 'name' | 'county' | 'pupils' | 'classes';

export default function SchoolsPage() {
  const { t, lang } = useLang();
  const me = useCurrentUser();
  const [s, update] = useSearchState(KEYS);
  const page = Number(s.page ?? 1) || 1;
  const pageSize = Number(s.pageSize ?? 20) || 20;
  const sort = (s.sort ?? 'code') as SortKey;
  const order = s.order === 'desc' ? 'desc' : 'asc';
  const filters = Object.fromEntries(FILTERS.map((k) => [k, s[k]]));
  const { data, error, isPending, isFetching, refetch } = useSchools({
    ...filters,
    sort,
    order,
    page,
    pageSize,
  });
  const [q, setQ] = useState(s.q ?? '');
  useEffect(() => setQ(s.q ?? ''), [s.q]);
  const nf = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en');

  const sortOrder = (key: SortKey) => (sort === key ? (order === 'asc' ? 'ascend' : 'descend') : null);
  const columns: TableProps<SchoolListItem>['columns'] = [
    {
      title: t('schools.code'),
      dataIndex: 'code',
      key: 'code',
      sorter: true,
      sortOrder: sortOrder('code'),
      width: 130,
    },
    {
      title: t('schools.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: sortOrder('name'),
      render: (name: string, r) => <Link to={`/schools/${r.id}`}>{name}</Link>,
    },
    {
      title: t('schools.county'),
      dataIndex: 'countyName',
      key: 'county',
      sorter: true,
      sortOrder: sortOrder('county'),
    },
    {
      title: t('schools.type'),
      dataIndex: 'schoolType',
      key: 'schoolType',
      render: (v: string) => labelOf('schoolType', v, lang),
    },
    {
      title: t('schools.ownership'),
      dataIndex: 'ownership',
      key: 'ownership',
      render: (v: string, r) => (
        <>
          {labelOf('ownership', v, lang)}
          {r.inclusive && v === 'private' && (
            <Tag color="green" style={{ marginInlineStart: 6 }}>
              {t('schools.inclusive')}
            </Tag>
          )}
        </>
      ),
    },
    {
      title: t('schools.locale'),
      dataIndex: 'locale',
      key: 'locale',
      render: (v: string) => labelOf('locale', v, lang),
    },
    {
      title: t('schools.pupils'),
      dataIndex: 'pupils',
      key: 'pupils',
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('pupils'),
      render: (v: number) => nf.format(v),
    },
    {
      title: t('schools.classes'),
      dataIndex: 'classes',
      key: 'classes',
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('classes'),
      render: (v: number) => nf.format(v),
    },
  ];

  const onChange: TableProps<SchoolListItem>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const one = Array.isArray(sorter) ? sorter[0] : sorter;
      const key = one?.order ? String(one.columnKey) : undefined;
      update({ sort: key, order: key && one.order === 'descend' ? 'desc' : undefined }, { resetPage: true });
    } else if (extra.action === 'paginate') {
      update({
        page: pagination.current === 1 ? undefined : pagination.current,
        pageSize: pagination.pageSize === 20 ? undefined : pagination.pageSize,
      });
    }
  };

  const exportHref = (format: 'xlsx' | 'csv') =>
    withQuery('/api/schools/export', { ...filters, format, lang });
  const select = (
    key: 'schoolType' | 'stage' | 'ownership' | 'locale',
    kind: 'schoolType' | 'stage' | 'ownership' | 'locale',
    placeholder: string,
    width: number,
  ) => (
    <Select
      allowClear
      placeholder={placeholder}
      value={s[key]}
      onChange={(v) => update({ [key]: v }, { resetPage: true })}
      options={optionsOf(kind, lang)}
      style={{ width }}
      aria-label={placeholder}
      data-testid={`filter-${key}`}
    />
  );
  const anyFilter = FILTERS.some((k) => s[k]);

  return (
    <>
      <PageHeader
        title={t('schools.title')}
        sub={data?.year ? t('schools.census', { year: data.year }) : undefined}
        extra={
          can(me, 'export.run') && (
            <>
              <Button
                href={exportHref('xlsx')}
                download
                icon={<Icon name="download" />}
                data-testid="export-xlsx"
              >
                {t('common.exportXlsx')}
              </Button>
              <Button
                href={exportHref('csv')}
                download
                icon={<Icon name="download" />}
                data-testid="export-csv"
              >
                {t('common.exportCsv')}
              </Button>
            </>
          )
        }
      />
      <Card>
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('schools.search')}
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              if (e.target.value === '' && s.q) update({ q: undefined }, { resetPage: true });
            }}
            onSearch={(v) => update({ q: v.trim() }, { resetPage: true })}
            style={{ width: 240 }}
            data-testid="school-search"
          />
          <CountySelect value={s.county} onChange={(v) => update({ county: v }, { resetPage: true })} />
          {select('schoolType', 'schoolType', t('schools.type'), 170)}
          {select('stage', 'stage', t('schools.stage'), 130)}
          {select('ownership', 'ownership', t('schools.ownership'), 120)}
          {select('locale', 'locale', t('schools.locale'), 120)}
          {anyFilter && (
            <Button
              type="link"
              onClick={() =>
                update(Object.fromEntries(FILTERS.map((k) => [k, undefined])), { resetPage: true })
              }
            >
              {t('common.reset')}
            </Button>
          )}
        </Flex>
        {error ? (
          <ErrorAlert error={error} onRetry={() => void refetch()} />
        ) : (
          <Table<SchoolListItem>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={data?.rows ?? []}
            loading={isPending || isFetching}
            onChange={onChange}
            scroll={{ x: 900 }}
            locale={{ emptyText: isPending ? ' ' : <EmptyState description={t('schools.empty')} /> }}
            pagination={{
              current: page,
              pageSize,
              total: data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 200],
              showTotal: (n) => (
                <Typography.Text type="secondary">{t('common.total', { n })}</Typography.Text>
              ),
            }}
            data-testid="school-table"
          />
        )}
      </Card>
    </>
  );
}
