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
  school_figures: SchoolFiguresTable;
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
  indicator_targets: IndicatorTargetsTable;
  forecast_runs: ForecastRunsTable;
  projects: ProjectsTable;
  admission_rounds: AdmissionRoundsTable;
  parent_accounts: ParentAccountsTable;
  phone_codes: PhoneCodesTable;
  admission_applications: AdmissionApplicationsTable;
  admission_choices: AdmissionChoicesTable;
  admission_documents: AdmissionDocumentsTable;
  admission_decisions: AdmissionDecisionsTable;
  admission_draws: AdmissionDrawsTable;
  admission_appeals: AdmissionAppealsTable;
  planning_scenarios: PlanningScenariosTable;
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

/** A school's pupils (newest census year) and classes (newest class year), kept by src/registry/school-figures.ts. */
export interface SchoolFiguresTable {
  school_id: number;
  pupils: Count;
  classes: Count;
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
  /** 政府购买学位: a place the government buys at a private school. */
  purchased_place: Flag;
  /** 安置方式 of a disabled pupil: regular_class, special_class, special_school or home_teaching. */
  disabled_placement: string | null;
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

/** A target the statistics office set for a region: overrides the preloaded threshold (docs/indicators.md). */
export interface IndicatorTargetsTable {
  region_code: string;
  /** The county a county or township region belongs to; null for a city or the province. */
  county_code: string | null;
  /** null: every year without its own row. */
  year: number | null;
  indicator_id: string;
  /** '' for a whole-system indicator. */
  stage: string;
  comparator: 'at_least' | 'at_most';
  threshold: number;
  close_margin: number;
  note: string | null;
  synthetic: Flag;
  updated_by: string | null;
  updated_at: string;
}

/** A saved forecast run (docs/forecast-store.md): the engine's input and result, with the input's SHA-256. */
export interface ForecastRunsTable {
  id: Generated<number>;
  /** Unique per region. */
  name: string;
  region_code: string;
  /** The county of a county or township run; null for a run over several counties. */
  county_code: string | null;
  /** The areas the run forecasts: county, township or catchment. */
  area_level: string;
  /** JSON: baseYear, horizon, window, cutoffMonth and the options the input was built with. */
  parameters: string;
  /** Lowercase hex SHA-256 of the canonical input JSON (keys sorted). */
  fingerprint: string;
  /** JSON: the engine input (the forecast solve contract). */
  input: string;
  /** JSON: the engine output (areas, and intervals where the engine gives them). */
  result: string;
  synthetic: Flag;
  created_by: string;
  created_at: string;
}

/** 布局规划方案: a layout plan saved under a name unique per county (docs/planning.md). */
export interface PlanningScenariosTable {
  id: Generated<number>;
  name: string;
  county_code: string;
  /** primary or junior. */
  stage: string;
  target_year: number;
  /** The forecast run the demand came from; null once that run is deleted. */
  forecast_run_id: number | null;
  /** JSON: the options the input was built with, the forecast run's name and fingerprint, classes per school. */
  parameters: string;
  /** Lowercase hex SHA-256 of the canonical engine input JSON (RFC 8785). */
  fingerprint: string;
  /** JSON: the engine input (the planning solve contract). */
  input: string;
  /** JSON: the engine result. */
  result: string;
  created_by: string;
  created_at: string;
}

/** 建设项目: new or extended schools and the seats they add from their delivery year (minimal; the projects module extends it). */
export interface ProjectsTable {
  id: Generated<number>;
  code: string;
  name: string;
  county_code: string;
  /** The county or township the seats are for (a new school without a record yet). */
  region_code: string;
  /** The school extended, or the new school once it is registered. */
  school_id: number | null;
  stage: string;
  seats: number;
  delivery_year: number;
  /** planned 规划, approved 已立项, under_construction 在建, completed 已建成. */
  status: string;
  synthetic: Flag;
  updated_at: string;
}

/** 招生批次: one county's admission round for a stage and year; its rules are JSON (src/admissions/rules.ts). */
export interface AdmissionRoundsTable {
  id: Generated<number>;
  county_code: string;
  year: number;
  /** primary (小学一年级) or junior (初中七年级). */
  stage: string;
  name: string;
  /** draft → open (rules frozen) → closed → frozen (the draw's applicant list fixed). */
  status: 'draft' | 'open' | 'closed' | 'frozen';
  /** JSON: the round's rules, validated by roundRulesSchema. */
  rules: string;
  /** The registration deadline as a UTC instant (the rules name it in Asia/Shanghai time). */
  deadline_at: string;
  /** SHA-256 of the rules JSON when registration opened. */
  rules_digest: string | null;
  opened_at: string | null;
  synthetic: Flag;
  created_by: string;
  updated_at: string;
}

/** A parent's self-registered account: the `users` row (role parent, username = phone) and its phone check. */
export interface ParentAccountsTable {
  user_id: number;
  phone: string;
  phone_verified: Flag;
  created_at: string;
}

/** An SMS verification code in flight (only with a configured SMS provider), hashed. */
export interface PhoneCodesTable {
  phone: string;
  code_hash: string;
  attempts: Count;
  expires_at: string;
}

/** 报名: one child's application in one round (UNIQUE round × child ID number; UNIQUE parent × client key). */
export interface AdmissionApplicationsTable {
  id: Generated<number>;
  round_id: number;
  county_code: string;
  parent_id: number;
  client_key: string;
  child_id_number: string;
  child_name: string;
  child_sex: string;
  child_birth_date: string;
  community_code: string;
  local_hukou: Flag;
  hukou_at_property: Flag;
  has_property: Flag;
  residence_permit: Flag;
  property_no: string | null;
  guardian_name: string;
  guardian_relation: string;
  /** When the guardian consented to the processing of the child's data. */
  consent_at: string;
  claimed_category: string;
  approved_category: string | null;
  status: 'submitted' | 'returned' | 'approved' | 'withdrawn';
  return_reason: string | null;
  synthetic: Flag;
  submitted_at: string;
  updated_at: string;
  /** The school the child was placed at once the round's results are published (or by a granted appeal). */
  result_school_id: number | null;
  /** How the child was placed: by a choice, the catchment fallback, 统筹 overflow, or an appeal. */
  result_by: 'choice' | 'fallback' | 'overflow' | 'appeal' | null;
  /** The child's lottery key (hex) from the draw file. */
  result_key: string | null;
  /** The child's tier (category rank) at the placing school, from the draw file. */
  result_tier: number | null;
}

/** 志愿: an application's schools, best first (rank 1). */
export interface AdmissionChoicesTable {
  application_id: number;
  rank: number;
  school_id: number;
  county_code: string;
}

/** A document photo of an application: in `content`, or a file `stored_name` in the configured directory. */
export interface AdmissionDocumentsTable {
  id: Generated<number>;
  application_id: number;
  county_code: string;
  doc_type: string;
  mime: string;
  size: number;
  sha256: string;
  content: Buffer | null;
  stored_name: string | null;
  uploaded_at: string;
}

/** 审核: a clerk's approve (with the category) or return (with the reason the family sees). */
export interface AdmissionDecisionsTable {
  id: Generated<number>;
  application_id: number;
  county_code: string;
  decision: 'approve' | 'return';
  category: string | null;
  reason: string | null;
  decided_by: string;
  decided_at: string;
}

/** 摇号: a round's draw — frozen (list digest and commitment published), then drawn (secret revealed, result published). */
export interface AdmissionDrawsTable {
  id: Generated<number>;
  round_id: number;
  county_code: string;
  status: 'frozen' | 'drawn';
  /** JSON: the engine's input without the seed (application numbers, never names or ID numbers). */
  input: string;
  applicants: number;
  /** SHA-256 of the RFC 8785 canonical applicant list, published at the freeze. */
  list_digest: string;
  /** SHA-256(secret), published at the freeze. */
  commitment: string;
  /** Kept secret until the draw reveals it. */
  secret: string;
  public_value: string | null;
  seed: string | null;
  /** JSON: the published draw file that `admissions verify` reads. */
  published: string | null;
  frozen_at: string;
  frozen_by: string;
  drawn_at: string | null;
  drawn_by: string | null;
  /** When the placements were copied onto the applications (families see their results from then). */
  published_at: string | null;
  published_by: string | null;
}

/** 申诉: a family's appeal against its published result; a clerk grants it (into a school with seats left) or refuses it. */
export interface AdmissionAppealsTable {
  id: Generated<number>;
  application_id: number;
  round_id: number;
  county_code: string;
  reason: string;
  desired_school_id: number | null;
  status: 'submitted' | 'granted' | 'refused' | 'withdrawn';
  submitted_at: string;
  /** The clerk's reason, which the family sees. */
  decision_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  /** Where a granted appeal placed the child. */
  placed_school_id: number | null;
  /** The application's result school before the grant. */
  previous_school_id: number | null;
  withdrawn_at: string | null;
  updated_at: string;
}

/**
 * The business tables — the bureau's data, as opposed to users, sessions, audit and settings — children
 * before parents (the order to delete them in). A new module's tables belong here, so that the demo's
 * --replace clears them and "is this database empty?" sees them.
 */
export const BUSINESS_TABLES_CHILDREN_FIRST: readonly TableName[] = [
  'planning_scenarios',
  'admission_appeals',
  'admission_draws',
  'admission_decisions',
  'admission_documents',
  'admission_choices',
  'admission_applications',
  'admission_rounds',
  'forecast_runs',
  'projects',
  'indicator_targets',
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
  'school_figures',
  'population',
  'births',
  'schools',
];

export type SchoolRow = Selectable<SchoolsTable>;
export type NewSchool = Insertable<SchoolsTable>;
export type TableName = keyof Database;
