import type { Migration } from 'kysely';
import * as m001 from './001-registry.ts';
import * as m002 from './002-auth-audit.ts';
import * as m003 from './003-indicator-targets.ts';
import * as m004 from './004-student-places.ts';
import * as m005 from './005-school-figures.ts';
import * as m006 from './006-forecast.ts';
import * as m007 from './007-admissions.ts';
import * as m008 from './008-admissions-draw.ts';
import * as m009 from './009-planning.ts';
import * as m010 from './010-admission-results.ts';
import * as m011 from './011-admission-appeals.ts';

/** Static migration list: Kysely's FileMigrationProvider cannot load .ts files under vitest. */
export const migrations: Record<string, Migration> = {
  '001-registry': m001,
  '002-auth-audit': m002,
  '003-indicator-targets': m003,
  '004-student-places': m004,
  '005-school-figures': m005,
  '006-forecast': m006,
  '007-admissions': m007,
  '008-admissions-draw': m008,
  '009-planning': m009,
  '010-admission-results': m010,
  '011-admission-appeals': m011,
};
