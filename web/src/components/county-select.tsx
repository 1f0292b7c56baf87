import { Select } from 'antd';
import { useCounties } from '../api/queries.ts';
import { useLang } from '../i18n/lang.tsx';

/** County filter over the counties in the user's scope; hidden when the scope is one county. */
export function CountySelect({
  value,
  onChange,
  width = 180,
}: {
  value: string | undefined;
  onChange: (county: string | undefined) => void;
  width?: number;
}) {
  const { t } = useLang();
  const counties = useCounties();
  if (counties.length <= 1) return null;
  return (
    <Select
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('common.allCounties')}
      value={value}
      onChange={(v) => onChange(v ?? undefined)}
      style={{ width }}
      options={counties.map((c) => ({ value: c.code, label: c.name }))}
      aria-label={t('common.county')}
      data-testid="county-select"
    />
  );
}
