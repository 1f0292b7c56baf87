import { Select } from 'antd';
import { useEffect } from 'react';
import { useRounds } from '../../api/admissions-queries.ts';
import { useSearchState } from '../../components/use-search-state.ts';
import { useLang } from '../../i18n/lang.tsx';
import '../../i18n/messages/admissions.ts';

/** The round a bureau page is about, kept in the address (?round=); the newest by default. */
export function useRoundChoice(): { roundId: number | undefined; picker: React.ReactNode } {
  const { t } = useLang();
  const rounds = useRounds();
  const [state, set] = useSearchState(['round'] as const);
  const first = rounds.data?.rounds[0]?.id;
  useEffect(() => {
    if (!state.round && first) set({ round: first });
  }, [state.round, first, set]);
  const roundId = state.round ? Number(state.round) : undefined;
  const picker = (
    <Select
      style={{ minWidth: 240 }}
      value={roundId}
      placeholder={t('adm.round')}
      onChange={(v) => set({ round: v }, { resetPage: true })}
      options={(rounds.data?.rounds ?? []).map((r) => ({
        value: r.id,
        label: `${r.name} · ${t(`adm.roundStatus.${r.drawStatus === 'drawn' || r.drawStatus === 'published' ? r.drawStatus : r.status}`)}`,
      }))}
      aria-label={t('adm.round')}
      data-testid="round-select"
    />
  );
  return { roundId, picker };
}
