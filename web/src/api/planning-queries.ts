import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type {
  CreateScenarioBody,
  ScenarioCompare,
  ScenarioList,
  ScenarioSummaryView,
  ScenarioView,
  SchoolList,
} from './types.ts';

/** The planning page's queries (routes/planning.ts). */

export function useScenarios() {
  return useQuery({
    queryKey: ['planning-scenarios'],
    queryFn: ({ signal }) => api.get<ScenarioList>('/api/planning/scenarios', undefined, signal),
  });
}

export function useScenario(id: number | null) {
  return useQuery({
    queryKey: ['planning-scenario', id],
    queryFn: ({ signal }) => api.get<ScenarioView>(`/api/planning/scenarios/${id}`, undefined, signal),
    enabled: id !== null,
    staleTime: 5 * 60_000,
  });
}

export function useScenarioCompare(ids: number[]) {
  return useQuery({
    queryKey: ['planning-compare', ids],
    queryFn: ({ signal }) =>
      api.get<ScenarioCompare>('/api/planning/compare', { ids: ids.join(',') }, signal),
    enabled: ids.length >= 2,
  });
}

export function useCreateScenario() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateScenarioBody) => api.post<ScenarioSummaryView>('/api/planning/scenarios', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['planning-scenarios'] }),
  });
}

/** A county's schools of a stage for the must-keep picker (GET /api/schools), searched by name or code. */
export function usePlanningSchools(county: string | undefined, stage: string, q: string) {
  return useQuery({
    queryKey: ['planning-schools', county, stage, q],
    queryFn: ({ signal }) => api.get<SchoolList>('/api/schools', { county, stage, q, pageSize: 200 }, signal),
    enabled: Boolean(county),
    placeholderData: (previous) => previous,
  });
}
