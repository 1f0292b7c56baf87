import { Breadcrumb } from 'antd';
import { Link, useMatches, useParams } from 'react-router';
import { useSchool } from '../api/queries.ts';
import { useLang } from '../i18n/lang.tsx';
import type { RouteHandle } from '../router.tsx';

/** The school's name in the breadcrumb (shares the page's query, so no second request). */
export function SchoolCrumb() {
  const { id } = useParams();
  const { data } = useSchool(id);
  return <>{data?.name ?? '…'}</>;
}

export function Breadcrumbs() {
  const { t } = useLang();
  const matches = useMatches();
  const crumbs = matches.filter((m) => (m.handle as RouteHandle | undefined)?.crumb);
  const items = [
    { key: '/', title: crumbs.length ? <Link to="/">{t('nav.home')}</Link> : t('nav.home') },
    ...crumbs.map((m, i) => {
      const crumb = (m.handle as RouteHandle).crumb;
      const Text = typeof crumb === 'function' ? crumb : null;
      const text = Text ? <Text key={m.id} /> : t(crumb as Exclude<RouteHandle['crumb'], () => unknown>);
      const last = i === crumbs.length - 1;
      return { key: m.id, title: last ? text : <Link to={m.pathname}>{text}</Link> };
    }),
  ];
  return <Breadcrumb items={items} style={{ marginBottom: 12 }} />;
}
