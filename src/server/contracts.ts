import { z } from 'zod';

/**
 * The JSON API's request and response shapes. Routes validate with these; the web app imports the
 * inferred types (`import type`), so client and server cannot drift apart.
 */

export const ApiError = z.object({
  code: z.string().describe('stable error code, e.g. auth.invalid'),
  message: z
    .string()
    .describe("message in the caller's language (zh by default, en with Accept-Language: en)"),
  field: z.string().nullable().describe('the request field, column or option concerned'),
});
export type ApiError = z.infer<typeof ApiError>;

export const Lang = z.enum(['zh', 'en']);
/** Downloads are opened as links, which carry no Accept-Language of ours: the language comes in the URL. */
export const DownloadLang = z.object({
  lang: Lang.default('zh').describe('language of the headings and messages in the file'),
});

// ── session ────────────────────────────────────────────────────────────────
export const LoginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export const Me = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  roleLabel: z.object({ zh: z.string(), en: z.string() }),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  schoolId: z.number().nullable(),
  schoolName: z.string().nullable(),
  mustChangePassword: z.boolean(),
  /** Actions this user may take anywhere in their scope; the client hides the rest. */
  actions: z.array(z.string()),
  /** Send back as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE. */
  csrfToken: z.string(),
  demo: z.boolean().describe('true when the database holds the synthetic demo city'),
});
export type Me = z.infer<typeof Me>;

export const DemoAccounts = z.object({
  demo: z.boolean(),
  password: z.string().nullable(),
  accounts: z.array(
    z.object({
      username: z.string(),
      role: z.string(),
      roleLabel: z.object({ zh: z.string(), en: z.string() }),
      scope: z.string(),
    }),
  ),
});
export type DemoAccounts = z.infer<typeof DemoAccounts>;

export const ChangePasswordBody = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

// ── users ──────────────────────────────────────────────────────────────────
export const UserView = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: z.string(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  schoolId: z.number().nullable(),
  schoolCode: z.string().nullable(),
  schoolName: z.string().nullable(),
  active: z.boolean(),
  locked: z.boolean(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof UserView>;
export const CreateUserBody = z.object({
  username: z.string().min(1).max(64),
  displayName: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  role: z.string(),
  regionCode: z.string().max(12).nullable().optional(),
  schoolCode: z.string().max(32).nullable().optional(),
});
export const ResetPasswordBody = z.object({ password: z.string().min(1).max(256) });
export const UpdateUserBody = z.object({ active: z.boolean() });

// ── registry ───────────────────────────────────────────────────────────────
export const RegionNode = z.object({
  code: z.string(),
  name: z.string(),
  level: z.string(),
  parentCode: z.string().nullable(),
  schools: z.number(),
});
export type RegionNode = z.infer<typeof RegionNode>;

export const SchoolListQuery = z.object({
  q: z.string().max(100).optional().describe('search in name and code'),
  county: z.string().max(12).optional(),
  schoolType: z.string().max(32).optional(),
  stage: z.enum(['kindergarten', 'primary', 'junior', 'senior']).optional(),
  ownership: z.enum(['public', 'private']).optional(),
  locale: z.enum(['urban', 'town', 'rural']).optional(),
  sort: z.enum(['code', 'name', 'county', 'pupils', 'classes']).default('code'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type SchoolListQuery = z.infer<typeof SchoolListQuery>;

export const SchoolListItem = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  countyCode: z.string(),
  countyName: z.string(),
  schoolType: z.string(),
  ownership: z.string(),
  inclusive: z.boolean(),
  locale: z.string(),
  pupils: z.number().describe('pupils in the latest census year'),
  classes: z.number().describe('classes in the latest year'),
});
export type SchoolListItem = z.infer<typeof SchoolListItem>;
export const SchoolList = z.object({
  total: z.number(),
  year: z.number().nullable(),
  rows: z.array(SchoolListItem),
});
export type SchoolList = z.infer<typeof SchoolList>;

export const SchoolDetail = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  countyCode: z.string(),
  countyName: z.string(),
  townshipCode: z.string().nullable(),
  townshipName: z.string().nullable(),
  schoolType: z.string(),
  ownership: z.string(),
  inclusive: z.boolean(),
  locale: z.string(),
  boarding: z.boolean(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  address: z.string().nullable(),
  synthetic: z.boolean(),
  groups: z.array(z.object({ code: z.string(), name: z.string(), lead: z.boolean() })),
  capacity: z.array(
    z.object({
      grade: z.string(),
      plannedClasses: z.number(),
      standardClassSize: z.number(),
      seats: z.number(),
      pupils: z.number(),
    }),
  ),
  censusTrend: z.array(
    z.object({ year: z.number(), pupils: z.number(), entrants: z.number(), graduates: z.number() }),
  ),
  classes: z.object({
    year: z.number().nullable(),
    rows: z.array(
      z.object({
        grade: z.string(),
        classNo: z.number(),
        size: z.number(),
        band: z.enum(['normal', 'somewhat_large', 'large', 'super_large']),
      }),
    ),
  }),
  teachersBySubject: z.object({
    year: z.number().nullable(),
    rows: z.array(z.object({ subject: z.string(), fullTimeTeachers: z.number() })),
  }),
});
export type SchoolDetail = z.infer<typeof SchoolDetail>;

export const SchoolStudentsFilter = z.object({
  grade: z.string().max(4).optional(),
  classNo: z.coerce.number().int().min(1).max(99).optional(),
  studentNo: z.string().trim().max(32).optional().describe('a whole 学籍号 (exact match)'),
});
export const SchoolStudentsQuery = SchoolStudentsFilter.extend({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const SchoolStudents = z.object({
  total: z.number(),
  masked: z.boolean().describe('names and ID numbers are masked unless the role may see them'),
  rows: z.array(
    z.object({
      studentNo: z.string(),
      name: z.string(),
      idNumber: z.string().nullable(),
      sex: z.string(),
      grade: z.string(),
      classNo: z.number().nullable(),
      migrant: z.boolean(),
      leftBehind: z.boolean(),
      disabled: z.boolean(),
    }),
  ),
});
export type SchoolStudents = z.infer<typeof SchoolStudents>;
export type SchoolStudentsQuery = z.infer<typeof SchoolStudentsQuery>;

export const SchoolTeachersQuery = z.object({
  subject: z.string().max(32).optional().describe('subject key, e.g. chinese'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type SchoolTeachersQuery = z.infer<typeof SchoolTeachersQuery>;
export const SchoolTeachers = z.object({
  total: z.number(),
  masked: z.boolean().describe('names and ID numbers are masked unless the role may see them'),
  rows: z.array(
    z.object({
      teacherNo: z.string(),
      name: z.string(),
      idNumber: z.string().nullable(),
      sex: z.string(),
      subject: z.string(),
      fullTime: z.boolean(),
      inEstablishment: z.boolean(),
      title: z.string().nullable(),
      hireYear: z.number().nullable(),
      schoolSinceYear: z.number().nullable(),
    }),
  ),
});
export type SchoolTeachers = z.infer<typeof SchoolTeachers>;

export const Dashboard = z.object({
  year: z.number().nullable(),
  totals: z.object({ schools: z.number(), pupils: z.number(), classes: z.number(), teachers: z.number() }),
  byStage: z.array(
    z.object({
      stage: z.string(),
      ownership: z.string(),
      schools: z.number(),
      pupils: z.number(),
      classes: z.number(),
      teachers: z.number(),
    }),
  ),
  byCounty: z.array(
    z.object({ countyCode: z.string(), countyName: z.string(), schools: z.number(), pupils: z.number() }),
  ),
});
export type Dashboard = z.infer<typeof Dashboard>;

export const MapSchools = z.object({
  schools: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      schoolType: z.string(),
      lng: z.number(),
      lat: z.number(),
      pupils: z.number(),
      countyCode: z.string(),
    }),
  ),
  outlines: z.object({ schematic: z.boolean(), geojson: z.unknown() }),
});
export type MapSchools = z.infer<typeof MapSchools>;

// ── imports ────────────────────────────────────────────────────────────────
export const ImportKind = z.object({
  kind: z.string(),
  title: z.object({ zh: z.string(), en: z.string() }),
  naturalKey: z.array(z.string()),
});
export const ImportError = z.object({
  row: z.number(),
  column: z.string(),
  value: z.string().nullable(),
  message: z.string(),
});
export const ImportReport = z.object({
  kind: z.string(),
  uploadId: z.string().nullable().describe('confirm with POST /api/imports/uploads/{uploadId}/confirm'),
  dryRun: z.boolean(),
  ok: z.boolean(),
  rows: z.number(),
  inserted: z.number(),
  updated: z.number(),
  errorCount: z.number(),
  errors: z.array(ImportError),
});
export type ImportReport = z.infer<typeof ImportReport>;

// ── audit ──────────────────────────────────────────────────────────────────
export const AuditQueryParams = z.object({
  username: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  resourceType: z.string().max(64).optional(),
  resourceId: z.string().max(64).optional(),
  from: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const AuditRow = z.object({
  id: z.number(),
  at: z.string(),
  username: z.string().nullable(),
  role: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  countyCode: z.string().nullable(),
  detail: z.unknown(),
});
export const AuditPage = z.object({ total: z.number(), rows: z.array(AuditRow) });
export type AuditPage = z.infer<typeof AuditPage>;
