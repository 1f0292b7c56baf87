/**
 * The synthetic demo city (演示城市): a city modelled on 商丘市 and its nine real county-level
 * divisions, every record marked synthetic. `buildDemoCity` generates it (pure, seeded, streamed per
 * county) and loads it in one transaction, refusing a database that already holds data unless asked
 * to replace it.
 */
import { createDemoUsers } from '../auth/demo-users.ts';
import { AppError } from '../domain/errors.ts';
import { schoolFiguresStatements } from '../registry/school-figures.ts';
import { beginBulkLoad, countRows } from '../store/bulk.ts';
import type { Store } from '../store/db.ts';
import { BUSINESS_TABLES_CHILDREN_FIRST, type TableName } from '../store/schema.ts';
import { SETTING_DEMO } from '../store/settings.ts';
import { buildDemoAdmissions } from './admissions.ts';
import { generateDemoCity } from './generate.ts';
import { computeDemoIndicators, type DemoIndicators } from './indicators.ts';
import { COUNTIES, DEMO_SCALES, type DemoScale, SCALES } from './profile.ts';
import { DEMO_TABLES, type DemoTable, TABLES_WITH_ID } from './tables.ts';

export { computeDemoIndicators, type DemoIndicators } from './indicators.ts';
export { DEMO_SCALES, type DemoScale } from './profile.ts';

export interface DemoOptions {
  scale: DemoScale;
  seed: number;
  /** Delete every business record first (otherwise a non-empty database is refused). */
  replace?: boolean;
  /**
   * Called as the build goes: phase `clear`, then one phase per county (its name, e.g. 梁园区) with
   * done/total counting pupil records written over the whole build, then `finish` (indexes, commit).
   */
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface DemoSummary {
  scale: DemoScale;
  seed: number;
  counties: { code: string; name: string }[];
  schools: number;
  /** Pupils in the 2025 census (= records in the pupil register). */
  pupils: number;
  students: number;
  teachers: number;
  classes: number;
  /** Rows written per table. */
  rows: Partial<Record<TableName, number>>;
  /** The five 2023 indicators, as computed from the database after the build. */
  indicators2023: DemoIndicators;
  seconds: number;
}

export async function buildDemoCity(store: Store, opts: DemoOptions): Promise<DemoSummary> {
  const { scale, seed } = opts;
  if (!DEMO_SCALES.includes(scale)) {
    throw new AppError(
      'demo.scale',
      `规模应为 ${DEMO_SCALES.join('、')} 之一`,
      `scale must be one of ${DEMO_SCALES.join(', ')}`,
      'scale',
    );
  }
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new AppError('demo.seed', '随机种子应为非负整数', 'seed must be a non-negative integer', 'seed');
  }
  const started = Date.now();
  const progress = opts.onProgress ?? (() => {});
  const regions = await store.db
    .selectFrom('regions')
    .select('code')
    .where('code', 'in', SCALES[scale].counties)
    .execute();
  if (regions.length !== SCALES[scale].counties.length) {
    throw new AppError(
      'demo.no_regions',
      '行政区划表缺少商丘市的区县：请先运行数据库迁移并载入区划（seedRegions）',
      "The regions table lacks 商丘市's counties: migrate and seed the regions first",
    );
  }

  const loader = await beginBulkLoad(store);
  const rows: Partial<Record<TableName, number>> = {};
  try {
    if (loader.dialect === 'postgres') await loader.query('SELECT pg_advisory_xact_lock(411400, 1)');
    const occupied = await occupiedTables(loader);
    if (occupied.length > 0 && !opts.replace) {
      const list = occupied.length > 3 ? `${occupied.slice(0, 3).join(', ')} …` : occupied.join(', ');
      throw new AppError(
        'demo.not_empty',
        `数据库已有数据（${list}）：如要删除全部业务数据并生成演示城市，请加 --replace`,
        `the database already holds data (${list}); pass --replace to delete all business data and build the demo city`,
        '--replace',
      );
    }
    if (occupied.length > 0) await clearBusinessData(loader, progress);
    for (const e of generateDemoCity(scale, seed)) {
      if (e.kind === 'progress') {
        progress(e.phase, e.done, e.total);
        continue;
      }
      await loader.insert(e.table, DEMO_TABLES[e.table as DemoTable], e.rows);
      rows[e.table] = (rows[e.table] ?? 0) + e.rows.length;
    }
    progress('finish', 0, 1);
    if (loader.dialect === 'postgres') {
      for (const t of TABLES_WITH_ID) {
        await loader.query(
          `SELECT setval(pg_get_serial_sequence('${t}', 'id'), COALESCE((SELECT MAX(id) FROM ${t}), 0) + 1, false)`,
        );
      }
    }
    const marker = JSON.stringify({ scale, seed, builtAt: new Date().toISOString() });
    const ph = (n: number) => (loader.dialect === 'sqlite' ? '?' : `$${n}`);
    await loader.query(`DELETE FROM settings WHERE key = ${ph(1)}`, [SETTING_DEMO]);
    await loader.query(`INSERT INTO settings (key, value) VALUES (${ph(1)}, ${ph(2)})`, [
      SETTING_DEMO,
      marker,
    ]);
    for (const q of schoolFiguresStatements(store.db)) await loader.query(q.sql, q.parameters);
    await loader.commit();
  } catch (e) {
    await loader.rollback().catch(() => {});
    throw e;
  }
  // Fresh planner statistics after a bulk load.
  if (store.target.dialect === 'postgres') await store.pool!.query('ANALYZE');
  else store.sqlite!.exec('PRAGMA analysis_limit = 1000; ANALYZE');
  progress('finish', 1, 1);

  // One account per role, with the published demo password (only ever in a demo database).
  await createDemoUsers(store.db);
  await buildDemoAdmissions(store, scale, seed);
  const indicators2023 = await computeDemoIndicators(store.db, 2023);
  const pupils = await store.db
    .selectFrom('census')
    .select((eb) => eb.fn.sum<number>(eb('pupils_male', '+', eb.ref('pupils_female'))).as('n'))
    .where('year', '=', 2025)
    .executeTakeFirst();
  return {
    scale,
    seed,
    counties: SCALES[scale].counties.map((code) => ({
      code,
      name: COUNTIES.find((c) => c.code === code)!.name,
    })),
    schools: await countRows(store.db, 'schools'),
    pupils: Number(pupils?.n ?? 0),
    students: rows.students ?? 0,
    teachers: rows.teachers ?? 0,
    classes: rows.classes ?? 0,
    rows,
    indicators2023,
    seconds: (Date.now() - started) / 1000,
  };
}

async function occupiedTables(loader: Awaited<ReturnType<typeof beginBulkLoad>>): Promise<string[]> {
  const out: string[] = [];
  for (const t of [...BUSINESS_TABLES_CHILDREN_FIRST].reverse()) {
    const r = await loader.query(`SELECT 1 AS x FROM ${t} LIMIT 1`);
    if (r.length > 0) out.push(t);
  }
  const marker = await loader.query(`SELECT 1 AS x FROM settings WHERE key = '${SETTING_DEMO}'`);
  if (marker.length > 0) out.push(`settings.${SETTING_DEMO}`);
  return out;
}

/** Deletes all business data, children before parents, inside the load's transaction. */
async function clearBusinessData(
  loader: Awaited<ReturnType<typeof beginBulkLoad>>,
  progress: (phase: string, done: number, total: number) => void,
): Promise<void> {
  const tables = BUSINESS_TABLES_CHILDREN_FIRST;
  progress('clear', 0, tables.length);
  if (loader.dialect === 'postgres') {
    // TRUNCATE is far faster than DELETE; tables that other (non-business) tables reference, such as
    // schools (users.school_id), cannot be truncated and are deleted row by row afterwards.
    const truncatable = tables.filter((t) => t !== 'schools');
    await loader.query('SAVEPOINT demo_clear');
    try {
      await loader.query(`TRUNCATE ${truncatable.join(', ')}`);
      await loader.query('RELEASE SAVEPOINT demo_clear');
    } catch {
      await loader.query('ROLLBACK TO SAVEPOINT demo_clear');
      for (const t of truncatable) await loader.query(`DELETE FROM ${t}`);
    }
    await loader.query('DELETE FROM schools');
  } else {
    for (const [i, t] of tables.entries()) {
      await loader.query(`DELETE FROM ${t}`);
      progress('clear', i + 1, tables.length);
    }
  }
  await loader.query(`DELETE FROM settings WHERE key = '${SETTING_DEMO}'`);
  progress('clear', tables.length, tables.length);
}
