import { Button, Card, Descriptions, Flex, Typography } from 'antd';
import type { RoundOptions } from '../../api/types.ts';
import { Icon } from '../../components/icons.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { formatInstant } from '../../time.ts';
import '../../i18n/messages/admissions-draw.ts';

const DIGEST_CMD = "jq -jcS '.applicants | sort_by(.id) | map({id, choices, tiers})' draw.json | sha256sum";

function Hex({ value, testId }: { value: string; testId: string }) {
  return (
    <Typography.Text code copyable style={{ wordBreak: 'break-all' }} data-testid={testId}>
      {value}
    </Typography.Text>
  );
}

/**
 * The draw's public numbers on the family's status page, once the round's list is frozen: the
 * digest, the commitment and the freeze time; after the draw the revealed secret, the public value
 * and the seed, how to check each with sha256sum, and the draw file once the results are published.
 */
export function ParentDrawCard({ roundId, draw }: { roundId: number; draw: RoundOptions['draw'] }) {
  const { t } = useLang();
  if (!draw) return null;
  return (
    <Card size="small" title={t('pdraw.title')} data-testid="parent-draw">
      <Flex vertical gap={8}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('pdraw.frozenHelp', { at: formatInstant(draw.frozenAt), n: draw.applicants })}
        </Typography.Paragraph>
        <Descriptions column={1} size="small" layout="vertical">
          <Descriptions.Item label={t('pdraw.digest')}>
            <Hex value={draw.digest} testId="parent-draw-digest" />
          </Descriptions.Item>
          <Descriptions.Item label={t('pdraw.commitment')}>
            <Hex value={draw.commitment} testId="parent-draw-commitment" />
          </Descriptions.Item>
          <Descriptions.Item label={t('pdraw.frozenAt')}>{formatInstant(draw.frozenAt)}</Descriptions.Item>
          {draw.secret && (
            <Descriptions.Item label={t('pdraw.secret')}>
              <Hex value={draw.secret} testId="parent-draw-secret" />
            </Descriptions.Item>
          )}
          {draw.publicValue && (
            <Descriptions.Item label={t('pdraw.publicValue')}>
              <span data-testid="parent-draw-public-value">{draw.publicValue}</span>
            </Descriptions.Item>
          )}
          {draw.seed && (
            <Descriptions.Item label={t('pdraw.seed')}>
              <Hex value={draw.seed} testId="parent-draw-seed" />
            </Descriptions.Item>
          )}
          {draw.drawnAt && (
            <Descriptions.Item label={t('pdraw.drawnAt')}>{formatInstant(draw.drawnAt)}</Descriptions.Item>
          )}
        </Descriptions>
        <details>
          <summary>{t('pdraw.how')}</summary>
          <Flex vertical gap={4} style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">
              {t('pdraw.howCommitment', {
                cmd: `printf '%s' "${draw.secret ?? '$SECRET'}" | sha256sum`,
              })}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('pdraw.howSeed', {
                cmd: `printf '%s' "${draw.secret ?? '$SECRET'}:${draw.publicValue ?? '$PUBLIC'}" | sha256sum`,
              })}
            </Typography.Text>
            <Typography.Text type="secondary">{t('pdraw.howDigest', { cmd: DIGEST_CMD })}</Typography.Text>
          </Flex>
        </details>
        {draw.publishedAt ? (
          <Button
            icon={<Icon name="download" />}
            href={`/api/admissions/my/rounds/${roundId}/draw/file`}
            download={`draw-${roundId}.json`}
            data-testid="parent-draw-file"
          >
            {t('pdraw.download')}
          </Button>
        ) : (
          <Typography.Text type="secondary">{t('pdraw.fileLater')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}
