import { lazy, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
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
const IndicatorTargetsPage = lazy(() => import('./pages/indicator-targets-page.tsx'));
const IndicatorsPage = lazy(() => import('./pages/indicators-page.tsx'));
const IndicatorComparePage = lazy(() => import('./pages/indicators/compare-page.tsx'));
const IndicatorDrillPage = lazy(() => import('./pages/indicators/drill-page.tsx'));
const ParentSignInPage = lazy(() => import('./pages/admissions/parent-sign-in-page.tsx'));
const ParentRegisterPage = lazy(() => import('./pages/admissions/parent-register-page.tsx'));
const ParentHomePage = lazy(() => import('./pages/admissions/parent-home-page.tsx'));
const ParentApplyPage = lazy(() => import('./pages/admissions/parent-apply-page.tsx'));
const ParentStatusPage = lazy(() => import('./pages/admissions/parent-status-page.tsx'));
const AdmissionRoundsPage = lazy(() => import('./pages/admissions/rounds-page.tsx'));
const AdmissionQueuePage = lazy(() => import('./pages/admissions/queue-page.tsx'));
const AdmissionCountsPage = lazy(() => import('./pages/admissions/counts-page.tsx'));
const AdmissionDrawPage = lazy(() => import('./pages/admissions/draw-page.tsx'));
const ParentNoticePage = lazy(() => import('./pages/admissions/parent-notice-page.tsx'));
const AdmissionAppealsPage = lazy(() => import('./pages/admissions/appeals-page.tsx'));
const ForecastRunsPage = lazy(() => import('./pages/forecast/runs-page.tsx'));
const NewForecastRunPage = lazy(() => import('./pages/forecast/new-run-page.tsx'));
const ForecastFlagsPage = lazy(() => import('./pages/forecast/flags-page.tsx'));
const ForecastAreaPage = lazy(() => import('./pages/forecast/area-page.tsx'));
const ForecastMapPage = lazy(() => import('./pages/forecast/map-page.tsx'));
const ForecastComparePage = lazy(() => import('./pages/forecast/compare-page.tsx'));
const PlanningPage = lazy(() => import('./pages/planning/planning-page.tsx'));

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
  // Families have their own portal.
  if (me.role === 'parent') return <Navigate to="/parent/home" replace />;
  return can(me, 'dashboard.read') ? <DashboardPage /> : <WelcomePage />;
}

const guarded = (action: string, page: ReactNode) => <Guard action={action}>{page}</Guard>;
const handle = (crumb: RouteHandle['crumb']): RouteHandle => ({ crumb });

export const router = createBrowserRouter([
  { path: '/login', element: <SignInPage />, errorElement: <RouteError /> },
  // The parent portal (阳光招生): its own entry and frame, outside the staff layout.
  { path: '/parent', element: <ParentSignInPage />, errorElement: <RouteError /> },
  { path: '/parent/register', element: <ParentRegisterPage />, errorElement: <RouteError /> },
  { path: '/parent/home', element: <ParentHomePage />, errorElement: <RouteError /> },
  { path: '/parent/apply/:roundId', element: <ParentApplyPage />, errorElement: <RouteError /> },
  { path: '/parent/applications/:id', element: <ParentStatusPage />, errorElement: <RouteError /> },
  { path: '/parent/applications/:id/edit', element: <ParentApplyPage />, errorElement: <RouteError /> },
  { path: '/parent/applications/:id/notice', element: <ParentNoticePage />, errorElement: <RouteError /> },
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
      {
        path: 'indicators',
        element: guarded('indicators.read', <IndicatorsPage />),
        handle: handle('nav.indicatorDashboard'),
      },
      {
        path: 'indicators/compare',
        element: guarded('indicators.read', <IndicatorComparePage />),
        handle: handle('nav.indicatorCompare'),
      },
      {
        path: 'indicators/drill',
        element: guarded('indicators.read', <IndicatorDrillPage />),
        handle: handle('nav.indicatorDrill'),
      },
      {
        path: 'indicators/targets',
        element: guarded('indicators.read', <IndicatorTargetsPage />),
        handle: handle('nav.indicatorTargets'),
      },
      {
        path: 'admissions/rounds',
        element: guarded('admissions.manage', <AdmissionRoundsPage />),
        handle: handle('nav.admissionRounds'),
      },
      {
        path: 'admissions/queue',
        element: guarded('admissions.verify', <AdmissionQueuePage />),
        handle: handle('nav.admissionQueue'),
      },
      {
        path: 'admissions/counts',
        element: guarded('admissions.manage', <AdmissionCountsPage />),
        handle: handle('nav.admissionCounts'),
      },
      {
        path: 'admissions/draw',
        element: guarded('admissions.manage', <AdmissionDrawPage />),
        handle: handle('nav.admissionDraw'),
      },
      {
        path: 'admissions/appeals',
        element: guarded('admissions.verify', <AdmissionAppealsPage />),
        handle: handle('nav.admissionAppeals'),
      },
      {
        path: 'planning',
        element: guarded('forecast.read', <PlanningPage />),
        handle: handle('nav.planningScenarios'),
      },
      {
        path: 'forecast',
        handle: handle('nav.forecastRuns'),
        children: [
          { index: true, element: guarded('forecast.read', <ForecastRunsPage />) },
          {
            path: 'new',
            element: guarded('forecast.run', <NewForecastRunPage />),
            handle: handle('nav.forecastNew'),
          },
          {
            path: 'compare',
            element: guarded('forecast.read', <ForecastComparePage />),
            handle: handle('nav.forecastCompare'),
          },
          {
            path: 'runs/:id',
            handle: handle('nav.forecastFlags'),
            children: [
              { index: true, element: guarded('forecast.read', <ForecastFlagsPage />) },
              {
                path: 'map',
                element: guarded('forecast.read', <ForecastMapPage />),
                handle: handle('nav.forecastMap'),
              },
              {
                path: 'areas/:area',
                element: guarded('forecast.read', <ForecastAreaPage />),
                handle: handle('nav.forecastArea'),
              },
            ],
          },
        ],
      },
      { path: 'imports', element: guarded('import.run', <ImportsPage />), handle: handle('nav.imports') },
      { path: 'users', element: guarded('user.manage', <UsersPage />), handle: handle('nav.users') },
      { path: 'audit', element: guarded('audit.read', <AuditPage />), handle: handle('nav.audit') },
      { path: '*', element: <NotFoundResult />, handle: handle('nav.notFound') },
    ],
  },
]);
