import { lazy, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router';
import { can, useCurrentUser } from './api/queries.ts';
import { Forbidden, NotFoundResult } from './components/states.tsx';
import type { MessageKey } from './i18n/messages.ts';
import { AppLayout, RouteError } from './layout/app-layout.tsx';
import { SchoolCrumb } from './layout/breadcrumbs.tsx';
import { RequireAuth } from './layout/require-auth.tsx';

// One chunk per page: the first page loads the layout and its own code only.
const SignInPage = lazy(() => import('./pages/sign-in-page.tsx'));
const ChangePasswordPage = lazy(() => import('./pages/change-password-page.tsx'));
const DashboardPage = lazy(() => import('./pages/dashboard-page.tsx'));
const WelcomePage = lazy(() => import('./pages/welcome-page.tsx'));
const RegionsPage = lazy(() => import('./pages/regions-page.tsx'));
const SchoolsPage = lazy(() => import('./pages/schools-page.tsx'));
const SchoolPage = lazy(() => import('./pages/school-page.tsx'));
const MapPage = lazy(() => import('./pages/map-page.tsx'));
const ImportsPage = lazy(() => import('./pages/imports-page.tsx'));
const UsersPage = lazy(() => import('./pages/users-page.tsx'));
const AuditPage = lazy(() => import('./pages/audit-page.tsx'));

/** What a route contributes to the breadcrumb: a message key, or a component that renders the text. */
export interface RouteHandle {
  crumb: MessageKey | (() => ReactNode);
}

/** Renders a page only for users whose actions allow it (the server checks again on every request). */
function Guard({ action, children }: { action: string; children: ReactNode }) {
  const me = useCurrentUser();
  return can(me, action) ? children : <Forbidden />;
}

function Home() {
  const me = useCurrentUser();
  return can(me, 'dashboard.read') ? <DashboardPage /> : <WelcomePage />;
}

const guarded = (action: string, page: ReactNode) => <Guard action={action}>{page}</Guard>;
const handle = (crumb: RouteHandle['crumb']): RouteHandle => ({ crumb });

export const router = createBrowserRouter([
  { path: '/login', element: <SignInPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Home /> },
      { path: 'account/password', element: <ChangePasswordPage />, handle: handle('nav.password') },
      { path: 'regions', element: guarded('registry.read', <RegionsPage />), handle: handle('nav.regions') },
      {
        path: 'schools',
        handle: handle('nav.schools'),
        children: [
          { index: true, element: guarded('registry.read', <SchoolsPage />) },
          { path: ':id', element: guarded('registry.read', <SchoolPage />), handle: handle(SchoolCrumb) },
        ],
      },
      { path: 'map', element: guarded('registry.read', <MapPage />), handle: handle('nav.map') },
      { path: 'imports', element: guarded('import.run', <ImportsPage />), handle: handle('nav.imports') },
      { path: 'users', element: guarded('user.manage', <UsersPage />), handle: handle('nav.users') },
      { path: 'audit', element: guarded('audit.read', <AuditPage />), handle: handle('nav.audit') },
      { path: '*', element: <NotFoundResult />, handle: handle('nav.notFound') },
    ],
  },
]);
