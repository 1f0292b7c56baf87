import { Button, Card, Layout, Menu, Tag, Tooltip } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { isRouteErrorResponse, Outlet, useLocation, useNavigate, useRouteError } from 'react-router';
import { useCurrentUser } from '../api/queries.ts';
import { Icon } from '../components/icons.tsx';
import { Result } from '../components/result.tsx';
import { Loading } from '../components/states.tsx';
import { useLang } from '../i18n/lang.tsx';
import { Breadcrumbs } from './breadcrumbs.tsx';
import { menuItems, selectedModule } from './nav.tsx';
import { useIsMobile } from './use-is-mobile.ts';
import { LangSwitch, UserMenu } from './user-menu.tsx';

const { Header, Sider, Content, Footer } = Layout;
// The menu drawer is for phones only: a desktop first page does not load it.
const Drawer = lazy(() => import('antd/es/drawer'));

function Brand({ collapsed }: { collapsed?: boolean }) {
  const { t } = useLang();
  return (
    <div
      style={{
        height: 56,
        display: 'flex',
        alignItems: 'center',
        justifyContent: collapsed ? 'center' : 'flex-start',
        padding: collapsed ? 0 : '0 20px',
        fontWeight: 700,
        fontSize: 16,
        color: '#1f6feb',
        whiteSpace: 'nowrap',
        overflow: 'hidden',
      }}
    >
      <Icon name="school" style={{ fontSize: 22, marginRight: collapsed ? 0 : 8 }} />
      {collapsed ? null : t('app.short')}
    </div>
  );
}

/** The signed-in frame: module menu (side bar, or a drawer on phones), header, breadcrumb, page. */
export function AppLayout() {
  const me = useCurrentUser();
  const { t } = useLang();
  const mobile = useIsMobile();
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  // Until a required password change is done, every page leads back to it: no menu meanwhile.
  const items = me.mustChangePassword ? [] : menuItems(me, t);
  const selected = selectedModule(location.pathname);
  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={selected ? [selected] : []}
      onClick={({ key }) => {
        setDrawerOpen(false);
        navigate(key);
      }}
      style={{ borderInlineEnd: 'none' }}
      data-testid="module-menu"
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }} className={mobile ? 'ea-mobile' : undefined}>
      {!mobile && items.length > 0 && (
        <Sider
          theme="light"
          width={220}
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          style={{ borderInlineEnd: '1px solid #eef0f3' }}
        >
          <Brand collapsed={collapsed} />
          {menu}
        </Sider>
      )}
      {mobile && (
        <Suspense fallback={null}>
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={260}
            title={t('app.short')}
            styles={{ body: { padding: 0 } }}
          >
            {menu}
          </Drawer>
        </Suspense>
      )}
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: mobile ? '0 8px' : '0 24px',
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            borderBottom: '1px solid #eef0f3',
            height: 56,
            lineHeight: '56px',
          }}
        >
          {mobile && items.length > 0 && (
            <Button
              type="text"
              icon={<Icon name="menu" />}
              onClick={() => setDrawerOpen(true)}
              aria-label={t('nav.menu')}
              data-testid="menu-button"
            />
          )}
          <span
            style={{
              fontWeight: 600,
              fontSize: mobile ? 15 : 17,
              whiteSpace: 'nowrap',
              overflow: 'hidden',
              textOverflow: 'ellipsis',
              minWidth: 0,
            }}
          >
            {mobile ? t('app.short') : t('app.name')}
          </span>
          {me.demo && (
            <Tooltip title={t('app.demoHint')}>
              <Tag color="gold" style={{ marginInlineEnd: 0 }} data-testid="demo-badge">
                {t('app.demoBadge')}
              </Tag>
            </Tooltip>
          )}
          <div style={{ flex: 1 }} />
          <LangSwitch compact={mobile} />
          <UserMenu compact={mobile} />
        </Header>
        <Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
          <Breadcrumbs />
          <Suspense
            fallback={
              <Card>
                <Loading />
              </Card>
            }
          >
            <Outlet />
          </Suspense>
        </Content>
        <Footer style={{ textAlign: 'center', color: '#8a8f98', padding: '12px 24px', fontSize: 12 }}>
          {t('app.name')} · Apache-2.0
        </Footer>
      </Layout>
    </Layout>
  );
}

/** Shown when a route fails to render or its chunk cannot load (e.g. after a deploy). */
export function RouteError() {
  const error = useRouteError();
  const { t } = useLang();
  const text = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : (error as Error)?.message;
  return (
    <Result
      status="error"
      title={t('common.error')}
      subTitle={text}
      extra={
        <Button type="primary" onClick={() => window.location.assign('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}
