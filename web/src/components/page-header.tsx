import { Flex, theme } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useLang } from '../i18n/lang.tsx';

/**
 * A page's title (also the document title) with its actions on the right, wrapping on phones.
 * Drawn with the theme's heading tokens rather than antd's Typography, whose editing and copying
 * parts the first page would otherwise load.
 */
export function PageHeader({ title, extra, sub }: { title: string; extra?: ReactNode; sub?: ReactNode }) {
  const { t } = useLang();
  const { token } = theme.useToken();
  useEffect(() => {
    document.title = `${title} · ${t('app.short')}`;
  }, [title, t]);
  return (
    <Flex wrap gap={12} align="center" justify="space-between" style={{ marginBottom: 16 }}>
      <div style={{ minWidth: 0, wordBreak: 'break-word' }}>
        <h3
          style={{
            margin: 0,
            color: token.colorTextHeading,
            fontSize: token.fontSizeHeading3,
            lineHeight: token.lineHeightHeading3,
            fontWeight: token.fontWeightStrong,
          }}
        >
          {title}
        </h3>
        {sub && (
          <span style={{ color: token.colorTextDescription }} data-testid="page-sub">
            {sub}
          </span>
        )}
      </div>
      {extra && (
        <Flex wrap gap={8}>
          {extra}
        </Flex>
      )}
    </Flex>
  );
}
