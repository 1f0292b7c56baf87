import type { Migration } from 'kysely';
import * as m001 from './001-registry.ts';
import * as m002 from './002-auth-audit.ts';

/** Static migration list: Kysely's FileMigrationProvider cannot load .ts files under vitest. */
export const migrations: Record<string, Migration> = {
  '001-registry': m001,
  '002-auth-audit': m002,
};
