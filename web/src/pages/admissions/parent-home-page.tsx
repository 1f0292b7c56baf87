import { Button, Card, Empty, Flex, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useMyApplications, useMyRounds } from '../../api/admissions-queries.ts';
import { ErrorAlert, Loading } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { ParentFrame, RequireParent } from './parent-layout.tsx';
import { StatusTag } from './parent-status-page.tsx';
import '../../i18n/messages/admissions.ts';

/** The family's home: its applications with their status, and the rounds open for registration. */
export default function ParentHomePage() {
  const { t } = useLang();
  return (
    <RequireParent>
      {(me) => (
        <ParentFrame title={t('adm.myApplications')} me={me}>
          <Home />
        </ParentFrame>
      )}
    </RequireParent>
  );
}

function Home() {
  const { t } = useLang();
  const apps = useMyApplications();
  const rounds = useMyRounds();
  if (apps.error || rounds.error) return <ErrorAlert error={apps.error ?? rounds.error} />;
  if (!apps.data || !rounds.data) return <Loading />;
  return (
    <Flex vertical gap={12}>
      {apps.data.applications.length === 0 && <Empty description={t('adm.noApplications')} />}
      {apps.data.applications.map((a) => (
        <Card key={a.id} size="small" data-testid={`my-application-${a.applicationNo}`}>
          <Flex justify="space-between" align="center" gap={8} wrap>
            <div>
              <b>{a.child.name}</b> <Typography.Text type="secondary">{a.applicationNo}</Typography.Text>
              <div>
                <Typography.Text type="secondary">{a.roundName}</Typography.Text>
              </div>
            </div>
            <StatusTag status={a.status} />
          </Flex>
          {a.returnReason && (
            <Typography.Paragraph type="danger" style={{ margin: '8px 0 0' }}>
              {t('adm.returnReason')}：{a.returnReason}
            </Typography.Paragraph>
          )}
          <Link to={`/parent/applications/${a.id}`}>
            <Button block style={{ marginTop: 8 }}>
              {t('adm.view')}
            </Button>
          </Link>
        </Card>
      ))}
      <Typography.Title level={5} style={{ margin: '12px 0 0' }}>
        {t('adm.openRounds')}
      </Typography.Title>
      {rounds.data.rounds.length === 0 && <Empty description={t('adm.noRounds')} />}
      {rounds.data.rounds.map((r) => (
        <Card key={r.id} size="small">
          <b>{r.name}</b>
          <div>
            <Typography.Text type="secondary">{t('adm.deadline', { time: r.deadline })}</Typography.Text>
          </div>
          {r.accepting ? (
            <Link to={`/parent/apply/${r.id}`}>
              <Button type="primary" block style={{ marginTop: 8 }} data-testid={`apply-${r.id}`}>
                {t('adm.apply')}
              </Button>
            </Link>
          ) : (
            <Tag style={{ marginTop: 8 }}>{t('adm.closed')}</Tag>
          )}
        </Card>
      ))}
    </Flex>
  );
}
