import { Button, Card, Form, Input, InputNumber, Select } from 'antd';
import { useNavigate } from 'react-router';
import { isApiFailure } from '../../api/client.ts';
import { useCreateRun } from '../../api/forecast-queries.ts';
import { useCurrentUser, useRegions } from '../../api/queries.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ErrorAlert } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import '../../i18n/messages/forecast.ts';

interface Fields {
  name: string;
  region: string;
  horizon: number;
  window: number;
  areas?: 'county' | 'township' | 'catchment';
}

const FIELDS = ['name', 'region', 'horizon', 'window', 'areas'] as const;

/** The form field a server error names: `body.name`, or the store's own `--region`, `--areas`. */
function fieldOf(e: unknown): keyof Fields | null {
  const f = isApiFailure(e) && e.field ? e.field.replace(/^(body\.|--)/, '') : null;
  return f && (FIELDS as readonly string[]).includes(f) ? (f as keyof Fields) : null;
}

/** Starts a forecast run (POST /api/forecast/runs) and opens its flag table when it is saved. */
export default function NewForecastRunPage() {
  const { t } = useLang();
  const me = useCurrentUser();
  const navigate = useNavigate();
  const [form] = Form.useForm<Fields>();
  const regions = useRegions();
  const create = useCreateRun();
  // The city (or the one county) the user works for, then its counties.
  const options = (regions.data ?? [])
    .filter((r) => r.level === 'city' || r.level === 'county')
    .map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }));
  const required = (field: string) => [{ required: true, message: t('fc.new.required', { field }) }];

  async function submit(v: Fields) {
    try {
      const run = await create.mutateAsync({ ...v, name: v.name.trim() });
      navigate(`/forecast/runs/${run.id}`);
    } catch (e) {
      const field = fieldOf(e);
      if (field) form.setFields([{ name: field, errors: [(e as Error).message] }]);
    }
  }

  const failure = create.error;
  const shownOnField = fieldOf(failure) !== null;
  return (
    <>
      <PageHeader title={t('fc.new.title')} sub={t('fc.new.sub')} />
      <Card style={{ maxWidth: 640 }}>
        {failure && !shownOnField && (
          <div style={{ marginBottom: 16 }}>
            <ErrorAlert error={failure} />
          </div>
        )}
        <Form<Fields>
          form={form}
          layout="vertical"
          initialValues={{ region: me.regionCode ?? undefined, horizon: 10, window: 3 }}
          onFinish={(v) => void submit(v)}
          disabled={create.isPending}
          data-testid="new-run-form"
        >
          <Form.Item name="name" label={t('fc.name')} rules={required(t('fc.name'))}>
            <Input maxLength={100} data-testid="run-name" />
          </Form.Item>
          <Form.Item name="region" label={t('fc.region')} rules={required(t('fc.region'))}>
            <Select
              options={options}
              loading={regions.isPending}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
          <Form.Item
            name="horizon"
            label={t('fc.horizon')}
            extra={t('fc.new.horizonHelp')}
            rules={required(t('fc.horizon'))}
          >
            <InputNumber min={1} max={30} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item
            name="window"
            label={t('fc.window')}
            extra={t('fc.new.windowHelp')}
            rules={required(t('fc.window'))}
          >
            <InputNumber min={1} max={10} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="areas" label={t('fc.areaLevel')} extra={t('fc.new.areasHelp')}>
            <Select
              allowClear
              placeholder={t('fc.new.default')}
              options={(['county', 'township', 'catchment'] as const).map((v) => ({
                value: v,
                label: t(`fc.areaLevel.${v}`),
              }))}
              data-testid="run-areas"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="run-submit">
            {create.isPending ? t('fc.new.running') : t('fc.new.submit')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
