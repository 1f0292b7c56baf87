import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, TableName } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Row = Record<string, unknown>;

// SQLite allows 32,766 bound parameters per statement, PostgreSQL 65,535; stay under both.
const MAX_PARAMS = 30_000;

function chunkSize(rows: Row[]): number {
  const cols = Math.max(1, Object.keys(rows[0] ?? {}).length);
  return Math.max(1, Math.floor(MAX_PARAMS / cols));
}

/** Inserts many rows in multi-row statements sized to the dialects' parameter limits. */
export async function insertRows(db: Db, table: TableName, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const size = chunkSize(rows);
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

/**
 * Inserts rows, updating the existing row where the natural key already exists (ON CONFLICT … DO
 * UPDATE, the same on SQLite and PostgreSQL). Re-running with the same rows changes nothing.
 */
export async function upsertRows(
  db: Db,
  table: TableName,
  rows: Row[],
  key: readonly string[],
): Promise<void> {
  if (rows.length === 0) return;
  const update = Object.keys(rows[0]).filter((c) => !key.includes(c));
  const size = chunkSize(rows);
  for (let i = 0; i < rows.length; i += size) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .onConflict((oc) => {
        const target = oc.columns(key as never);
        if (update.length === 0) return target.doNothing();
        return target.doUpdateSet(
          Object.fromEntries(update.map((c) => [c, sql.ref(`excluded.${c}`)])) as never,
        );
      })
      .execute();
  }
}

/** Row count of a table (for reports and tests). */
export async function countRows(db: Db, table: TableName): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** SQL type of a column for the bulk loader. */
export type BulkColumnType = 'int' | 'text' | 'float';
export type BulkColumns = readonly (readonly [string, BulkColumnType])[];

/**
 * Fast loading inside one transaction, below Kysely: prepared statements on the raw better-sqlite3
 * handle, and `INSERT … SELECT FROM unnest(arrays)` on one pooled PostgreSQL connection (one
 * statement per many thousand rows, the next batch generated while the last one runs). Rows are
 * arrays in the columns' order. Nothing is visible to others until `commit`; `rollback` undoes all.
 */
export interface BulkLoader {
  readonly dialect: 'sqlite' | 'postgres';
  insert(table: TableName, columns: BulkColumns, rows: readonly (readonly unknown[])[]): Promise<void>;
  /** A statement inside the transaction (waits for pending inserts first). */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface BulkStore {
  target: { dialect: 'sqlite' | 'postgres' };
  sqlite?: import('better-sqlite3').Database;
  pool?: import('pg').Pool;
}

export async function beginBulkLoad(store: BulkStore): Promise<BulkLoader> {
  if (store.target.dialect === 'sqlite') return sqliteLoader(store.sqlite!);
  return postgresLoader(store.pool!);
}

function sqliteLoader(db: import('better-sqlite3').Database): BulkLoader {
  const cacheBefore = db.pragma('cache_size', { simple: true });
  // A large page cache while loading keeps index inserts in memory; restored at the end.
  db.pragma('cache_size = -262144');
  db.exec('BEGIN IMMEDIATE');
  const statements = new Map<string, import('better-sqlite3').Statement>();
  const ROWS_PER_STATEMENT = 50;
  const statement = (table: string, columns: BulkColumns, rows: number) => {
    const key = `${table}:${rows}`;
    let s = statements.get(key);
    if (!s) {
      const one = `(${columns.map(() => '?').join(',')})`;
      s = db.prepare(
        `INSERT INTO ${table} (${columns.map((c) => c[0]).join(',')}) VALUES ${Array(rows).fill(one).join(',')}`,
      );
      statements.set(key, s);
    }
    return s;
  };
  let open = true;
  const finish = () => {
    open = false;
    db.pragma(`cache_size = ${cacheBefore}`);
  };
  return {
    dialect: 'sqlite',
    async insert(table, columns, rows) {
      const width = columns.length;
      let i = 0;
      if (rows.length >= ROWS_PER_STATEMENT) {
        const many = statement(table, columns, ROWS_PER_STATEMENT);
        const params = new Array(width * ROWS_PER_STATEMENT);
        for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
          for (let r = 0; r < ROWS_PER_STATEMENT; r++) {
            const row = rows[i + r];
            for (let c = 0; c < width; c++) params[r * width + c] = row[c];
          }
          many.run(params);
        }
      }
      if (i < rows.length) {
        const one = statement(table, columns, 1);
        for (; i < rows.length; i++) one.run(rows[i] as unknown[]);
      }
    },
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const s = db.prepare(sql);
      if (s.reader) return s.all(...params) as R[];
      s.run(...params);
      return [] as R[];
    },
    async commit() {
      if (!open) return;
      db.exec('COMMIT');
      finish();
    },
    async rollback() {
      if (!open) return;
      if (db.inTransaction) db.exec('ROLLBACK');
      finish();
    },
  };
}

const PG_ARRAY_TYPE: Record<BulkColumnType, string> = { int: 'int8[]', text: 'text[]', float: 'float8[]' };
// Keep each statement's payload moderate: the server parses one array literal per column.
const PG_ROWS_PER_STATEMENT = 20_000;

async function postgresLoader(pool: import('pg').Pool): Promise<BulkLoader> {
  const client = await pool.connect();
  await client.query('BEGIN');
  let pending: Promise<unknown> = Promise.resolve();
  let failed: unknown = null;
  let open = true;
  const settle = async () => {
    await pending;
    if (failed) throw failed;
  };
  const release = () => {
    if (!open) return;
    open = false;
    client.release();
  };
  return {
    dialect: 'postgres',
    async insert(table, columns, rows) {
      for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + PG_ROWS_PER_STATEMENT);
        const params = columns.map(([, type], c) => arrayLiteral(chunk, c, type));
        const sql =
          `INSERT INTO ${table} (${columns.map((c) => c[0]).join(',')}) ` +
          `SELECT * FROM unnest(${columns.map(([, t], c) => `$${c + 1}::${PG_ARRAY_TYPE[t]}`).join(',')})`;
        // Wait for the previous statement, so that one runs on the server while the caller builds the next.
        await settle();
        pending = client.query(sql, params).catch((e) => {
          failed = e;
        });
      }
    },
    async query<R>(sql: string, params: readonly unknown[] = []) {
      await settle();
      const r = await client.query(sql, params as unknown[]);
      return r.rows as R[];
    },
    async commit() {
      try {
        await settle();
        await client.query('COMMIT');
      } finally {
        release();
      }
    },
    async rollback() {
      try {
        await pending;
        await client.query('ROLLBACK');
      } finally {
        release();
      }
    },
  };
}

/** A PostgreSQL array literal of one column of the rows: {1,2,NULL} or {"a","b\"c"}. */
function arrayLiteral(rows: readonly (readonly unknown[])[], c: number, type: BulkColumnType): string {
  const parts = new Array<string>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r][c];
    if (v === null || v === undefined) parts[r] = 'NULL';
    else if (type === 'text') parts[r] = `"${String(v).replace(/[\\"]/g, '\\$&')}"`;
    else parts[r] = String(v);
  }
  return `{${parts.join(',')}}`;
}
