import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type MigrationResultSet, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../domain/errors.ts';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseTarget {
  dialect: Dialect;
  /** Absolute file path for SQLite, connection string for PostgreSQL. */
  location: string;
}

export const DEFAULT_SQLITE_FILE = 'data/eduatlas.sqlite';

/**
 * Reads DATABASE_URL: `postgres://` or `postgresql://` for PostgreSQL, `sqlite:PATH` (relative to the
 * current directory unless absolute) for SQLite; unset means the default SQLite file.
 */
export function parseDatabaseUrl(url: string | undefined, cwd = process.cwd()): DatabaseTarget {
  if (url === undefined || url === '')
    return { dialect: 'sqlite', location: path.resolve(cwd, DEFAULT_SQLITE_FILE) };
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', location: url };
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === '') throw badUrl();
    return { dialect: 'sqlite', location: file === ':memory:' ? file : path.resolve(cwd, file) };
  }
  throw badUrl();
}

function badUrl(): AppError {
  return new AppError(
    'config.database_url',
    'DATABASE_URL 无法识别：请使用 postgres://用户:密码@主机:端口/库名 或 sqlite:文件路径',
    'DATABASE_URL is not understood: use postgres://user:password@host:port/db or sqlite:PATH',
    'DATABASE_URL',
  );
}

// PostgreSQL returns bigint (count(*), sum()) as strings; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export interface Store {
  db: Kysely<Database>;
  target: DatabaseTarget;
  /** The raw better-sqlite3 handle (SQLite only): online backup and fast bulk loading. */
  sqlite?: SQLite.Database;
  /** The pg pool (PostgreSQL only). */
  pool?: pg.Pool;
  close(): Promise<void>;
}

export function openStore(target: DatabaseTarget): Store {
  if (target.dialect === 'sqlite') {
    if (target.location !== ':memory:') fs.mkdirSync(path.dirname(target.location), { recursive: true });
    const sqlite = new SQLite(target.location);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, target, sqlite, close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: target.location, max: 10 });
  pool.on('connect', nameReadStatements);
  // An idle connection that the server drops (restart, failover) must not crash the process.
  pool.on('error', (e) =>
    process.stderr.write(`PostgreSQL connection lost / 数据库连接中断: ${e.message}\n`),
  );
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, target, pool, close: () => closePool(db, pool) };
}

/** SQL text of a read → the name it is prepared under on every connection. */
const READ_STATEMENT_NAMES = new Map<string, string>();
/** Each distinct text stays prepared on every pooled connection, so only so many get a name. */
const MAX_NAMED_READS = 500;

/**
 * Sends reads as named (prepared) statements, so PostgreSQL plans each query once per connection
 * rather than on every request: the school page's query took 1.0 ms unnamed and 0.3 ms named
 * (bench/README.md, "API"). Writes stay unnamed: bulk inserts have ever-new texts.
 */
function nameReadStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === 'string' && Array.isArray(values) && /^(select|with)\b/i.test(text)) {
      let name = READ_STATEMENT_NAMES.get(text);
      if (!name && READ_STATEMENT_NAMES.size < MAX_NAMED_READS) {
        name = `eduatlas_read_${READ_STATEMENT_NAMES.size + 1}`;
        READ_STATEMENT_NAMES.set(text, name);
      }
      if (name) return query({ name, text, values }, callback);
    }
    return query(text, values, callback);
  }) as typeof client.query;
}

/** Destroys the Kysely instance and waits until every pooled connection has really closed. */
async function closePool(db: Kysely<Database>, pool: pg.Pool): Promise<void> {
  const open = pool.totalCount;
  const removed = new Promise<void>((resolve) => {
    let n = 0;
    if (open === 0) resolve();
    pool.on('remove', () => {
      if (++n >= open) resolve();
    });
    setTimeout(resolve, 3000).unref();
  });
  await db.destroy();
  await removed;
}

export function openStoreFromEnv(env: NodeJS.ProcessEnv = process.env): Store {
  return openStore(parseDatabaseUrl(env.DATABASE_URL));
}

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
    throw new AppError(
      'db.migration_failed',
      `数据库迁移 ${failed} 失败：${String(result.error)}`,
      `Database migration ${failed} failed: ${String(result.error)}`,
    );
  }
  return result;
}

export async function migrationStatus(db: Kysely<Database>) {
  return migrator(db).getMigrations();
}

/** A short description of where the data live, with any password hidden. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return `SQLite ${target.location}`;
  return `PostgreSQL ${target.location.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}`;
}
