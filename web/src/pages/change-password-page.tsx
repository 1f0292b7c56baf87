import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { fetchMe, ME_KEY, signedOut, useCurrentUser } from '../api/queries.ts';
import { PageHeader } from '../components/page-header.tsx';
import { useLang } from '../i18n/lang.tsx';

interface Fields {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function ChangePasswordPage() {
  const { t } = useLang();
  const me = useCurrentUser();
  const { message } = App.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<Fields>();
  const change = useMutation({
    mutationFn: (v: Fields) =>
      api.post<void>('/api/auth/password', {
        currentPassword: v.currentPassword,
        newPassword: v.newPassword,
      }),
    onSuccess: async () => {
      // The server may end the session with the change: then sign in again with the new password.
      const me = await fetchMe();
      if (me) {
        client.setQueryData(ME_KEY, me);
        message.success(t('password.done'));
        navigate('/', { replace: true });
      } else {
        message.success(t('password.doneSignIn'));
        navigate('/login', { replace: true });
        signedOut(client);
      }
    },
  });
  const fieldError = (name: string) =>
    change.error && 'field' in change.error && change.error.field === name ? change.error.message : undefined;

  return (
    <>
      <PageHeader title={t('password.title')} />
      <Card style={{ maxWidth: 520 }}>
        {me.mustChangePassword && (
          <Alert type="warning" showIcon title={t('password.forced')} style={{ marginBottom: 16 }} />
        )}
        {change.error &&
          !(fieldError('newPassword') || fieldError('currentPassword') || fieldError('password')) && (
            <Alert type="error" showIcon title={change.error.message} style={{ marginBottom: 16 }} />
          )}
        <Form<Fields> form={form} layout="vertical" onFinish={(v) => change.mutate(v)} requiredMark={false}>
          <Form.Item
            name="currentPassword"
            label={t('password.current')}
            rules={[{ required: true, message: t('login.required', { field: t('password.current') }) }]}
            validateStatus={fieldError('currentPassword') ? 'error' : undefined}
            help={fieldError('currentPassword')}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('password.new')}
            extra={t('password.rules')}
            rules={[{ required: true, message: t('login.required', { field: t('password.new') }) }]}
            validateStatus={fieldError('newPassword') || fieldError('password') ? 'error' : undefined}
            help={fieldError('newPassword') ?? fieldError('password')}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirm"
            label={t('password.confirm')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('login.required', { field: t('password.confirm') }) },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  !value || value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('password.mismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={change.isPending}>
            {t('common.save')}
          </Button>
        </Form>
      </Card>
    </>
  );
}
