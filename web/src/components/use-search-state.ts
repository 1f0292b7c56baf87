import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * Page state kept in the address (filters, sort, page), so that back, reload and a shared link
 * show the same list. Setting a value to undefined or '' removes it.
 */
export function useSearchState<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? undefined])) as Record<
    K,
    string | undefined
  >;
  const update = useCallback(
    (changes: Partial<Record<K, string | number | undefined | null>>, opts: { resetPage?: boolean } = {}) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes) as [string, string | number | undefined | null][]) {
            if (v === undefined || v === null || v === '') next.delete(k);
            else next.set(k, String(v));
          }
          if (opts.resetPage) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return [values, update] as const;
}
