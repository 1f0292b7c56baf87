import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';

/**
 * The databases every store test runs on: a fresh SQLite file, and a fresh PostgreSQL database made
 * through the admin URL in EDUATLAS_TEST_PG (dropped afterwards). Without EDUATLAS_TEST_PG the
 * PostgreSQL cases are skipped — except under CI=true, where they must run.
 */
export const PG_ADMIN_URL = process.env.EDUATLAS_TEST_PG;
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

export function dialectEnabled(d: TestDialect): boolean {
  if (d === 'sqlite') return true;
  if (!PG_ADMIN_URL && process.env.CI === 'true') {
    throw new Error('CI=true but EDUATLAS_TEST_PG is not set: the PostgreSQL suite must run in CI');
  }
  return Boolean(PG_ADMIN_URL);
}

export interface TestDatabase {
  /** The open store; a test that reopens the database assigns the new one here so drop() closes it. */
  store: Store;
  /** DATABASE_URL for this database, to hand to CLI commands. */
  url: string;
  drop(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(dialect: TestDialect, migrate = true): Promise<TestDatabase> {
  const name = `eduatlas_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-'));
    const file = path.join(dir, `${name}.sqlite`);
    const store = openStore({ dialect: 'sqlite', location: file });
    if (migrate) await migrateToLatest(store.db);
    const t: TestDatabase = {
      store,
      url: `sqlite:${file}`,
      drop: async () => {
        await t.store.close().catch(() => {});
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
    return t;
  }
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL!);
  url.pathname = `/${name}`;
  const store = openStore({ dialect: 'postgres', location: url.toString() });
  if (migrate) await migrateToLatest(store.db);
  const t: TestDatabase = {
    store,
    url: url.toString(),
    drop: async () => {
      await t.store.close().catch(() => {});
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
  return t;
}
