import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Flex, Form, Input, Row, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { api } from '../api/client.ts';
import { signedIn, useDemoAccounts, useMe } from '../api/queries.ts';
import type { DemoAccounts, Me } from '../api/types.ts';
import { FullPageSpin } from '../components/full-page-spin.tsx';
import { Icon } from '../components/icons.tsx';
import { useLang } from '../i18n/lang.tsx';
import { LangSwitch } from '../layout/user-menu.tsx';

interface Credentials {
  username: string;
  password: string;
}

/** Only same-site paths: `next` must not send the user to another origin. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function SignInPage() {
  const { t } = useLang();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { data: me, isPending } = useMe();
  const client = useQueryClient();
  const [form] = Form.useForm<Credentials>();
  const demo = useDemoAccounts();

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')}`;
  }, [t]);

  const login = useMutation({
    mutationFn: (body: Credentials) => api.post<Me>('/api/auth/login', body),
    // Signed in: the render below sends the user on (one place decides where).
    onSuccess: (user) => signedIn(client, user),
  });

  if (isPending) return <FullPageSpin />;
  if (me)
    return (
      <Navigate
        to={me.mustChangePassword ? '/account/password' : next === '/account/password' ? '/' : next}
        replace
      />
    );

  const fill = (username: string) => {
    form.setFieldsValue({ username, password: demo.data?.password ?? '' });
    login.reset();
  };

  return (
    <div style={{ minHeight: '100vh', background: 'linear-gradient(160deg, #eaf2ff 0%, #f5f7fa 60%)' }}>
      <div style={{ display: 'flex', justifyContent: 'flex-end', padding: 12 }}>
        <LangSwitch />
      </div>
      <Row justify="center" gutter={[24, 24]} style={{ padding: '0 12px 48px', margin: 0 }}>
        <Col xs={24} sm={20} md={12} lg={9} xl={8}>
          <div style={{ textAlign: 'center', marginBottom: 20 }}>
            <Icon name="school" style={{ fontSize: 40, color: '#1f6feb' }} />
            <Typography.Title level={3} style={{ margin: '8px 0 4px' }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </div>
          <Card title={t('login.title')}>
            {login.error && (
              <Alert
                type="error"
                showIcon
                title={login.error.message}
                style={{ marginBottom: 16 }}
                data-testid="login-error"
              />
            )}
            <Form<Credentials>
              form={form}
              layout="vertical"
              onFinish={(v) => login.mutate(v)}
              requiredMark={false}
              autoComplete="on"
            >
              <Form.Item
                name="username"
                label={t('login.username')}
                rules={[{ required: true, message: t('login.required', { field: t('login.username') }) }]}
              >
                <Input autoComplete="username" autoFocus size="large" />
              </Form.Item>
              <Form.Item
                name="password"
                label={t('login.password')}
                rules={[{ required: true, message: t('login.required', { field: t('login.password') }) }]}
              >
                <Input.Password autoComplete="current-password" size="large" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block size="large" loading={login.isPending}>
                {t('login.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        {demo.data?.demo && (
          <Col xs={24} sm={20} md={12} lg={11} xl={10}>
            <DemoAccountsCard demo={demo.data} onFill={fill} />
          </Col>
        )}
      </Row>
    </div>
  );
}

function DemoAccountsCard({ demo, onFill }: { demo: DemoAccounts; onFill: (username: string) => void }) {
  const { t, pick } = useLang();
  return (
    <Card
      title={
        <span>
          {t('login.demoTitle')}{' '}
          <Tag color="gold" style={{ marginInlineStart: 8 }}>
            {t('app.demoBadge')}
          </Tag>
        </span>
      }
      data-testid="demo-accounts"
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('login.demoHelp')}
      </Typography.Paragraph>
      {demo.password && (
        <Typography.Paragraph>
          {t('login.demoPassword', { password: '' })}
          <Typography.Text code copyable data-testid="demo-password">
            {demo.password}
          </Typography.Text>
        </Typography.Paragraph>
      )}
      <Flex vertical>
        {demo.accounts.map((a) => (
          <Flex
            key={a.username}
            align="center"
            gap={8}
            style={{ padding: '8px 0', borderTop: '1px solid #f0f0f0' }}
            data-testid={`demo-account-${a.role}`}
          >
            <div style={{ flex: 1, minWidth: 0 }}>
              <div>
                <b>{pick(a.roleLabel)}</b>
                {a.scope && <Typography.Text type="secondary">{` · ${a.scope}`}</Typography.Text>}
              </div>
              <Typography.Text code style={{ fontSize: 12 }}>
                {a.username}
              </Typography.Text>
            </div>
            <Button size="small" onClick={() => onFill(a.username)} data-testid={`fill-${a.username}`}>
              {t('login.fill')}
            </Button>
          </Flex>
        ))}
      </Flex>
    </Card>
  );
}
