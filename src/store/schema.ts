import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * The database as Kysely sees it. Column names are snake_case, as in SQL. Flags are integers 0/1 on
 * both dialects so that rows read the same from SQLite and PostgreSQL. Every business table carries
 * `county_code` (so a province can shard by it) and `synthetic` (1 for demo-city records).
 * Years are school years named by the calendar year they start in; census year Y is autumn Y.
 */
/** A 0/1 column with a database default of 0: optional on insert. */
export type Flag = Generated<number>;
/** A count column with a database default of 0: optional on insert. */
export type Count = Generated<number>;

export interface Database {
  settings: SettingsTable;
  regions: RegionsTable;
  schools: SchoolsTable;
  school_capacity: SchoolCapacityTable;
  classes: ClassesTable;
  census: CensusTable;
  census_teachers: CensusTeachersTable;
  disabled_children: DisabledChildrenTable;
  education_groups: EducationGroupsTable;
  group_members: GroupMembersTable;
  students: StudentsTable;
  teachers: TeachersTable;
  population: PopulationTable;
  births: BirthsTable;
  housing: HousingTable;
  communities: CommunitiesTable;
  catchments: CatchmentsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  map_outlines: MapOutlinesTable;
  uploads: UploadsTable;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface RegionsTable {
  code: string;
  name: string;
  parent_code: string | null;
  level: 'province' | 'city' | 'county' | 'township';
}

export interface SchoolsTable {
  id: Generated<number>;
  /** 学校标识码 (10 digits) or the bureau's own id. */
  code: string;
  name: string;
  county_code: string;
  township_code: string | null;
  school_type: string;
  ownership: string;
  /** 普惠性: 1 for inclusive private kindergartens; public kindergartens are inclusive by definition. */
  inclusive: Flag;
  locale: string;
  lng: number | null;
  lat: number | null;
  boarding: Flag;
  address: string | null;
  synthetic: Flag;
  updated_at: string;
}

/** Planned classes per grade (规划班数) and standard class size; a nine-year school differs by stage. */
export interface SchoolCapacityTable {
  school_id: number;
  county_code: string;
  grade: string;
  planned_classes: number;
  standard_class_size: number;
}

export interface ClassesTable {
  id: Generated<number>;
  school_id: number;
  county_code: string;
  year: number;
  grade: string;
  class_no: number;
  size: number;
  synthetic: Flag;
}

/** 基础统计 per school × year × grade. */
export interface CensusTable {
  school_id: number;
  county_code: string;
  year: number;
  grade: string;
  pupils_male: Count;
  pupils_female: Count;
  /** 进城务工人员随迁子女 */
  migrant: Count;
  /** of whom in places the government buys at private schools (政府购买学位) */
  migrant_purchased: Count;
  disabled_regular_class: Count;
  disabled_special_class: Count;
  disabled_special_school: Count;
  disabled_home_teaching: Count;
  left_behind: Count;
  boarders: Count;
  after_school: Count;
  entrants: Count;
  transfers_in: Count;
  transfers_out: Count;
  graduates: Count;
  synthetic: Flag;
}

/** 专任教师 by subject, per school × year. */
export interface CensusTeachersTable {
  school_id: number;
  county_code: string;
  year: number;
  subject: string;
  full_time_teachers: number;
  synthetic: Flag;
}

/** The register of school-age disabled children: the denominator of the disabled-enrolment rate. */
export interface DisabledChildrenTable {
  id: Generated<number>;
  county_code: string;
  township_code: string | null;
  year: number;
  register_no: string;
  id_number: string | null;
  name: string;
  sex: string;
  birth_date: string;
  disability_type: string;
  placement: string;
  school_id: number | null;
  synthetic: Flag;
}

export interface EducationGroupsTable {
  id: Generated<number>;
  code: string;
  name: string;
  county_code: string;
  lead_school_id: number;
  mode: string;
  tightness: string;
  start_year: number;
  synthetic: Flag;
}

export interface GroupMembersTable {
  group_id: number;
  school_id: number;
  county_code: string;
  joined_year: number;
}

export interface StudentsTable {
  id: Generated<number>;
  county_code: string;
  school_id: number;
  /** 学籍号 */
  student_no: string;
  id_number: string | null;
  name: string;
  sex: string;
  birth_date: string;
  year: number;
  grade: string;
  class_no: number | null;
  migrant: Flag;
  left_behind: Flag;
  disabled: Flag;
  boarder: Flag;
  after_school: Flag;
  community_code: string | null;
  synthetic: Flag;
}

export interface TeachersTable {
  id: Generated<number>;
  county_code: string;
  school_id: number;
  teacher_no: string;
  id_number: string | null;
  name: string;
  sex: string;
  birth_date: string;
  subject: string;
  full_time: Flag;
  /** 在编 (1) or not */
  in_establishment: Flag;
  title: string | null;
  hire_year: number | null;
  school_since_year: number | null;
  synthetic: Flag;
}

export interface PopulationTable {
  region_code: string;
  county_code: string;
  year: number;
  age: number;
  persons: number;
  synthetic: Flag;
}

export interface BirthsTable {
  region_code: string;
  county_code: string;
  year: number;
  births: number;
  synthetic: Flag;
}

/** Housing pipeline: new residential units by delivery year. */
export interface HousingTable {
  id: Generated<number>;
  code: string;
  name: string;
  county_code: string;
  region_code: string;
  community_code: string | null;
  delivery_year: number;
  units: number;
  status: string;
  synthetic: Flag;
}

/** 小区 / 村 / 街道: residential communities that catchments map to schools. */
export interface CommunitiesTable {
  code: string;
  name: string;
  county_code: string;
  township_code: string | null;
  lng: number | null;
  lat: number | null;
  synthetic: Flag;
}

/** 学区划片: community ↔ school for a stage and year; several schools per community is 多校划片. */
export interface CatchmentsTable {
  county_code: string;
  year: number;
  stage: string;
  community_code: string;
  school_id: number;
  synthetic: Flag;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  /** The region the role is scoped to (city or county code); null for school staff and parents. */
  region_code: string | null;
  school_id: number | null;
  active: Generated<number>;
  must_change_password: Flag;
  failed_logins: Flag;
  locked_until: string | null;
  /** 1 for the demo city's users, whose password is published on the sign-in page. */
  demo: Flag;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
}

export interface LoginFailuresTable {
  ip: string;
  at: string;
}

/** Append-only: the application never updates or deletes a row. */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: number | null;
  username: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  county_code: string | null;
  /** JSON: { before?, after?, ...context } with personal fields masked. */
  detail: string | null;
}

/** A GeoJSON FeatureCollection of county or township outlines covering a region. */
export interface MapOutlinesTable {
  id: Generated<number>;
  region_code: string;
  name: string;
  geojson: string;
  uploaded_at: string;
  uploaded_by: string | null;
}

/** An import file kept between its dry run and its confirmation. */
export interface UploadsTable {
  id: string;
  user_id: number;
  kind: string;
  filename: string;
  content: Buffer;
  created_at: string;
}

/**
 * The business tables — the bureau's data, as opposed to users, sessions, audit and settings — children
 * before parents (the order to delete them in). A new module's tables belong here, so that the demo's
 * --replace clears them and "is this database empty?" sees them.
 */
export const BUSINESS_TABLES_CHILDREN_FIRST: readonly TableName[] = [
  'catchments',
  'housing',
  'communities',
  'group_members',
  'education_groups',
  'disabled_children',
  'students',
  'teachers',
  'classes',
  'census_teachers',
  'census',
  'school_capacity',
  'population',
  'births',
  'schools',
];

/** The census's count columns, in the order templates and exports show them. */
export const CENSUS_COUNT_COLUMNS = [
  'pupils_male',
  'pupils_female',
  'migrant',
  'migrant_purchased',
  'disabled_regular_class',
  'disabled_special_class',
  'disabled_special_school',
  'disabled_home_teaching',
  'left_behind',
  'boarders',
  'after_school',
  'entrants',
  'transfers_in',
  'transfers_out',
  'graduates',
] as const;
export type CensusCountColumn = (typeof CENSUS_COUNT_COLUMNS)[number];

export type SchoolRow = Selectable<SchoolsTable>;
export type NewSchool = Insertable<SchoolsTable>;
export type TableName = keyof Database;
