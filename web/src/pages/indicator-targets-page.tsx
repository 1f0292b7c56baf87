import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Table,
  type TableProps,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, isApiFailure } from '../api/client.ts';
import { can, useCurrentUser, useDashboard, useRegions } from '../api/queries.ts';
import type { EffectiveTargets, SetTargetBody, TargetView } from '../api/types.ts';
import { Icon } from '../components/icons.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorAlert } from '../components/states.tsx';
import { useSearchState } from '../components/use-search-state.ts';
import { useLang } from '../i18n/lang.tsx';
import { labelOf } from '../labels.ts';
import { formatInstant } from '../time.ts';
import '../i18n/messages/targets.ts';

type Indicator = EffectiveTargets['indicators'][number];
type Rule = Pick<TargetView, 'comparator' | 'threshold'>;

interface EditFields {
  indicator_id: string;
  stage?: string;
  every_year: boolean;
  comparator: 'at_least' | 'at_most';
  threshold: number;
  close_margin?: number | null;
  note?: string;
}

/** The body keys the server may name in an error, which are also this form's fields. */
const FORM_FIELDS = ['indicator_id', 'stage', 'comparator', 'threshold', 'close_margin', 'note'];

const unitOf = (d: Indicator | undefined) => (d?.unit === 'percent' ? '%' : '');
const ruleText = (r: Rule, d: Indicator | undefined) =>
  `${r.comparator === 'at_least' ? '≥' : '≤'} ${r.threshold}${unitOf(d)}`;

function EditTargetModal({
  open,
  target,
  region,
  year,
  indicators,
  onClose,
}: {
  open: boolean;
  /** The target being changed; null to add one. */
  target: TargetView | null;
  region: string;
  year: number;
  indicators: Indicator[];
  onClose: () => void;
}) {
  const { t, lang } = useLang();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<EditFields>();
  const chosenId = Form.useWatch('indicator_id', form);
  const chosen = indicators.find((d) => d.id === chosenId);

  const save = useMutation({
    mutationFn: (v: EditFields) =>
      api.put<TargetView>('/api/indicators/targets', {
        region_code: region,
        year: v.every_year ? null : year,
        indicator_id: v.indicator_id,
        stage: (v.stage ?? null) as SetTargetBody['stage'],
        comparator: v.comparator,
        threshold: v.threshold,
        close_margin: v.close_margin ?? undefined,
        note: v.note?.trim() || null,
      } satisfies SetTargetBody),
    onSuccess: () => {
      message.success(t('targets.saved'));
      void client.invalidateQueries({ queryKey: ['indicator-targets'] });
      onClose();
    },
    onError: (e) => {
      // The server's message is already in the user's language; put it on the field it names.
      const field = isApiFailure(e) && e.field ? e.field.replace(/^body\./, '') : null;
      if (field && FORM_FIELDS.includes(field))
        form.setFields([{ name: field as keyof EditFields, errors: [(e as Error).message] }]);
      else message.error((e as Error).message);
    },
  });

  const initial: Partial<EditFields> = target
    ? {
        indicator_id: target.indicator_id,
        stage: target.stage ?? undefined,
        every_year: target.origin === 'edited' && target.year === null,
        comparator: target.comparator,
        threshold: target.threshold,
        close_margin: target.close_margin,
        note: target.note ?? undefined,
      }
    : { every_year: false, comparator: 'at_least' };
  const required = (field: string) => [{ required: true, message: t('targets.required', { field }) }];

  return (
    <Modal
      open={open}
      title={target ? t('targets.edit') : t('targets.add')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<EditFields>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(v) => save.mutate(v)}
        requiredMark={false}
        preserve={false}
      >
        <Form.Item
          name="indicator_id"
          label={t('targets.indicator')}
          rules={required(t('targets.indicator'))}
        >
          <Select
            disabled={Boolean(target)}
            showSearch={{ optionFilterProp: 'label' }}
            options={indicators.map((d) => ({ value: d.id, label: lang === 'zh' ? d.zh : d.en }))}
            data-testid="target-indicator"
          />
        </Form.Item>
        {chosen && chosen.stages.length > 0 && (
          <Form.Item name="stage" label={t('targets.stage')} rules={required(t('targets.stage'))}>
            <Select
              disabled={Boolean(target)}
              options={chosen.stages.map((s) => ({ value: s, label: labelOf('stage', s, lang) }))}
            />
          </Form.Item>
        )}
        <Form.Item name="every_year" label={t('targets.appliesTo')}>
          <Radio.Group
            options={[
              { value: false, label: t('targets.thisYear', { year }) },
              { value: true, label: t('targets.everyYear') },
            ]}
          />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="comparator" label={t('targets.comparator')} style={{ flex: 1 }}>
            <Select
              options={[
                { value: 'at_least', label: t('targets.atLeast') },
                { value: 'at_most', label: t('targets.atMost') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="threshold"
            label={t('targets.threshold')}
            rules={required(t('targets.threshold'))}
            style={{ flex: 1 }}
          >
            <InputNumber style={{ width: '100%' }} suffix={unitOf(chosen)} />
          </Form.Item>
        </Flex>
        <Form.Item name="close_margin" label={t('targets.closeMargin')} extra={t('targets.closeMarginHelp')}>
          <InputNumber style={{ width: '100%' }} min={0} />
        </Form.Item>
        <Form.Item name="note" label={t('targets.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function IndicatorTargetsPage() {
  const { t, lang } = useLang();
  const { message } = App.useApp();
  const me = useCurrentUser();
  const client = useQueryClient();
  const regions = useRegions();
  const dashboard = useDashboard();
  const [params, setParams] = useSearchState(['region', 'year'] as const);
  const region = params.region ?? me.regionCode ?? regions.data?.[0]?.code ?? '';
  const year = Number(params.year) || dashboard.data?.year || new Date().getFullYear();
  const mayEdit = can(me, 'targets.write');
  // Targets are per region; a school account's scope holds no region (the server answers 404).
  const schoolOnly = me.schoolId !== null && !me.regionCode;
  const [editing, setEditing] = useState<{ target: TargetView | null } | null>(null);

  const { data, error, isPending, refetch } = useQuery({
    queryKey: ['indicator-targets', region, year],
    queryFn: ({ signal }) => api.get<EffectiveTargets>('/api/indicators/targets', { region, year }, signal),
    enabled: Boolean(region) && !schoolOnly,
  });
  const byId = new Map((data?.indicators ?? []).map((d) => [d.id, d]));

  const restore = useMutation({
    mutationFn: (x: TargetView) =>
      api.delete<void>('/api/indicators/targets', {
        region_code: region,
        year: x.year,
        indicator_id: x.indicator_id,
        stage: x.stage,
      }),
    onSuccess: () => {
      message.success(t('targets.restored'));
      void client.invalidateQueries({ queryKey: ['indicator-targets'] });
    },
    onError: (e) => message.error((e as Error).message),
  });

  const columns: TableProps<TargetView>['columns'] = [
    {
      title: t('targets.indicator'),
      key: 'indicator',
      render: (_, x) => {
        const d = byId.get(x.indicator_id);
        const name = d ? (lang === 'zh' ? d.zh : d.en) : x.indicator_id;
        return x.stage ? `${name}（${labelOf('stage', x.stage, lang)}）` : name;
      },
    },
    {
      title: t('targets.rule'),
      key: 'rule',
      render: (_, x) => (
        <Typography.Text strong style={{ whiteSpace: 'nowrap' }}>
          {ruleText(x, byId.get(x.indicator_id))}
        </Typography.Text>
      ),
    },
    { title: t('targets.closeMargin'), dataIndex: 'close_margin', render: (v: number) => `±${v}` },
    {
      title: t('targets.origin'),
      key: 'origin',
      render: (_, x) =>
        x.origin === 'edited' ? (
          <Tag color="blue">
            {t('targets.edited')} · {x.year === null ? t('targets.everyYear') : x.year}
          </Tag>
        ) : (
          <Tag>{t('targets.preloaded')}</Tag>
        ),
    },
    {
      title: t('targets.source'),
      key: 'source',
      render: (_, x) => (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {x.origin === 'edited' ? t('targets.bureau') : x.source}
          {x.origin === 'edited' && x.preloaded && (
            <>
              <br />
              {t('targets.restoreWas', { rule: ruleText(x.preloaded, byId.get(x.indicator_id)) })}
            </>
          )}
          {x.note && (
            <>
              <br />
              {t('targets.note')}：{x.note}
            </>
          )}
          {x.updated_at && (
            <>
              <br />
              {t('targets.updated')}：{x.updated_by} {formatInstant(x.updated_at)}
            </>
          )}
        </Typography.Text>
      ),
    },
    ...(mayEdit
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, x: TargetView) => (
              <Flex gap={8}>
                <Button size="small" onClick={() => setEditing({ target: x })} data-testid="target-edit">
                  {t('targets.edit')}
                </Button>
                {x.origin === 'edited' && (
                  <Popconfirm
                    title={x.preloaded ? t('targets.restoreConfirm') : t('targets.removeConfirm')}
                    okText={t('common.ok')}
                    cancelText={t('common.cancel')}
                    onConfirm={() => restore.mutate(x)}
                  >
                    <Button size="small" danger data-testid="target-restore">
                      {x.preloaded ? t('targets.restore') : t('targets.remove')}
                    </Button>
                  </Popconfirm>
                )}
              </Flex>
            ),
          },
        ]
      : []),
  ];

  if (schoolOnly)
    return (
      <>
        <PageHeader title={t('targets.title')} sub={t('targets.sub')} />
        <Card>
          <EmptyState description={t('targets.schoolScope')} />
        </Card>
      </>
    );

  return (
    <>
      <PageHeader
        title={t('targets.title')}
        sub={mayEdit ? t('targets.sub') : `${t('targets.sub')}。${t('targets.readOnly')}`}
        extra={
          <>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              value={region || undefined}
              onChange={(v: string) => setParams({ region: v })}
              loading={regions.isPending}
              options={(regions.data ?? [])
                .filter((r) => r.level !== 'township')
                .map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }))}
              style={{ width: 220 }}
              aria-label={t('targets.region')}
              data-testid="target-region"
            />
            <InputNumber
              value={year}
              min={1990}
              max={2100}
              onChange={(v) => v && setParams({ year: v })}
              suffix={lang === 'zh' ? '年' : undefined}
              aria-label={t('targets.year')}
              style={{ width: 110 }}
            />
            {mayEdit && (
              <Button
                type="primary"
                icon={<Icon name="plus" />}
                onClick={() => setEditing({ target: null })}
                disabled={!data}
              >
                {t('targets.add')}
              </Button>
            )}
          </>
        }
      />
      <Card>
        {error ? (
          <ErrorAlert error={error} onRetry={() => void refetch()} />
        ) : (
          <Table<TargetView>
            rowKey={(x) => `${x.indicator_id}|${x.stage ?? ''}`}
            size="middle"
            loading={isPending && Boolean(region)}
            columns={columns}
            dataSource={data?.targets ?? []}
            scroll={{ x: 900 }}
            pagination={false}
            locale={{ emptyText: isPending ? ' ' : <EmptyState description={t('targets.empty')} /> }}
          />
        )}
      </Card>
      {data && (
        <EditTargetModal
          open={editing !== null}
          target={editing?.target ?? null}
          region={region}
          year={year}
          indicators={data.indicators}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}
