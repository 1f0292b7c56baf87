import { Button, Card, Col, Flex, Row, Statistic, Table, Typography } from 'antd';
import type { ResultsView } from '../../../../src/server/admissions-results-contracts.ts';
import { withQuery } from '../../api/client.ts';
import { useAdmitted, useDraw, useResults } from '../../api/draw-queries.ts';
import { Icon } from '../../components/icons.tsx';
import { EmptyState, ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import '../../i18n/messages/admissions-draw.ts';

type SchoolRow = ResultsView['schools'][number];
const BYS = ['choice', 'fallback', 'overflow', 'appeal'] as const;

/** A cutoff as "tier · first digits of the key…", the full key on hover. */
export function CutoffText({ cutoff, none }: { cutoff: { tier: number; key: string } | null; none: string }) {
  if (!cutoff) return <Typography.Text type="secondary">{none}</Typography.Text>;
  return (
    <span title={cutoff.key}>
      {cutoff.tier} · <Typography.Text code>{cutoff.key.slice(0, 10)}…</Typography.Text>
    </span>
  );
}

/** The published results of a round: totals, per school (with the masked admitted list), per category. */
export function ResultsPanel({ roundId }: { roundId: number }) {
  const { t, pick, lang } = useLang();
  const draw = useDraw(roundId);
  const published = Boolean(draw.data?.publishedAt);
  const results = useResults(roundId, published);
  const exports = (
    <Flex gap={8} wrap>
      <Button
        icon={<Icon name="download" />}
        href={withQuery(`/api/admissions/rounds/${roundId}/queue/export`, { lang })}
        download
        data-testid="export-queue"
      >
        {t('results.exportQueue')}
      </Button>
      <Button
        icon={<Icon name="download" />}
        href={withQuery(`/api/admissions/rounds/${roundId}/results/export`, { lang })}
        download
        disabled={!published}
        data-testid="export-results"
      >
        {t('results.exportResults')}
      </Button>
    </Flex>
  );
  if (draw.error) return <ErrorAlert error={draw.error} />;
  if (draw.data === undefined) return <Loading />;
  if (!published)
    return (
      <Flex vertical gap={12}>
        {exports}
        <EmptyState description={t('results.notPublished')} />
      </Flex>
    );
  if (results.error) return <ErrorAlert error={results.error} />;
  if (!results.data) return <Loading />;
  const r = results.data;
  const stat = (key: MessageKey, value: number, testId?: string) => (
    <Col xs={12} md={3} key={key}>
      <Card size="small">
        <Statistic title={t(key)} value={value} data-testid={testId} />
      </Card>
    </Col>
  );
  return (
    <Flex vertical gap={16}>
      {exports}
      <Row gutter={[12, 12]}>
        {stat('results.applicants', r.totals.applicants, 'results-applicants')}
        {stat('results.placed', r.totals.placed, 'results-placed')}
        {BYS.map((b) => stat(`placedBy.${b}`, r.totals[b]))}
        {stat('results.unplaced', r.totals.unplaced, 'results-unplaced')}
        {stat('results.left', r.totals.left)}
      </Row>
      <Card size="small" title={t('results.bySchool')}>
        <Table<SchoolRow>
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: true }}
          dataSource={r.schools}
          data-testid="results-schools"
          expandable={{
            expandedRowRender: (s) => <Admitted roundId={roundId} schoolId={s.id} />,
            rowExpandable: (s) => s.placed > 0,
          }}
          columns={[
            { title: t('results.school'), dataIndex: 'name' },
            {
              title: t('results.ownership'),
              dataIndex: 'ownership',
              render: (o: string) => t(o === 'private' ? 'adm.private' : 'adm.public'),
            },
            { title: t('results.planned'), dataIndex: 'planned', align: 'right' },
            { title: t('results.reserved'), dataIndex: 'reserved', align: 'right' },
            { title: t('results.placed'), dataIndex: 'placed', align: 'right' },
            ...BYS.map((b) => ({ title: t(`placedBy.${b}`), dataIndex: b, align: 'right' as const })),
            {
              title: t('results.left'),
              dataIndex: 'left',
              align: 'right',
              render: (n: number) => (n < 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n),
            },
            {
              title: t('results.cutoff'),
              render: (_, s) => <CutoffText cutoff={s.cutoff} none={t('results.noCutoff')} />,
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('results.byCategory')}>
        <Table
          size="small"
          rowKey="code"
          pagination={false}
          scroll={{ x: true }}
          dataSource={r.categories}
          data-testid="results-categories"
          columns={[
            { title: t('results.tier'), dataIndex: 'tier', align: 'right' },
            { title: t('results.category'), render: (_, c) => pick(c.label) },
            { title: t('results.applicants'), dataIndex: 'applicants', align: 'right' },
            ...BYS.map((b) => ({ title: t(`placedBy.${b}`), dataIndex: b, align: 'right' as const })),
            { title: t('results.unplaced'), dataIndex: 'unplaced', align: 'right' },
          ]}
        />
      </Card>
    </Flex>
  );
}

function Admitted({ roundId, schoolId }: { roundId: number; schoolId: number }) {
  const { t, pick } = useLang();
  const list = useAdmitted(roundId, schoolId);
  if (list.error) return <ErrorAlert error={list.error} />;
  if (!list.data) return <Loading rows={2} />;
  return (
    <Table
      size="small"
      rowKey="applicationNo"
      title={() => t('results.admittedList')}
      pagination={list.data.rows.length > 50 ? { pageSize: 50 } : false}
      dataSource={list.data.rows}
      data-testid="admitted-list"
      columns={[
        { title: t('adm.applicationNo'), dataIndex: 'applicationNo' },
        { title: t('results.child'), dataIndex: 'childName' },
        { title: t('results.category'), render: (_, a) => (a.category ? pick(a.category) : '—') },
        { title: t('results.tier'), dataIndex: 'tier', align: 'right' },
        {
          title: t('results.key'),
          dataIndex: 'key',
          render: (k: string | null) =>
            k ? (
              <Typography.Text code title={k}>
                {k.slice(0, 10)}…
              </Typography.Text>
            ) : (
              '—'
            ),
        },
        {
          title: t('results.by'),
          dataIndex: 'by',
          render: (b: (typeof BYS)[number]) => t(`placedBy.${b}`),
        },
      ]}
    />
  );
}
