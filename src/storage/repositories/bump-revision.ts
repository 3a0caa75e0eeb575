import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../database-schema.js';
import { toSafeInteger } from '../to-safe-integer.js';

/**
 * Increments the change counter `name` and returns its new value (1 the first
 * time). A single upsert statement, so it is atomic on both dialects even with
 * many concurrent writers: PostgreSQL row-locks the conflicting row and SQLite
 * serialises writers. Takes a `Kysely` so repositories can bump inside the
 * same transaction as the change it announces — a poller then never sees the
 * new revision before the new data.
 */
export async function bumpRevision(db: Kysely<DatabaseSchema>, name: string): Promise<number> {
  const row = await db
    .insertInto('revisions')
    .values({ name, revision: 1 })
    .onConflict((conflict) =>
      conflict.column('name').doUpdateSet((eb) => ({ revision: eb('revisions.revision', '+', 1) })),
    )
    .returning('revision')
    .executeTakeFirstOrThrow();
  return toSafeInteger(row.revision, 'revision');
}
