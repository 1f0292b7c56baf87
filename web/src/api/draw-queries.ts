import { useQuery } from '@tanstack/react-query';
import type { DrawView } from '../../../src/server/admissions-draw-contracts.ts';
import type {
  AdmittedView,
  FamilyResultView,
  PublicAdmittedView,
  PublicResultsView,
  ResultsView,
} from '../../../src/server/admissions-results-contracts.ts';
import { ApiFailure, api } from './client.ts';

/** The draw and results API as TanStack queries: the office's draw page and results, a family's result. */

/** The round's draw, or null before the list is frozen (the API answers 404 then). */
export function useDraw(roundId: number | undefined) {
  return useQuery({
    queryKey: ['adm', 'draw', roundId],
    queryFn: () =>
      api
        .get<DrawView>(`/api/admissions/rounds/${roundId}/draw`)
        .catch((e) => (e instanceof ApiFailure && e.status === 404 ? null : Promise.reject(e))),
    enabled: Boolean(roundId),
  });
}

export function useResults(roundId: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['adm', 'results', roundId],
    queryFn: () => api.get<ResultsView>(`/api/admissions/rounds/${roundId}/results`),
    enabled: Boolean(roundId) && enabled,
  });
}

export function useAdmitted(roundId: number, schoolId: number) {
  return useQuery({
    queryKey: ['adm', 'admitted', roundId, schoolId],
    queryFn: () => api.get<AdmittedView>(`/api/admissions/rounds/${roundId}/results/schools/${schoolId}`),
  });
}

export function useMyResult(applicationId: number) {
  return useQuery({
    queryKey: ['adm', 'my-result', applicationId],
    queryFn: () => api.get<FamilyResultView>(`/api/admissions/my/applications/${applicationId}/result`),
  });
}

/** The per-school results every family of the round reads once published. */
export function usePublicResults(roundId: number, enabled: boolean) {
  return useQuery({
    queryKey: ['adm', 'public-results', roundId],
    queryFn: () => api.get<PublicResultsView>(`/api/admissions/my/rounds/${roundId}/results`),
    enabled,
  });
}

/** One school's admitted list for the families: application numbers, masked names. */
export function usePublicAdmitted(roundId: number, schoolId: number) {
  return useQuery({
    queryKey: ['adm', 'public-admitted', roundId, schoolId],
    queryFn: () =>
      api.get<PublicAdmittedView>(`/api/admissions/my/rounds/${roundId}/results/schools/${schoolId}`),
  });
}
