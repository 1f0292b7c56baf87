// The API contract's types, inferred from the server's zod schemas. Types only: no zod in the bundle.
import type { z } from 'zod';
import type {
  AuditPage as AuditPageSchema,
  AuditQueryParams as AuditQuerySchema,
  CreateUserBody as CreateUserSchema,
  ImportKind as ImportKindSchema,
  ImportReport as ImportReportSchema,
  RegionNode as RegionNodeSchema,
  UserView as UserViewSchema,
} from '../../../src/server/contracts.ts';
import type { CreateRunBody as CreateRunBodySchema } from '../../../src/server/forecast-contracts.ts';

export type {
  ApiError,
  Dashboard,
  DemoAccounts,
  MapSchools,
  Me,
  SchoolDetail,
  SchoolList,
  SchoolListItem,
  SchoolListQuery,
  SchoolStudents,
  SchoolStudentsQuery,
  SchoolTeachers,
  SchoolTeachersQuery,
} from '../../../src/server/contracts.ts';
export type AuditPage = z.infer<typeof AuditPageSchema>;
export type AuditRow = AuditPage['rows'][number];
export type AuditQuery = z.input<typeof AuditQuerySchema>;
export type CreateUserBody = z.infer<typeof CreateUserSchema>;
export type ImportKind = z.infer<typeof ImportKindSchema>;
export type ImportReport = z.infer<typeof ImportReportSchema>;
export type ImportError = ImportReport['errors'][number];
export type RegionNode = z.infer<typeof RegionNodeSchema>;
export type UserView = z.infer<typeof UserViewSchema>;
export type {
  ApplicationInputBody,
  ApplicationView,
  CountsView,
  DecisionBody,
  QueueView,
  RoundOptions,
  RoundSummary,
  RoundView,
} from '../../../src/server/admissions-contracts.ts';
export type {
  BalanceView,
  RunList,
  RunView,
  SeriesView,
} from '../../../src/server/forecast-contracts.ts';
export type { CompareView, OutlinesView } from '../../../src/server/forecast-web-contracts.ts';
export type {
  IndicatorChildrenView,
  IndicatorDefinitionView,
  IndicatorFigure,
  IndicatorRecordsView,
  IndicatorRegionRef,
  IndicatorRegionView,
  IndicatorTrendView,
} from '../../../src/server/indicator-contracts.ts';
export type { EffectiveTargets, SetTargetBody, TargetView } from '../../../src/server/target-contracts.ts';
export type CreateRunBody = z.input<typeof CreateRunBodySchema>;
export type {
  ScenarioCompare,
  ScenarioList,
  ScenarioSummaryView,
  ScenarioView,
} from '../../../src/server/planning-contracts.ts';
export type CreateScenarioBody = z.input<
  typeof import('../../../src/server/planning-contracts.ts').CreateScenarioBody
>;
