import { Select, type SelectProps } from 'antd';
import { useLang } from '../../i18n/lang.tsx';
import { optionsOf } from '../../labels.ts';
import '../../i18n/messages/forecast.ts';

/** The school stage a forecast view is about, offered in the bureau's order. */
export function StageSelect(props: Omit<SelectProps<string>, 'options'>) {
  const { t, lang } = useLang();
  return (
    <Select<string>
      style={{ width: 140 }}
      aria-label={t('fc.stage')}
      {...props}
      options={optionsOf('stage', lang)}
    />
  );
}
