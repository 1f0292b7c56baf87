import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, List, Select, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMyApplication, useRoundOptions } from '../../api/admissions-queries.ts';
import { api } from '../../api/client.ts';
import type { ApplicationView } from '../../api/types.ts';
import { Icon } from '../../components/icons.tsx';
import { ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { formatInstant } from '../../time.ts';
import { ParentAppeal } from './parent-appeal.tsx';
import { proofList } from './parent-apply-page.tsx';
import { ParentDrawCard } from './parent-draw-card.tsx';
import { ParentFrame, RequireParent } from './parent-layout.tsx';
import { ParentResult } from './parent-result.tsx';
import '../../i18n/messages/admissions.ts';

const STATUS_COLORS: Record<ApplicationView['status'], string> = {
  submitted: 'processing',
  returned: 'error',
  approved: 'success',
  withdrawn: 'default',
};

export function StatusTag({ status }: { status: ApplicationView['status'] }) {
  const { t } = useLang();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="application-status">
      {t(`adm.status.${status}`)}
    </Tag>
  );
}

/** /parent/applications/:id: status, the clerk's reasons, the photos still needed, edit and withdraw. */
export default function ParentStatusPage() {
  const { t } = useLang();
  const { id } = useParams();
  return (
    <RequireParent>
      {(me) => (
        <ParentFrame title={t('adm.statusTitle')} me={me}>
          <Status id={Number(id)} />
        </ParentFrame>
      )}
    </RequireParent>
  );
}

function Status({ id }: { id: number }) {
  const { t, pick } = useLang();
  const { modal } = App.useApp();
  const client = useQueryClient();
  const app = useMyApplication(id);
  const options = useRoundOptions(app.data?.roundId);
  const [docType, setDocType] = useState<string>();
  const refresh = () => client.invalidateQueries({ queryKey: ['adm'] });
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api.upload(`/api/admissions/my/applications/${id}/documents?docType=${docType}`, form);
    },
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (doc: number) => api.delete(`/api/admissions/my/documents/${doc}`),
    onSuccess: refresh,
  });
  const withdraw = useMutation({
    mutationFn: () => api.post(`/api/admissions/my/applications/${id}/withdraw`),
    onSuccess: refresh,
  });
  if (app.error) return <ErrorAlert error={app.error} />;
  if (!app.data || !options.data) return <Loading />;
  const a = app.data;
  const o = options.data;
  const docLabel = (code: string) =>
    pick(o.docTypes.find((d) => d.code === code)?.label ?? { zh: code, en: code });
  const category = (code: string | null) =>
    code ? pick(o.categories.find((c) => c.code === code)?.label ?? { zh: code, en: code }) : '—';
  return (
    <Flex vertical gap={12}>
      <Card size="small">
        <Descriptions column={1} size="small">
          <Descriptions.Item label={t('adm.applicationNo')}>
            <span data-testid="application-no">{a.applicationNo}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('adm.status')}>
            <StatusTag status={a.status} />
          </Descriptions.Item>
          <Descriptions.Item label={t('adm.childName')}>{a.child.name}</Descriptions.Item>
          <Descriptions.Item label={t('adm.community')}>{a.communityName}</Descriptions.Item>
          <Descriptions.Item label={t('adm.category')}>{category(a.claimedCategory)}</Descriptions.Item>
          {a.approvedCategory && (
            <Descriptions.Item label={t('adm.approvedAs')}>{category(a.approvedCategory)}</Descriptions.Item>
          )}
          <Descriptions.Item label={t('adm.choices')}>
            {a.choices.map((c) => c.name).join('、')}
          </Descriptions.Item>
          <Descriptions.Item label={t('adm.deadline', { time: '' })}>{o.deadline}</Descriptions.Item>
        </Descriptions>
        {a.returnReason && (
          <Alert
            type="error"
            showIcon
            title={t('adm.returnReason')}
            description={a.returnReason}
            data-testid="return-reason"
          />
        )}
      </Card>

      <Card size="small" title={t('adm.documents')}>
        {a.missingProofs.length > 0 ? (
          <Alert
            type="warning"
            showIcon
            title={`${t('adm.missing')}：${proofList(o, a.missingProofs, pick, t('adm.or'))}`}
            style={{ marginBottom: 8 }}
            data-testid="missing-proofs"
          />
        ) : (
          <Alert type="success" showIcon title={t('adm.noneMissing')} style={{ marginBottom: 8 }} />
        )}
        <List
          size="small"
          dataSource={a.documents}
          renderItem={(d) => (
            <List.Item
              actions={
                a.editable
                  ? [
                      <Button key="x" size="small" danger onClick={() => remove.mutate(d.id)}>
                        {t('adm.deletePhoto')}
                      </Button>,
                    ]
                  : []
              }
            >
              <a href={`/api/admissions/my/documents/${d.id}`} target="_blank" rel="noreferrer">
                {docLabel(d.docType)}
              </a>
              <Typography.Text type="secondary"> {Math.ceil(d.size / 1024)} KB</Typography.Text>
            </List.Item>
          )}
        />
        {a.editable && (
          <Flex vertical gap={8} style={{ marginTop: 8 }}>
            <Select
              size="large"
              placeholder={t('adm.docType')}
              value={docType}
              onChange={setDocType}
              options={o.docTypes.map((d) => ({ value: d.code, label: pick(d.label) }))}
              data-testid="doc-type"
            />
            <Upload
              accept="image/jpeg,image/png"
              showUploadList={false}
              disabled={!docType}
              beforeUpload={(file) => {
                upload.mutate(file);
                return false;
              }}
            >
              <Button
                icon={<Icon name="upload" />}
                size="large"
                block
                disabled={!docType}
                loading={upload.isPending}
                data-testid="upload-photo"
              >
                {t('adm.upload')}
              </Button>
            </Upload>
            <Typography.Text type="secondary">
              {t('adm.uploadHelp', { mb: (o.maxBytes / 1024 / 1024).toFixed(1) })}
            </Typography.Text>
            {upload.error && <Alert type="error" showIcon title={upload.error.message} />}
          </Flex>
        )}
      </Card>

      {a.decisions.length > 0 && (
        <Card size="small" title={t('adm.history')}>
          <List
            size="small"
            dataSource={a.decisions}
            renderItem={(d) => (
              <List.Item>
                <Tag color={d.decision === 'approve' ? 'success' : 'error'}>
                  {t(`adm.decision.${d.decision}`)}
                </Tag>
                {d.reason ?? category(d.category)}
                <Typography.Text type="secondary"> {formatInstant(d.decidedAt)}</Typography.Text>
              </List.Item>
            )}
          />
        </Card>
      )}

      <ParentDrawCard roundId={a.roundId} draw={o.draw} />
      <ParentResult applicationId={a.id} />
      {a.editable && (
        <Flex vertical gap={8}>
          <Link to={`/parent/applications/${a.id}/edit`}>
            <Button type="primary" size="large" block data-testid="edit-application">
              {a.status === 'returned' ? t('adm.save') : t('adm.edit')}
            </Button>
          </Link>
          {a.status !== 'withdrawn' && (
            <Button
              danger
              size="large"
              block
              loading={withdraw.isPending}
              onClick={() =>
                modal.confirm({
                  title: t('adm.withdraw'),
                  content: t('adm.withdrawConfirm'),
                  onOk: () => withdraw.mutateAsync(),
                })
              }
            >
              {t('adm.withdraw')}
            </Button>
          )}
        </Flex>
      )}
      <ParentAppeal applicationId={a.id} />
      <Link to="/parent/home">{t('common.back')}</Link>
    </Flex>
  );
}
