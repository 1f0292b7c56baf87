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
  {
    path: '/indicators',
    label: 'nav.indicatorDashboard',
    icon: 'gauge',
    action: 'indicators.read',
    group: 'nav.indicators',
  },
  {
    path: '/indicators/compare',
    label: 'nav.indicatorCompare',
    icon: 'ranking',
    action: 'indicators.read',
    group: 'nav.indicators',
  },
  {
    path: '/indicators/drill',
    label: 'nav.indicatorDrill',
    icon: 'drill',
    action: 'indicators.read',
    group: 'nav.indicators',
  },
  {
    path: '/indicators/targets',
    label: 'nav.indicatorTargets',
    icon: 'target',
    action: 'indicators.read',
    group: 'nav.indicators',
  },
  {
    path: '/admissions/rounds',
    label: 'nav.admissionRounds',
    icon: 'school',
    action: 'admissions.manage',
    group: 'nav.admissions',
  },
  {
    path: '/admissions/queue',
    label: 'nav.admissionQueue',
    icon: 'audit',
    action: 'admissions.verify',
    group: 'nav.admissions',
  },
  {
    path: '/admissions/counts',
    label: 'nav.admissionCounts',
    icon: 'ranking',
    action: 'admissions.manage',
    group: 'nav.admissions',
  },
  {
    path: '/admissions/draw',
    label: 'nav.admissionDraw',
    icon: 'target',
    action: 'admissions.manage',
    group: 'nav.admissions',
  },
  {
    path: '/admissions/appeals',
    label: 'nav.admissionAppeals',
    icon: 'audit',
    action: 'admissions.verify',
    group: 'nav.admissions',
  },
  {
    path: '/forecast',
    label: 'nav.forecastRuns',
    icon: 'ranking',
    action: 'forecast.read',
    group: 'nav.forecast',
  },
  {
    path: '/forecast/new',
    label: 'nav.forecastNew',
    icon: 'plus',
    action: 'forecast.run',
    group: 'nav.forecast',
  },
  {
    path: '/forecast/compare',
    label: 'nav.forecastCompare',
    icon: 'drill',
    action: 'forecast.read',
    group: 'nav.forecast',
  },
  {
    path: '/planning',
    label: 'nav.planningScenarios',
    icon: 'map',
    action: 'forecast.read',
    group: 'nav.planning',
  },
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
  // The longest module path the location lies under: /indicators/targets before /indicators.
  const under = MODULES.filter(
    (m) => m.path !== '/' && (pathname === m.path || pathname.startsWith(`${m.path}/`)),
  );
  return under.sort((a, b) => b.path.length - a.path.length)[0]?.path ?? '';
}
