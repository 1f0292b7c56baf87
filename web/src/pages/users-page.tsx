import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Form,
  type FormInstance,
  Input,
  Modal,
  Select,
  Switch,
  Table,
  type TableProps,
  Tag,
} from 'antd';
import { useMemo, useState } from 'react';
import { api, isApiFailure } from '../api/client.ts';
import { useRegions, useUsers } from '../api/queries.ts';
import type { CreateUserBody, SchoolList, UserView } from '../api/types.ts';
import { Icon } from '../components/icons.tsx';
import { PageHeader } from '../components/page-header.tsx';
import { EmptyState, ErrorAlert } from '../components/states.tsx';
import { useLang } from '../i18n/lang.tsx';
import { ALL_ROLES, CITY_ROLES, labelOf } from '../labels.ts';
import { formatInstant } from '../time.ts';

type CreateFields = Required<Pick<CreateUserBody, 'username' | 'displayName' | 'password' | 'role'>> & {
  regionCode?: string;
  schoolCode?: string;
};

/** Puts a server error on the form field it names, or returns false when it names none of them. */
function showOnField<T>(form: FormInstance<T>, error: unknown, fields: string[]): boolean {
  if (!isApiFailure(error) || !error.field) return false;
  const name = error.field === 'schoolId' ? 'schoolCode' : error.field;
  if (!fields.includes(name)) return false;
  form.setFields([{ name: name as never, errors: [error.message] }]);
  return true;
}

function CreateUserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, lang } = useLang();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<CreateFields>();
  const role = Form.useWatch('role', form);
  const regions = useRegions();
  const [schoolQuery, setSchoolQuery] = useState('');
  const schools = useQuery({
    queryKey: ['schools', { q: schoolQuery, pageSize: 20, purpose: 'user-form' }],
    queryFn: ({ signal }) => api.get<SchoolList>('/api/schools', { q: schoolQuery, pageSize: 20 }, signal),
    enabled: open && role === 'school_staff',
  });
  const needsRegion = role === 'county_staff' || CITY_ROLES.includes(role as (typeof CITY_ROLES)[number]);
  const regionOptions = (regions.data ?? [])
    .filter((r) =>
      role === 'county_staff' ? r.level === 'county' : r.level === 'city' || r.level === 'province',
    )
    .map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }));

  const create = useMutation({
    mutationFn: (v: CreateFields) =>
      api.post<UserView>('/api/users', {
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        password: v.password,
        role: v.role,
        regionCode: needsRegion ? (v.regionCode ?? null) : null,
        schoolCode: v.role === 'school_staff' ? (v.schoolCode ?? null) : null,
      } satisfies CreateUserBody),
    onSuccess: (u) => {
      message.success(t('users.created', { name: u.username }));
      void client.invalidateQueries({ queryKey: ['users'] });
      form.resetFields();
      onClose();
    },
    onError: (e) => {
      if (!showOnField(form, e, ['username', 'displayName', 'password', 'role', 'regionCode', 'schoolCode']))
        message.error((e as Error).message);
    },
  });
  const required = (field: string) => [{ required: true, message: t('login.required', { field }) }];

  return (
    <Modal
      open={open}
      title={t('users.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      <Form<CreateFields>
        form={form}
        layout="vertical"
        onFinish={(v) => create.mutate(v)}
        requiredMark={false}
      >
        <Form.Item name="username" label={t('users.username')} rules={required(t('users.username'))}>
          <Input autoComplete="off" maxLength={64} />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={required(t('users.displayName'))}>
          <Input autoComplete="off" maxLength={64} />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={required(t('users.role'))}>
          <Select
            options={ALL_ROLES.map((r) => ({ value: r, label: labelOf('role', r, lang) }))}
            data-testid="user-role"
          />
        </Form.Item>
        {needsRegion && (
          <Form.Item
            name="regionCode"
            label={t('users.region')}
            extra={t('users.regionHelp')}
            rules={required(t('users.region'))}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={regionOptions}
              loading={regions.isPending}
            />
          </Form.Item>
        )}
        {role === 'school_staff' && (
          <Form.Item name="schoolCode" label={t('users.school')} rules={required(t('users.school'))}>
            <Select
              showSearch={{ filterOption: false, onSearch: setSchoolQuery }}
              placeholder={t('users.schoolSearch')}
              loading={schools.isFetching}
              options={(schools.data?.rows ?? []).map((s) => ({
                value: s.code,
                label: `${s.name}（${s.code}）`,
              }))}
            />
          </Form.Item>
        )}
        <Form.Item
          name="password"
          label={t('users.password')}
          extra={`${t('users.passwordHelp')}；${t('password.rules')}`}
          rules={required(t('users.password'))}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: UserView | null; onClose: () => void }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useMutation({
    mutationFn: (v: { password: string }) =>
      api.post<void>(`/api/users/${user?.id}/password`, { password: v.password }),
    onSuccess: () => {
      message.success(t('users.passwordReset'));
      form.resetFields();
      onClose();
    },
    onError: (e) => {
      if (!showOnField(form, e, ['password'])) message.error((e as Error).message);
    },
  });
  return (
    <Modal
      open={user !== null}
      title={user ? t('users.resetFor', { name: user.username }) : ''}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={reset.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => reset.mutate(v)} requiredMark={false}>
        <Form.Item
          name="password"
          label={t('users.newPassword')}
          extra={`${t('users.passwordHelp')}；${t('password.rules')}`}
          rules={[{ required: true, message: t('login.required', { field: t('users.newPassword') }) }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function UsersPage() {
  const { t, lang } = useLang();
  const { message } = App.useApp();
  const client = useQueryClient();
  const { data, error, isPending, refetch } = useUsers();
  const regions = useRegions();
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<UserView | null>(null);
  const regionName = useMemo(
    () => new Map((regions.data ?? []).map((r) => [r.code, r.name])),
    [regions.data],
  );

  const setActive = useMutation({
    mutationFn: ({ id, active }: { id: number; active: boolean }) =>
      api.patch<UserView>(`/api/users/${id}`, { active }),
    onSuccess: (u) => {
      client.setQueryData<UserView[]>(['users'], (list) => list?.map((x) => (x.id === u.id ? u : x)));
      message.success(t('users.updated'));
    },
    onError: (e) => message.error((e as Error).message),
  });

  const q = filter.trim().toLowerCase();
  const rows = (data ?? []).filter(
    (u) => !q || u.username.toLowerCase().includes(q) || u.displayName.toLowerCase().includes(q),
  );
  const columns: TableProps<UserView>['columns'] = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      sorter: (a, b) => a.username.localeCompare(b.username),
    },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    {
      title: t('users.role'),
      dataIndex: 'role',
      render: (r: string) => labelOf('role', r, lang),
      filters: ALL_ROLES.map((r) => ({ text: labelOf('role', r, lang), value: r })),
      onFilter: (v, u) => u.role === v,
    },
    {
      title: t('users.scope'),
      key: 'scope',
      render: (_, u) =>
        u.schoolId != null
          ? t('users.schoolId', { id: u.schoolId })
          : u.regionCode
            ? `${regionName.get(u.regionCode) ?? ''} ${u.regionCode}`.trim()
            : '—',
    },
    {
      title: t('users.active'),
      dataIndex: 'active',
      render: (active: boolean, u) => (
        <>
          <Switch
            size="small"
            checked={active}
            loading={setActive.isPending && setActive.variables?.id === u.id}
            onChange={(v) => setActive.mutate({ id: u.id, active: v })}
            aria-label={t('users.active')}
          />
          {u.locked && (
            <Tag color="red" style={{ marginInlineStart: 8 }}>
              {t('users.locked')}
            </Tag>
          )}
        </>
      ),
    },
    {
      title: t('users.createdAt'),
      dataIndex: 'createdAt',
      render: (v: string) => formatInstant(v),
      sorter: (a, b) => a.createdAt.localeCompare(b.createdAt),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, u) => (
        <Button size="small" onClick={() => setResetting(u)}>
          {t('users.resetPassword')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('users.title')}
        extra={
          <>
            <Input.Search
              allowClear
              placeholder={t('users.filter')}
              onChange={(e) => setFilter(e.target.value)}
              style={{ width: 220 }}
            />
            <Button
              type="primary"
              icon={<Icon name="plus" />}
              onClick={() => setCreating(true)}
              data-testid="user-create"
            >
              {t('users.create')}
            </Button>
          </>
        }
      />
      <Card>
        {error ? (
          <ErrorAlert error={error} onRetry={() => void refetch()} />
        ) : (
          <Table<UserView>
            rowKey="id"
            size="middle"
            loading={isPending}
            columns={columns}
            dataSource={rows}
            scroll={{ x: 900 }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            locale={{ emptyText: isPending ? ' ' : <EmptyState description={t('users.empty')} /> }}
          />
        )}
      </Card>
      <CreateUserModal open={creating} onClose={() => setCreating(false)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
