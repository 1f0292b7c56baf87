import { useQuery } from '@tanstack/react-query';
import { api, type Query } from './client.ts';
import type {
  ApplicationView,
  CountsView,
  QueueView,
  RoundOptions,
  RoundSummary,
  RoundView,
} from './types.ts';

/** The admissions API as TanStack queries: the parent portal (`my`) and the bureau's pages. */

export function useMyRounds() {
  return useQuery({
    queryKey: ['adm', 'my-rounds'],
    queryFn: () => api.get<{ rounds: RoundSummary[] }>('/api/admissions/my/rounds'),
  });
}

export function useRoundOptions(id: number | undefined) {
  return useQuery({
    queryKey: ['adm', 'options', id],
    queryFn: () => api.get<RoundOptions>(`/api/admissions/my/rounds/${id}`),
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
  });
}

export function useMyApplications() {
  return useQuery({
    queryKey: ['adm', 'my-applications'],
    queryFn: () => api.get<{ applications: ApplicationView[] }>('/api/admissions/my/applications'),
  });
}

export function useMyApplication(id: number) {
  return useQuery({
    queryKey: ['adm', 'my-application', id],
    queryFn: () => api.get<ApplicationView>(`/api/admissions/my/applications/${id}`),
  });
}

export function useRounds() {
  return useQuery({
    queryKey: ['adm', 'rounds'],
    queryFn: () => api.get<{ rounds: RoundSummary[] }>('/api/admissions/rounds'),
  });
}

export function useRound(id: number | undefined) {
  return useQuery({
    queryKey: ['adm', 'round', id],
    queryFn: () => api.get<RoundView>(`/api/admissions/rounds/${id}`),
    enabled: Boolean(id),
  });
}

export function useQueue(id: number | undefined, query: Query) {
  return useQuery({
    queryKey: ['adm', 'queue', id, query],
    queryFn: ({ signal }) => api.get<QueueView>(`/api/admissions/rounds/${id}/queue`, query, signal),
    enabled: Boolean(id),
    placeholderData: (previous) => previous,
  });
}

export function useApplication(id: number | null) {
  return useQuery({
    queryKey: ['adm', 'application', id],
    queryFn: () => api.get<ApplicationView>(`/api/admissions/applications/${id}`),
    enabled: id !== null,
  });
}

export function useCounts(id: number | undefined) {
  return useQuery({
    queryKey: ['adm', 'counts', id],
    queryFn: () => api.get<CountsView>(`/api/admissions/rounds/${id}/counts`),
    enabled: Boolean(id),
    refetchInterval: 15_000,
  });
}
