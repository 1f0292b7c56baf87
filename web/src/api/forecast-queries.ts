import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';
import type {
  BalanceView,
  CompareView,
  CreateRunBody,
  OutlinesView,
  RunList,
  RunView,
  SeriesView,
} from './types.ts';

/** The forecast pages' queries (routes/forecast.ts and routes/forecast-web.ts). */

export function useForecastRuns() {
  return useQuery({
    queryKey: ['forecast-runs'],
    queryFn: ({ signal }) => api.get<RunList>('/api/forecast/runs', undefined, signal),
  });
}

export function useForecastRun(run: number) {
  return useQuery({
    queryKey: ['forecast-run', run],
    queryFn: ({ signal }) => api.get<RunView>(`/api/forecast/runs/${run}`, undefined, signal),
    enabled: Number.isFinite(run),
    staleTime: 5 * 60_000,
  });
}

export function useCreateRun() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRunBody) => api.post<RunView>('/api/forecast/runs', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['forecast-runs'] }),
  });
}

export interface BalanceParams {
  area?: string;
  stage?: string;
  year?: number;
  flagged?: boolean;
}

/** A run's balance; `enabled: false` waits (for the run's years, say). */
export function useBalance(run: number, p: BalanceParams = {}, enabled = true) {
  return useQuery({
    queryKey: ['forecast-balance', run, p],
    queryFn: ({ signal }) =>
      api.get<BalanceView>(
        `/api/forecast/runs/${run}/balance`,
        { area: p.area, stage: p.stage, year: p.year, flagged: p.flagged ? '1' : undefined },
        signal,
      ),
    enabled: enabled && Number.isFinite(run),
    placeholderData: (previous) => previous,
  });
}

export function useAreaSeries(run: number, area: string) {
  return useQuery({
    queryKey: ['forecast-series', run, area],
    queryFn: ({ signal }) =>
      api.get<SeriesView>(`/api/forecast/runs/${run}/areas/${encodeURIComponent(area)}`, undefined, signal),
    enabled: Number.isFinite(run),
  });
}

export function useOutlines(run: number) {
  return useQuery({
    queryKey: ['forecast-outlines', run],
    queryFn: ({ signal }) => api.get<OutlinesView>(`/api/forecast/runs/${run}/outlines`, undefined, signal),
    enabled: Number.isFinite(run),
    staleTime: 5 * 60_000,
  });
}

export interface CompareParams {
  runs: number[];
  area?: string;
  stage?: string;
}

export function useComparison(p: CompareParams) {
  return useQuery({
    queryKey: ['forecast-compare', p],
    queryFn: ({ signal }) =>
      api.get<CompareView>(
        '/api/forecast/compare',
        { runs: p.runs.join(','), area: p.area, stage: p.stage },
        signal,
      ),
    enabled: p.runs.length >= 2,
    placeholderData: (previous) => previous,
  });
}
