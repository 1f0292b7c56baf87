import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Input, Steps, Tabs, Typography } from 'antd';
import { useState } from 'react';
import type { DrawView } from '../../../../src/server/admissions-draw-contracts.ts';
import { useRound } from '../../api/admissions-queries.ts';
import { api } from '../../api/client.ts';
import { useDraw } from '../../api/draw-queries.ts';
import type { RoundView } from '../../api/types.ts';
import { Icon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { EmptyState, ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { formatInstant } from '../../time.ts';
import { ResultsPanel } from './results-panel.tsx';
import { useRoundChoice } from './round-picker.tsx';
import '../../i18n/messages/admissions-draw.ts';
import '../../i18n/messages/admissions.ts';

/** A long hex number, monospace, wrapping, with a copy button. */
export function Hex({ value, testId }: { value: string; testId?: string }) {
  return (
    <Typography.Text code copyable style={{ wordBreak: 'break-all' }} data-testid={testId}>
      {value}
    </Typography.Text>
  );
}

/** Where the round is: registration closed → list frozen → drawn → published. */
function stepOf(round: RoundView, draw: DrawView | null | undefined): number {
  if (draw?.publishedAt) return 4;
  if (draw?.status === 'drawn') return 3;
  if (draw) return 2;
  return round.status === 'closed' ? 1 : 0;
}

/** /admissions/draw: the office's draw (摇号) and the results, for the round in the picker. */
export default function AdmissionDrawPage() {
  const { t } = useLang();
  const { roundId, picker } = useRoundChoice();
  const [tab, setTab] = useState('draw');
  return (
    <>
      <PageHeader title={t('draw.title')} sub={t('draw.sub')} extra={picker} />
      {!roundId && <EmptyState description={t('adm.noRoundsYet')} />}
      {roundId && (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'draw', label: t('draw.tabDraw'), children: <DrawSteps roundId={roundId} /> },
            {
              key: 'results',
              label: <span data-testid="results-tab">{t('draw.tabResults')}</span>,
              children: <ResultsPanel roundId={roundId} />,
            },
          ]}
        />
      )}
    </>
  );
}

function DrawSteps({ roundId }: { roundId: number }) {
  const { t } = useLang();
  const { modal } = App.useApp();
  const client = useQueryClient();
  const round = useRound(roundId);
  const draw = useDraw(roundId);
  const [publicValue, setPublicValue] = useState('');
  const [valueError, setValueError] = useState(false);
  const refresh = () => client.invalidateQueries({ queryKey: ['adm'] });
  const act = useMutation({
    mutationFn: (a: { verb: 'close' | 'freeze' | 'draw' | 'publish'; body?: unknown }) =>
      api.post(`/api/admissions/rounds/${roundId}/${a.verb}`, a.body),
    onSuccess: refresh,
  });
  if (round.error) return <ErrorAlert error={round.error} />;
  if (draw.error) return <ErrorAlert error={draw.error} />;
  if (!round.data || draw.data === undefined) return <Loading />;
  const r = round.data;
  const d = draw.data;
  const step = stepOf(r, d);
  const confirm = (content: string, verb: 'close' | 'freeze' | 'draw' | 'publish', body?: unknown) =>
    modal.confirm({
      title: t(`draw.${verb === 'draw' ? 'run' : verb}`),
      content,
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: () => act.mutateAsync({ verb, body }),
    });
  const who = (at: string | null, by: string | null) => (at ? `${formatInstant(at)} · ${by ?? ''}` : '');
  return (
    <Flex vertical gap={16}>
      <Steps
        size="small"
        current={step}
        data-testid="draw-steps"
        items={[
          { title: t('draw.step.closed') },
          { title: t('draw.step.frozen') },
          { title: t('draw.step.drawn') },
          { title: t('draw.step.published') },
        ]}
      />
      {act.error && <ErrorAlert error={act.error} />}
      {r.status === 'draft' && <Alert type="info" showIcon title={t('draw.draftRound')} />}
      {r.status === 'open' && (
        <Alert
          type="warning"
          showIcon
          title={t('draw.stillOpen')}
          action={
            <Button
              danger
              onClick={() => confirm(t('draw.closeConfirm', { name: r.name }), 'close')}
              data-testid="close-round"
            >
              {t('draw.close')}
            </Button>
          }
        />
      )}

      <Card size="small" title={t('draw.freezeCard')}>
        <Typography.Paragraph type="secondary">{t('draw.freezeHelp')}</Typography.Paragraph>
        {!d ? (
          <Button
            type="primary"
            disabled={r.status !== 'closed'}
            onClick={() => confirm(t('draw.freezeConfirm'), 'freeze')}
            data-testid="freeze"
          >
            {t('draw.freeze')}
          </Button>
        ) : (
          <>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('draw.applicants')}>
                <span data-testid="draw-applicants">{d.applicants}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('draw.digest')}>
                <Hex value={d.digest} testId="draw-digest" />
              </Descriptions.Item>
              <Descriptions.Item label={t('draw.commitment')}>
                <Hex value={d.commitment} testId="draw-commitment" />
              </Descriptions.Item>
              <Descriptions.Item label={t('draw.frozenAt')}>{who(d.frozenAt, d.frozenBy)}</Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t('draw.howDigest', {
                cmd: "jq -jcS '.applicants | sort_by(.id) | map({id, choices, tiers})' draw.json | sha256sum",
                cmd2: 'printf \'%s\' "$SECRET" | sha256sum',
              })}
            </Typography.Paragraph>
          </>
        )}
      </Card>

      <Card size="small" title={t('draw.drawCard')}>
        <Typography.Paragraph type="secondary">{t('draw.drawHelp')}</Typography.Paragraph>
        {!d && <Typography.Text type="secondary">{t('draw.waitFreeze')}</Typography.Text>}
        {d?.status === 'frozen' && (
          <Flex vertical gap={8} style={{ maxWidth: 640 }}>
            <Input
              value={publicValue}
              onChange={(e) => {
                setPublicValue(e.target.value);
                setValueError(false);
              }}
              placeholder={t('draw.publicValuePlaceholder')}
              aria-label={t('draw.publicValue')}
              status={valueError ? 'error' : undefined}
              data-testid="public-value"
            />
            {valueError && <Typography.Text type="danger">{t('draw.publicValueRequired')}</Typography.Text>}
            <div>
              <Button
                type="primary"
                onClick={() => {
                  const v = publicValue.trim();
                  if (!v) return setValueError(true);
                  confirm(t('draw.runConfirm', { value: v }), 'draw', { publicValue: v });
                }}
                data-testid="run-draw"
              >
                {t('draw.run')}
              </Button>
            </div>
          </Flex>
        )}
        {d?.status === 'drawn' && (
          <>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('draw.publicValue')}>
                <span data-testid="draw-public-value">{d.publicValue}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('draw.secret')}>
                <Hex value={d.secret ?? ''} testId="draw-secret" />
              </Descriptions.Item>
              <Descriptions.Item label={t('draw.seed')}>
                <Hex value={d.seed ?? ''} testId="draw-seed" />
              </Descriptions.Item>
              <Descriptions.Item label={t('draw.drawnAt')}>{who(d.drawnAt, d.drawnBy)}</Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {t('draw.howSeed', {
                cmd: 'printf \'%s\' "$SECRET:$PUBLIC_VALUE" | sha256sum',
                cmd2: 'printf \'%s\' "$SEED:A0000001" | sha256sum',
              })}
            </Typography.Paragraph>
            <Flex gap={8} align="center" wrap>
              <Button
                icon={<Icon name="download" />}
                href={`/api/admissions/rounds/${roundId}/draw/file`}
                download={`draw-${roundId}.json`}
                data-testid="download-draw-file"
              >
                {t('draw.downloadFile')}
              </Button>
              <Typography.Text type="secondary">{t('draw.verifyHelp')}</Typography.Text>
            </Flex>
          </>
        )}
      </Card>

      <Card size="small" title={t('draw.publishCard')}>
        <Typography.Paragraph type="secondary">{t('draw.publishHelp')}</Typography.Paragraph>
        {d?.publishedAt ? (
          <Alert
            type="success"
            showIcon
            title={`${t('draw.published')} · ${who(d.publishedAt, d.publishedBy)}`}
            data-testid="published"
          />
        ) : d?.status === 'drawn' ? (
          <Button
            type="primary"
            onClick={() => confirm(t('draw.publishConfirm'), 'publish')}
            data-testid="publish-results"
          >
            {t('draw.publish')}
          </Button>
        ) : (
          <Typography.Text type="secondary">{t('draw.waitDraw')}</Typography.Text>
        )}
      </Card>
    </Flex>
  );
}
