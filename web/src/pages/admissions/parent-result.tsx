import { Alert, Button, Card, Descriptions, Flex, List, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import type { FamilyResultView } from '../../../../src/server/admissions-results-contracts.ts';
import { useMyResult } from '../../api/draw-queries.ts';
import { Icon } from '../../components/icons.tsx';
import { ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { ParentSchoolResults } from './parent-school-results.tsx';
import '../../i18n/messages/admissions-draw.ts';

type Choice = NonNullable<FamilyResultView['choices']>[number];

/** A rank as "tier n · key…" (the full key on hover). */
function Rank({ tier, hex }: { tier: number | null; hex: string | null }) {
  const { t } = useLang();
  if (tier === null) return <>{t('result.notEligible')}</>;
  return (
    <span title={hex ?? ''}>
      {t('result.tier', { tier })} · <Typography.Text code>{(hex ?? '').slice(0, 10)}…</Typography.Text>
    </span>
  );
}

/** How one listed school went: admitted, its cutoff beat the child, or not reached. */
function ChoiceLine({ c, placedRank }: { c: Choice; placedRank: number | null }) {
  const { t } = useLang();
  const tag = c.admitted ? (
    <Tag color="success">{t('result.admitted')}</Tag>
  ) : c.tier === null ? (
    <Tag>{t('result.notEligible')}</Tag>
  ) : placedRank !== null && c.rank > placedRank ? (
    <Tag>{t('result.notReached')}</Tag>
  ) : (
    <Tag color="warning">{t('result.missed')}</Tag>
  );
  return (
    <List.Item>
      <Flex vertical gap={2} style={{ width: '100%' }}>
        <Flex justify="space-between" gap={8}>
          <Typography.Text strong>
            {t('result.choice', { rank: c.rank })} · {c.name}
          </Typography.Text>
          {tag}
        </Flex>
        <Typography.Text type="secondary">
          {t('result.cutoff')}：
          {c.cutoff ? <Rank tier={c.cutoff.tier} hex={c.cutoff.key} /> : t('result.noCutoff')}
        </Typography.Text>
        {c.tier !== null && (
          <Typography.Text type="secondary">
            {t('result.key')}：<Rank tier={c.tier} hex={c.key} />
          </Typography.Text>
        )}
      </Flex>
    </List.Item>
  );
}

/**
 * The family's admission result on its status page: nothing before publication; then the school,
 * how it was reached and why (each listed school's cutoff against the child's tier and key), the
 * numbers to check the lottery with, and the admission notice; or, unplaced, what happens next.
 */
export function ParentResult({ applicationId }: { applicationId: number }) {
  const { t, pick } = useLang();
  const result = useMyResult(applicationId);
  if (result.error) return <ErrorAlert error={result.error} />;
  if (!result.data) return <Loading rows={2} />;
  const r = result.data;
  if (!r.published)
    return (
      <Typography.Text type="secondary" data-testid="result-pending">
        {r.drawStatus === 'drawn' ? t('result.drawnPending') : t('result.pending')}
      </Typography.Text>
    );
  if (r.next === 'not_in_draw')
    return <Alert type="info" showIcon title={t('result.notInDraw')} data-testid="result-not-in-draw" />;
  const placedRank = r.choices?.find((c) => c.admitted)?.rank ?? null;
  const by = r.by ?? 'choice';
  return (
    <Card size="small" title={t('result.title')} data-testid="result-card">
      <Flex vertical gap={12}>
        {r.placed && r.school ? (
          <Alert
            type="success"
            showIcon
            title={
              <span>
                {t('result.placedAt')}：<strong data-testid="result-school">{r.school.name}</strong>
              </span>
            }
            description={
              <>
                <Tag color="blue" data-testid="result-by">
                  {t(`placedBy.${by}`)}
                </Tag>
                {t(`result.why.${by}`)}
              </>
            }
          />
        ) : (
          <Alert
            type="warning"
            showIcon
            title={t('result.unplaced', { date: r.appealsClose })}
            data-testid="result-unplaced"
          />
        )}
        <Descriptions column={1} size="small">
          {r.category && (
            <Descriptions.Item label={t('result.category')}>
              {pick(r.category)}
              {r.tier !== null && r.tier !== undefined && ` · ${t('result.tier', { tier: r.tier })}`}
            </Descriptions.Item>
          )}
          {r.key && (
            <Descriptions.Item label={t('result.key')}>
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }} data-testid="result-key">
                {r.key}
              </Typography.Text>
            </Descriptions.Item>
          )}
          {r.school && (
            <Descriptions.Item label={t('result.cutoff')}>
              {r.cutoff ? <Rank tier={r.cutoff.tier} hex={r.cutoff.key} /> : t('result.noCutoff')}
            </Descriptions.Item>
          )}
        </Descriptions>
        {r.choices && r.choices.length > 0 && (
          <div>
            <Typography.Text strong>{t('result.choices')}</Typography.Text>
            <List
              size="small"
              dataSource={r.choices}
              renderItem={(c) => <ChoiceLine c={c} placedRank={placedRank} />}
            />
          </div>
        )}
        {r.placed && (
          <Link to={`/parent/applications/${applicationId}/notice`}>
            <Button type="primary" size="large" block icon={<Icon name="audit" />} data-testid="open-notice">
              {t('result.notice')}
            </Button>
          </Link>
        )}
        <details data-testid="public-results-toggle">
          <summary>{t('publicResults.title')}</summary>
          <ParentSchoolResults roundId={r.roundId} />
        </details>
        <details>
          <summary>{t('result.check')}</summary>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('result.checkHelp', { cmd: `printf '%s' "${r.seed}:${r.applicationNo}" | sha256sum` })}
          </Typography.Paragraph>
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('result.publicValue')}>{r.publicValue}</Descriptions.Item>
            <Descriptions.Item label={t('result.seed')}>
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                {r.seed}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Button
            icon={<Icon name="download" />}
            href={`/api/admissions/my/rounds/${r.roundId}/draw/file`}
            download={`draw-${r.roundId}.json`}
          >
            {t('result.downloadFile')}
          </Button>
        </details>
      </Flex>
    </Card>
  );
}
