import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Keys of the settings table. `demo` holds the demo city's description when the data are synthetic. */
export const SETTING_DEMO = 'demo';

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function setSetting(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute();
}

export interface DemoInfo {
  scale: string;
  seed: number;
  builtAt: string;
}

/** The demo marker, present only when the database holds the synthetic demo city. */
export async function getDemoInfo(db: Db): Promise<DemoInfo | null> {
  const v = await getSetting(db, SETTING_DEMO);
  return v ? (JSON.parse(v) as DemoInfo) : null;
}
