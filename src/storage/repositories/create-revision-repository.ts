import type { Database } from '../database.js';
import { toSafeInteger } from '../to-safe-integer.js';
import { bumpRevision } from './bump-revision.js';

/**
 * Per-collection change counters (`channels`, `api_keys`). Writers bump them;
 * every gateway process polls the cheap single-row `get` and reloads its
 * in-memory cache when the number moves, so a key revoked from the CLI or
 * another instance takes effect everywhere without restarts.
 */
export interface RevisionRepository {
  /** Current value, 0 if the collection was never changed. */
  get(name: string): Promise<number>;
  /** Atomically increments and returns the new value. */
  bump(name: string): Promise<number>;
}

export function createRevisionRepository(database: Database): RevisionRepository {
  const { db } = database;
  return {
    async get(name) {
      const row = await db.selectFrom('revisions').select('revision').where('name', '=', name).executeTakeFirst();
      return row === undefined ? 0 : toSafeInteger(row.revision, 'revision');
    },
    bump: (name) => bumpRevision(db, name),
  };
}
