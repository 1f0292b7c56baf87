import { useQuery } from '@tanstack/react-query';
import { api } from './client.ts';
import type {
  IndicatorChildrenView,
  IndicatorRecordsView,
  IndicatorRegionView,
  IndicatorTrendView,
} from './types.ts';

/** The indicator pages' queries; region and year undefined mean the server's defaults (home region, latest year). */

export function useIndicatorRegion(region?: string, year?: number) {
  return useQuery({
    queryKey: ['indicators', region ?? null, year ?? null],
    queryFn: ({ signal }) => api.get<IndicatorRegionView>('/api/indicators', { region, year }, signal),
    placeholderData: (previous) => previous,
  });
}

export function useIndicatorTrend(region?: string) {
  return useQuery({
    queryKey: ['indicators-trend', region ?? null],
    queryFn: ({ signal }) => api.get<IndicatorTrendView>('/api/indicators/trend', { region }, signal),
  });
}

export function useIndicatorChildren(region?: string, year?: number) {
  return useQuery({
    queryKey: ['indicators-children', region ?? null, year ?? null],
    queryFn: ({ signal }) =>
      api.get<IndicatorChildrenView>('/api/indicators/children', { region, year }, signal),
    placeholderData: (previous) => previous,
  });
}

export interface RecordsParams {
  region: string;
  year: number;
  indicator: string;
  stage: string | null;
  source: 'figure' | 'register';
  page: number;
  pageSize: number;
}

export function useIndicatorRecords(p: RecordsParams | null) {
  return useQuery({
    queryKey: ['indicators-records', p],
    queryFn: ({ signal }) =>
      api.get<IndicatorRecordsView>(
        '/api/indicators/records',
        { ...p!, stage: p!.stage ?? undefined },
        signal,
      ),
    enabled: p !== null,
    placeholderData: (previous) => previous,
  });
}
