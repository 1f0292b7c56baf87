import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { AppError } from '../domain/errors.ts';
import type { DatabaseTarget, Store } from './db.ts';

const run = promisify(execFile);

/**
 * Backups: SQLite uses the online backup API (safe while the server runs); PostgreSQL uses
 * pg_dump's custom format. A backup restores only into the same kind of database.
 */
export async function backupDatabase(store: Store, file: string): Promise<void> {
  const out = path.resolve(file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  if (store.sqlite) {
    await store.sqlite.backup(out);
    return;
  }
  await runPgTool('pg_dump', [
    '--format=custom',
    '--no-owner',
    '--file',
    out,
    '--dbname',
    store.target.location,
  ]);
}

type BackupKind = 'sqlite' | 'postgres';

function kindOfBackup(file: string): BackupKind {
  if (!fs.existsSync(file)) {
    throw new AppError('backup.not_found', `找不到备份文件 ${file}`, `Backup file ${file} not found`, 'FILE');
  }
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(16);
  fs.readSync(fd, head, 0, 16, 0);
  fs.closeSync(fd);
  if (head.toString('latin1') === 'SQLite format 3\0') return 'sqlite';
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  throw new AppError(
    'backup.unknown_format',
    `${file} 不是 EduAtlas 备份（既不是 SQLite 文件，也不是 pg_dump 自定义格式）`,
    `${file} is not an EduAtlas backup (neither a SQLite file nor a pg_dump custom-format archive)`,
    'FILE',
  );
}

/**
 * Restores a backup over the target database, all or nothing. The store must be closed first
 * (for SQLite the file is replaced). Stop the server before restoring.
 */
export async function restoreDatabase(target: DatabaseTarget, file: string): Promise<void> {
  const src = path.resolve(file);
  const kind = kindOfBackup(src);
  if (kind !== target.dialect) {
    throw new AppError(
      'backup.wrong_dialect',
      `备份来自 ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}，不能恢复到 ${target.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`,
      `The backup is from ${kind}; it cannot be restored into ${target.dialect}`,
      'FILE',
    );
  }
  if (target.dialect === 'sqlite') {
    checkSqliteBackup(src);
    // Copy beside the target, then rename: the old file stays whole until the new one is complete.
    const tmp = `${target.location}.restoring`;
    fs.mkdirSync(path.dirname(target.location), { recursive: true });
    fs.copyFileSync(src, tmp);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(target.location + suffix, { force: true });
    fs.renameSync(tmp, target.location);
    return;
  }
  await runPgTool('pg_restore', [
    '--clean',
    '--if-exists',
    '--no-owner',
    '--single-transaction',
    '--exit-on-error',
    '--dbname',
    target.location,
    src,
  ]);
}

function checkSqliteBackup(file: string): void {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const ok = db.pragma('quick_check', { simple: true });
    const hasMigrations = db
      .prepare("select count(*) as n from sqlite_master where name = 'kysely_migration'")
      .get() as { n: number };
    if (ok !== 'ok' || hasMigrations.n === 0) {
      throw new AppError(
        'backup.not_eduatlas',
        `${file} 不是完整的 EduAtlas 数据库备份`,
        `${file} is not a complete EduAtlas database backup`,
        'FILE',
      );
    }
  } finally {
    db.close();
  }
}

async function runPgTool(tool: string, args: string[]): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') {
      throw new AppError(
        'backup.tool_missing',
        `找不到 ${tool}：请安装 PostgreSQL 客户端（apt-get install postgresql-client）`,
        `${tool} not found: install the PostgreSQL client tools (apt-get install postgresql-client)`,
      );
    }
    const detail = (err.stderr ?? String(e)).trim().split('\n').slice(-3).join(' ');
    throw new AppError('backup.pg_failed', `${tool} 失败：${detail}`, `${tool} failed: ${detail}`);
  }
}
