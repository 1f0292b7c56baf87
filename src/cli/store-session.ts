import { migrateToLatest, openStoreFromEnv, type Store } from '../store/db.ts';
import { seedRegions } from '../store/regions.ts';

/** Opens the store named by DATABASE_URL, brings it to the current schema, runs `work`, and closes it. */
export async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = openStoreFromEnv();
  try {
    await migrateToLatest(store.db);
    await seedRegions(store.db);
    return await work(store);
  } finally {
    await store.close();
  }
}
