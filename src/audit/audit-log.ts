import type { Kysely, Transaction } from 'kysely';
import { maskIdNumber, maskName } from '../domain/privacy.ts';
import { nowIso } from '../domain/time.ts';
import type { Database } from '../store/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Who did it, from where. */
export interface AuditActor {
  userId: number | null;
  username: string | null;
  role: string | null;
  ip: string | null;
}

export interface AuditEntry {
  /** e.g. `user.create`, `auth.sign_in`, `student.read`, `import.schools`, `export.students` */
  action: string;
  resourceType: string;
  resourceId?: string | number | null;
  countyCode?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  context?: Record<string, unknown>;
}

const NAME_FIELDS = new Set(['name', 'display_name', 'displayName', 'guardian_name', 'guardianName']);
const ID_FIELDS = new Set(['id_number', 'idNumber']);
const SECRET_FIELDS = new Set(['password', 'password_hash', 'token', 'csrf_token']);

/** Masks personal fields and drops secrets before anything reaches the audit log. */
export function maskPersonal(
  record: Record<string, unknown> | null | undefined,
): Record<string, unknown> | null {
  if (!record) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (SECRET_FIELDS.has(k)) continue;
    if (NAME_FIELDS.has(k) && typeof v === 'string') out[k] = maskName(v);
    else if (ID_FIELDS.has(k) && typeof v === 'string') out[k] = maskIdNumber(v);
    else out[k] = v;
  }
  return out;
}

/** The audit row of an entry, personal fields masked (for a statement that writes it with others). */
export function auditRow(actor: AuditActor, e: AuditEntry) {
  const detail: Record<string, unknown> = { ...(e.context ?? {}) };
  if (e.before !== undefined) detail.before = maskPersonal(e.before);
  if (e.after !== undefined) detail.after = maskPersonal(e.after);
  return {
    at: nowIso(),
    user_id: actor.userId,
    username: actor.username,
    role: actor.role,
    ip: actor.ip,
    action: e.action,
    resource_type: e.resourceType,
    resource_id: e.resourceId == null ? null : String(e.resourceId),
    county_code: e.countyCode ?? null,
    detail: Object.keys(detail).length ? JSON.stringify(detail) : null,
  };
}

/** Appends one entry. The application never updates or deletes audit rows. */
export async function writeAudit(db: Db, actor: AuditActor, e: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values(auditRow(actor, e)).execute();
}

export interface AuditQuery {
  userId?: number;
  username?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  /** Dates (YYYY-MM-DD, Asia/Shanghai) inclusive. */
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}

const shanghaiDayStartUtc = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString();
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + 86400_000).toISOString();

export async function searchAudit(db: Db, q: AuditQuery) {
  const base = db
    .selectFrom('audit_log')
    .$if(q.userId !== undefined, (b) => b.where('user_id', '=', q.userId!))
    .$if(Boolean(q.username), (b) => b.where('username', '=', q.username!))
    .$if(Boolean(q.action), (b) => b.where('action', 'like', `${q.action}%`))
    .$if(Boolean(q.resourceType), (b) => b.where('resource_type', '=', q.resourceType!))
    .$if(Boolean(q.resourceId), (b) => b.where('resource_id', '=', q.resourceId!))
    .$if(Boolean(q.from), (b) => b.where('at', '>=', shanghaiDayStartUtc(q.from!)))
    .$if(Boolean(q.to), (b) => b.where('at', '<', nextDay(q.to!)));
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .selectAll()
    .orderBy('id', 'desc')
    .limit(q.limit ?? 50)
    .offset(q.offset ?? 0)
    .execute();
  return { total: Number(total.n), rows };
}
