import type { Database } from '../../src/storage/database.js';

/**
 * One isolated, empty storage location (a temp SQLite file, a fresh
 * PostgreSQL schema) that a test can open any number of handles on.
 */
export interface StorageTarget {
  /** Opens (and migrates) a new handle on this location. */
  open(options?: { migrate?: boolean }): Promise<Database>;
  /** Closes every handle opened here and deletes the location. */
  destroy(): Promise<void>;
}
