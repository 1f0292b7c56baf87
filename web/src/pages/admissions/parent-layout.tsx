import { useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Typography } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { signedOut, useMe } from '../../api/queries.ts';
import type { Me } from '../../api/types.ts';
import { FullPageSpin } from '../../components/full-page-spin.tsx';
import { Icon } from '../../components/icons.tsx';
import { ErrorAlert } from '../../components/states.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { LangSwitch } from '../../layout/user-menu.tsx';
import '../../i18n/messages/admissions.ts';

/** The parent portal's frame: phone-first, one column, no staff menu. */
export function ParentFrame({ title, children, me }: { title: string; children: ReactNode; me?: Me | null }) {
  const { t } = useLang();
  const client = useQueryClient();
  const navigate = useNavigate();
  useEffect(() => {
    document.title = `${title} · ${t('app.short')}`;
  }, [title, t]);
  const signOut = async () => {
    await api.post('/api/auth/logout').catch(() => {});
    signedOut(client);
    navigate('/parent', { replace: true });
  };
  return (
    <div style={{ minHeight: '100vh', background: '#f5f7fa' }}>
      <Flex
        align="center"
        justify="space-between"
        gap={8}
        style={{ background: '#1f6feb', color: '#fff', padding: '10px 12px' }}
      >
        <Link to="/parent/home" style={{ color: '#fff', minWidth: 0 }}>
          <Flex align="center" gap={8}>
            <Icon name="school" style={{ fontSize: 22 }} />
            <Typography.Text strong style={{ color: '#fff' }} ellipsis>
              {t('adm.portal')}
            </Typography.Text>
          </Flex>
        </Link>
        <Flex gap={4} align="center">
          <LangSwitch compact />
          {me && (
            <Button size="small" onClick={() => void signOut()} data-testid="parent-sign-out">
              {t('adm.signOut')}
            </Button>
          )}
        </Flex>
      </Flex>
      <div style={{ maxWidth: 560, margin: '0 auto', padding: '12px 12px 48px' }}>
        <Typography.Title level={4} style={{ margin: '4px 0 12px' }}>
          {title}
        </Typography.Title>
        {children}
      </div>
    </div>
  );
}

/** The signed-in portal: a signed-out visitor goes to /parent; a password reset by a clerk is changed first. */
export function RequireParent({ children }: { children: (me: Me) => ReactNode }) {
  const { data: me, isPending, error, refetch } = useMe();
  if (isPending) return <FullPageSpin />;
  if (error) return <ErrorAlert error={error} onRetry={() => void refetch()} />;
  if (me?.role !== 'parent') return <Navigate to="/parent" replace />;
  if (me.mustChangePassword) return <Navigate to="/account/password" replace />;
  return children(me);
}
