import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { hashApiKeySecret } from '../../src/storage/hash-api-key-secret.js';
import type { LedgerEntry } from '../../src/storage/ledger-entry.js';
import { migrateToLatest } from '../../src/storage/migrate-to-latest.js';
import { toSafeInteger } from '../../src/storage/to-safe-integer.js';
import { writeTransaction } from '../../src/storage/write-transaction.js';
import { createApiKeyRepository } from '../../src/storage/repositories/create-api-key-repository.js';
import { createChannelRepository } from '../../src/storage/repositories/create-channel-repository.js';
import { createLedgerRepository } from '../../src/storage/repositories/create-ledger-repository.js';
import { createRevisionRepository } from '../../src/storage/repositories/create-revision-repository.js';
import { createUserRepository } from '../../src/storage/repositories/create-user-repository.js';
import { createPriceRepository } from '../../src/storage/repositories/create-price-repository.js';
import { createSpendingRepository, type SpendingReservation } from '../../src/storage/repositories/create-spending-repository.js';
import { createBalanceLeaseRepository, type BalanceLeaseOptions } from '../../src/storage/repositories/create-balance-lease-repository.js';
import { createUserGroupRepository } from '../../src/storage/repositories/create-user-group-repository.js';
import { createSecretBox } from '../../src/storage/secret-box.js';
import type { StorageTarget } from './storage-target.js';

/** Every migration, in order: a new one must be added here too. */
const MIGRATIONS = ['0001_initial', '0002_api_key_policy', '0003_user_balance', '0004_spending_limits', '0005_balance_leases'];

const TABLES = ['users', 'api_keys', 'channels', 'ledger', 'revisions', 'user_groups', 'prices', 'balance_leases'] as const;
const GENERATED_SECRET = /^sk-mr-[0-9A-Za-z]{40}$/;
const FIXED_SECRET = 'fixed-secret-0123456789abcdefghij';

/**
 * Every storage behaviour, written once and run against each dialect: the
 * point of the storage layer is that callers cannot tell them apart.
 * `createTarget` must return a fresh, empty location each time.
 */
export function describeStorageSuite(createTarget: () => Promise<StorageTarget>): void {
  let target: StorageTarget;
  let database: Database;
  const secretBox = createSecretBox(randomBytes(32));

  beforeEach(async () => {
    target = await createTarget();
    database = await target.open();
  });
  afterEach(async () => {
    await target.destroy();
  });

  const users = () => createUserRepository(database);
  const apiKeys = () => createApiKeyRepository(database);
  const channels = () => createChannelRepository(database, secretBox);
  const ledger = () => createLedgerRepository(database);
  const revisions = () => createRevisionRepository(database);
  const spending = () => createSpendingRepository(database);
  const userGroups = () => createUserGroupRepository(database);
  const prices = () => createPriceRepository(database);
  const createUser = async (name = 'alice') => users().ensure({ name, role: 'user' });

  describe('migrations', () => {
    test('create every table, empty', async () => {
      for (const table of TABLES) {
        const row = await database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('count'))
          .executeTakeFirstOrThrow();
        expect(Number(row.count), table).toBe(0);
      }
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(database.db);
      expect(applied.rows.map((row) => row.name)).toEqual(MIGRATIONS);
    });

    test('are idempotent: migrating again and reopening change nothing and keep data', async () => {
      await createUser('kept');
      expect(await migrateToLatest(database)).toEqual([]);
      const second = await target.open();
      expect(await migrateToLatest(second)).toEqual([]);
      expect((await createUserRepository(second).findByName('kept'))?.name).toBe('kept');
      const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(second.db);
      expect(applied.rows).toHaveLength(MIGRATIONS.length);
    });

    test('report what they applied when opening without migrating first', async () => {
      const fresh = await createTarget();
      try {
        const unmigrated = await fresh.open({ migrate: false });
        expect(await migrateToLatest(unmigrated)).toEqual(MIGRATIONS);
        expect(await migrateToLatest(unmigrated)).toEqual([]);
      } finally {
        await fresh.destroy();
      }
    });

    test('enforce foreign keys', async () => {
      await expect(apiKeys().create({ userId: 'usr_missing', name: 'orphan' })).rejects.toThrow(/unknown user id/);
      // Bypassing the repository's check, the constraint itself still holds.
      await expect(
        database.db
          .insertInto('api_keys')
          .values({
            id: 'key_orphan',
            user_id: 'usr_missing',
            name: 'orphan',
            prefix: 'x',
            secret_hash: 'x',
            status: 'active',
            created_at: 0,
            revoked_at: null,
            expires_at: null,
            last_used_at: null,
          })
          .execute(),
      ).rejects.toThrow();
      expect(await apiKeys().list()).toEqual([]);
    });

    test('close is idempotent', async () => {
      const extra = await target.open();
      await extra.close();
      await extra.close();
    });
  });

  describe('users', () => {
    test('ensure creates once and is idempotent, keeping the existing role', async () => {
      const created = await users().ensure({ name: 'root', role: 'admin' });
      expect(created).toMatchObject({ name: 'root', role: 'admin' });
      expect(created.id).toMatch(/^usr_[0-9A-Za-z]{20}$/);
      expect(Math.abs(created.createdAt - Date.now())).toBeLessThan(60_000);
      const again = await users().ensure({ name: 'root', role: 'user' });
      expect(again).toEqual(created);
    });

    test('ensure is safe to race', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => users().ensure({ name: 'race', role: 'user' })),
      );
      expect(new Set(results.map((user) => user.id)).size).toBe(1);
      expect(await users().list()).toHaveLength(1);
    });

    test('findByName, findById and list', async () => {
      const alice = await createUser('alice');
      const bob = await createUser('bob');
      expect(await users().findByName('alice')).toEqual(alice);
      expect(await users().findByName('nobody')).toBeUndefined();
      expect(await users().findById(bob.id)).toEqual(bob);
      expect(await users().findById('usr_missing')).toBeUndefined();
      expect((await users().list()).map((user) => user.name).sort()).toEqual(['alice', 'bob']);
    });

    test('ensure rejects invalid input', async () => {
      await expect(users().ensure({ name: ' ', role: 'user' })).rejects.toThrow(/invalid user name/);
      await expect(users().ensure({ name: 'x', role: 'owner' as 'user' })).rejects.toThrow(/invalid user role/);
    });
  });

  describe('spending', () => {
    const BILLED = { balance: true } as const;
    const createKey = async (userId: string, quotaNanoUsd?: number) =>
      (await apiKeys().create({ userId, name: `key-${randomBytes(4).toString('hex')}`, ...(quotaNanoUsd === undefined ? {} : { policy: { quotaNanoUsd } }) })).apiKey;
    const reserve = (userId: string, keyId: string, amountNanoUsd: number, limits: Parameters<ReturnType<typeof spending>['reserve']>[0]['limits'], now?: number) =>
      spending().reserve({ userId, keyId, amountNanoUsd, limits, ...(now === undefined ? {} : { now }) });

    test('a user is not billed until credited; credits add up exactly and never go below zero', async () => {
      const alice = await createUser();
      const key = await createKey(alice.id);
      expect(alice.balanceNanoUsd).toBeNull();
      expect(await reserve(alice.id, key.id, 1, BILLED)).toEqual({ ok: false, refusal: { limit: 'balance', balanceNanoUsd: 0 } });
      expect(await users().credit('alice', 5_000_000_000)).toBe(true);
      expect(await users().credit('alice', -6_000_000_000)).toBe(false);
      expect(await users().credit('nobody', 1)).toBe(false);
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(5_000_000_000);
    });

    test('200 concurrent reservations against a balance covering exactly 50: exactly 50 succeed', async () => {
      const alice = await createUser();
      const key = await createKey(alice.id);
      const reservation = 123_456_789;
      await users().credit('alice', 50 * reservation);
      // Several connections, as several requests (or instances) would use.
      const handles = [database, await target.open(), await target.open()];
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          createSpendingRepository(handles[index % handles.length]!).reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: reservation, limits: BILLED }),
        ),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(50);
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(0);
      for (const handle of handles.slice(1)) await handle.close();
    });

    test('reservations asked for together, some refused by their second limit, take money only for the ones that pass', async () => {
      // On SQLite these share one group commit: each refused one must roll back its balance step, and only that.
      const alice = await createUser();
      const key = await createKey(alice.id, 250);
      await users().credit('alice', 1_000);
      const results = await Promise.all(Array.from({ length: 5 }, () => reserve(alice.id, key.id, 100, { balance: true, keyQuotaNanoUsd: 250 })));
      // In which order they run is up to the database (PostgreSQL runs them on several connections).
      expect(results.filter((result) => result.ok)).toHaveLength(2);
      for (const result of results) if (!result.ok) expect(result.refusal).toMatchObject({ limit: 'key_quota', quotaNanoUsd: 250 });
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(800);
      expect((await apiKeys().findById(key.id))!.quotaUsedNanoUsd).toBe(200);
      // A group that also holds a request refused outright (no balance) leaves the others' money taken.
      const bob = await createUser('bob');
      const bobKey = await createKey(bob.id);
      const mixed = await Promise.all([reserve(alice.id, key.id, 50, { balance: true, keyQuotaNanoUsd: 250 }), reserve(bob.id, bobKey.id, 1, BILLED)]);
      expect(mixed.map((result) => result.ok)).toEqual([true, false]);
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(750);
    });

    test('settling returns the reservation, takes the real cost, and never goes below zero', async () => {
      const alice = await createUser();
      const key = await createKey(alice.id);
      await users().credit('alice', 1_000);
      const first = await reserve(alice.id, key.id, 800, BILLED);
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(200);
      await spending().settle(first.ok ? first.reservation : assertNever(), 300);
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(700);
      const second = await reserve(alice.id, key.id, 700, BILLED);
      await spending().settle(second.ok ? second.reservation : assertNever(), 5_000);
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(0);
    });

    test("a key's own quota: reserved, refused with its figures when full, settled to the real cost", async () => {
      const alice = await createUser();
      const key = await createKey(alice.id, 1_000);
      const limits = { balance: false, keyQuotaNanoUsd: 1_000 };
      const first = await reserve(alice.id, key.id, 600, limits);
      expect(first.ok).toBe(true);
      expect(await reserve(alice.id, key.id, 500, limits)).toEqual({ ok: false, refusal: { limit: 'key_quota', quotaNanoUsd: 1_000, usedNanoUsd: 600 } });
      await spending().settle(first.ok ? first.reservation : assertNever(), 100);
      expect((await apiKeys().findById(key.id))!.quotaUsedNanoUsd).toBe(100);
      expect((await reserve(alice.id, key.id, 900, limits)).ok).toBe(true);
      // Another key of the same user has its own quota.
      const other = await createKey(alice.id, 50);
      expect((await reserve(alice.id, other.id, 50, { balance: false, keyQuotaNanoUsd: 50 })).ok).toBe(true);
    });

    test('a period limit counts per period and starts afresh in the next one', async () => {
      const alice = await createUser();
      const key = await createKey(alice.id);
      await users().update('alice', { spendLimit: { amountNanoUsd: 1_000, period: 'day' } });
      const limits = { balance: false, period: 'day' as const };
      const day1 = Date.parse('2026-11-25T10:00:00Z');
      const day2 = Date.parse('2026-11-26T00:00:01Z');
      const first = await reserve(alice.id, key.id, 700, limits, day1);
      expect(first.ok).toBe(true);
      expect(await reserve(alice.id, key.id, 400, limits, day1)).toEqual({
        ok: false,
        refusal: { limit: 'period_limit', period: 'day', limitNanoUsd: 1_000, spentNanoUsd: 700 },
      });
      await spending().settle(first.ok ? first.reservation : assertNever(), 650);
      expect((await users().findByName('alice'))!.periodSpentNanoUsd).toBe(650);
      const second = await reserve(alice.id, key.id, 350, limits, day1);
      expect(second.ok).toBe(true);
      // A new day: the limit is whole again, and settling yesterday's request leaves today alone.
      const third = await reserve(alice.id, key.id, 1_000, limits, day2);
      expect(third.ok).toBe(true);
      await spending().settle(second.ok ? second.reservation : assertNever(), 10);
      const after = (await users().findByName('alice'))!;
      expect(after.periodSpentNanoUsd).toBe(1_000);
      expect(after.periodStartedAt).toBe(Date.parse('2026-11-26T00:00:00Z'));
    });

    test('an instance whose clock is behind counts into the stored, later period, and its settlement lands there', async () => {
      const alice = await createUser();
      const key = await createKey(alice.id);
      await users().update('alice', { spendLimit: { amountNanoUsd: 1_000, period: 'day' } });
      const limits = { balance: false, period: 'day' as const };
      const ahead = await reserve(alice.id, key.id, 150, limits, Date.parse('2026-11-26T00:00:01Z'));
      const behind = await reserve(alice.id, key.id, 150, limits, Date.parse('2026-11-25T23:59:59Z'));
      expect(behind.ok && behind.reservation.periodStartedAt).toBe(Date.parse('2026-11-26T00:00:00Z'));
      await spending().settle(ahead.ok ? ahead.reservation : assertNever(), 10);
      await spending().settle(behind.ok ? behind.reservation : assertNever(), 10);
      expect((await users().findByName('alice'))!).toMatchObject({ periodSpentNanoUsd: 20, periodStartedAt: Date.parse('2026-11-26T00:00:00Z') });
    });

    test('a key cached before the user moved to another period neither counts into it nor resets it', async () => {
      const alice = await createUser();
      const key = await createKey(alice.id);
      await users().update('alice', { spendLimit: { amountNanoUsd: 1_000, period: 'month' } });
      const now = Date.parse('2026-11-25T12:00:00Z');
      const counted = await reserve(alice.id, key.id, 300, { balance: false, period: 'month' }, now);
      expect(counted.ok).toBe(true);
      expect((await reserve(alice.id, key.id, 100, { balance: false, period: 'day' }, now)).ok).toBe(false);
      expect((await users().findByName('alice'))!).toMatchObject({ periodSpentNanoUsd: 300, periodStartedAt: Date.parse('2026-11-01T00:00:00Z') });
    });

    test('all or nothing: a refusal by one limit takes nothing from the others', async () => {
      const alice = await createUser();
      await users().credit('alice', 10_000);
      await users().update('alice', { spendLimit: { amountNanoUsd: 500, period: 'month' } });
      const key = await createKey(alice.id, 400);
      const limits = { balance: true, keyQuotaNanoUsd: 400, period: 'month' as const };
      // The key quota refuses after the user step took balance and period: both must be rolled back.
      expect(await reserve(alice.id, key.id, 450, limits)).toMatchObject({ ok: false, refusal: { limit: 'key_quota' } });
      // The period limit refuses before the key is touched.
      expect(await reserve(alice.id, key.id, 600, { ...limits, keyQuotaNanoUsd: 10_000 })).toMatchObject({ ok: false, refusal: { limit: 'period_limit', spentNanoUsd: 0 } });
      const user = (await users().findByName('alice'))!;
      expect(user.balanceNanoUsd).toBe(10_000);
      expect(user.periodSpentNanoUsd).toBe(0);
      expect((await apiKeys().findById(key.id))!.quotaUsedNanoUsd).toBe(0);
      const ok = await reserve(alice.id, key.id, 400, limits);
      expect(ok.ok).toBe(true);
      await spending().settle(ok.ok ? ok.reservation : assertNever(), 250);
      expect((await users().findByName('alice'))!).toMatchObject({ balanceNanoUsd: 9_750, periodSpentNanoUsd: 250 });
      expect((await apiKeys().findById(key.id))!.quotaUsedNanoUsd).toBe(250);
    });

    test('a reservation made while another transaction is open is never undone by that one rolling back', async () => {
      const alice = await createUser();
      await users().credit('alice', 1_000);
      const key = await createKey(alice.id);
      let release!: () => void;
      let began!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const inside = new Promise<void>((resolve) => (began = resolve));
      const outer = writeTransaction(database, async (trx) => {
        await trx.insertInto('users').values({ id: 'usr_rolled_back', name: 'rolled-back', role: 'user', created_at: 1 }).execute();
        began();
        await gate;
        throw new Error('roll back');
      }).catch((error: Error) => error.message);
      await inside;
      const reserving = reserve(alice.id, key.id, 100, BILLED);
      await new Promise((resolve) => setTimeout(resolve, 20));
      release();
      expect(await outer).toBe('roll back');
      expect((await reserving).ok).toBe(true);
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(900);
      expect(await users().findByName('rolled-back')).toBeUndefined();
    });

    test('a ledger row settles its reservation when stored, exactly once, even replayed', async () => {
      const alice = await createUser();
      await users().credit('alice', 1_000);
      const key = await createKey(alice.id, 5_000);
      const held = await reserve(alice.id, key.id, 800, { balance: true, keyQuotaNanoUsd: 5_000 });
      const reservation = held.ok ? held.reservation : assertNever();
      const row = ledgerEntry({ id: 'req_settles', userId: alice.id, apiKeyId: key.id, costNanoUsd: 300, settles: reservation });
      await ledger().insertMany([row, ledgerEntry({ id: 'req_plain' })]);
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(700);
      expect((await apiKeys().findById(key.id))!.quotaUsedNanoUsd).toBe(300);
      // A journal replayed after a crash brings the same row again: stored already, so nothing is settled twice.
      await ledger().insertMany([row]);
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(700);
      expect((await apiKeys().findById(key.id))!.quotaUsedNanoUsd).toBe(300);
      expect((await ledger().list({ limit: 10 })).find((stored) => stored.id === 'req_settles')).not.toHaveProperty('settles');
      // The same row twice in one batch (a request recorded twice) settles once.
      const again = await reserve(alice.id, key.id, 200, { balance: true, keyQuotaNanoUsd: 5_000 });
      const twice = ledgerEntry({ id: 'req_twice', userId: alice.id, apiKeyId: key.id, costNanoUsd: 50, settles: again.ok ? again.reservation : assertNever() });
      await ledger().insertMany([twice, { ...twice }]);
      expect((await users().findByName('alice'))!.balanceNanoUsd).toBe(650);
    });

    test('200 concurrent reservations against a key quota covering exactly 50, over several connections', async () => {
      const alice = await createUser();
      const key = await createKey(alice.id, 50 * 1_000);
      const handles = [database, await target.open(), await target.open()];
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          createSpendingRepository(handles[index % handles.length]!).reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: 1_000, limits: { balance: false, keyQuotaNanoUsd: 50_000, period: 'week' } }),
        ),
      );
      expect(results.filter((result) => result.ok)).toHaveLength(50);
      expect((await apiKeys().findById(key.id))!.quotaUsedNanoUsd).toBe(50_000);
      expect((await users().findByName('alice'))!.periodSpentNanoUsd).toBe(50_000);
      for (const handle of handles.slice(1)) await handle.close();
    });
  });

  describe('balance leases', () => {
    const BILLED = { balance: true } as const;
    const AMOUNT = 1_000;
    /** One server process: its own connection, its own leases (small ones, so tests see takes and top-ups). */
    const process = async (options: BalanceLeaseOptions = {}, handle?: Database) => {
      const db = handle ?? (await target.open());
      const leases = createBalanceLeaseRepository(db, { chunkRequests: 4, balanceShare: 2, ...options });
      return { db, leases, spending: createSpendingRepository(db, { leases }) };
    };
    const balanceOf = async (name = 'alice') => toSafeInteger((await database.db.selectFrom('users').select('balance_nano_usd').where('name', '=', name).executeTakeFirstOrThrow()).balance_nano_usd, 'balance');
    const leaseRows = () => database.db.selectFrom('balance_leases').selectAll().orderBy('created_at').execute();
    const billedUser = async (balance: number) => {
      const alice = await createUser();
      await users().credit('alice', balance);
      const key = (await apiKeys().create({ userId: alice.id, name: 'k' })).apiKey;
      return { alice, key };
    };
    /** A request's row is stored (settling its reservation in the database) and queued (telling its process). */
    const settle = async (owner: { spending: ReturnType<typeof createSpendingRepository> }, reservation: SpendingReservation, cost: number, id = `req_${randomBytes(6).toString('hex')}`) => {
      owner.spending.settled(reservation, cost);
      await ledger().insertMany([ledgerEntry({ id, userId: reservation.userId, apiKeyId: reservation.keyId, costNanoUsd: cost, settles: reservation })]);
    };
    const ok = (result: Awaited<ReturnType<ReturnType<typeof createSpendingRepository>['reserve']>>) => (result.ok ? result.reservation : assertNever());

    test('requests are reserved in memory from a lease taken in one transaction; costs settle against it; giving it back is exact', async () => {
      const { alice, key } = await billedUser(1_000_000);
      const one = await process();
      const first = ok(await one.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED }));
      expect(first.leaseId).toMatch(/^bl_/);
      // The lease took four reservations' worth from the balance; the next three come from it without touching the database.
      expect(await balanceOf()).toBe(1_000_000 - 4 * AMOUNT);
      const more = await Promise.all([1, 2, 3].map(() => one.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED })));
      expect(more.map((result) => ok(result).leaseId)).toEqual([first.leaseId, first.leaseId, first.leaseId]);
      expect(await balanceOf()).toBe(1_000_000 - 4 * AMOUNT);
      expect(one.leases.held()).toEqual([{ userId: alice.id, leaseId: first.leaseId, freeNanoUsd: 0, holds: 4 }]);
      // Settled at 300 each: 700 of each reservation is free again, and the lease's row lost 300 each.
      await settle(one, first, 300);
      for (const result of more) await settle(one, ok(result), 300);
      expect(one.leases.held()).toEqual([{ userId: alice.id, leaseId: first.leaseId, freeNanoUsd: 4 * 700, holds: 0 }]);
      expect((await leaseRows()).map((row) => toSafeInteger(row.amount_nano_usd, 'amount'))).toEqual([4 * AMOUNT - 4 * 300]);
      // Three more fit in the free part; the fourth tops the same lease up.
      const later = await Promise.all([1, 2, 3, 4].map(() => one.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED })));
      expect(new Set(later.map((result) => ok(result).leaseId))).toEqual(new Set([first.leaseId]));
      expect(await balanceOf()).toBe(1_000_000 - 8 * AMOUNT);
      // One batch settles them together, at the sum of their costs (replayed, nothing again), beside a
      // reservation of the same user made in the database (its key has a quota).
      const quotaKey = (await apiKeys().create({ userId: alice.id, name: 'quota', policy: { quotaNanoUsd: 10_000 } })).apiKey;
      const direct = ok(await one.spending.reserve({ userId: alice.id, keyId: quotaKey.id, amountNanoUsd: AMOUNT, limits: { balance: true, keyQuotaNanoUsd: 10_000 } }));
      expect(direct.leaseId).toBeUndefined();
      const batch = later.map((result, index) => ledgerEntry({ id: `req_batch_${index}`, userId: alice.id, apiKeyId: key.id, costNanoUsd: 100 * (index + 1), settles: ok(result) }));
      batch.push(ledgerEntry({ id: 'req_batch_direct', userId: alice.id, apiKeyId: quotaKey.id, costNanoUsd: 50, settles: direct }));
      for (const entry of batch) one.spending.settled(entry.settles!, entry.costNanoUsd);
      await ledger().insertMany(batch);
      await ledger().insertMany(batch);
      expect((await leaseRows()).map((row) => toSafeInteger(row.amount_nano_usd, 'amount'))).toEqual([8 * AMOUNT - 4 * 300 - 1_000]);
      expect(one.leases.held()).toEqual([{ userId: alice.id, leaseId: first.leaseId, freeNanoUsd: 8 * AMOUNT - 4 * 300 - 1_000, holds: 0 }]);
      expect((await apiKeys().findById(quotaKey.id))!.quotaUsedNanoUsd).toBe(50);
      await one.leases.releaseAll();
      expect(await leaseRows()).toEqual([]);
      expect(await balanceOf()).toBe(1_000_000 - 4 * 300 - 1_000 - 50);
    });

    test('three processes, 300 concurrent reservations against a balance of 200: never more than the balance, every nano-USD back at the end', async () => {
      const { alice, key } = await billedUser(200 * AMOUNT);
      const processes = [await process({ chunkRequests: 16, balanceShare: 4 }, database), await process({ chunkRequests: 16, balanceShare: 4 }), await process({ chunkRequests: 16, balanceShare: 4 })];
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, index) => processes[index % 3]!.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED })),
      );
      const granted = results.filter((result) => result.ok).map((result) => (result.ok ? result.reservation : assertNever()));
      expect(granted.length).toBeLessThanOrEqual(200);
      // Leases are at most a quarter of the balance, and a refused process gives its free part back: most of the balance is usable.
      expect(granted.length).toBeGreaterThanOrEqual(150);
      expect(granted.some((reservation) => reservation.leaseId !== undefined)).toBe(true);
      expect(granted.some((reservation) => reservation.leaseId === undefined)).toBe(true);
      const leased = (await leaseRows()).reduce((sum, row) => sum + toSafeInteger(row.amount_nano_usd, 'amount'), 0);
      const direct = granted.filter((reservation) => reservation.leaseId === undefined).length * AMOUNT;
      // Every nano-USD is in the balance, in a lease, or held by a request reserved directly.
      expect((await balanceOf()) + leased + direct).toBe(200 * AMOUNT);
      // Each settles at a tenth of its reservation, through its own process; then every process gives its leases back.
      for (const reservation of granted) {
        const owner = processes.find((candidate) => candidate.leases.held().some((lease) => lease.leaseId === reservation.leaseId)) ?? processes[0]!;
        if (reservation.leaseId === undefined) await spending().settle(reservation, AMOUNT / 10);
        else await settle(owner, reservation, AMOUNT / 10);
      }
      for (const { leases } of processes) await leases.releaseAll();
      expect(await leaseRows()).toEqual([]);
      expect(await balanceOf()).toBe(200 * AMOUNT - granted.length * (AMOUNT / 10));
    });

    test('giving leases back (at shutdown) waits for what the last requests of a retired lease gave back', async () => {
      const { alice, key } = await billedUser(10 * AMOUNT);
      const one = await process();
      const granted: SpendingReservation[] = [];
      for (let index = 0; index < 10; index++) granted.push(ok(await one.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED })));
      expect(await balanceOf()).toBe(0);
      // The lease was retired when its top-up was refused: each of its requests gives its unspent part back as it ends.
      const leased = granted.filter((reservation) => reservation.leaseId !== undefined);
      expect(leased).toHaveLength(4);
      for (const reservation of leased) one.spending.settled(reservation, 100);
      await one.leases.releaseAll();
      // The costs stay in the lease's row for the requests' ledger rows to settle.
      expect(await balanceOf()).toBe(4 * (AMOUNT - 100));
    });

    test('a process refused a lease gives its own free part back and reserves in the database: it refuses nothing the balance covers', async () => {
      const { alice, key } = await billedUser(10 * AMOUNT);
      const one = await process();
      const reserve = () => one.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED });
      const granted: SpendingReservation[] = [];
      for (let index = 0; index < 10; index++) granted.push(ok(await reserve()));
      // The first four came from a lease (the balance was at least twice the lease); the rest from the database, one by one.
      expect(granted.map((reservation) => reservation.leaseId !== undefined)).toEqual([true, true, true, true, false, false, false, false, false, false]);
      expect(await reserve()).toEqual({ ok: false, refusal: { limit: 'balance', balanceNanoUsd: 0 } });
      for (const reservation of granted) {
        if (reservation.leaseId === undefined) await spending().settle(reservation, 100);
        else await settle(one, reservation, 100);
      }
      await one.leases.releaseAll();
      expect(await balanceOf()).toBe(10 * AMOUNT - 10 * 100);
    });

    test('a free part left in a lease is given back when its process is refused: the next reservation fits', async () => {
      const { alice, key } = await billedUser(8 * AMOUNT);
      const one = await process();
      const reserve = (amountNanoUsd: number) => one.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd, limits: BILLED });
      const small = ok(await reserve(AMOUNT));
      expect(small.leaseId).toBeDefined();
      await settle(one, small, 0);
      // 3,000 free in the lease, 4,000 in the balance: 6,000 needs both, so the lease is given back first.
      const big = ok(await reserve(6 * AMOUNT));
      expect(big.leaseId).toBeUndefined();
      expect(await balanceOf()).toBe(2 * AMOUNT);
      expect(one.leases.held()).toEqual([]);
    });

    test("a dead process's expired lease is reclaimed by another; a row settled against it later is charged to the balance", async () => {
      const { alice, key } = await billedUser(1_000_000);
      const now = Date.now();
      const dead = await process({ ttlMs: 30_000 });
      const held = ok(await dead.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED, now }));
      expect(await balanceOf()).toBe(1_000_000 - 4 * AMOUNT);
      const other = await process();
      await other.leases.maintain(now + 29_000); // not expired yet
      expect(await balanceOf()).toBe(1_000_000 - 4 * AMOUNT);
      await other.leases.maintain(now + 31_000);
      expect(await leaseRows()).toEqual([]);
      expect(await balanceOf()).toBe(1_000_000);
      // Its process's journal, replayed, brings the row: the cost comes out of the balance.
      await ledger().insertMany([ledgerEntry({ id: 'req_after_reclaim', userId: alice.id, apiKeyId: key.id, costNanoUsd: 300, settles: held })]);
      expect(await balanceOf()).toBe(1_000_000 - 300);
    });

    test('a lease of a process on this machine that no longer runs is reclaimed at once; a running one is left alone', async () => {
      const { alice, key } = await billedUser(1_000_000);
      const node = 'test-host:pid:[1]';
      // A PID that cannot be running (above Linux's pid_max), and this very process, as another repository's owner.
      const dead = await process({ owner: { node, pid: 4_999_999 } });
      const alive = await process({ owner: { node, pid: globalThis.process.pid } });
      for (const owner of [dead, alive]) ok(await owner.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED }));
      expect(await leaseRows()).toHaveLength(2);
      const restarted = await process({ owner: { node, pid: 5_000_000 } });
      await restarted.leases.maintain();
      expect((await leaseRows()).map((row) => Number(row.owner_pid))).toEqual([globalThis.process.pid]);
      expect(await balanceOf()).toBe(1_000_000 - 4 * AMOUNT);
      // Another machine's leases wait for their expiry.
      const elsewhere = await process({ owner: { node: 'other-host:pid:[1]', pid: 4_999_998 } });
      ok(await elsewhere.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED }));
      await restarted.leases.maintain();
      expect(await leaseRows()).toHaveLength(2);
    });

    test('a retired lease stays renewed while its requests are in flight, so nothing reclaims what they hold', async () => {
      const { alice, key } = await billedUser(10 * AMOUNT);
      const now = Date.now();
      const one = await process({ ttlMs: 30_000 });
      const reserve = (amountNanoUsd: number) => one.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd, limits: BILLED, now });
      const held = ok(await reserve(AMOUNT));
      expect(held.leaseId).toBeDefined();
      // 6,500 does not fit the lease's free 3,000 and the balance cannot top it up: the lease retires, giving
      // its free part back first, and the database reserves 6,500 of the 9,000 the balance then has.
      const big = ok(await reserve(6_500));
      expect(big.leaseId).toBeUndefined();
      expect(await balanceOf()).toBe(10 * AMOUNT - AMOUNT - 6_500);
      // 40 s on, the retired lease (one request still in flight) has been renewed: another process reclaims nothing.
      await one.leases.maintain(now + 15_000);
      await one.leases.maintain(now + 30_000);
      const other = await process();
      await other.leases.maintain(now + 40_000);
      expect((await leaseRows()).map((row) => [row.id, toSafeInteger(row.amount_nano_usd, 'amount')])).toEqual([[held.leaseId, AMOUNT]]);
      // It ends: what it held (less its cost) goes back, with the direct one's refund after its settlement.
      await settle(one, held, 300);
      await spending().settle(big, 500);
      await vi.waitFor(async () => expect(await balanceOf()).toBe(10 * AMOUNT - 300 - 500));
    });

    test('a process that cannot tell its machine apart never reclaims leases by PID', async () => {
      const { alice, key } = await billedUser(1_000_000);
      const dead = await process({ owner: { node: 'unchecked:x', pid: 4_999_999 } });
      ok(await dead.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED }));
      const blind = await process({ owner: { node: 'unchecked:x', pid: 5_000_000, checkable: false } });
      await blind.leases.maintain();
      expect(await leaseRows()).toHaveLength(1);
    });

    test('a lease is renewed while used, not used past two thirds of its time unrenewed, and given back when idle', async () => {
      const { alice, key } = await billedUser(1_000_000);
      const now = Date.now();
      const one = await process({ ttlMs: 30_000, idleMs: 10_000 });
      const reserve = (at: number) => one.spending.reserve({ userId: alice.id, keyId: key.id, amountNanoUsd: AMOUNT, limits: BILLED, now: at });
      const first = ok(await reserve(now));
      // Renewed at 15 s (less than two thirds of its life left): it stays usable past 20 s.
      await one.leases.maintain(now + 15_000);
      expect(toSafeInteger((await leaseRows())[0]!.expires_at, 'expires_at')).toBe(now + 45_000);
      const second = ok(await reserve(now + 25_000));
      expect(second.leaseId).toBe(first.leaseId);
      // Never renewed again: at 35 s (10 s before it expires) a new lease is taken instead.
      const next = ok(await reserve(now + 35_000));
      expect(next.leaseId).not.toBe(first.leaseId);
      // The old one's free part went back at once; what its two requests hold stays in its row.
      expect(await balanceOf()).toBe(1_000_000 - 2 * AMOUNT - 4 * AMOUNT);
      // Its two requests end: what they held goes back to the balance too.
      for (const reservation of [first, second, next]) await settle(one, reservation, 0);
      await vi.waitFor(async () => expect(await balanceOf()).toBe(1_000_000 - 4 * AMOUNT));
      // Idle for 10 s with nothing in flight: the new one is given back too, and the old one's empty row, expired, goes.
      await one.leases.maintain(now + 46_000);
      expect(await balanceOf()).toBe(1_000_000);
      expect((await leaseRows()).map((row) => [row.id, toSafeInteger(row.amount_nano_usd, 'amount')])).toEqual([[next.leaseId, 0]]);
      expect(one.leases.held()).toEqual([]);
    });
  });

  describe('user settings, groups and prices', () => {
    test('update changes role, group and spending limit, and bumps the keys revision', async () => {
      await createUser();
      await expect(users().update('alice', { groupName: 'vip' })).rejects.toThrow(/unknown user group/);
      expect((await userGroups().upsert({ name: 'vip', priceMultiplier: '0.8' })).created).toBe(true);
      const before = await revisions().get('api_keys');
      const updated = await users().update('alice', { role: 'admin', groupName: 'vip', spendLimit: { amountNanoUsd: 5, period: 'week' } });
      expect(updated).toMatchObject({ role: 'admin', groupName: 'vip', spendLimit: { amountNanoUsd: 5, period: 'week' }, periodSpentNanoUsd: 0 });
      expect(await revisions().get('api_keys')).toBeGreaterThan(before);
      expect(await users().update('nobody', { role: 'user' })).toBeUndefined();
      expect(await userGroups().remove('vip')).toBe('in_use');
      expect(await users().update('alice', { groupName: null, spendLimit: null })).toMatchObject({ groupName: null, spendLimit: null });
      expect(await userGroups().remove('vip')).toBe('removed');
      expect(await userGroups().remove('vip')).toBe('not_found');
      await expect(userGroups().upsert({ name: 'x', priceMultiplier: '0.1e1' })).rejects.toThrow(/invalid price multiplier/);
    });

    test('prices: upsert, list in order, remove, each bumping the prices revision', async () => {
      const before = await revisions().get('prices');
      expect((await prices().upsert({ pattern: 'my-model-*', inputPerMTok: '1', outputPerMTok: '2' })).created).toBe(true);
      expect((await prices().upsert({ pattern: 'other', inputPerMTok: '3', outputPerMTok: '4', cacheReadPerMTok: '0.3' })).created).toBe(true);
      expect((await prices().upsert({ pattern: 'my-model-*', inputPerMTok: '1.5', outputPerMTok: '2' })).created).toBe(false);
      expect((await prices().list()).map((stored) => stored.price)).toEqual([
        { pattern: 'my-model-*', inputPerMTok: '1.5', outputPerMTok: '2' },
        { pattern: 'other', inputPerMTok: '3', outputPerMTok: '4', cacheReadPerMTok: '0.3' },
      ]);
      expect(await prices().remove('other')).toBe(true);
      expect(await prices().remove('other')).toBe(false);
      expect(await revisions().get('prices')).toBe(before + 4);
    });
  });

  describe('api keys', () => {
    test('create generates a secret and stores only its hash and prefix', async () => {
      const user = await createUser();
      const { apiKey, secret } = await apiKeys().create({ userId: user.id, name: 'laptop' });
      expect(secret).toMatch(GENERATED_SECRET);
      expect(apiKey).toMatchObject({
        userId: user.id,
        name: 'laptop',
        prefix: secret.slice(0, 12),
        secretHash: hashApiKeySecret(secret),
        status: 'active',
        revokedAt: null,
        expiresAt: null,
        lastUsedAt: null,
      });
      expect(apiKey.id).toMatch(/^key_/);
      const raw = await database.db.selectFrom('api_keys').selectAll().execute();
      expect(JSON.stringify(raw)).not.toContain(secret);
      expect(JSON.stringify(raw)).not.toContain(secret.slice(12));
    });

    test('every generated secret is different', async () => {
      const user = await createUser();
      const secrets = new Set<string>();
      for (let index = 0; index < 20; index += 1) {
        secrets.add((await apiKeys().create({ userId: user.id, name: `key-${index}` })).secret);
      }
      expect(secrets.size).toBe(20);
    });

    test('create bumps the api_keys revision', async () => {
      const user = await createUser();
      expect(await revisions().get('api_keys')).toBe(0);
      await apiKeys().create({ userId: user.id, name: 'one' });
      await apiKeys().create({ userId: user.id, name: 'two' });
      expect(await revisions().get('api_keys')).toBe(2);
    });

    test('create accepts a caller secret and an expiry, and validates them', async () => {
      const user = await createUser();
      const expiresAt = Date.now() + 86_400_000;
      const { apiKey, secret } = await apiKeys().create({
        userId: user.id,
        name: 'ci',
        secret: FIXED_SECRET,
        expiresAt,
      });
      expect(secret).toBe(FIXED_SECRET);
      expect(apiKey.expiresAt).toBe(expiresAt);
      expect(apiKey.prefix).toBe(FIXED_SECRET.slice(0, 11)); // at most a third of a 33-character secret
      await expect(apiKeys().create({ userId: user.id, name: 'short', secret: 'too-short' })).rejects.toThrow(
        /at least 16/,
      );
      await expect(
        apiKeys().create({ userId: user.id, name: 'spaces', secret: 'has spaces in it, sixteen+' }),
      ).rejects.toThrow(/printable ASCII/);
    });

    test('create refuses a duplicate active name or a reused secret', async () => {
      const user = await createUser();
      await apiKeys().create({ userId: user.id, name: 'dup', secret: FIXED_SECRET });
      await expect(apiKeys().create({ userId: user.id, name: 'dup' })).rejects.toThrow(/already exists/);
      await expect(apiKeys().create({ userId: user.id, name: 'other', secret: FIXED_SECRET })).rejects.toThrow(
        /already in use/,
      );
      expect(await apiKeys().list()).toHaveLength(1);
    });

    test('findBySecret / findByHash find the key whatever its status, and nothing for unknown secrets', async () => {
      const user = await createUser();
      const { apiKey, secret } = await apiKeys().create({ userId: user.id, name: 'k' });
      expect(await apiKeys().findBySecret(secret)).toEqual(apiKey);
      expect(await apiKeys().findByHash(hashApiKeySecret(secret))).toEqual(apiKey);
      expect(await apiKeys().findBySecret(`${secret}x`)).toBeUndefined();
      expect(await apiKeys().findByHash(hashApiKeySecret(`${secret}x`))).toBeUndefined();
      await apiKeys().revoke(apiKey.id);
      expect((await apiKeys().findBySecret(secret))?.status).toBe('revoked');
    });

    test('revoke by id or name, idempotently, and the name becomes reusable', async () => {
      const user = await createUser();
      const first = await apiKeys().create({ userId: user.id, name: 'ci' });
      const other = await apiKeys().create({ userId: user.id, name: 'other' });
      const revisionBefore = await revisions().get('api_keys');

      expect(await apiKeys().revoke('ci')).toBe(true);
      const revoked = await apiKeys().findById(first.apiKey.id);
      expect(revoked?.status).toBe('revoked');
      expect(revoked?.revokedAt).toBeGreaterThan(0);
      expect(await revisions().get('api_keys')).toBe(revisionBefore + 1);

      expect(await apiKeys().revoke('ci')).toBe(true); // already revoked: found, no change
      expect(await revisions().get('api_keys')).toBe(revisionBefore + 1);
      expect(await apiKeys().revoke('missing')).toBe(false);
      expect(await apiKeys().revoke(other.apiKey.id)).toBe(true);
      expect((await apiKeys().findByName('other'))?.status).toBe('revoked');

      const second = await apiKeys().create({ userId: user.id, name: 'ci' });
      expect((await apiKeys().findByName('ci'))?.id).toBe(second.apiKey.id);
      expect(await apiKeys().revoke('ci')).toBe(true);
      // Two revoked keys named "ci": the newest is the one found by name.
      expect((await apiKeys().findByName('ci'))?.id).toBe(second.apiKey.id);
    });

    test('list returns every key oldest first, filterable by user and status', async () => {
      const alice = await createUser('alice');
      const bob = await createUser('bob');
      const a1 = await apiKeys().create({ userId: alice.id, name: 'a1' });
      const b1 = await apiKeys().create({ userId: bob.id, name: 'b1' });
      const a2 = await apiKeys().create({ userId: alice.id, name: 'a2' });
      await apiKeys().revoke('a2');
      expect((await apiKeys().list()).map((key) => key.name).sort()).toEqual(['a1', 'a2', 'b1']);
      expect((await apiKeys().list({ userId: alice.id })).map((key) => key.id).sort()).toEqual(
        [a1.apiKey.id, a2.apiKey.id].sort(),
      );
      expect((await apiKeys().list({ status: 'active' })).map((key) => key.id).sort()).toEqual(
        [a1.apiKey.id, b1.apiKey.id].sort(),
      );
      expect(await apiKeys().list({ userId: alice.id, status: 'revoked' })).toMatchObject([{ name: 'a2' }]);
      const all = await apiKeys().list();
      const createdAts = all.map((key) => key.createdAt);
      expect(createdAts).toEqual([...createdAts].sort((a, b) => a - b));
    });

    test('upsertFixed creates, then is a no-op', async () => {
      const user = await createUser();
      const created = await apiKeys().upsertFixed({ userId: user.id, name: 'cfg', secret: FIXED_SECRET });
      expect(created.action).toBe('created');
      expect((await apiKeys().findBySecret(FIXED_SECRET))?.id).toBe(created.apiKey.id);
      const revision = await revisions().get('api_keys');
      const again = await apiKeys().upsertFixed({ userId: user.id, name: 'cfg', secret: FIXED_SECRET });
      expect(again).toEqual({ apiKey: created.apiKey, action: 'unchanged' });
      expect(await revisions().get('api_keys')).toBe(revision);
    });

    test('upsertFixed rotates a changed secret: old key revoked, new key under the same name', async () => {
      const user = await createUser();
      const first = await apiKeys().upsertFixed({ userId: user.id, name: 'cfg', secret: FIXED_SECRET });
      const rotatedSecret = `${FIXED_SECRET}-rotated`;
      const rotated = await apiKeys().upsertFixed({ userId: user.id, name: 'cfg', secret: rotatedSecret });
      expect(rotated.action).toBe('rotated');
      expect(rotated.apiKey.id).not.toBe(first.apiKey.id);
      expect((await apiKeys().findBySecret(FIXED_SECRET))?.status).toBe('revoked');
      expect((await apiKeys().findBySecret(rotatedSecret))?.status).toBe('active');
      expect((await apiKeys().findByName('cfg'))?.id).toBe(rotated.apiKey.id);
    });

    test('upsertFixed follows a rename or owner change of the same secret', async () => {
      const alice = await createUser('alice');
      const bob = await createUser('bob');
      const first = await apiKeys().upsertFixed({ userId: alice.id, name: 'old-name', secret: FIXED_SECRET });
      const renamed = await apiKeys().upsertFixed({ userId: bob.id, name: 'new-name', secret: FIXED_SECRET });
      expect(renamed.action).toBe('updated');
      expect(renamed.apiKey).toMatchObject({ id: first.apiKey.id, name: 'new-name', userId: bob.id });
      expect(await apiKeys().list()).toHaveLength(1);

      await apiKeys().create({ userId: bob.id, name: 'taken' });
      await expect(apiKeys().upsertFixed({ userId: bob.id, name: 'taken', secret: FIXED_SECRET })).rejects.toThrow(
        /already has that name/,
      );
    });

    test('upsertFixed never resurrects a revoked secret', async () => {
      const user = await createUser();
      const first = await apiKeys().upsertFixed({ userId: user.id, name: 'cfg', secret: FIXED_SECRET });
      await apiKeys().revoke('cfg');
      const again = await apiKeys().upsertFixed({ userId: user.id, name: 'cfg', secret: FIXED_SECRET });
      expect(again.action).toBe('revoked');
      expect(again.apiKey).toMatchObject({ id: first.apiKey.id, status: 'revoked' });
      expect(await apiKeys().list({ status: 'active' })).toEqual([]);
    });

    test('touchLastUsed only moves forward, handles big batches and does not bump the revision', async () => {
      const user = await createUser();
      const a = await apiKeys().create({ userId: user.id, name: 'a' });
      const b = await apiKeys().create({ userId: user.id, name: 'b' });
      const revision = await revisions().get('api_keys');
      const at = Date.now();
      const unknownIds = Array.from({ length: 1_200 }, (_, index) => `key_unknown${index}`);
      await apiKeys().touchLastUsed([a.apiKey.id, ...unknownIds, b.apiKey.id, a.apiKey.id], at);
      expect((await apiKeys().findById(a.apiKey.id))?.lastUsedAt).toBe(at);
      expect((await apiKeys().findById(b.apiKey.id))?.lastUsedAt).toBe(at);
      await apiKeys().touchLastUsed([a.apiKey.id], at - 1_000);
      expect((await apiKeys().findById(a.apiKey.id))?.lastUsedAt).toBe(at);
      await apiKeys().touchLastUsed([a.apiKey.id], at + 1_000);
      expect((await apiKeys().findById(a.apiKey.id))?.lastUsedAt).toBe(at + 1_000);
      await apiKeys().touchLastUsed([], at);
      expect(await revisions().get('api_keys')).toBe(revision);
    });
  });

  describe('channels', () => {
    const input = {
      name: 'anthropic-main',
      type: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      credentials: { apiKeys: ['sk-ant-first-secret', 'sk-ant-second-secret'] },
      models: ['claude-*'],
      source: 'config' as const,
    };

    test('upsert creates with defaults and stores credentials encrypted', async () => {
      const channel = await channels().upsert(input);
      expect(channel).toMatchObject({
        ...input,
        modelMap: {},
        priority: 0,
        weight: 1,
        enabled: true,
        settings: {},
      });
      expect(channel.id).toMatch(/^ch_/);
      expect(channel.createdAt).toBe(channel.updatedAt);
      const raw = await database.db.selectFrom('channels').selectAll().executeTakeFirstOrThrow();
      expect(raw.credentials_encrypted).toMatch(/^v1:/);
      expect(JSON.stringify(raw)).not.toContain('sk-ant-');
      expect(await revisions().get('channels')).toBe(1);
    });

    test('list and findByName decrypt and parse every field', async () => {
      const full = {
        ...input,
        name: 'full',
        modelMap: { 'claude-sonnet': 'claude-sonnet-4-5' },
        priority: -3,
        weight: 7,
        enabled: false,
        settings: { auth_header: 'bearer', timeouts: { connect_ms: 1_000 }, list: [1, 'two', null] },
        source: 'cli' as const,
      };
      const created = await channels().upsert(full);
      await channels().upsert({ ...input, name: 'another' });
      await channels().upsert({ ...input, name: 'Zeta' });
      expect(await channels().findByName('full')).toEqual(created);
      expect(created).toMatchObject(full);
      // Binary order on both dialects, whatever PostgreSQL's collation says.
      expect((await channels().list()).map((channel) => channel.name)).toEqual(['Zeta', 'another', 'full']);
      expect(await channels().findByName('missing')).toBeUndefined();
    });

    test('upsert replaces the definition but keeps id, createdAt and (unless given) enabled', async () => {
      const created = await channels().upsert({ ...input, priority: 5, weight: 3, settings: { a: 1 } });
      expect(await channels().setEnabled(input.name, false)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const updated = await channels().upsert({
        ...input,
        baseUrl: 'https://proxy.example.com/anthropic',
        credentials: { apiKeys: ['sk-ant-rotated'] },
        models: ['claude-opus-*'],
        source: 'cli',
      });
      expect(updated).toMatchObject({
        id: created.id,
        createdAt: created.createdAt,
        baseUrl: 'https://proxy.example.com/anthropic',
        credentials: { apiKeys: ['sk-ant-rotated'] },
        models: ['claude-opus-*'],
        priority: 0,
        weight: 1,
        settings: {},
        enabled: false,
        source: 'cli',
      });
      expect(updated.updatedAt).toBeGreaterThan(created.updatedAt);
      const enabledAgain = await channels().upsert({ ...input, enabled: true });
      expect(enabledAgain.enabled).toBe(true);
      expect(await channels().count()).toBe(1);
      expect(await revisions().get('channels')).toBe(4);
    });

    test('setEnabled, remove and count', async () => {
      await channels().upsert(input);
      await channels().upsert({ ...input, name: 'second' });
      expect(await channels().count()).toBe(2);
      expect(await channels().setEnabled('second', false)).toBe(true);
      expect((await channels().findByName('second'))?.enabled).toBe(false);
      expect(await channels().setEnabled('second', true)).toBe(true);
      expect((await channels().findByName('second'))?.enabled).toBe(true);
      expect(await channels().setEnabled('missing', true)).toBe(false);
      const revision = await revisions().get('channels');
      expect(await channels().remove('second')).toBe(true);
      expect(await channels().remove('second')).toBe(false);
      expect(await revisions().get('channels')).toBe(revision + 1);
      expect(await channels().count()).toBe(1);
    });

    test('an empty credential list is allowed', async () => {
      const channel = await channels().upsert({ ...input, credentials: { apiKeys: [] } });
      expect((await channels().findByName(channel.name))?.credentials).toEqual({ apiKeys: [] });
    });

    test('reading with the wrong secret key fails clearly, naming the channel', async () => {
      await channels().upsert(input);
      const wrongKey = createChannelRepository(database, createSecretBox(randomBytes(32)));
      await expect(wrongKey.list()).rejects.toThrow(
        /channel "anthropic-main": cannot read credentials: .*wrong secret key/,
      );
    });

    test('upsert validates its input', async () => {
      await expect(channels().upsert({ ...input, baseUrl: 'not a url' })).rejects.toThrow(/not a valid URL/);
      await expect(channels().upsert({ ...input, baseUrl: 'ftp://x' })).rejects.toThrow(/http or https/);
      await expect(channels().upsert({ ...input, weight: -1 })).rejects.toThrow(/weight/);
      await expect(channels().upsert({ ...input, priority: 1.5 })).rejects.toThrow(/priority/);
      await expect(channels().upsert({ ...input, name: '' })).rejects.toThrow(/invalid channel name/);
      await expect(channels().upsert({ ...input, source: 'web' as 'cli' })).rejects.toThrow(/source/);
      expect(await channels().count()).toBe(0);
    });
  });

  describe('ledger', () => {
    test('insertMany writes 1,000 rows in one call; list is newest first and filterable', async () => {
      const base = 1_750_000_000_000;
      const entries = Array.from({ length: 1_000 }, (_, index) =>
        ledgerEntry({
          id: `req_${String(index).padStart(4, '0')}`,
          createdAt: base + index,
          apiKeyId: index % 2 ? 'key_odd' : 'key_even',
        }),
      );
      await ledger().insertMany(entries);
      expect(await ledger().count()).toBe(1_000);

      const latest = await ledger().list({ limit: 3 });
      expect(latest.map((entry) => entry.id)).toEqual(['req_0999', 'req_0998', 'req_0997']);
      const odd = await ledger().list({ limit: 2, apiKeyId: 'key_odd' });
      expect(odd.map((entry) => entry.id)).toEqual(['req_0999', 'req_0997']);
      expect(await ledger().list({ limit: 5_000, apiKeyId: 'key_even' })).toHaveLength(500);
      expect(await ledger().list({ limit: 5, apiKeyId: 'key_none' })).toEqual([]);
    });

    test('round-trips every field exactly', async () => {
      const full = ledgerEntry({
        id: 'req_full',
        apiKeyId: 'key_1',
        userId: 'usr_1',
        channelId: 'ch_1',
        channelName: 'anthropic-main',
        clientModel: 'claude-sonnet-4-5',
        upstreamModel: 'claude-sonnet-4-5-20250929',
        dialect: 'openai',
        endpoint: 'count_tokens',
        stream: true,
        status: 529,
        outcome: 'upstream_error',
        errorType: 'overloaded_error',
        latencyMs: 1_234,
        ttfbMs: 56,
        inputTokens: 1_000_000,
        outputTokens: 64_000,
        cacheWrite5mTokens: 3,
        cacheWrite1hTokens: 4,
        cacheReadTokens: 5,
        webSearchRequests: 6,
        webFetchRequests: 7,
        costNanoUsd: 12_345_678_901,
        sessionId: 'session-1',
      });
      const minimal = ledgerEntry({ id: 'req_minimal', createdAt: full.createdAt - 1 });
      await ledger().insertMany([full, minimal]);
      expect(await ledger().list({ limit: 10 })).toEqual([full, minimal]);
    });

    test('re-inserting an id is skipped, so a batch can be retried', async () => {
      const entries = [ledgerEntry({ id: 'req_a' }), ledgerEntry({ id: 'req_b' })];
      await ledger().insertMany(entries);
      await ledger().insertMany([...entries, ledgerEntry({ id: 'req_c' })]);
      await ledger().insertMany([]);
      expect(await ledger().count()).toBe(3);
      expect((await ledger().list({ limit: 10 })).map((entry) => entry.id).sort()).toEqual(['req_a', 'req_b', 'req_c']);
    });

    test('cost is a BIGINT: values beyond 32 bits and up to 2^53 - 1 come back exactly, as numbers', async () => {
      const costs = [0, 2 ** 31, 5_000_000_000_000, Number.MAX_SAFE_INTEGER];
      await ledger().insertMany(
        costs.map((costNanoUsd, index) => ledgerEntry({ id: `req_${index}`, createdAt: 1_000 + index, costNanoUsd })),
      );
      const stored = await ledger().list({ limit: 10 });
      expect(stored.map((entry) => entry.costNanoUsd)).toEqual([...costs].reverse());
      for (const entry of stored) expect(typeof entry.costNanoUsd).toBe('number');
      // The raw driver value is a number on both dialects too (pg's int8 parser is overridden).
      const raw = await database.db
        .selectFrom('ledger')
        .select(['cost_nano_usd', 'created_at'])
        .where('id', '=', 'req_3')
        .executeTakeFirstOrThrow();
      expect(raw.cost_nano_usd).toBe(Number.MAX_SAFE_INTEGER);
      expect(raw.created_at).toBe(1_003);
      // Aggregates come back as numbers (SQLite) or exact text (pg: numeric);
      // toSafeInteger turns either into a number, or throws beyond 2^53.
      const sum = await database.db
        .selectFrom('ledger')
        .where('id', '!=', 'req_3')
        .select((eb) => eb.fn.sum<number | string>('cost_nano_usd').as('total'))
        .executeTakeFirstOrThrow();
      expect(toSafeInteger(sum.total, 'sum')).toBe(2 ** 31 + 5_000_000_000_000);
    });

    test('insertMany rejects unsafe integers before writing anything', async () => {
      const batch = [ledgerEntry({ id: 'req_ok' }), ledgerEntry({ id: 'req_bad', costNanoUsd: 2 ** 53 })];
      await expect(ledger().insertMany(batch)).rejects.toThrow(/costNanoUsd must be a safe integer/);
      await expect(ledger().insertMany([ledgerEntry({ id: 'req_frac', latencyMs: 1.5 })])).rejects.toThrow(
        /latencyMs/,
      );
      expect(await ledger().count()).toBe(0);
    });

    test('list validates its limit', async () => {
      await expect(ledger().list({ limit: 0 })).rejects.toThrow(/positive integer/);
    });
  });

  describe('ledger pages and usage summaries', () => {
    const DAY = 86_400_000;
    // 2025-06-15 00:00:00 UTC: rows on three consecutive UTC days, some a millisecond either side of midnight.
    const MIDNIGHT = Date.UTC(2025, 5, 15);
    const rows = [
      ledgerEntry({ id: 'req_01', createdAt: MIDNIGHT - 1, apiKeyId: 'key_a', userId: 'usr_1', clientModel: 'claude-sonnet-4-5', upstreamModel: 'claude-sonnet-4-5-20250929', inputTokens: 10, outputTokens: 20, costNanoUsd: 330_000 }),
      ledgerEntry({ id: 'req_02', createdAt: MIDNIGHT, apiKeyId: 'key_a', userId: 'usr_1', clientModel: 'claude-sonnet-4-5', upstreamModel: 'claude-sonnet-4-5-20250929', inputTokens: 1, outputTokens: 2, cacheWrite5mTokens: 3, cacheWrite1hTokens: 4, cacheReadTokens: 5, webSearchRequests: 6, webFetchRequests: 7, costNanoUsd: 5_000_000_000_000 }),
      ledgerEntry({ id: 'req_03', createdAt: MIDNIGHT, apiKeyId: 'key_b', userId: 'usr_2', clientModel: 'house-model', upstreamModel: 'claude-haiku-4-5', inputTokens: 100, outputTokens: 1, costNanoUsd: 105_000 }),
      ledgerEntry({ id: 'req_04', createdAt: MIDNIGHT + DAY - 1, apiKeyId: 'key_b', userId: 'usr_2', clientModel: 'claude-haiku-4-5', upstreamModel: 'claude-haiku-4-5', status: 429, outcome: 'gateway_error', errorType: 'rate_limit_error' }),
      ledgerEntry({ id: 'req_05', createdAt: MIDNIGHT + DAY, status: 401, outcome: 'gateway_error', errorType: 'authentication_error' }),
    ];

    test('listPage walks every row newest first with a stable cursor, and filters', async () => {
      await ledger().insertMany(rows);
      const seen: string[] = [];
      let page = await ledger().listPage({ limit: 2 });
      expect(page.entries.map((entry) => entry.id)).toEqual(['req_05', 'req_04']);
      seen.push(...page.entries.map((entry) => entry.id));
      // A row written between two pages (newer than the cursor) does not shift the next page.
      await ledger().insertMany([ledgerEntry({ id: 'req_new', createdAt: MIDNIGHT + 2 * DAY })]);
      while (page.next) {
        page = await ledger().listPage({ limit: 2, after: page.next });
        seen.push(...page.entries.map((entry) => entry.id));
      }
      // req_02 and req_03 share a millisecond: the id breaks the tie, and neither is skipped nor repeated.
      expect(seen).toEqual(['req_05', 'req_04', 'req_03', 'req_02', 'req_01']);
      expect(page.next).toBeUndefined();
      expect(await ledger().listPage({ limit: 6 })).toMatchObject({ next: undefined });
      expect((await ledger().listPage({ limit: 6 })).entries).toHaveLength(6);

      const ids = async (filter: Parameters<ReturnType<typeof ledger>['listPage']>[0]['filter']) =>
        (await ledger().listPage({ limit: 100, filter })).entries.map((entry) => entry.id);
      expect(await ids({ from: MIDNIGHT, to: MIDNIGHT + DAY })).toEqual(['req_04', 'req_03', 'req_02']);
      expect(await ids({ apiKeyId: 'key_b' })).toEqual(['req_04', 'req_03']);
      expect(await ids({ userId: 'usr_1' })).toEqual(['req_02', 'req_01']);
      expect(await ids({ model: 'claude-haiku-4-5' })).toEqual(['req_04', 'req_03']);
      expect(await ids({ model: 'house-model' })).toEqual(['req_03']);
      expect(await ids({ status: 429 })).toEqual(['req_04']);
      expect(await ids({ outcome: 'gateway_error', to: MIDNIGHT + DAY })).toEqual(['req_04']);
      expect(await ids({ apiKeyId: 'key_none' })).toEqual([]);
      await expect(ledger().listPage({ limit: 0 })).rejects.toThrow(/positive integer/);
    });

    test('summarize groups by UTC day, key, user and model, summing every count and the cost exactly', async () => {
      await ledger().insertMany(rows);
      const zero = { inputTokens: 0, outputTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0, webSearchRequests: 0, webFetchRequests: 0, costNanoUsd: 0 };
      expect(await ledger().summarize({ groupBy: 'day' })).toEqual([
        { ...zero, group: '2025-06-14', requests: 1, inputTokens: 10, outputTokens: 20, costNanoUsd: 330_000 },
        { group: '2025-06-15', requests: 3, inputTokens: 101, outputTokens: 3, cacheWrite5mTokens: 3, cacheWrite1hTokens: 4, cacheReadTokens: 5, webSearchRequests: 6, webFetchRequests: 7, costNanoUsd: 5_000_000_105_000 },
        { ...zero, group: '2025-06-16', requests: 1 },
      ]);
      expect((await ledger().summarize({ groupBy: 'key' })).map(({ group, requests, costNanoUsd }) => ({ group, requests, costNanoUsd }))).toEqual([
        { group: 'key_a', requests: 2, costNanoUsd: 5_000_000_330_000 },
        { group: 'key_b', requests: 2, costNanoUsd: 105_000 },
        { group: null, requests: 1, costNanoUsd: 0 },
      ]);
      expect((await ledger().summarize({ groupBy: 'user', filter: { from: MIDNIGHT } })).map(({ group, requests }) => ({ group, requests }))).toEqual([
        { group: 'usr_1', requests: 1 },
        { group: 'usr_2', requests: 2 },
        { group: null, requests: 1 },
      ]);
      // The model that answered, else the one asked for (none here for the refused request).
      expect((await ledger().summarize({ groupBy: 'model' })).map(({ group, requests }) => ({ group, requests }))).toEqual([
        { group: 'claude-sonnet-4-5-20250929', requests: 2 },
        { group: 'claude-haiku-4-5', requests: 2 },
        { group: null, requests: 1 },
      ]);
      expect(await ledger().summarize({ groupBy: 'day', filter: { apiKeyId: 'key_none' } })).toEqual([]);
    });
  });

  describe('revisions', () => {
    test('start at 0 and bump by one', async () => {
      expect(await revisions().get('channels')).toBe(0);
      expect(await revisions().bump('channels')).toBe(1);
      expect(await revisions().bump('channels')).toBe(2);
      expect(await revisions().get('channels')).toBe(2);
      expect(await revisions().get('api_keys')).toBe(0);
    });

    test('concurrent bumps from one handle never lose an increment', async () => {
      const results = await Promise.all(Array.from({ length: 100 }, () => revisions().bump('hot')));
      expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
      expect(await revisions().get('hot')).toBe(100);
    });

    test('concurrent bumps from separate handles (connections) never lose an increment', async () => {
      const handles = [database, await target.open(), await target.open()];
      const results = await Promise.all(
        handles.flatMap((handle) => Array.from({ length: 40 }, () => createRevisionRepository(handle).bump('shared'))),
      );
      expect(new Set(results).size).toBe(120);
      expect(Math.max(...results)).toBe(120);
      expect(await revisions().get('shared')).toBe(120);
    });
  });
}

function ledgerEntry(overrides: Partial<LedgerEntry> & { id: string }): LedgerEntry {
  return {
    createdAt: 1_750_000_000_000,
    apiKeyId: null,
    userId: null,
    channelId: null,
    channelName: null,
    clientModel: null,
    upstreamModel: null,
    dialect: 'anthropic',
    endpoint: 'messages',
    stream: false,
    status: 200,
    outcome: 'ok',
    errorType: null,
    latencyMs: 10,
    ttfbMs: null,
    inputTokens: 0,
    outputTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
    webSearchRequests: 0,
    webFetchRequests: 0,
    costNanoUsd: 0,
    sessionId: null,
    ...overrides,
  };
}

function assertNever(): never {
  throw new Error('expected the reservation to succeed');
}
