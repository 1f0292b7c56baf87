import { List, Table, Tag, Typography } from 'antd';
import { usePublicAdmitted, usePublicResults } from '../../api/draw-queries.ts';
import { ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import '../../i18n/messages/admissions-draw.ts';

/** "tier n · key…" with the full key on hover; "seats left" where the draw left seats. */
function Cutoff({ cutoff }: { cutoff: { tier: number; key: string } | null }) {
  const { t } = useLang();
  if (!cutoff) return <>{t('result.noCutoff')}</>;
  return (
    <span title={cutoff.key}>
      {t('result.tier', { tier: cutoff.tier })} ·{' '}
      <Typography.Text code>{cutoff.key.slice(0, 10)}…</Typography.Text>
    </span>
  );
}

/** Admitted children shown at once on a phone; the rest on further pages. */
const PAGE = 50;

/** One school's admitted children: application number, masked name, tier, key, how placed. */
function Admitted({ roundId, schoolId }: { roundId: number; schoolId: number }) {
  const { t } = useLang();
  const q = usePublicAdmitted(roundId, schoolId);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Loading rows={2} />;
  return (
    <List
      size="small"
      data-testid={`public-admitted-${schoolId}`}
      dataSource={q.data.rows}
      pagination={{ pageSize: PAGE, size: 'small', hideOnSinglePage: true, showSizeChanger: false }}
      locale={{ emptyText: t('publicResults.none') }}
      renderItem={(r) => (
        <List.Item>
          <span style={{ display: 'flex', flexWrap: 'wrap', gap: 8, width: '100%' }}>
            <Typography.Text code>{r.applicationNo}</Typography.Text>
            <span>{r.childName}</span>
            <Tag>{t(`placedBy.${r.by}`)}</Tag>
            {r.tier !== null && (
              <Typography.Text type="secondary" title={r.key ?? ''}>
                {t('result.tier', { tier: r.tier })} · {(r.key ?? '').slice(0, 10)}…
              </Typography.Text>
            )}
          </span>
        </List.Item>
      )}
    />
  );
}

/**
 * 各校录取结果: what every family of the round reads once the results are published — each
 * school's admitted count, cutoff and seats left, and, expanded, its admitted list (application
 * numbers, names masked as in the office's lists). Shown under the family's own result.
 */
export function ParentSchoolResults({ roundId }: { roundId: number }) {
  const { t } = useLang();
  const q = usePublicResults(roundId, true);
  if (q.error) return <ErrorAlert error={q.error} />;
  if (!q.data) return <Loading rows={2} />;
  return (
    <div data-testid="public-results">
      <Typography.Paragraph type="secondary">{t('publicResults.help')}</Typography.Paragraph>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={q.data.schools}
        expandable={{ expandedRowRender: (s) => <Admitted roundId={roundId} schoolId={s.id} /> }}
        columns={[
          { title: t('publicResults.school'), dataIndex: 'name' },
          { title: t('publicResults.admitted'), dataIndex: 'admitted', align: 'right' },
          {
            title: t('publicResults.cutoff'),
            dataIndex: 'cutoff',
            render: (c: { tier: number; key: string } | null) => <Cutoff cutoff={c} />,
          },
          { title: t('publicResults.left'), dataIndex: 'left', align: 'right' },
        ]}
      />
    </div>
  );
}
