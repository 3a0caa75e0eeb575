import { describe } from 'vitest';
import { createSqliteTarget } from './create-sqlite-target.js';
import { describeStorageSuite } from './describe-storage-suite.js';

describe('storage on SQLite', () => {
  describeStorageSuite(createSqliteTarget);
});
