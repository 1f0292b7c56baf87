import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '../api/queries.ts';
import { FullPageSpin } from '../components/full-page-spin.tsx';
import { ErrorAlert } from '../components/states.tsx';

/**
 * The signed-in part of the app: waits for the session, sends a signed-out visitor to the sign-in
 * page (remembering where they were going), and a user who must change their password to that page.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { data: me, isPending, error, refetch } = useMe();
  const location = useLocation();
  if (isPending) return <FullPageSpin />;
  if (error)
    return (
      <div style={{ maxWidth: 560, margin: '10vh auto', padding: 16 }}>
        <ErrorAlert error={error} onRetry={() => void refetch()} />
      </div>
    );
  if (!me) {
    const next = location.pathname + location.search;
    const plain = next === '/' || next === '/account/password';
    return <Navigate to={plain ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.mustChangePassword && location.pathname !== '/account/password')
    return <Navigate to="/account/password" replace />;
  return children;
}
