import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Flex,
  Image,
  Input,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useApplication, useQueue, useRound } from '../../api/admissions-queries.ts';
import { api } from '../../api/client.ts';
import type { ApplicationView, DecisionBody, QueueView, RoundView } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorAlert, Loading } from '../../components/states.tsx';
import { useSearchState } from '../../components/use-search-state.ts';
import { useLang } from '../../i18n/lang.tsx';
import { StatusTag } from './parent-status-page.tsx';
import { useRoundChoice } from './round-picker.tsx';
import '../../i18n/messages/admissions.ts';

type Row = QueueView['rows'][number];
const FILTERS = ['no', 'school', 'category', 'status', 'conflict', 'page'] as const;

/** 报名审核: the queue by first-choice school and category, masked; one application at a time in a drawer. */
export default function AdmissionQueuePage() {
  const { t, pick } = useLang();
  const { roundId, picker } = useRoundChoice();
  const round = useRound(roundId);
  const [f, set] = useSearchState(FILTERS);
  const queue = useQueue(roundId, {
    no: f.no,
    school: f.school,
    category: f.category,
    status: f.status,
    conflict: f.conflict,
    page: f.page,
  });
  const [open, setOpen] = useState<number | null>(null);
  const categoryLabel = (code: string | null) => {
    const c = round.data?.rules.categories.find((x) => x.code === code);
    return c ? pick(c.label) : (code ?? '—');
  };
  return (
    <>
      <PageHeader title={t('adm.queueTitle')} sub={t('adm.queueSub')} extra={picker} />
      <Flex wrap gap={8} style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          style={{ width: 200 }}
          placeholder={t('adm.applicationNo')}
          defaultValue={f.no}
          onSearch={(v) => set({ no: v.trim().toUpperCase() }, { resetPage: true })}
          data-testid="queue-no"
        />
        <Select
          allowClear
          style={{ minWidth: 200 }}
          placeholder={t('adm.allSchools')}
          value={f.school ? Number(f.school) : undefined}
          onChange={(v) => set({ school: v }, { resetPage: true })}
          options={(round.data?.schools ?? []).map((s) => ({ value: s.id, label: s.name }))}
          data-testid="queue-school"
        />
        <Select
          allowClear
          style={{ minWidth: 180 }}
          placeholder={t('adm.allCategories')}
          value={f.category}
          onChange={(v) => set({ category: v }, { resetPage: true })}
          options={(round.data?.rules.categories ?? []).map((c) => ({ value: c.code, label: pick(c.label) }))}
        />
        <Select
          allowClear
          style={{ minWidth: 140 }}
          placeholder={t('adm.allStatuses')}
          value={f.status}
          onChange={(v) => set({ status: v }, { resetPage: true })}
          options={(['submitted', 'returned', 'approved', 'withdrawn'] as const).map((s) => ({
            value: s,
            label: t(`adm.status.${s}`),
          }))}
          data-testid="queue-status"
        />
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('adm.conflictsOnly')}
          value={f.conflict}
          onChange={(v) => set({ conflict: v }, { resetPage: true })}
          options={[{ value: '1', label: t('adm.conflictsOnly') }]}
        />
      </Flex>
      {queue.error && <ErrorAlert error={queue.error} />}
      <Table<Row>
        size="small"
        rowKey="id"
        loading={queue.isFetching}
        dataSource={queue.data?.rows}
        scroll={{ x: true }}
        pagination={{
          current: Number(f.page ?? 1),
          pageSize: 50,
          total: queue.data?.total,
          showSizeChanger: false,
          onChange: (p) => set({ page: p }),
          showTotal: (n) => t('common.total', { n }),
        }}
        columns={[
          { title: t('adm.applicationNo'), dataIndex: 'applicationNo' },
          { title: t('adm.childName'), dataIndex: 'childName' },
          { title: t('adm.idNumber'), dataIndex: 'idNumber' },
          { title: t('adm.community'), dataIndex: 'communityName' },
          { title: t('adm.school'), dataIndex: 'schoolName' },
          {
            title: t('adm.category'),
            render: (_, r) => categoryLabel(r.approvedCategory ?? r.claimedCategory),
          },
          { title: t('adm.status'), render: (_, r) => <StatusTag status={r.status} /> },
          {
            title: t('adm.missing'),
            render: (_, r) =>
              r.missingProofs ? (
                <Tag color="warning">{t('adm.missingCount', { n: r.missingProofs })}</Tag>
              ) : null,
          },
          {
            title: '',
            render: (_, r) =>
              r.conflicts.map((c) => (
                <Tag key={c} color="red">
                  {t(`adm.conflict.${c}`)}
                </Tag>
              )),
          },
          {
            title: t('common.actions'),
            render: (_, r) => (
              <Button size="small" onClick={() => setOpen(r.id)} data-testid={`open-${r.applicationNo}`}>
                {t('adm.view')}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        size="large"
        title={t('adm.statusTitle')}
        destroyOnHidden
      >
        {open !== null && round.data && <Decide id={open} round={round.data} onDone={() => setOpen(null)} />}
      </Drawer>
    </>
  );
}

function Decide({ id, round, onDone }: { id: number; round: RoundView; onDone: () => void }) {
  const { t, pick } = useLang();
  const client = useQueryClient();
  const app = useApplication(id);
  const [category, setCategory] = useState<string>();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (body: DecisionBody) =>
      api.post<ApplicationView>(`/api/admissions/applications/${id}/decision`, body),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['adm'] });
      onDone();
    },
  });
  if (app.error) return <ErrorAlert error={app.error} />;
  if (!app.data) return <Loading />;
  const a = app.data;
  const label = (code: string | null) =>
    pick(round.rules.categories.find((c) => c.code === code)?.label ?? { zh: code ?? '—', en: code ?? '—' });
  const yes = (v: boolean) => t(v ? 'common.yes' : 'common.no');
  const decidable = a.status === 'submitted' || a.status === 'approved';
  return (
    <Flex vertical gap={12}>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('adm.applicationNo')}>{a.applicationNo}</Descriptions.Item>
        <Descriptions.Item label={t('adm.status')}>
          <StatusTag status={a.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('adm.childName')}>{a.child.name}</Descriptions.Item>
        <Descriptions.Item label={t('adm.idNumber')}>{a.child.idNumber}</Descriptions.Item>
        <Descriptions.Item label={t('adm.community')}>{a.communityName}</Descriptions.Item>
        <Descriptions.Item label={t('adm.facts')}>
          {t('adm.localHukou')} {yes(a.facts.localHukou)} · {t('adm.hasProperty')} {yes(a.facts.hasProperty)}{' '}
          · {t('adm.hukouAtProperty')} {yes(a.facts.hukouAtProperty)} · {t('adm.residencePermit')}{' '}
          {yes(a.facts.residencePermit)}
        </Descriptions.Item>
        <Descriptions.Item label={t('adm.propertyNo')}>{a.propertyNo ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('adm.category')}>{label(a.claimedCategory)}</Descriptions.Item>
        <Descriptions.Item label={t('adm.choices')}>
          {a.choices.map((c) => c.name).join('、')}
        </Descriptions.Item>
        <Descriptions.Item label={t('adm.guardian')}>
          {a.guardian.name}（{t(`adm.relation.${a.guardian.relation}`)}）
        </Descriptions.Item>
      </Descriptions>
      {a.conflicts.map((c) => (
        <Alert key={c} type="error" showIcon title={t(`adm.conflict.${c}`)} />
      ))}
      <Card size="small" title={t('adm.documents')}>
        <Image.PreviewGroup>
          <Flex wrap gap={8}>
            {a.documents.map((d) => (
              <div key={d.id} style={{ textAlign: 'center' }}>
                <Image width={120} src={`/api/admissions/documents/${d.id}`} alt={d.docType} />
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {pick(docLabel(round, d.docType))}
                  </Typography.Text>
                </div>
              </div>
            ))}
          </Flex>
        </Image.PreviewGroup>
        {a.missingProofs.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 8 }}
            title={`${t('adm.missing')}：${a.missingProofs.map((p) => p.map((x) => pick(docLabel(round, x))).join(t('adm.or'))).join('、')}`}
          />
        )}
      </Card>
      {decide.error && (
        <Alert type="error" showIcon title={decide.error.message} data-testid="decision-error" />
      )}
      {decidable && (
        <Card size="small">
          <Flex vertical gap={8}>
            <Flex gap={8} wrap>
              <Select
                style={{ minWidth: 220 }}
                value={category ?? a.approvedCategory ?? a.claimedCategory}
                onChange={setCategory}
                options={round.rules.categories.map((c) => ({ value: c.code, label: pick(c.label) }))}
                aria-label={t('adm.approveAs')}
              />
              <Button
                type="primary"
                loading={decide.isPending}
                onClick={() =>
                  decide.mutate({
                    decision: 'approve',
                    category: category ?? a.approvedCategory ?? a.claimedCategory,
                  })
                }
                data-testid="approve"
              >
                {t('adm.approve')}
              </Button>
            </Flex>
            <Input.TextArea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t('adm.reason')}
              maxLength={500}
              rows={2}
              data-testid="return-reason-input"
            />
            <Button
              danger
              disabled={!reason.trim()}
              loading={decide.isPending}
              onClick={() => decide.mutate({ decision: 'return', reason })}
              data-testid="return"
            >
              {t('adm.return')}
            </Button>
          </Flex>
        </Card>
      )}
    </Flex>
  );
}

const docLabel = (round: RoundView, code: string) =>
  round.docTypes.find((d) => d.code === code)?.label ?? { zh: code, en: code };
