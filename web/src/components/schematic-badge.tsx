import { Tag, Tooltip } from 'antd';
import { useLang } from '../i18n/lang.tsx';

/** Marks a map drawn over schematic outlines, so no one reads them as real boundaries. */
export function SchematicBadge() {
  const { t } = useLang();
  return (
    <Tooltip title={t('common.schematicHint')}>
      <Tag color="orange" data-testid="schematic-badge">
        {t('common.schematic')}
      </Tag>
    </Tooltip>
  );
}
