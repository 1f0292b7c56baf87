import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useRound } from '../../api/admissions-queries.ts';
import { api } from '../../api/client.ts';
import { useCounties } from '../../api/queries.ts';
import type { RoundView } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading } from '../../components/states.tsx';
import { useSearchState } from '../../components/use-search-state.ts';
import { useLang } from '../../i18n/lang.tsx';
import { useRoundChoice } from './round-picker.tsx';
import '../../i18n/messages/admissions.ts';

interface Problem {
  field: string;
  message: string;
}

/** Round setup: a draft from the Henan template, its rules edited as JSON and validated, then opened. */
export default function AdmissionRoundsPage() {
  const { t } = useLang();
  const { roundId, picker } = useRoundChoice();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState(false);
  const round = useRound(roundId);
  return (
    <>
      <PageHeader
        title={t('adm.roundsTitle')}
        sub={t('adm.roundsSub')}
        extra={
          <>
            {picker}
            <Button onClick={() => setResetting(true)}>{t('adm.resetParent')}</Button>
            <Button type="primary" onClick={() => setCreating(true)} data-testid="new-round">
              {t('adm.newRound')}
            </Button>
          </>
        }
      />
      {!roundId && <EmptyState description={t('adm.noRoundsYet')} />}
      {round.error && <ErrorAlert error={round.error} />}
      {roundId && !round.data && !round.error && <Loading />}
      {round.data && <RoundEditor key={`${round.data.id}-${round.data.status}`} round={round.data} />}
      <NewRoundModal open={creating} onClose={() => setCreating(false)} />
      <ResetParentModal open={resetting} onClose={() => setResetting(false)} />
    </>
  );
}

function NewRoundModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useLang();
  const counties = useCounties();
  const client = useQueryClient();
  const [, set] = useSearchState(['round'] as const);
  const [form] = Form.useForm<{
    countyCode: string;
    year: number;
    stage: 'primary' | 'junior';
    name: string;
  }>();
  const create = useMutation({
    mutationFn: async (v: {
      countyCode: string;
      year: number;
      stage: 'primary' | 'junior';
      name: string;
    }) => {
      const { rules } = await api.get<{ rules: unknown }>('/api/admissions/rules/template', { year: v.year });
      return api.post<RoundView>('/api/admissions/rounds', { ...v, rules });
    },
    onSuccess: async (r) => {
      await client.invalidateQueries({ queryKey: ['adm'] });
      set({ round: r.id });
      onClose();
    },
  });
  return (
    <Modal
      open={open}
      title={t('adm.newRound')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {create.error && (
        <Alert type="error" showIcon title={create.error.message} style={{ marginBottom: 12 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ year: new Date().getFullYear(), stage: 'primary', countyCode: counties[0]?.code }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item name="countyCode" label={t('adm.county')} rules={[{ required: true }]}>
          <Select options={counties.map((c) => ({ value: c.code, label: c.name }))} />
        </Form.Item>
        <Form.Item name="year" label={t('adm.year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item name="stage" label={t('adm.stage')}>
          <Select
            options={(['primary', 'junior'] as const).map((s) => ({ value: s, label: t(`adm.stage.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('adm.roundName')} rules={[{ required: true }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResetParentModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useLang();
  const [phone, setPhone] = useState('');
  const reset = useMutation({
    mutationFn: () =>
      api.post<{ temporaryPassword: string }>('/api/admissions/parents/reset-password', {
        phone: phone.trim(),
      }),
  });
  return (
    <Modal
      open={open}
      title={t('adm.resetParent')}
      onCancel={onClose}
      onOk={() => reset.mutate()}
      confirmLoading={reset.isPending}
      afterClose={() => {
        setPhone('');
        reset.reset();
      }}
    >
      <Typography.Paragraph type="secondary">{t('adm.resetParentHelp')}</Typography.Paragraph>
      <Input
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        placeholder={t('adm.phone')}
        maxLength={11}
      />
      {reset.error && <Alert type="error" showIcon title={reset.error.message} style={{ marginTop: 12 }} />}
      {reset.data && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 12 }}
          title={
            <span>
              {t('adm.temporaryPassword')}{' '}
              <Typography.Text code copyable>
                {reset.data.temporaryPassword}
              </Typography.Text>
            </span>
          }
        />
      )}
    </Modal>
  );
}

function RoundEditor({ round }: { round: RoundView }) {
  const { t } = useLang();
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const [text, setText] = useState(() => JSON.stringify(round.rules, null, 2));
  const [problems, setProblems] = useState<Problem[] | null>(null);
  const draft = round.status === 'draft';
  const parsed = (): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      setProblems([{ field: 'rules', message: t('adm.badJson') }]);
      return undefined;
    }
  };
  const refresh = () => client.invalidateQueries({ queryKey: ['adm'] });
  const validate = useMutation({
    mutationFn: (rules: unknown) =>
      api.post<{ problems: Problem[] }>('/api/admissions/rules/validate', { rules }),
    onSuccess: (r) => setProblems(r.problems),
  });
  const save = useMutation({
    mutationFn: (rules: unknown) => api.put<RoundView>(`/api/admissions/rounds/${round.id}`, { rules }),
    onSuccess: () => {
      message.success(t('common.save'));
      void refresh();
    },
  });
  const step = useMutation({
    mutationFn: (verb: 'open' | 'close') => api.post<RoundView>(`/api/admissions/rounds/${round.id}/${verb}`),
    onSuccess: () => void refresh(),
  });
  const error = save.error ?? step.error ?? validate.error;
  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Flex wrap gap={8} align="center">
          <Tag color={draft ? 'default' : 'processing'} data-testid="round-status">
            {t(`adm.roundStatus.${round.status}`)}
          </Tag>
          <span>
            {round.countyName} · {t(`adm.stage.${round.stage}`)} ·{' '}
            {t('adm.deadline', { time: round.deadline })}
          </span>
          <Typography.Text type="secondary">{t('adm.communities', { n: round.communities })}</Typography.Text>
          {round.rulesDigest && (
            <Typography.Text type="secondary" copyable={{ text: round.rulesDigest }}>
              {t('adm.digest')} {round.rulesDigest.slice(0, 16)}…
            </Typography.Text>
          )}
          <div style={{ flex: 1 }} />
          {draft && (
            <Button
              type="primary"
              loading={step.isPending}
              onClick={() =>
                modal.confirm({
                  title: t('adm.open'),
                  content: t('adm.openConfirm'),
                  onOk: () => step.mutateAsync('open'),
                })
              }
              data-testid="open-round"
            >
              {t('adm.open')}
            </Button>
          )}
          {round.status === 'open' && (
            <Button onClick={() => step.mutate('close')} loading={step.isPending}>
              {t('adm.close')}
            </Button>
          )}
        </Flex>
        {error && <Alert type="error" showIcon title={error.message} style={{ marginTop: 12 }} />}
        {draft && round.problems.length > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 12 }}
            title={t('adm.problems')}
            description={
              <List
                size="small"
                dataSource={round.problems}
                renderItem={(p) => (
                  <List.Item>
                    <code>{p.field}</code> {p.message}
                  </List.Item>
                )}
              />
            }
          />
        )}
      </Card>
      <Card
        size="small"
        title={t('adm.rules')}
        extra={<Typography.Text type="secondary">{t('adm.rulesHelp')}</Typography.Text>}
      >
        <Input.TextArea
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setProblems(null);
          }}
          readOnly={!draft}
          autoSize={{ minRows: 12, maxRows: 30 }}
          style={{ fontFamily: 'monospace', fontSize: 12 }}
          data-testid="rules-json"
        />
        {problems && (
          <Alert
            style={{ marginTop: 8 }}
            type={problems.length ? 'error' : 'success'}
            showIcon
            title={problems.length ? undefined : t('adm.valid')}
            description={
              problems.length
                ? problems.map((p) => (
                    <div key={p.field + p.message}>
                      <code>{p.field}</code> {p.message}
                    </div>
                  ))
                : undefined
            }
            data-testid="rules-problems"
          />
        )}
        {draft && (
          <Flex gap={8} style={{ marginTop: 8 }}>
            <Button
              onClick={() => {
                const r = parsed();
                if (r !== undefined) validate.mutate(r);
              }}
            >
              {t('adm.validate')}
            </Button>
            <Button
              type="primary"
              loading={save.isPending}
              onClick={() => {
                const r = parsed();
                if (r !== undefined) save.mutate(r);
              }}
            >
              {t('adm.saveDraft')}
            </Button>
          </Flex>
        )}
      </Card>
      <Card size="small" title={t('adm.schools')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          dataSource={round.schools}
          columns={[
            { title: t('adm.school'), dataIndex: 'name' },
            {
              title: t('adm.public'),
              dataIndex: 'ownership',
              render: (o: string) => t(o === 'private' ? 'adm.private' : 'adm.public'),
            },
            { title: t('adm.planned'), dataIndex: 'planned', align: 'right' },
            { title: t('adm.reserved'), dataIndex: 'reserved', align: 'right' },
            { title: t('adm.capacity'), dataIndex: 'capacity', align: 'right' },
          ]}
        />
      </Card>
    </Flex>
  );
}
