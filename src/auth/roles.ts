/**
 * Roles, their scopes, and the one authorisation rule every route asks: `authorize(user, action, resource)`.
 * Scope: city roles see the city (or province) their region code names; county staff their county;
 * school staff their school; parents only their own applications (admissions module).
 */

export const ROLES = [
  'city_admin',
  'city_planning',
  'city_admissions',
  'city_statistics',
  'city_finance',
  'city_personnel',
  'city_welfare',
  'county_staff',
  'school_staff',
  'parent',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  city_admin: { zh: '市级管理员', en: 'City administrator' },
  city_planning: { zh: '发展规划科', en: 'City planning office' },
  city_admissions: { zh: '基础教育科（招生）', en: 'City admissions office' },
  city_statistics: { zh: '统计', en: 'City statistics office' },
  city_finance: { zh: '计划财务科', en: 'City finance office' },
  city_personnel: { zh: '人事科', en: 'City personnel office' },
  city_welfare: { zh: '学生关爱（思政/安全）', en: 'City student welfare office' },
  county_staff: { zh: '县区教育局', en: 'County bureau staff' },
  school_staff: { zh: '学校', en: 'School staff' },
  parent: { zh: '家长', en: 'Parent' },
};

export const ACTIONS = [
  'dashboard.read',
  'registry.read',
  'registry.write',
  /** Children's personal records: the pupil register, disabled children, applications' details. */
  'personal.read',
  /** Staff records: the teacher register. */
  'staff.read',
  'personal.unmasked',
  'import.run',
  'export.run',
  'user.manage',
  'audit.read',
  'indicators.read',
  'targets.write',
  'forecast.read',
  'forecast.run',
  'admissions.apply',
  'admissions.manage',
  'admissions.verify',
] as const;
export type Action = (typeof ACTIONS)[number];

const CITY_READ: Action[] = [
  'dashboard.read',
  'registry.read',
  'indicators.read',
  'forecast.read',
  'export.run',
];

/** What each role may do within its scope. */
export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  // Applying is a family's act, never an administrator's.
  city_admin: ACTIONS.filter((a) => a !== 'admissions.apply'),
  city_planning: [...CITY_READ, 'import.run', 'forecast.run'],
  city_admissions: [...CITY_READ, 'personal.read', 'import.run', 'admissions.manage', 'admissions.verify'],
  city_statistics: [
    ...CITY_READ,
    'registry.write',
    'targets.write',
    'personal.read',
    'staff.read',
    'import.run',
  ],
  city_finance: CITY_READ,
  city_personnel: [...CITY_READ, 'staff.read', 'import.run'],
  city_welfare: [...CITY_READ, 'personal.read', 'personal.unmasked'],
  county_staff: [
    ...CITY_READ,
    'registry.write',
    'personal.read',
    'staff.read',
    'import.run',
    'forecast.run',
    'admissions.manage',
    'admissions.verify',
  ],
  school_staff: [
    'dashboard.read',
    'registry.read',
    'indicators.read',
    'personal.read',
    'staff.read',
    'export.run',
  ],
  parent: ['admissions.apply'],
};

/** The signed-in user as authorisation sees it. */
export interface Principal {
  id: number;
  username: string;
  role: Role;
  /** City or province code for city roles, county code for county staff. */
  regionCode: string | null;
  schoolId: number | null;
}

/** Where a record sits: its county and, for school records, its school. Absent for system-wide actions. */
export interface ResourceScope {
  countyCode?: string | null;
  schoolId?: number | null;
  /** The parent a record belongs to (an application): parents reach only their own. */
  ownerId?: number | null;
}

/** The rows a principal may see, as a filter every list query applies. */
export type ScopeFilter =
  | { kind: 'all' }
  | { kind: 'county_prefix'; prefix: string }
  | { kind: 'county'; countyCode: string }
  | { kind: 'school'; schoolId: number }
  | { kind: 'none' };

export function scopeOf(user: Principal): ScopeFilter {
  if (user.role === 'parent') return { kind: 'none' };
  if (user.role === 'school_staff')
    return user.schoolId ? { kind: 'school', schoolId: user.schoolId } : { kind: 'none' };
  if (user.role === 'county_staff')
    return user.regionCode ? { kind: 'county', countyCode: user.regionCode } : { kind: 'none' };
  const code = user.regionCode;
  if (!code) return { kind: 'all' };
  // 410000 → '41' (the province), 411400 → '4114' (the city).
  return { kind: 'county_prefix', prefix: code.endsWith('0000') ? code.slice(0, 2) : code.slice(0, 4) };
}

export function inScope(scope: ScopeFilter, resource: ResourceScope | undefined): boolean {
  if (!resource) return scope.kind !== 'none';
  switch (scope.kind) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'county_prefix':
      return resource.countyCode?.startsWith(scope.prefix) === true;
    case 'county':
      return resource.countyCode === scope.countyCode;
    case 'school':
      return resource.schoolId != null && resource.schoolId === scope.schoolId;
  }
}

/** The single authorisation rule: the role allows the action, and the resource lies in the user's scope. */
export function authorize(user: Principal, action: Action, resource?: ResourceScope): boolean {
  if (!ROLE_ACTIONS[user.role].includes(action)) return false;
  if (action === 'user.manage' || action === 'audit.read') return user.role === 'city_admin';
  if (user.role === 'parent') return !resource || resource.ownerId === user.id;
  return inScope(scopeOf(user), resource);
}

/** The actions the web client may offer this user (it hides the rest; the server still decides). */
export function allowedActions(user: Principal): Action[] {
  return ROLE_ACTIONS[user.role].filter((a) => authorize(user, a));
}
