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
