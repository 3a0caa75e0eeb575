import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createDatabase } from '../../src/storage/create-database.js';
import { createApiKeyRepository } from '../../src/storage/repositories/create-api-key-repository.js';
import { createRevisionRepository } from '../../src/storage/repositories/create-revision-repository.js';
import { createUserRepository } from '../../src/storage/repositories/create-user-repository.js';

describe('createDatabase (SQLite specifics)', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mixroute-db-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  test('with background checkpoints, commits never checkpoint on the caller; a worker thread moves the log into the file', async () => {
    const path = join(directory, 'checkpointed.db');
    const database = await createDatabase({ url: `sqlite:${path}`, backgroundCheckpointMs: 20 });
    const sqlite = database.sqlite!;
    try {
      expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(4096);
      sqlite.exec('create table filler (id integer primary key, text text)');
      const insert = sqlite.prepare('insert into filler (text) values (?)');
      // ~4 MB in 1,000 commits: SQLite's own threshold (1,000 pages) would have checkpointed on this thread.
      for (let index = 0; index < 1_000; index++) insert.run(randomBytes(2_000).toString('hex'));
      const pagesInFile = () => statSync(path).size / 4096;
      const deadline = Date.now() + 5_000;
      while (pagesInFile() < 900 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(pagesInFile()).toBeGreaterThanOrEqual(900);
    } finally {
      await database.close();
    }
    // The last connection to close checkpointed the rest and removed the log.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  test('with background checkpoints, the log stays bounded under writes that never pause', async () => {
    const path = join(directory, 'bounded.db');
    const database = await createDatabase({ url: `sqlite:${path}`, backgroundCheckpointMs: 20 });
    const sqlite = database.sqlite!;
    try {
      sqlite.exec('create table filler (id integer primary key, text text)');
      const insert = sqlite.prepare('insert into filler (text) values (?)');
      let largest = 0;
      // ~80 MB in 20,000 commits, yielding now and then so the checkpointer runs alongside.
      for (let index = 0; index < 20_000; index++) {
        insert.run(randomBytes(2_000).toString('hex'));
        if (index % 500 === 0) {
          largest = Math.max(largest, statSync(`${path}-wal`).size);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      largest = Math.max(largest, statSync(`${path}-wal`).size);
      // 4,096 pages of 4 KiB, plus the frames of the commits that land while the worker's checkpoint
      // holds the lock: 24 MB once with the whole suite running on two cores. Far below what was written.
      expect(largest).toBeLessThan(32 * 1024 * 1024);
      expect(statSync(path).size).toBeGreaterThan(70 * 1024 * 1024);
    } finally {
      await database.close();
    }
  });

  test('without them, the log stays in the -wal file until SQLite checkpoints by itself', async () => {
    const path = join(directory, 'plain.db');
    const database = await createDatabase({ url: `sqlite:${path}` });
    try {
      expect(database.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      await database.close();
    }
  });

  test('creates the parent directory and applies the connection pragmas', async () => {
    const path = join(directory, 'a', 'b', 'mixroute.db');
    const database = await createDatabase({ url: `sqlite:${path}` });
    try {
      expect(database.dialect).toBe('sqlite');
      expect(existsSync(path)).toBe(true);
      const pragma = async (name: string) =>
        Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(database.db)).rows[0]!)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('busy_timeout')).toBe(5000);
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('synchronous')).toBe(1); // NORMAL
    } finally {
      await database.close();
    }
  });

  test('accepts a bare path and keeps data across reopenings', async () => {
    const path = join(directory, 'bare.db');
    const first = await createDatabase({ url: path });
    await createUserRepository(first).ensure({ name: 'kept', role: 'admin' });
    await first.close();
    const second = await createDatabase({ url: `sqlite://${path}` });
    try {
      expect((await createUserRepository(second).findByName('kept'))?.role).toBe('admin');
    } finally {
      await second.close();
    }
  });

  test('supports in-memory databases', async () => {
    const database = await createDatabase({ url: 'sqlite::memory:' });
    try {
      expect((await createUserRepository(database).ensure({ name: 'm', role: 'user' })).name).toBe('m');
    } finally {
      await database.close();
    }
  });

  test('rejects options that do not apply', async () => {
    await expect(createDatabase({ url: 'sqlite::memory:', schema: 'x' })).rejects.toThrow(/only applies to PostgreSQL/);
    await expect(createDatabase({ url: 'postgres://127.0.0.1:1/x', schema: 'Bad-Name' })).rejects.toThrow(
      /invalid PostgreSQL schema name/,
    );
  });

  test('a write waits (busy_timeout) for another process holding the write lock instead of failing', async () => {
    const path = join(directory, 'shared.db');
    const database = await createDatabase({ url: path });
    try {
      const user = await createUserRepository(database).ensure({ name: 'u', role: 'user' });
      const holdMs = 600;
      const betterSqlite3 = createRequire(import.meta.url).resolve('better-sqlite3');
      // A separate process takes the write lock and holds it; plain JS so it
      // needs no TypeScript loader.
      const child = spawn(
        process.execPath,
        [
          '-e',
          `const db = require(${JSON.stringify(betterSqlite3)})(process.argv[1]);
           db.exec('begin immediate');
           db.prepare("insert into revisions (name, revision) values ('other', 1)").run();
           process.stdout.write('locked\\n');
           Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
           db.exec('commit'); db.close();`,
          path,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      const started = Date.now();
      // A read-then-write transaction: with a deferred BEGIN its lock upgrade
      // would fail with SQLITE_BUSY(_SNAPSHOT) instead of waiting.
      await createApiKeyRepository(database).create({
        userId: user.id,
        name: 'waited',
        secret: randomBytes(24).toString('hex'),
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(holdMs - 200);
      expect(await createRevisionRepository(database).bump('mine')).toBe(1);
      expect(await exited).toBe(0);
      expect(await createRevisionRepository(database).get('other')).toBe(1);
    } finally {
      await database.close();
    }
  });
});
