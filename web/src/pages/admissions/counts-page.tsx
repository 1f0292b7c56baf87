import { Card, Col, Flex, Row, Statistic, Table, Typography } from 'antd';
import { useCounts } from '../../api/admissions-queries.ts';
import type { CountsView } from '../../api/types.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { useRoundChoice } from './round-picker.tsx';
import '../../i18n/messages/admissions.ts';

const STATUSES = ['submitted', 'returned', 'approved', 'withdrawn'] as const;

/** 报名统计: live counts by status, category and first-choice school against the seats for the draw. */
export default function AdmissionCountsPage() {
  const { t, pick } = useLang();
  const { roundId, picker } = useRoundChoice();
  const counts = useCounts(roundId);
  const c = counts.data;
  return (
    <>
      <PageHeader title={t('adm.countsTitle')} sub={t('adm.countsSub')} extra={picker} />
      {!roundId && <EmptyState description={t('adm.noRoundsYet')} />}
      {counts.error && <ErrorAlert error={counts.error} />}
      {roundId && !c && !counts.error && <Loading />}
      {c && (
        <Flex vertical gap={16}>
          <Row gutter={[12, 12]}>
            <Col xs={12} md={4}>
              <Card size="small">
                <Statistic
                  title={t('adm.total')}
                  value={STATUSES.reduce((n, s) => n + (s === 'withdrawn' ? 0 : c.byStatus[s]), 0)}
                  data-testid="count-total"
                />
              </Card>
            </Col>
            {STATUSES.map((s) => (
              <Col xs={12} md={5} key={s}>
                <Card size="small">
                  <Statistic title={t(`adm.status.${s}`)} value={c.byStatus[s]} />
                </Card>
              </Col>
            ))}
          </Row>
          <Card size="small" title={t('adm.byCategory')}>
            <Table
              size="small"
              rowKey="code"
              pagination={false}
              dataSource={c.categories}
              columns={[
                { title: t('adm.category'), render: (_, r) => pick(r.label) },
                { title: t('adm.applications'), dataIndex: 'applications', align: 'right' },
              ]}
            />
          </Card>
          <Card size="small" title={t('adm.bySchool')}>
            <Table<CountsView['schools'][number]>
              size="small"
              rowKey="id"
              pagination={false}
              scroll={{ x: true }}
              dataSource={c.schools}
              columns={[
                { title: t('adm.school'), dataIndex: 'name' },
                {
                  title: t('adm.public'),
                  dataIndex: 'ownership',
                  render: (o: string) => t(o === 'private' ? 'adm.private' : 'adm.public'),
                },
                { title: t('adm.capacity'), dataIndex: 'capacity', align: 'right' },
                ...STATUSES.map((s) => ({
                  title: t(`adm.status.${s}`),
                  dataIndex: s,
                  align: 'right' as const,
                })),
                {
                  title: '',
                  render: (_, r) => {
                    const live = r.submitted + r.returned + r.approved;
                    return live > r.capacity ? (
                      <Typography.Text type="danger">{`${live}/${r.capacity}`}</Typography.Text>
                    ) : null;
                  },
                },
              ]}
            />
          </Card>
        </Flex>
      )}
    </>
  );
}
