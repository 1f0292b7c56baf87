import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, type MenuProps } from 'antd';
import { useNavigate } from 'react-router';
import { api } from '../api/client.ts';
import { signedOut, useCurrentUser } from '../api/queries.ts';
import { Icon } from '../components/icons.tsx';
import { type Lang, useLang } from '../i18n/lang.tsx';

/** A button that switches between Chinese and English (the choice is kept in localStorage). */
export function LangSwitch({ compact }: { compact?: boolean }) {
  const { lang, setLang, t } = useLang();
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  return (
    <Button
      type="text"
      icon={<Icon name="globe" />}
      onClick={() => setLang(other)}
      aria-label={t('lang.switch')}
      data-testid="lang-switch"
      lang={other === 'zh' ? 'zh-CN' : 'en'}
    >
      {compact ? (other === 'zh' ? '中' : 'EN') : t(other === 'zh' ? 'lang.zh' : 'lang.en')}
    </Button>
  );
}

export function UserMenu({ compact }: { compact?: boolean }) {
  const me = useCurrentUser();
  const { t, pick, lang, setLang } = useLang();
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();

  const leave = async (path: '/api/auth/logout' | '/api/auth/logout-all') => {
    try {
      await api.post(path);
    } catch (e) {
      // A session that has already ended is as good as signed out; anything else is worth saying.
      if (!(e instanceof Error && 'status' in e && e.status === 401)) {
        message.error((e as Error).message);
        return;
      }
    }
    signedOut(client);
    navigate('/login', { replace: true });
  };

  const scope = me.schoolName ?? me.regionName;
  const items: MenuProps['items'] = [
    {
      key: 'who',
      disabled: true,
      label: (
        <div style={{ lineHeight: 1.5, color: 'rgba(0,0,0,0.75)' }}>
          <div style={{ fontWeight: 600 }}>{me.displayName}</div>
          <div style={{ fontSize: 12 }}>
            {pick(me.roleLabel)}
            {scope ? ` · ${scope}` : ''}
          </div>
        </div>
      ),
    },
    { type: 'divider' },
    { key: 'password', icon: <Icon name="key" />, label: t('user.changePassword') },
    {
      key: 'lang',
      icon: <Icon name="globe" />,
      label: t('lang.switch'),
      children: [
        { key: 'lang:zh', label: `${lang === 'zh' ? '✓ ' : ''}${t('lang.zh')}` },
        { key: 'lang:en', label: `${lang === 'en' ? '✓ ' : ''}${t('lang.en')}` },
      ],
    },
    { type: 'divider' },
    { key: 'logout', icon: <Icon name="logout" />, label: t('user.logout') },
    { key: 'logout-all', danger: true, icon: <Icon name="logout" />, label: t('user.logoutAll') },
  ];

  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') navigate('/account/password');
    else if (key === 'lang:zh' || key === 'lang:en') setLang(key.slice(5) as Lang);
    else if (key === 'logout') void leave('/api/auth/logout');
    else if (key === 'logout-all')
      modal.confirm({
        title: t('user.logoutAll'),
        content: t('user.logoutAllConfirm'),
        okText: t('common.ok'),
        cancelText: t('common.cancel'),
        okButtonProps: { danger: true },
        onOk: () => leave('/api/auth/logout-all'),
      });
  };

  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" icon={<Icon name="user" />} aria-label={t('user.menu')} data-testid="user-menu">
        {compact ? null : me.displayName}
      </Button>
    </Dropdown>
  );
}
