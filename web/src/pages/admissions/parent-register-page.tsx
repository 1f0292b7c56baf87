import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client.ts';
import { signedIn } from '../../api/queries.ts';
import type { Me } from '../../api/types.ts';
import { useLang } from '../../i18n/lang.tsx';
import { ParentFrame } from './parent-layout.tsx';
import { PhoneField } from './parent-sign-in-page.tsx';
import '../../i18n/messages/admissions.ts';

interface Fields {
  phone: string;
  password: string;
  displayName?: string;
}

/** A family registers itself; no SMS provider is configured, which the page says plainly. */
export default function ParentRegisterPage() {
  const { t } = useLang();
  const client = useQueryClient();
  const navigate = useNavigate();
  const register = useMutation({
    mutationFn: async (v: Fields) => {
      await api.post('/api/admissions/parents', { ...v, phone: v.phone.trim() });
      return api.post<Me>('/api/auth/login', { username: v.phone.trim(), password: v.password });
    },
    onSuccess: (me) => {
      signedIn(client, me);
      navigate('/parent/home', { replace: true });
    },
  });
  const fieldError = (name: string) =>
    register.error && 'field' in register.error && register.error.field === name
      ? register.error.message
      : undefined;
  return (
    <ParentFrame title={t('adm.register')}>
      <Alert type="info" showIcon title={t('adm.smsNotConfigured')} style={{ marginBottom: 12 }} />
      <Card>
        {register.error && !fieldError('phone') && !fieldError('password') && (
          <Alert type="error" showIcon title={register.error.message} style={{ marginBottom: 12 }} />
        )}
        <Form<Fields> layout="vertical" requiredMark={false} onFinish={(v) => register.mutate(v)}>
          <PhoneField error={fieldError('phone')} />
          <Form.Item
            name="password"
            label={t('adm.password')}
            extra={t('adm.passwordHelp')}
            validateStatus={fieldError('password') ? 'error' : undefined}
            help={fieldError('password')}
            rules={[{ required: true, min: 10, message: t('adm.passwordHelp') }]}
          >
            <Input.Password size="large" autoComplete="new-password" data-testid="parent-password" />
          </Form.Item>
          <Form.Item name="displayName" label={t('adm.displayName')}>
            <Input size="large" maxLength={30} />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            size="large"
            loading={register.isPending}
            data-testid="parent-register"
          >
            {t('adm.register')}
          </Button>
        </Form>
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          <Link to="/parent">{t('adm.haveAccount')}</Link>
        </Typography.Paragraph>
      </Card>
    </ParentFrame>
  );
}
