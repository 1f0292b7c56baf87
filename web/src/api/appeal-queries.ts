import { useQuery } from '@tanstack/react-query';
import type { AppealList, AppealView, MyAppeal } from '../../../src/server/admissions-appeal-contracts.ts';
import { api, type Query } from './client.ts';

/** The appeals API as TanStack queries: the family's appeal and the office's list and single view. */

export function useMyAppeal(applicationId: number) {
  return useQuery({
    queryKey: ['adm', 'my-appeal', applicationId],
    queryFn: () => api.get<MyAppeal>(`/api/admissions/my/applications/${applicationId}/appeal`),
  });
}

export function useAppeals(roundId: number | undefined, query: Query) {
  return useQuery({
    queryKey: ['adm', 'appeals', roundId, query],
    queryFn: ({ signal }) => api.get<AppealList>(`/api/admissions/rounds/${roundId}/appeals`, query, signal),
    enabled: Boolean(roundId),
    placeholderData: (previous) => previous,
  });
}

export function useAppeal(id: number | null) {
  return useQuery({
    queryKey: ['adm', 'appeal', id],
    queryFn: () => api.get<AppealView>(`/api/admissions/appeals/${id}`),
    enabled: id !== null,
  });
}
