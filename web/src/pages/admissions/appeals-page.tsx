import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Drawer, Flex, Input, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import type {
  AppealDecisionBody,
  AppealList,
  AppealView,
} from '../../../../src/server/admissions-appeal-contracts.ts';
import { useRound } from '../../api/admissions-queries.ts';
import { useAppeal, useAppeals } from '../../api/appeal-queries.ts';
import { api, withQuery } from '../../api/client.ts';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorAlert, Loading } from '../../components/states.tsx';
import { useSearchState } from '../../components/use-search-state.ts';
import { useLang } from '../../i18n/lang.tsx';
import { formatInstant } from '../../time.ts';
import { AppealStatusTag } from './parent-appeal.tsx';
import { useRoundChoice } from './round-picker.tsx';
import '../../i18n/messages/admissions-draw.ts';
import '../../i18n/messages/admissions.ts';
import '../../i18n/messages/admissions-appeals.ts';

type Row = AppealList['rows'][number];
const FILTERS = ['status', 'school', 'page'] as const;
const STATUSES = ['submitted', 'granted', 'refused', 'withdrawn'] as const;

/** 申诉处理: the round's appeals by status and school, masked; one at a time (an audited read) to decide. */
export default function AdmissionAppealsPage() {
  const { t, lang } = useLang();
  const { roundId, picker } = useRoundChoice();
  const round = useRound(roundId);
  const [f, set] = useSearchState(FILTERS);
  const list = useAppeals(roundId, { status: f.status, school: f.school, page: f.page });
  const [open, setOpen] = useState<number | null>(null);
  const result = (r: Row['result']) =>
    r.school ? `${r.school.name}（${r.by ? t(`placedBy.${r.by}`) : ''}）` : t('appeal.unplaced');
  const exportUrl = roundId
    ? withQuery(`/api/admissions/rounds/${roundId}/appeals/export`, {
        lang,
        status: f.status,
        school: f.school,
      })
    : undefined;
  return (
    <>
      <PageHeader title={t('appeal.pageTitle')} sub={t('appeal.pageSub')} extra={picker} />
      <Flex wrap gap={8} style={{ marginBottom: 12 }} align="center">
        <Select
          allowClear
          style={{ minWidth: 140 }}
          placeholder={t('appeal.allStatuses')}
          value={f.status}
          onChange={(v) => set({ status: v }, { resetPage: true })}
          options={STATUSES.map((s) => ({ value: s, label: t(`appeal.status.${s}`) }))}
          data-testid="appeals-status"
        />
        <Select
          allowClear
          style={{ minWidth: 200 }}
          placeholder={t('appeal.allSchools')}
          value={f.school ? Number(f.school) : undefined}
          onChange={(v) => set({ school: v }, { resetPage: true })}
          options={(round.data?.schools ?? []).map((s) => ({ value: s.id, label: s.name }))}
        />
        <Button
          icon={<Icon name="download" />}
          href={exportUrl}
          disabled={!exportUrl}
          data-testid="appeals-export"
        >
          {t('common.exportXlsx')}
        </Button>
        {list.data && (
          <Typography.Text type="secondary" data-testid="appeals-counts">
            {t('appeal.counts', list.data.byStatus)}
          </Typography.Text>
        )}
      </Flex>
      {list.error && <ErrorAlert error={list.error} />}
      <Table<Row>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.rows}
        scroll={{ x: true }}
        pagination={{
          current: Number(f.page ?? 1),
          pageSize: 50,
          total: list.data?.total,
          showSizeChanger: false,
          onChange: (p) => set({ page: p }),
          showTotal: (n) => t('common.total', { n }),
        }}
        columns={[
          { title: t('adm.applicationNo'), dataIndex: 'applicationNo' },
          { title: t('adm.childName'), dataIndex: 'childName' },
          { title: t('adm.idNumber'), dataIndex: 'idNumber' },
          { title: t('appeal.status'), render: (_, r) => <AppealStatusTag status={r.status} /> },
          { title: t('appeal.submittedAt'), render: (_, r) => formatInstant(r.submittedAt) },
          { title: t('appeal.currentResult'), render: (_, r) => result(r.result) },
          { title: t('appeal.desiredShort'), render: (_, r) => r.desiredSchool?.name ?? '—' },
          {
            title: t('common.actions'),
            render: (_, r) => (
              <Button
                size="small"
                onClick={() => setOpen(r.id)}
                data-testid={`open-appeal-${r.applicationNo}`}
              >
                {t('appeal.open')}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={open !== null}
        onClose={() => setOpen(null)}
        size="large"
        title={t('appeal.detail')}
        destroyOnHidden
      >
        {open !== null && <Decide id={open} onDone={() => setOpen(null)} />}
      </Drawer>
    </>
  );
}

function Decide({ id, onDone }: { id: number; onDone: () => void }) {
  const { t } = useLang();
  const client = useQueryClient();
  const appeal = useAppeal(id);
  const [school, setSchool] = useState<number>();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (body: AppealDecisionBody) =>
      api.post<AppealView>(`/api/admissions/appeals/${id}/decision`, body),
    // Close first: refetching the open appeal would be a second (audited) read nobody asked for.
    onSuccess: async () => {
      onDone();
      client.removeQueries({ queryKey: ['adm', 'appeal', id] });
      await client.invalidateQueries({ queryKey: ['adm', 'appeals'] });
    },
  });
  if (appeal.error) return <ErrorAlert error={appeal.error} />;
  if (!appeal.data) return <Loading />;
  const a = appeal.data;
  const current = a.result.school
    ? `${a.result.school.name}（${a.result.by ? t(`placedBy.${a.result.by}`) : ''}）`
    : t('appeal.unplaced');
  return (
    <Flex vertical gap={12}>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('adm.applicationNo')}>{a.applicationNo}</Descriptions.Item>
        <Descriptions.Item label={t('adm.childName')}>{a.childName}</Descriptions.Item>
        <Descriptions.Item label={t('adm.idNumber')}>{a.idNumber}</Descriptions.Item>
        <Descriptions.Item label={t('adm.community')}>{a.communityName}</Descriptions.Item>
        <Descriptions.Item label={t('adm.choices')}>
          {a.choices.map((c) => c.name).join('、')}
        </Descriptions.Item>
        <Descriptions.Item label={t('appeal.currentResult')}>{current}</Descriptions.Item>
        <Descriptions.Item label={t('appeal.status')}>
          <AppealStatusTag status={a.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('appeal.reason')}>
          <span data-testid="appeal-detail-reason">{a.reason}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('appeal.desiredShort')}>{a.desiredSchool?.name ?? '—'}</Descriptions.Item>
        {a.decidedAt && (
          <Descriptions.Item label={t('appeal.decision')}>
            {a.decisionReason}（{a.decidedBy} · {formatInstant(a.decidedAt)}）
          </Descriptions.Item>
        )}
      </Descriptions>
      <Card size="small" title={t('appeal.seats')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={a.seats}
          columns={[
            { title: t('adm.school'), dataIndex: 'name' },
            { title: t('appeal.planned'), dataIndex: 'planned' },
            { title: t('appeal.placedCount'), dataIndex: 'placed' },
            { title: t('appeal.left'), dataIndex: 'left' },
          ]}
        />
      </Card>
      {decide.error && (
        <Alert type="error" showIcon title={decide.error.message} data-testid="appeal-decision-error" />
      )}
      {a.status === 'submitted' && (
        <Card size="small">
          <Flex vertical gap={8}>
            <Select
              style={{ width: '100%' }}
              placeholder={t('appeal.school')}
              value={school ?? a.desiredSchool?.id}
              onChange={setSchool}
              options={a.seats.map((s) => ({
                value: s.id,
                label:
                  s.left > 0
                    ? t('appeal.seatsLeft', { name: s.name, n: s.left })
                    : t('appeal.noSeats', { name: s.name }),
                disabled: s.left <= 0,
              }))}
              aria-label={t('appeal.school')}
              data-testid="appeal-grant-school"
            />
            <Input.TextArea
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              placeholder={t('appeal.grantReason')}
              maxLength={1000}
              rows={3}
              data-testid="appeal-decision-input"
            />
            <Flex gap={8}>
              <Button
                type="primary"
                loading={decide.isPending}
                disabled={(school ?? a.desiredSchool?.id) === undefined}
                onClick={() =>
                  decide.mutate({ decision: 'grant', schoolId: (school ?? a.desiredSchool?.id)!, reason })
                }
                data-testid="appeal-grant"
              >
                {t('appeal.grant')}
              </Button>
              <Button
                danger
                loading={decide.isPending}
                onClick={() => decide.mutate({ decision: 'refuse', reason })}
                data-testid="appeal-refuse"
              >
                {t('appeal.refuse')}
              </Button>
            </Flex>
          </Flex>
        </Card>
      )}
    </Flex>
  );
}
