import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api, isApiFailure, type Query, setCsrfToken } from './client.ts';
import type {
  AuditPage,
  Dashboard,
  DemoAccounts,
  ImportKind,
  MapSchools,
  Me,
  RegionNode,
  SchoolDetail,
  SchoolList,
  SchoolStudents,
  SchoolStudentsQuery,
  SchoolTeachers,
  SchoolTeachersQuery,
  UserView,
} from './types.ts';

export const ME_KEY = ['me'] as const;

/** The signed-in user, or null when signed out (401). */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (isApiFailure(e, 401)) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

/** The signed-in user inside the authenticated layout (which renders nothing until it is known). */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser outside the signed-in layout');
  return data;
}

export function can(me: Me | null | undefined, action: string): boolean {
  return Boolean(me?.actions.includes(action));
}

/** After sign-in: remember the user and their CSRF token; drop everything cached for someone else. */
export function signedIn(client: QueryClient, me: Me): void {
  setCsrfToken(me.csrfToken);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  client.setQueryData(ME_KEY, me);
}

export function signedOut(client: QueryClient): void {
  setCsrfToken(null);
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  client.setQueryData(ME_KEY, null);
}

export function useDemoAccounts() {
  return useQuery({
    queryKey: ['demo-accounts'],
    queryFn: () => api.get<DemoAccounts>('/api/auth/demo-accounts'),
    staleTime: 60_000,
    retry: false,
  });
}

export function useRegions() {
  return useQuery({
    queryKey: ['regions'],
    queryFn: () => api.get<RegionNode[]>('/api/regions'),
    staleTime: 5 * 60_000,
  });
}

/** Counties in the user's scope, for county filters (empty until the regions load). */
export function useCounties(): RegionNode[] {
  const { data } = useRegions();
  return (data ?? []).filter((r) => r.level === 'county');
}

export function useDashboard(county?: string) {
  return useQuery({
    queryKey: ['dashboard', county ?? null],
    queryFn: ({ signal }) => api.get<Dashboard>('/api/dashboard', { county }, signal),
  });
}

export function useSchools(query: Query) {
  return useQuery({
    queryKey: ['schools', query],
    queryFn: ({ signal }) => api.get<SchoolList>('/api/schools', query, signal),
    placeholderData: (previous) => previous,
  });
}

export function useSchool(id: string | undefined) {
  return useQuery({
    queryKey: ['school', id],
    queryFn: ({ signal }) =>
      api.get<SchoolDetail>(`/api/schools/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** A page of a school's pupil register (masked as the server decides; each read is audited there). */
export function useSchoolStudents(id: string, query: SchoolStudentsQuery) {
  return useQuery({
    queryKey: ['school-students', id, query],
    queryFn: ({ signal }) =>
      api.get<SchoolStudents>(`/api/schools/${encodeURIComponent(id)}/students`, query, signal),
    placeholderData: (previous) => previous,
  });
}

/** A page of a school's teacher register (masked as the server decides; each read is audited there). */
export function useSchoolTeachers(id: string, query: SchoolTeachersQuery) {
  return useQuery({
    queryKey: ['school-teachers', id, query],
    queryFn: ({ signal }) =>
      api.get<SchoolTeachers>(`/api/schools/${encodeURIComponent(id)}/teachers`, query, signal),
    placeholderData: (previous) => previous,
  });
}

export function useMapSchools(county?: string) {
  return useQuery({
    queryKey: ['map', county ?? null],
    queryFn: ({ signal }) => api.get<MapSchools>('/api/map', { county }, signal),
  });
}

export function useImportKinds() {
  return useQuery({ queryKey: ['import-kinds'], queryFn: () => api.get<ImportKind[]>('/api/imports/kinds') });
}

export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: () => api.get<UserView[]>('/api/users') });
}

export function useAudit(query: Query) {
  return useQuery({
    queryKey: ['audit', query],
    queryFn: ({ signal }) => api.get<AuditPage>('/api/audit', query, signal),
    placeholderData: (previous) => previous,
  });
}
