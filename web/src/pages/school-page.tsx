import {
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Row,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { can, useCurrentUser, useSchool } from '../api/queries.ts';
import type { SchoolDetail } from '../api/types.ts';
import { type ChartOption, EChart } from '../charts/echart.tsx';
import '../charts/line-chart.ts';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading } from '../components/states.tsx';
import { useSearchState } from '../components/use-search-state.ts';
import { type Lang, type Translate, useLang } from '../i18n/lang.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { GRADE_ORDER, labelOf } from '../labels.ts';
import { PupilRegister, TeacherRegister } from './school-registers.tsx';
import '../i18n/messages/registers.ts';

type Band = SchoolDetail['classes']['rows'][number]['band'];
const BAND_COLOR: Record<Band, string> = {
  normal: 'default',
  somewhat_large: 'gold',
  large: 'orange',
  super_large: 'red',
};
const BAND_ROW: Partial<Record<Band, string>> = { large: '#fff4e5', super_large: '#fdecea' };
const byGrade = (a: { grade: string }, b: { grade: string }) =>
  GRADE_ORDER.indexOf(a.grade) - GRADE_ORDER.indexOf(b.grade);

function capacityChart(d: SchoolDetail, t: Translate, lang: Lang): ChartOption {
  const rows = [...d.capacity].sort(byGrade);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => labelOf('grade', r.grade, lang)) },
    yAxis: { type: 'value' },
    series: [
      {
        name: t('school.seats'),
        type: 'bar',
        data: rows.map((r) => r.seats),
        itemStyle: { color: '#9bbcf5' },
      },
      {
        name: t('school.pupils'),
        type: 'bar',
        data: rows.map((r) => r.pupils),
        itemStyle: { color: '#1f6feb' },
      },
    ],
  };
}

function trendChart(d: SchoolDetail, t: Translate): ChartOption {
  const rows = [...d.censusTrend].sort((a, b) => a.year - b.year);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => String(r.year)) },
    yAxis: { type: 'value' },
    series: [
      {
        name: t('school.pupils'),
        type: 'line',
        data: rows.map((r) => r.pupils),
        smooth: true,
        itemStyle: { color: '#1f6feb' },
      },
      {
        name: t('school.entrants'),
        type: 'line',
        data: rows.map((r) => r.entrants),
        itemStyle: { color: '#5ad8a6' },
      },
      {
        name: t('school.graduates'),
        type: 'line',
        data: rows.map((r) => r.graduates),
        itemStyle: { color: '#f6a623' },
      },
    ],
  };
}

function teachersChart(d: SchoolDetail, t: Translate, lang: Lang): ChartOption {
  const rows = [...d.teachersBySubject.rows].sort((a, b) => a.fullTimeTeachers - b.fullTimeTeachers);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    yAxis: { type: 'category', data: rows.map((r) => labelOf('subject', r.subject, lang)) },
    xAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: t('school.teacherCount'),
        type: 'bar',
        data: rows.map((r) => r.fullTimeTeachers),
        itemStyle: { color: '#269a99' },
        barMaxWidth: 22,
        label: { show: true, position: 'right' },
      },
    ],
  };
}

export default function SchoolPage() {
  const { id } = useParams();
  const { t, lang } = useLang();
  const me = useCurrentUser();
  const [{ tab }, update] = useSearchState(['tab']);
  const { data, error, isPending, refetch } = useSchool(id);
  const [onlyLarge, setOnlyLarge] = useState(false);
  const capacityOption = useMemo(() => (data ? capacityChart(data, t, lang) : null), [data, t, lang]);
  const trendOption = useMemo(() => (data ? trendChart(data, t) : null), [data, t]);
  const teachersOption = useMemo(() => (data ? teachersChart(data, t, lang) : null), [data, t, lang]);

  if (isPending)
    return (
      <Card>
        <Loading rows={10} />
      </Card>
    );
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;

  const d = data;
  const yes = (b: boolean) => (b ? t('common.yes') : t('common.no'));
  const classRows = [...d.classes.rows].sort((a, b) => byGrade(a, b) || a.classNo - b.classNo);
  const large = classRows.filter((r) => r.band === 'large').length;
  const superLarge = classRows.filter((r) => r.band === 'super_large').length;
  const shownClasses = onlyLarge
    ? classRows.filter((r) => r.band === 'large' || r.band === 'super_large')
    : classRows;
  const teacherTotal = d.teachersBySubject.rows.reduce((a, r) => a + r.fullTimeTeachers, 0);

  const overview = (
    <Row gutter={[16, 16]}>
      <Col xs={24}>
        <Card title={t('school.profile')} data-testid="school-profile">
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 2, lg: 3 }}
            items={[
              { key: 'code', label: t('schools.code'), children: d.code },
              {
                key: 'type',
                label: t('schools.type'),
                children: labelOf('schoolType', d.schoolType, lang),
              },
              {
                key: 'ownership',
                label: t('schools.ownership'),
                children: (
                  <>
                    {labelOf('ownership', d.ownership, lang)}
                    {d.inclusive && d.ownership === 'private' && (
                      <Tag color="green" style={{ marginInlineStart: 6 }}>
                        {t('schools.inclusive')}
                      </Tag>
                    )}
                  </>
                ),
              },
              { key: 'county', label: t('schools.county'), children: d.countyName },
              { key: 'township', label: t('school.township'), children: d.townshipName ?? '—' },
              { key: 'locale', label: t('schools.locale'), children: labelOf('locale', d.locale, lang) },
              { key: 'boarding', label: t('school.boarding'), children: yes(d.boarding) },
              {
                key: 'location',
                label: t('school.location'),
                children: d.lng != null && d.lat != null ? `${d.lng.toFixed(5)}, ${d.lat.toFixed(5)}` : '—',
              },
              { key: 'address', label: t('school.address'), children: d.address ?? '—' },
              {
                key: 'groups',
                label: t('school.groups'),
                children: d.groups.length
                  ? d.groups.map((g) => (
                      <Tag key={g.code} color={g.lead ? 'blue' : 'default'}>
                        {g.name}
                        {g.lead ? ` · ${t('school.groupLead')}` : ''}
                      </Tag>
                    ))
                  : t('common.none'),
              },
              ...(d.synthetic
                ? [
                    {
                      key: 'synthetic',
                      label: t('school.synthetic'),
                      children: <Tag color="gold">{t('app.demoBadge')}</Tag>,
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('school.capacity')} data-testid="school-capacity">
          {d.capacity.length === 0 ? (
            <EmptyState description={t('school.noCapacity')} />
          ) : (
            <>
              {capacityOption && <EChart option={capacityOption} height={260} />}
              <Table
                size="small"
                rowKey="grade"
                pagination={false}
                scroll={{ x: true }}
                dataSource={[...d.capacity].sort(byGrade)}
                columns={[
                  {
                    title: t('school.grade'),
                    dataIndex: 'grade',
                    render: (g: string) => labelOf('grade', g, lang),
                  },
                  { title: t('school.plannedClasses'), dataIndex: 'plannedClasses', align: 'right' },
                  { title: t('school.standardClassSize'), dataIndex: 'standardClassSize', align: 'right' },
                  { title: t('school.seats'), dataIndex: 'seats', align: 'right' },
                  { title: t('school.pupils'), dataIndex: 'pupils', align: 'right' },
                  {
                    title: t('school.gap'),
                    key: 'gap',
                    align: 'right',
                    render: (_, r) => {
                      const gap = r.seats - r.pupils;
                      return <Typography.Text type={gap < 0 ? 'danger' : undefined}>{gap}</Typography.Text>;
                    },
                  },
                ]}
              />
            </>
          )}
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('school.trend')} data-testid="school-trend">
          {d.censusTrend.length === 0 ? (
            <EmptyState description={t('school.noTrend')} />
          ) : (
            trendOption && <EChart option={trendOption} height={300} />
          )}
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card
          title={t('school.classSizes', { year: d.classes.year ?? '—' })}
          extra={
            classRows.length > 0 && (
              <Space>
                <Typography.Text type="secondary">{t('school.onlyLarge')}</Typography.Text>
                <Switch
                  size="small"
                  checked={onlyLarge}
                  onChange={setOnlyLarge}
                  aria-label={t('school.onlyLarge')}
                />
              </Space>
            )
          }
          data-testid="school-classes"
        >
          {classRows.length === 0 ? (
            <EmptyState description={t('school.noClasses')} />
          ) : (
            <>
              <Flex wrap gap={8} style={{ marginBottom: 12 }}>
                <Typography.Text>
                  {t('school.largeSummary', { large, super: superLarge, n: classRows.length })}
                </Typography.Text>
              </Flex>
              <Table
                size="small"
                rowKey={(r) => `${r.grade}-${r.classNo}`}
                dataSource={shownClasses}
                pagination={shownClasses.length > 30 ? { pageSize: 30, showSizeChanger: false } : false}
                onRow={(r) => ({ style: BAND_ROW[r.band] ? { background: BAND_ROW[r.band] } : undefined })}
                columns={[
                  {
                    title: t('school.grade'),
                    dataIndex: 'grade',
                    render: (g: string) => labelOf('grade', g, lang),
                  },
                  { title: t('school.classNo'), dataIndex: 'classNo', align: 'right' },
                  { title: t('school.size'), dataIndex: 'size', align: 'right' },
                  {
                    title: t('school.band'),
                    dataIndex: 'band',
                    render: (b: Band) => (
                      <Tag color={BAND_COLOR[b]} data-band={b}>
                        {t(`school.band.${b}` as MessageKey)}
                      </Tag>
                    ),
                  },
                ]}
              />
            </>
          )}
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card
          title={t('school.teachers', { year: d.teachersBySubject.year ?? '—' })}
          extra={teacherTotal > 0 && <Typography.Text type="secondary">{teacherTotal}</Typography.Text>}
          data-testid="school-teachers"
        >
          {d.teachersBySubject.rows.length === 0 ? (
            <EmptyState description={t('school.noTeachers')} />
          ) : (
            teachersOption && (
              <EChart
                option={teachersOption}
                height={Math.max(200, d.teachersBySubject.rows.length * 28 + 40)}
              />
            )
          )}
        </Card>
      </Col>
    </Row>
  );

  return (
    <>
      <PageHeader
        title={d.name}
        sub={
          <Space size={6} wrap>
            <span>{d.code}</span>
            <span>·</span>
            <span>{d.countyName}</span>
            <span>·</span>
            <span>{labelOf('schoolType', d.schoolType, lang)}</span>
          </Space>
        }
        extra={
          d.lng != null && (
            <Link to={`/map?county=${d.countyCode}`}>
              <Button>{t('school.onMap')}</Button>
            </Link>
          )
        }
      />
      {can(me, 'personal.read') || can(me, 'staff.read') ? (
        <Tabs
          activeKey={tab === 'students' || tab === 'teachers' ? tab : 'overview'}
          onChange={(key) => update({ tab: key === 'overview' ? undefined : key })}
          destroyOnHidden
          items={[
            { key: 'overview', label: t('registers.overview'), children: overview },
            ...(can(me, 'personal.read')
              ? [{ key: 'students', label: t('registers.students'), children: <PupilRegister school={d} /> }]
              : []),
            ...(can(me, 'staff.read')
              ? [
                  {
                    key: 'teachers',
                    label: t('registers.teachers'),
                    children: <TeacherRegister school={d} />,
                  },
                ]
              : []),
          ]}
          data-testid="school-tabs"
        />
      ) : (
        overview
      )}
    </>
  );
}
