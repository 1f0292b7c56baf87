import type { MenuProps } from 'antd';
import type { Me } from '../api/types.ts';
import { Icon, type IconName } from '../components/icons.tsx';
import type { Translate } from '../i18n/lang.tsx';
import type { MessageKey } from '../i18n/messages.ts';

interface Module {
  path: string;
  label: MessageKey;
  icon: IconName;
  action: string;
  group?: MessageKey;
}

/** The modules that exist, each shown only to users whose actions allow it. */
export const MODULES: readonly Module[] = [
  { path: '/', label: 'nav.dashboard', icon: 'dashboard', action: 'dashboard.read' },
  { path: '/regions', label: 'nav.regions', icon: 'tree', action: 'registry.read', group: 'nav.registry' },
  { path: '/schools', label: 'nav.schools', icon: 'school', action: 'registry.read', group: 'nav.registry' },
  { path: '/map', label: 'nav.map', icon: 'map', action: 'registry.read', group: 'nav.registry' },
  { path: '/imports', label: 'nav.imports', icon: 'upload', action: 'import.run' },
  { path: '/users', label: 'nav.users', icon: 'users', action: 'user.manage' },
  { path: '/audit', label: 'nav.audit', icon: 'audit', action: 'audit.read' },
];

export function menuItems(me: Me, t: Translate): NonNullable<MenuProps['items']> {
  const items: NonNullable<MenuProps['items']> = [];
  const groups = new Map<
    string,
    { key: string; type: 'group'; label: string; children: NonNullable<MenuProps['items']> }
  >();
  for (const m of MODULES) {
    if (!me.actions.includes(m.action)) continue;
    const item = { key: m.path, icon: <Icon name={m.icon} />, label: t(m.label) };
    if (!m.group) {
      items.push(item);
      continue;
    }
    let group = groups.get(m.group);
    if (!group) {
      group = { key: m.group, type: 'group', label: t(m.group), children: [] };
      groups.set(m.group, group);
      items.push(group);
    }
    group.children.push(item);
  }
  return items;
}

/** The menu key of a location: the module it lies in. */
export function selectedModule(pathname: string): string {
  if (pathname === '/') return '/';
  const first = `/${pathname.split('/')[1] ?? ''}`;
  return MODULES.some((m) => m.path === first) ? first : '';
}
