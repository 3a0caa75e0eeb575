import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../src/storage/create-database.js';
import type { Database } from '../../src/storage/database.js';
import type { StorageTarget } from './storage-target.js';

/** A SQLite file in a fresh temp directory (in a sub-directory, to exercise parent creation). */
export async function createSqliteTarget(): Promise<StorageTarget> {
  const directory = await mkdtemp(join(tmpdir(), 'mixroute-storage-'));
  const url = `sqlite:${join(directory, 'nested', 'mixroute.db')}`;
  const opened: Database[] = [];
  return {
    async open(options = {}) {
      const database = await createDatabase({ url, ...options });
      opened.push(database);
      return database;
    },
    async destroy() {
      await Promise.all(opened.map((database) => database.close()));
      await rm(directory, { recursive: true, force: true });
    },
  };
}
