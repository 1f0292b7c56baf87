import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Link, Navigate } from 'react-router';
import { api } from '../../api/client.ts';
import { signedIn, useMe } from '../../api/queries.ts';
import type { Me } from '../../api/types.ts';
import { FullPageSpin } from '../../components/full-page-spin.tsx';
import { useLang } from '../../i18n/lang.tsx';
import { ParentFrame } from './parent-layout.tsx';
import '../../i18n/messages/admissions.ts';

interface Fields {
  phone: string;
  password: string;
}

/** /parent: the families' own entry; the phone number is the sign-in name. */
export default function ParentSignInPage() {
  const { t } = useLang();
  const { data: me, isPending } = useMe();
  const client = useQueryClient();
  const login = useMutation({
    mutationFn: (v: Fields) =>
      api.post<Me>('/api/auth/login', { username: v.phone.trim(), password: v.password }),
    onSuccess: (user) => signedIn(client, user),
  });
  if (isPending) return <FullPageSpin />;
  if (me?.role === 'parent')
    return <Navigate to={me.mustChangePassword ? '/account/password' : '/parent/home'} replace />;
  return (
    <ParentFrame title={t('adm.signIn')}>
      <Typography.Paragraph type="secondary">{t('adm.portalSub')}</Typography.Paragraph>
      <Card>
        {login.error && (
          <Alert type="error" showIcon title={login.error.message} style={{ marginBottom: 12 }} />
        )}
        <Form<Fields> layout="vertical" requiredMark={false} onFinish={(v) => login.mutate(v)}>
          <PhoneField />
          <Form.Item
            name="password"
            label={t('adm.password')}
            rules={[{ required: true, message: t('adm.required', { field: t('adm.password') }) }]}
          >
            <Input.Password size="large" autoComplete="current-password" data-testid="parent-password" />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={login.isPending}
            data-testid="parent-sign-in"
          >
            {t('adm.signIn')}
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          <Link to="/parent/register">{t('adm.noAccount')}</Link>
        </Typography.Paragraph>
      </Card>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16 }}>
        {t('adm.smsNotConfigured')}
      </Typography.Paragraph>
      <Link to="/login">{t('adm.staffEntry')}</Link>
    </ParentFrame>
  );
}

/** The phone number (the sign-in name); `error` is the server's answer about it, shown under the field. */
export function PhoneField({ error }: { error?: string }) {
  const { t } = useLang();
  return (
    <Form.Item
      name="phone"
      label={t('adm.phone')}
      validateStatus={error ? 'error' : undefined}
      help={error}
      rules={[
        { required: true, pattern: /^1[3-9]\d{9}$/, message: t('adm.required', { field: t('adm.phone') }) },
      ]}
    >
      <Input size="large" inputMode="numeric" autoComplete="tel" maxLength={11} data-testid="parent-phone" />
    </Form.Item>
  );
}
