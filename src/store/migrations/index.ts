import type { Migration } from 'kysely';
import * as m001 from './001-registry.ts';

/** Static migration list: Kysely's FileMigrationProvider cannot load .ts files under vitest. */
export const migrations: Record<string, Migration> = {
  '001-registry': m001,
};
