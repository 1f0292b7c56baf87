import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Collapse,
  Divider,
  Flex,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Row,
  Select,
  Spin,
  Switch,
  Typography,
} from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import {
  DEFAULT_PLANNING_OPTIONS,
  DEFAULT_RADIUS_KM,
  PLANNING_METHODS,
  type PlanningMethod,
  type PlanningStage,
} from '../../../../src/planning/defaults.ts';
import { isApiFailure } from '../../api/client.ts';
import { useForecastRuns } from '../../api/forecast-queries.ts';
import { useCreateScenario, usePlanningSchools } from '../../api/planning-queries.ts';
import { useCounties } from '../../api/queries.ts';
import type { CreateScenarioBody } from '../../api/types.ts';
import { ErrorAlert } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import '../../i18n/messages/planning.ts';

/** One row of the candidate-site list: one capacity option of a site (rows with one id are one site). */
interface SiteRow {
  id: string;
  lng: number;
  lat: number;
  capacity: number;
  costWan: number;
  boarding?: boolean;
}

/**
 * The form's fields; money in 万元 (the API takes fen), the cost weight per 万元 (the API per fen), the gap
 * tolerance in percent (the API takes a fraction).
 */
interface Fields {
  name: string;
  county: string;
  stage: PlanningStage;
  forecastRunId: number;
  year: number;
  radiusKm: { urban: number; rural: number; rural_boarding?: number };
  detourFactor: number;
  maxExtraClasses: number;
  costPerClassWan: number;
  seatsPerClass?: number | null;
  closureSavingWan: number;
  mustKeep?: string[];
  budgetWan?: number | null;
  maxNewSchools?: number | null;
  allowSplit: boolean;
  timeLimitS: number;
  costWeightPerWan: number;
  sites?: SiteRow[];
  method: PlanningMethod;
  gapTolerancePct: number;
  nearestK?: number | null;
}

/** A field of the form as `setFields` names it. */
type FieldName = Parameters<FormInstance<Fields>['setFields']>[0][number]['name'];

const FEN_PER_WAN = 1_000_000;
const D = DEFAULT_PLANNING_OPTIONS;

const initialValues = (stage: PlanningStage): Partial<Fields> => ({
  stage,
  radiusKm: { ...DEFAULT_RADIUS_KM[stage] },
  detourFactor: D.detourFactor,
  maxExtraClasses: D.maxExtraClasses,
  costPerClassWan: D.expansionCostPerClassFen / FEN_PER_WAN,
  closureSavingWan: D.closureSavingFen / FEN_PER_WAN,
  allowSplit: D.allowSplit,
  timeLimitS: D.timeLimitS,
  costWeightPerWan: D.costWeight * FEN_PER_WAN,
  method: D.method,
  gapTolerancePct: D.gapTolerance * 100,
  nearestK: D.nearestK,
  mustKeep: [],
  sites: [],
});

const given = <T,>(x: T | null | undefined): x is T => x !== null && x !== undefined;

/** The request body, and for each site of it the form rows of its options (to put errors back on them). */
function bodyOf(v: Fields): { body: CreateScenarioBody; siteRows: number[][] } {
  const sites: NonNullable<CreateScenarioBody['sites']> = [];
  const siteRows: number[][] = [];
  const index = new Map<string, number>();
  (v.sites ?? []).forEach((r, row) => {
    const id = r.id.trim();
    let i = index.get(id);
    if (i === undefined) {
      i = sites.length;
      index.set(id, i);
      sites.push({ id, lng: r.lng, lat: r.lat, boarding: Boolean(r.boarding), options: [] });
      siteRows.push([]);
    }
    sites[i]!.options.push({ capacity: r.capacity, cost_fen: Math.round(r.costWan * FEN_PER_WAN) });
    siteRows[i]!.push(row);
  });
  const { urban, rural, rural_boarding } = v.radiusKm;
  const body: CreateScenarioBody = {
    name: v.name.trim(),
    county: v.county,
    stage: v.stage,
    year: v.year,
    forecastRunId: v.forecastRunId,
    radiusKm:
      v.stage === 'junior' && given(rural_boarding) ? { urban, rural, rural_boarding } : { urban, rural },
    detourFactor: v.detourFactor,
    maxExtraClasses: v.maxExtraClasses,
    expansionCostPerClassFen: Math.round(v.costPerClassWan * FEN_PER_WAN),
    closureSavingFen: Math.round(v.closureSavingWan * FEN_PER_WAN),
    allowSplit: v.allowSplit,
    timeLimitS: v.timeLimitS,
    costWeight: v.costWeightPerWan / FEN_PER_WAN,
    method: v.method ?? D.method,
    // Rounded so that 2 (%) is sent as 0.02, not 0.020000000000000004.
    gapTolerance: given(v.gapTolerancePct)
      ? Number((v.gapTolerancePct / 100).toPrecision(12))
      : D.gapTolerance,
    ...(given(v.nearestK) ? { nearestK: v.nearestK } : {}),
    ...(given(v.seatsPerClass) ? { seatsPerClass: v.seatsPerClass } : {}),
    ...(given(v.budgetWan) ? { budgetFen: Math.round(v.budgetWan * FEN_PER_WAN) } : {}),
    ...(given(v.maxNewSchools) ? { maxNewSchools: v.maxNewSchools } : {}),
    ...(v.mustKeep?.length ? { mustKeep: v.mustKeep } : {}),
    ...(sites.length ? { sites } : {}),
  };
  return { body, siteRows };
}

/** Body fields whose form field has another name (money in 万元, the weight per 万元). */
const RENAMED: Record<string, keyof Fields> = {
  expansionCostPerClassFen: 'costPerClassWan',
  closureSavingFen: 'closureSavingWan',
  budgetFen: 'budgetWan',
  costWeight: 'costWeightPerWan',
  gapTolerance: 'gapTolerancePct',
};
const PLAIN = new Set<string>([
  'name',
  'county',
  'stage',
  'forecastRunId',
  'year',
  'detourFactor',
  'maxExtraClasses',
  'seatsPerClass',
  'mustKeep',
  'maxNewSchools',
  'allowSplit',
  'timeLimitS',
  'method',
  'nearestK',
]);
/** The fields of the advanced section, collapsed by default: opened when an error names one of them. */
const ADVANCED = new Set<string>(['method', 'gapTolerancePct', 'nearestK']);
const SITE_FIELD: Record<string, keyof SiteRow> = {
  id: 'id',
  lng: 'lng',
  lat: 'lat',
  boarding: 'boarding',
  capacity: 'capacity',
  cost_fen: 'costWan',
};

/**
 * The form field a server error names: a body field (`body.radiusKm.urban` from the request check,
 * `year` or `mustKeep` from the store), or a site's option (`body.sites.0.options.1.capacity`, the
 * engine's `sites[0].lng`), put back on its row.
 */
export function formFieldOf(field: string | null, siteRows: number[][]): (string | number)[] | null {
  if (!field) return null;
  const parts = field
    .replace(/^body\./, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.');
  const [head, ...rest] = parts;
  if (!head) return null;
  if (RENAMED[head]) return [RENAMED[head]];
  if (head === 'radiusKm') return rest[0] ? ['radiusKm', rest[0]] : null;
  if (PLAIN.has(head)) return [head];
  if (head === 'sites' && rest[0] !== undefined) {
    const rows = siteRows[Number(rest[0])];
    if (!rows) return null;
    const option = rest[1] === 'options' ? Number(rest[2] ?? 0) : 0;
    const key = SITE_FIELD[rest[1] === 'options' ? (rest[3] ?? '') : (rest[1] ?? '')];
    const row = rows[option] ?? rows[0]!;
    return key ? ['sites', row, key] : null;
  }
  return null;
}

/** Seconds since `since`, ticking every second. */
function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

/** The must-keep picker: the county's schools of the stage, searched on the server. */
function MustKeepSelect({
  county,
  stage,
  value,
  onChange,
  id,
}: {
  county?: string;
  stage: PlanningStage;
  value?: string[];
  onChange?: (v: string[]) => void;
  id?: string;
}) {
  const { t } = useLang();
  const [q, setQ] = useState('');
  const schools = usePlanningSchools(county, stage, q);
  const [labels, setLabels] = useState(() => new Map<string, string>());
  useEffect(() => {
    const rows = schools.data?.rows ?? [];
    if (rows.length === 0) return;
    setLabels((m) => {
      const next = new Map(m);
      for (const s of rows) next.set(s.code, `${s.name}（${s.code}）`);
      return next;
    });
  }, [schools.data]);
  const options = useMemo(() => {
    const codes = new Set([...(schools.data?.rows ?? []).map((s) => s.code), ...(value ?? [])]);
    return [...codes].map((code) => ({ value: code, label: labels.get(code) ?? code }));
  }, [schools.data, value, labels]);
  return (
    <Select
      id={id}
      mode="multiple"
      value={value}
      onChange={onChange}
      options={options}
      disabled={!county}
      placeholder={county ? undefined : t('pl.form.pickCounty')}
      loading={schools.isFetching}
      showSearch={{ onSearch: setQ, filterOption: false }}
      onBlur={() => setQ('')}
      data-testid="must-keep"
    />
  );
}

const Section = ({ title }: { title: string }) => (
  <Divider titlePlacement="start" plain style={{ margin: '4px 0 12px' }}>
    <Typography.Text strong>{title}</Typography.Text>
  </Divider>
);
const Cell = ({ children, wide }: { children: ReactNode; wide?: boolean }) => (
  <Col xs={24} sm={12} md={wide ? 12 : 8} xl={wide ? 12 : 6}>
    {children}
  </Col>
);

/**
 * Solves and saves a scenario over the store (POST /api/planning/scenarios) with every option the
 * store's input builder takes, defaults filled in. The solve may take a minute: the page stays usable
 * and shows the time so far; the server's errors go on the field they name.
 */
export function NewScenarioForm({ onSaved }: { onSaved: (id: number) => void }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<Fields>();
  const counties = useCounties();
  const runs = useForecastRuns();
  const create = useCreateScenario();
  const [started, setStarted] = useState<number | null>(null);
  const [unplaced, setUnplaced] = useState<unknown>(null);
  const [advanced, setAdvanced] = useState(false);
  const seconds = useElapsed(started);
  const county = Form.useWatch('county', form);
  const stage = Form.useWatch('stage', form) ?? 'primary';
  const runId = Form.useWatch('forecastRunId', form);
  const timeLimit = Form.useWatch('timeLimitS', form) ?? D.timeLimitS;

  const runList = (runs.data?.runs ?? []).filter(
    (r) => !county || r.countyCode === county || (r.countyCode === null && r.areaLevel === 'county'),
  );
  const run = runList.find((r) => r.id === runId);
  const required = (field: string) => [{ required: true, message: t('pl.form.required', { field }) }];
  /** Opens the advanced section when a problem names one of its fields (else the message would be hidden). */
  const reveal = (names: (string | number)[][]) => {
    if (names.some((n) => ADVANCED.has(String(n[0])))) setAdvanced(true);
  };

  function changed(values: Partial<Fields>) {
    if (values.stage) {
      form.setFieldsValue({ radiusKm: { ...DEFAULT_RADIUS_KM[values.stage] }, mustKeep: [] });
    }
    if (values.county !== undefined) form.setFieldsValue({ mustKeep: [] });
    if (values.forecastRunId !== undefined) {
      const r = (runs.data?.runs ?? []).find((x) => x.id === values.forecastRunId);
      const year = form.getFieldValue('year') as number | undefined;
      if (r && (year === undefined || year <= r.baseYear || year > r.baseYear + r.horizon))
        form.setFieldsValue({ year: r.baseYear + r.horizon });
    }
  }

  async function submit(v: Fields) {
    const { body, siteRows } = bodyOf(v);
    setUnplaced(null);
    setStarted(Date.now());
    try {
      const saved = await create.mutateAsync(body);
      message.success(t('pl.created', { name: saved.name }));
      form.setFieldsValue({ name: '' });
      onSaved(saved.id);
    } catch (e) {
      const at = formFieldOf(isApiFailure(e) ? e.field : null, siteRows);
      if (at) {
        reveal([at]);
        form.setFields([{ name: at as FieldName, errors: [(e as Error).message] }]);
      } else setUnplaced(e);
    } finally {
      setStarted(null);
    }
  }

  return (
    <Card title={t('pl.create')} size="small">
      <Form<Fields>
        form={form}
        layout="vertical"
        initialValues={initialValues('primary')}
        onValuesChange={changed}
        onFinish={(v) => void submit(v)}
        onFinishFailed={({ errorFields }) => reveal(errorFields.map((f) => f.name))}
        data-testid="new-scenario"
      >
        <Section title={t('pl.form.basics')} />
        <Row gutter={16}>
          <Cell>
            <Form.Item name="name" label={t('pl.name')} rules={required(t('pl.name'))}>
              <Input maxLength={100} />
            </Form.Item>
          </Cell>
          <Cell>
            <Form.Item name="county" label={t('pl.county')} rules={required(t('pl.county'))}>
              <Select
                options={counties.map((c) => ({ value: c.code, label: `${c.name}（${c.code}）` }))}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
          </Cell>
          <Cell>
            <Form.Item name="stage" label={t('pl.stage')}>
              <Select
                options={(['primary', 'junior'] as const).map((s) => ({
                  value: s,
                  label: t(`pl.stage.${s}`),
                }))}
              />
            </Form.Item>
          </Cell>
          <Cell>
            <Form.Item name="forecastRunId" label={t('pl.forecastRun')} rules={required(t('pl.forecastRun'))}>
              <Select
                loading={runs.isPending}
                options={runList.map((r) => ({
                  value: r.id,
                  label: `${r.name}（${r.regionName} ${r.baseYear + 1}–${r.baseYear + r.horizon}）`,
                }))}
              />
            </Form.Item>
          </Cell>
          <Cell>
            <Form.Item
              name="year"
              label={t('pl.year')}
              rules={required(t('pl.year'))}
              extra={
                run
                  ? t('pl.form.runRange', {
                      name: run.name,
                      from: run.baseYear + 1,
                      to: run.baseYear + run.horizon,
                    })
                  : undefined
              }
            >
              <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Cell>
        </Row>

        <Section title={t('pl.form.distance')} />
        <Row gutter={16}>
          <Cell>
            <Form.Item
              name={['radiusKm', 'urban']}
              label={t('pl.form.radiusUrban')}
              rules={required(t('pl.form.radiusUrban'))}
              extra={t('pl.form.radiusHelp')}
            >
              <InputNumber min={0.1} max={100} step={1} style={{ width: '100%' }} />
            </Form.Item>
          </Cell>
          <Cell>
            <Form.Item
              name={['radiusKm', 'rural']}
              label={t('pl.form.radiusRural')}
              rules={required(t('pl.form.radiusRural'))}
            >
              <InputNumber min={0.1} max={100} step={1} style={{ width: '100%' }} />
            </Form.Item>
          </Cell>
          {stage === 'junior' && (
            <Cell>
              <Form.Item name={['radiusKm', 'rural_boarding']} label={t('pl.form.radiusBoarding')}>
                <InputNumber min={0.1} max={100} step={1} style={{ width: '100%' }} />
              </Form.Item>
            </Cell>
          )}
          <Cell>
            <Form.Item
              name="detourFactor"
              label={t('pl.form.detour')}
              extra={t('pl.form.detourHelp')}
              rules={required(t('pl.form.detour'))}
            >
              <InputNumber min={1} max={3} step={0.1} style={{ width: '100%' }} />
            </Form.Item>
          </Cell>
        </Row>

        <Section title={t('pl.form.schools')} />
        <Row gutter={16}>
          <Cell>
            <Form.Item
              name="maxExtraClasses"
              label={t('pl.form.maxExtra')}
              extra={t('pl.form.maxExtraHelp')}
              rules={required(t('pl.form.maxExtra'))}
            >
              <InputNumber min={0} max={60} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Cell>
          <Cell>
            <Form.Item
              name="costPerClassWan"
              label={t('pl.form.costPerClass')}
              rules={required(t('pl.form.costPerClass'))}
            >
              <InputNumber min={0} step={10} style={{ width: '100%' }} />
            </Form.Item>
          </Cell>
          <Cell>
            <Form.Item
              name="seatsPerClass"
              label={t('pl.form.seatsPerClass')}
              extra={t('pl.form.seatsPerClassHelp')}
            >
              <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Cell>
          <Cell>
            <Form.Item
              name="closureSavingWan"
              label={t('pl.form.closureSaving')}
              extra={t('pl.form.closureSavingHelp')}
              rules={required(t('pl.form.closureSaving'))}
            >
              <InputNumber min={0} step={10} style={{ width: '100%' }} />
            </Form.Item>
          </Cell>
          <Cell wide>
            <Form.Item name="mustKeep" label={t('pl.form.mustKeep')} extra={t('pl.form.mustKeepHelp')}>
              <MustKeepSelect county={county} stage={stage} />
            </Form.Item>
          </Cell>
        </Row>

        <Section title={t('pl.form.limits')} />
        <Row gutter={16}>
          <Cell>
            <Form.Item name="budgetWan" label={t('pl.form.budget')}>
              <InputNumber
                min={0}
                step={100}
                placeholder={t('pl.form.unlimited')}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Cell>
          <Cell>
            <Form.Item name="maxNewSchools" label={t('pl.form.maxNew')}>
              <InputNumber
                min={0}
                max={1000}
                precision={0}
                placeholder={t('pl.form.unlimited')}
                style={{ width: '100%' }}
              />
            </Form.Item>
          </Cell>
        </Row>
        <Form.Item label={t('pl.form.sites')} extra={t('pl.form.sitesHelp')}>
          <Form.List name="sites">
            {(rows, { add, remove }) => (
              <Flex vertical gap={8} data-testid="planning-sites">
                {rows.length > 0 && (
                  <Flex gap={8} aria-hidden>
                    {(
                      [
                        ['pl.form.siteId', 110],
                        ['pl.form.lng', 120],
                        ['pl.form.lat', 110],
                        ['pl.form.capacity', 100],
                        ['pl.form.cost', 120],
                      ] as const
                    ).map(([k, w]) => (
                      <Typography.Text key={k} type="secondary" style={{ width: w }}>
                        {t(k)}
                      </Typography.Text>
                    ))}
                  </Flex>
                )}
                {rows.map(({ key, name }) => (
                  <Flex key={key} gap={8} wrap align="start">
                    <Form.Item name={[name, 'id']} rules={required(t('pl.form.siteId'))}>
                      <Input
                        placeholder={t('pl.form.siteId')}
                        aria-label={t('pl.form.siteId')}
                        style={{ width: 110 }}
                      />
                    </Form.Item>
                    <Form.Item name={[name, 'lng']} rules={required(t('pl.form.lng'))}>
                      <InputNumber
                        placeholder={t('pl.form.lng')}
                        aria-label={t('pl.form.lng')}
                        min={73}
                        max={136}
                        step={0.001}
                        style={{ width: 120 }}
                      />
                    </Form.Item>
                    <Form.Item name={[name, 'lat']} rules={required(t('pl.form.lat'))}>
                      <InputNumber
                        placeholder={t('pl.form.lat')}
                        aria-label={t('pl.form.lat')}
                        min={3}
                        max={54}
                        step={0.001}
                        style={{ width: 110 }}
                      />
                    </Form.Item>
                    <Form.Item name={[name, 'capacity']} rules={required(t('pl.form.capacity'))}>
                      <InputNumber
                        placeholder={t('pl.form.capacity')}
                        aria-label={t('pl.form.capacity')}
                        min={1}
                        precision={0}
                        style={{ width: 100 }}
                      />
                    </Form.Item>
                    <Form.Item name={[name, 'costWan']} rules={required(t('pl.form.cost'))}>
                      <InputNumber
                        placeholder={t('pl.form.cost')}
                        aria-label={t('pl.form.cost')}
                        min={0}
                        style={{ width: 120 }}
                      />
                    </Form.Item>
                    <Form.Item name={[name, 'boarding']} valuePropName="checked">
                      <Checkbox>{t('pl.form.boarding')}</Checkbox>
                    </Form.Item>
                    <Button type="link" onClick={() => remove(name)}>
                      {t('pl.form.removeSite')}
                    </Button>
                  </Flex>
                ))}
                <Button type="dashed" onClick={() => add()} style={{ width: 200 }} data-testid="add-site">
                  {t('pl.form.addSite')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>

        <Section title={t('pl.form.solve')} />
        <Row gutter={16}>
          <Cell>
            <Form.Item name="allowSplit" label={t('pl.form.allowSplit')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Cell>
          <Cell>
            <Form.Item
              name="timeLimitS"
              label={t('pl.form.timeLimit')}
              rules={required(t('pl.form.timeLimit'))}
            >
              <InputNumber min={1} max={600} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Cell>
          <Cell wide>
            <Form.Item
              name="costWeightPerWan"
              label={t('pl.form.costWeight')}
              extra={t('pl.form.costWeightHelp')}
              rules={required(t('pl.form.costWeight'))}
            >
              <InputNumber min={0} step={1} style={{ width: 200 }} />
            </Form.Item>
          </Cell>
        </Row>

        <Collapse
          size="small"
          ghost
          style={{ marginBottom: 12 }}
          activeKey={advanced ? ['advanced'] : []}
          onChange={(keys) => setAdvanced(keys.includes('advanced'))}
          data-testid="planning-advanced"
          items={[
            {
              key: 'advanced',
              label: <Typography.Text strong>{t('pl.form.advanced')}</Typography.Text>,
              // Rendered while collapsed too, so that its fields keep their values and are sent.
              forceRender: true,
              children: (
                <Row gutter={16}>
                  <Cell>
                    <Form.Item
                      name="method"
                      label={t('pl.form.method')}
                      extra={t('pl.form.methodHelp')}
                      rules={required(t('pl.form.method'))}
                    >
                      <Select
                        options={PLANNING_METHODS.map((m) => ({ value: m, label: t(`pl.form.method.${m}`) }))}
                      />
                    </Form.Item>
                  </Cell>
                  <Cell>
                    <Form.Item
                      name="gapTolerancePct"
                      label={t('pl.form.gap')}
                      extra={t('pl.form.gapHelp')}
                      rules={[
                        ...required(t('pl.form.gap')),
                        {
                          type: 'number',
                          min: 0,
                          max: 100,
                          message: t('pl.form.range', { field: t('pl.form.gap'), min: 0, max: 100 }),
                        },
                      ]}
                    >
                      <InputNumber step={1} style={{ width: '100%' }} />
                    </Form.Item>
                  </Cell>
                  <Cell>
                    <Form.Item
                      name="nearestK"
                      label={t('pl.form.nearestK')}
                      extra={t('pl.form.nearestKHelp')}
                      rules={[
                        {
                          type: 'integer',
                          min: 1,
                          message: t('pl.form.wholeAtLeast', { field: t('pl.form.nearestK'), min: 1 }),
                        },
                      ]}
                    >
                      <InputNumber step={1} placeholder={t('pl.form.all')} style={{ width: '100%' }} />
                    </Form.Item>
                  </Cell>
                </Row>
              ),
            },
          ]}
        />

        <Flex gap={16} align="center" wrap>
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="scenario-submit">
            {create.isPending ? t('pl.form.solving') : t('pl.submit')}
          </Button>
        </Flex>
        {create.isPending && (
          <Alert
            style={{ marginTop: 12 }}
            type="info"
            icon={<Spin size="small" />}
            showIcon
            title={t('pl.form.running', { seconds, limit: timeLimit })}
            data-testid="planning-progress"
          />
        )}
      </Form>
      {unplaced !== null && (
        <div style={{ marginTop: 12 }}>
          <ErrorAlert error={unplaced} />
        </div>
      )}
    </Card>
  );
}
