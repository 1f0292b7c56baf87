import { Alert, Button, Card, Empty, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { isApiFailure } from '../api/client.ts';
import { useLang } from '../i18n/lang.tsx';
import { Result } from './result.tsx';

/** Loading placeholder for a page or a card. */
export function Loading({ rows = 6 }: { rows?: number }) {
  return <Skeleton active paragraph={{ rows }} />;
}

/** A failed request, with the server's message (already in the user's language) and a retry. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useLang();
  if (isApiFailure(error, 404)) return <NotFoundResult />;
  if (isApiFailure(error, 403))
    return <Result status="403" title="403" subTitle={error.message || t('common.forbidden')} />;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert
      type="error"
      showIcon
      title={t('common.error')}
      description={message}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

export function NotFoundResult({ title }: { title?: string }) {
  const { t } = useLang();
  return (
    <Result
      status="404"
      title={title ?? '404'}
      subTitle={t('common.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function Forbidden() {
  const { t } = useLang();
  return <Result status="403" title="403" subTitle={t('common.forbidden')} />;
}

export function EmptyState({ description, children }: { description?: ReactNode; children?: ReactNode }) {
  const { t } = useLang();
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description ?? t('common.noData')}>
      {children}
    </Empty>
  );
}

/**
 * A page's header over what stands in for its content: the error with a retry, the `empty`
 * message in a card, or else a loading card.
 */
export function PageFallback({
  header,
  error,
  onRetry,
  empty,
}: {
  header: ReactNode;
  error?: unknown;
  onRetry?: () => void;
  empty?: ReactNode;
}) {
  return (
    <>
      {header}
      {error ? (
        <ErrorAlert error={error} onRetry={onRetry} />
      ) : (
        <Card>{empty === undefined ? <Loading rows={8} /> : <EmptyState description={empty} />}</Card>
      )}
    </>
  );
}
