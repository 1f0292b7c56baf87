import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Radio, Select, Space, Switch, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useMyApplication, useRoundOptions } from '../../api/admissions-queries.ts';
import { api, isApiFailure } from '../../api/client.ts';
import type { ApplicationInputBody, ApplicationView, RoundOptions } from '../../api/types.ts';
import { ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { ParentFrame, RequireParent } from './parent-layout.tsx';
import '../../i18n/messages/admissions.ts';

type Fields = Omit<ApplicationInputBody, 'choices'> & { choices: number[] | number };

/** A random key made once per form: a retried or double-clicked submit sends the same one. */
function newClientKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** /parent/apply/:roundId (new) and /parent/applications/:id/edit: the application form. */
export default function ParentApplyPage() {
  const { t } = useLang();
  const { roundId, id } = useParams();
  return (
    <RequireParent>
      {(me) => (
        <ParentFrame title={t(id ? 'adm.editTitle' : 'adm.applyTitle')} me={me}>
          {id ? <EditApplication id={Number(id)} /> : <ApplyForm roundId={Number(roundId)} />}
        </ParentFrame>
      )}
    </RequireParent>
  );
}

function EditApplication({ id }: { id: number }) {
  const app = useMyApplication(id);
  if (app.error) return <ErrorAlert error={app.error} />;
  if (!app.data) return <Loading />;
  return <ApplyForm roundId={app.data.roundId} existing={app.data} />;
}

/** The server names the field of a refusal (child.idNumber, choices[0], …): show it under that field. */
const fieldOf = (e: unknown) => (isApiFailure(e) && e.field ? e.field.replace(/\[\d+\]$/, '') : null);

function ApplyForm({ roundId, existing }: { roundId: number; existing?: ApplicationView }) {
  const { t, pick } = useLang();
  const options = useRoundOptions(roundId);
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form] = Form.useForm<Fields>();
  const [clientKey] = useState(newClientKey);
  const community = Form.useWatch('communityCode', form);
  const save = useMutation({
    mutationFn: (v: Fields) => {
      const body = { ...v, choices: Array.isArray(v.choices) ? v.choices : [v.choices] };
      return existing
        ? api.put<ApplicationView>(`/api/admissions/my/applications/${existing.id}`, body)
        : api.post<ApplicationView>('/api/admissions/my/applications', { ...body, roundId, clientKey });
    },
    onSuccess: (a) => {
      void client.invalidateQueries({ queryKey: ['adm'] });
      navigate(`/parent/applications/${a.id}`, { replace: true });
    },
  });
  const o = options.data;
  const schools = useMemo(() => {
    if (!o) return [];
    const served = o.communities.find((c) => c.code === community)?.schoolIds ?? [];
    return o.schools.filter((s) => s.ownership === 'private' || served.includes(s.id));
  }, [o, community]);
  if (options.error) return <ErrorAlert error={options.error} />;
  if (!o) return <Loading />;
  const bad = (name: string) =>
    fieldOf(save.error) === name ? { validateStatus: 'error' as const, help: save.error?.message } : {};
  const initial: Partial<Fields> = existing
    ? {
        child: { idNumber: existing.child.idNumber, name: existing.child.name },
        communityCode: existing.communityCode,
        facts: existing.facts,
        propertyNo: existing.propertyNo,
        guardian: existing.guardian,
        consent: false,
        category: existing.claimedCategory,
        choices: o.choices.maxTotal === 1 ? existing.choices[0]?.id : existing.choices.map((c) => c.id),
      }
    : {
        facts: { localHukou: false, hukouAtProperty: false, hasProperty: false, residencePermit: false },
        guardian: { name: '', relation: 'mother' },
        consent: false,
      };
  const req = (field: string) => [{ required: true, message: t('adm.required', { field }) }];
  return (
    <Form<Fields>
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={initial}
      onFinish={(v) => save.mutate(v)}
    >
      <Typography.Paragraph type="secondary">
        {o.name} · {t('adm.deadline', { time: o.deadline })}
      </Typography.Paragraph>
      {save.error &&
        !fieldOf(save.error)?.match(/^(child|community|category|choices|consent|propertyNo|guardian)/) && (
          <Alert type="error" showIcon title={save.error.message} style={{ marginBottom: 12 }} />
        )}
      <Card size="small" title={t('adm.child')} style={{ marginBottom: 12 }}>
        <Form.Item
          name={['child', 'name']}
          label={t('adm.childName')}
          rules={req(t('adm.childName'))}
          {...bad('child.name')}
        >
          <Input size="large" maxLength={30} data-testid="child-name" />
        </Form.Item>
        <Form.Item
          name={['child', 'idNumber']}
          label={t('adm.idNumber')}
          extra={t('adm.idHelp', { from: o.ageWindow.bornFrom, to: o.ageWindow.bornTo })}
          rules={req(t('adm.idNumber'))}
          {...bad('child.idNumber')}
        >
          <Input size="large" maxLength={18} autoComplete="off" data-testid="child-id" />
        </Form.Item>
      </Card>
      <Card size="small" title={t('adm.situation')} style={{ marginBottom: 12 }}>
        <Form.Item
          name="communityCode"
          label={t('adm.community')}
          rules={req(t('adm.community'))}
          {...bad('communityCode')}
        >
          <Select
            size="large"
            showSearch={{ optionFilterProp: 'label' }}
            options={o.communities.map((c) => ({ value: c.code, label: c.name }))}
            data-testid="community"
          />
        </Form.Item>
        {(['localHukou', 'hasProperty', 'hukouAtProperty', 'residencePermit'] as const).map((f) => (
          <Form.Item
            key={f}
            name={['facts', f]}
            label={t(`adm.${f}`)}
            valuePropName="checked"
            style={{ marginBottom: 8 }}
          >
            <Switch data-testid={`fact-${f}`} />
          </Form.Item>
        ))}
        <Form.Item name="propertyNo" label={t('adm.propertyNo')} {...bad('propertyNo')}>
          <Input size="large" maxLength={80} data-testid="property-no" />
        </Form.Item>
      </Card>
      <Card size="small" title={t('adm.category')} style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary">{t('adm.categoryHelp')}</Typography.Paragraph>
        <Form.Item name="category" rules={req(t('adm.category'))} {...bad('category')}>
          <Radio.Group>
            <Space direction="vertical">
              {o.categories.map((c) => (
                <Radio key={c.code} value={c.code} data-testid={`category-${c.code}`}>
                  <b>{pick(c.label)}</b>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('adm.proofs', { list: proofList(o, c.proofs, pick, t('adm.or')) })}
                    </Typography.Text>
                  </div>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
      </Card>
      <Card size="small" title={t('adm.choices')} style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary">
          {t('adm.choicesHelp', {
            pub: o.choices.maxPublic,
            pri: o.choices.maxPrivate,
            total: o.choices.maxTotal,
          })}
        </Typography.Paragraph>
        <Form.Item name="choices" rules={req(t('adm.choices'))} {...bad('choices')}>
          {o.choices.maxTotal === 1 ? (
            <Radio.Group>
              <Space direction="vertical">
                {schools.map((s) => (
                  <Radio key={s.id} value={s.id} data-testid={`choice-${s.code}`}>
                    {s.name}{' '}
                    <Typography.Text type="secondary">
                      {t(s.ownership === 'private' ? 'adm.private' : 'adm.public')}
                    </Typography.Text>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
          ) : (
            <Select
              size="large"
              mode="multiple"
              maxCount={o.choices.maxTotal}
              options={schools.map((s) => ({ value: s.id, label: s.name }))}
            />
          )}
        </Form.Item>
      </Card>
      <Card size="small" title={t('adm.guardian')} style={{ marginBottom: 12 }}>
        <Form.Item
          name={['guardian', 'name']}
          label={t('adm.guardianName')}
          rules={req(t('adm.guardianName'))}
          {...bad('guardian.name')}
        >
          <Input size="large" maxLength={30} data-testid="guardian-name" />
        </Form.Item>
        <Form.Item name={['guardian', 'relation']} label={t('adm.relation')}>
          <Select
            size="large"
            options={(['father', 'mother', 'grandparent', 'other'] as const).map((r) => ({
              value: r,
              label: t(`adm.relation.${r}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="consent"
          valuePropName="checked"
          rules={[
            {
              validator: (_, v) =>
                v ? Promise.resolve() : Promise.reject(new Error(t('adm.consentRequired'))),
            },
          ]}
          {...bad('consent')}
        >
          <Checkbox data-testid="consent">{t('adm.consent')}</Checkbox>
        </Form.Item>
      </Card>
      <Button
        type="primary"
        htmlType="submit"
        block
        size="large"
        loading={save.isPending}
        data-testid="submit-application"
      >
        {t(existing ? 'adm.save' : 'adm.submit')}
      </Button>
    </Form>
  );
}

/** "户口簿、不动产权证书或网签购房合同、…" from a category's proofs. */
export function proofList(
  o: Pick<RoundOptions, 'docTypes'>,
  proofs: string[][],
  pick: (x: { zh: string; en: string }) => string,
  or: string,
): string {
  const label = (code: string) =>
    pick(o.docTypes.find((d) => d.code === code)?.label ?? { zh: code, en: code });
  return proofs.map((p) => p.map(label).join(or)).join(pick({ zh: '、', en: ', ' }));
}
