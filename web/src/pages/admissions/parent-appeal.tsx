import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Input, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { AppealBody, FamilyAppealView } from '../../../../src/server/admissions-appeal-contracts.ts';
import { useMyAppeal } from '../../api/appeal-queries.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { formatInstant } from '../../time.ts';
import '../../i18n/messages/admissions-appeals.ts';

const STATUS_COLORS: Record<FamilyAppealView['status'], string> = {
  submitted: 'processing',
  granted: 'success',
  refused: 'error',
  withdrawn: 'default',
};

export function AppealStatusTag({ status }: { status: FamilyAppealView['status'] }) {
  const { t } = useLang();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="appeal-status">
      {t(`appeal.status.${status}`)}
    </Tag>
  );
}

/**
 * The family's appeal 申诉 on its status page: nothing to do before publication; then the window,
 * the form (reason, an optional wished-for school) while it is open and the application took part
 * in the draw (the server's `canAppeal`), and the appeal with the clerk's decision and reason once made.
 */
export function ParentAppeal({ applicationId }: { applicationId: number }) {
  const { t } = useLang();
  const { modal } = App.useApp();
  const client = useQueryClient();
  const mine = useMyAppeal(applicationId);
  const [reason, setReason] = useState('');
  const [desired, setDesired] = useState<number | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ['adm'] });
  const submit = useMutation({
    mutationFn: (body: AppealBody) =>
      api.post(`/api/admissions/my/applications/${applicationId}/appeal`, body),
    onSuccess: async () => {
      setReason('');
      setDesired(null);
      await refresh();
    },
  });
  const withdraw = useMutation({
    mutationFn: (id: number) => api.post(`/api/admissions/my/appeals/${id}/withdraw`),
    onSuccess: refresh,
  });
  if (mine.error) return <ErrorAlert error={mine.error} />;
  if (!mine.data) return <Loading />;
  const { window: w, appeal, inDraw, canAppeal, schools } = mine.data;
  if (!w.publishedAt) return null;
  const live = appeal && appeal.status !== 'withdrawn' ? appeal : null;
  return (
    <Card size="small" title={t('appeal.title')} data-testid="appeal-card">
      <Typography.Paragraph type="secondary" data-testid="appeal-window">
        {w.open ? t('appeal.window', { date: w.closesOn }) : t('appeal.windowClosed', { date: w.closesOn })}
      </Typography.Paragraph>
      {!inDraw && !live && (
        // The server refuses such an appeal (admissions.appeal_not_in_draw): say why, offer no form.
        <Typography.Paragraph data-testid="appeal-not-in-draw">{t('appeal.notInDraw')}</Typography.Paragraph>
      )}
      {live && (
        <Flex vertical gap={8}>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('appeal.status')}>
              <AppealStatusTag status={live.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('appeal.reason')}>{live.reason}</Descriptions.Item>
            {live.desiredSchool && (
              <Descriptions.Item label={t('appeal.desiredShort')}>
                {live.desiredSchool.name}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('appeal.submittedAt')}>
              {formatInstant(live.submittedAt)}
            </Descriptions.Item>
          </Descriptions>
          {live.decidedAt && (
            <Alert
              type={live.status === 'granted' ? 'success' : 'error'}
              showIcon
              data-testid="appeal-decision"
              title={
                live.status === 'granted' && live.placedSchool
                  ? `${t('appeal.status.granted')}：${t('appeal.placed')} ${live.placedSchool.name}`
                  : t(`appeal.status.${live.status}`)
              }
              description={
                <>
                  <div data-testid="appeal-decision-reason">
                    {t('appeal.decisionReason')}：{live.decisionReason}
                  </div>
                  <Typography.Text type="secondary">{formatInstant(live.decidedAt)}</Typography.Text>
                </>
              }
            />
          )}
          {live.status === 'submitted' && (
            <Button
              danger
              size="large"
              block
              loading={withdraw.isPending}
              onClick={() =>
                modal.confirm({
                  title: t('appeal.withdraw'),
                  content: t('appeal.withdrawConfirm'),
                  onOk: () => withdraw.mutateAsync(live.id),
                })
              }
              data-testid="appeal-withdraw"
            >
              {t('appeal.withdraw')}
            </Button>
          )}
        </Flex>
      )}
      {canAppeal && (
        <Flex vertical gap={8}>
          <Input.TextArea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t('appeal.reasonHelp')}
            aria-label={t('appeal.reason')}
            maxLength={1000}
            rows={4}
            data-testid="appeal-reason"
          />
          <Select
            size="large"
            allowClear
            placeholder={t('appeal.desired')}
            value={desired ?? undefined}
            onChange={(v) => setDesired(v ?? null)}
            options={schools.map((s) => ({ value: s.id, label: s.name }))}
            data-testid="appeal-school"
          />
          {submit.error && (
            <Alert type="error" showIcon title={submit.error.message} data-testid="appeal-error" />
          )}
          <Button
            type="primary"
            size="large"
            block
            loading={submit.isPending}
            onClick={() => submit.mutate({ reason, desiredSchoolId: desired })}
            data-testid="appeal-submit"
          >
            {t('appeal.submit')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}
