import { Card, Result } from 'antd';
import { useCurrentUser } from '../api/queries.ts';
import { PageHeader } from '../components/page-header.tsx';
import { useLang } from '../i18n/lang.tsx';

/** Home for users without the dashboard (parents, until the admissions pages arrive). */
export default function WelcomePage() {
  const { t, pick } = useLang();
  const me = useCurrentUser();
  return (
    <>
      <PageHeader title={t('nav.home')} />
      <Card>
        <Result
          status="info"
          title={`${me.displayName} · ${pick(me.roleLabel)}`}
          subTitle={t('dashboard.noModules')}
        />
      </Card>
    </>
  );
}
