import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Database } from '../database.js';
import { randomBase62 } from '../random-base62.js';
import { runSqlOperation, runSqlStatement, type SqlSteps } from '../run-sql-operation.js';
import { toSafeInteger } from '../to-safe-integer.js';

/**
 * Balance leases: instead of one database transaction per request, this
 * process takes a share of a user's prepaid balance in one transaction (the
 * lease) and reserves requests from it in memory. It is only used for a
 * request checked against the balance alone (no key quota, no period limit).
 *
 * Money is never spent twice:
 * - the lease's amount left the user's balance when it was taken, so other
 *   processes cannot reserve it; here, a reservation is taken from the lease's
 *   free part only;
 * - each ledger row settles its request's cost against the lease's row, in
 *   the ledger's own transaction (see `create-spending-repository.ts`); the
 *   lease's free part gets the reservation back, less the cost, as soon as the
 *   row is queued;
 * - an idle lease gives its free part back to the balance; at shutdown, after
 *   the ledger is written, every lease is given back whole;
 * - a lease has an expiry its owner renews; a lease left by a process that
 *   died is reclaimed by any other once expired (its amount goes back to the
 *   balance), or at once by a process on the same machine that sees its
 *   owner's PID gone; a process that could not renew in time stops using it
 *   well before it expires. A row settled against a lease that is gone is
 *   charged to the balance directly.
 *
 * What a lease costs the user: the free part of a lease is not in
 * `users.balance_nano_usd` while it is held, so another process may refuse a
 * request the whole balance could cover. That is why a lease is at most an
 * eighth of the balance when taken, and is given back after a few idle
 * seconds, or at once when this process itself is refused.
 */
export interface BalanceLeaseRepository {
  /**
   * Reserves `amountNanoUsd` of the user's balance from this process's lease
   * (taking or topping it up when needed): the lease's id, or undefined when
   * no lease can serve it (the balance is too small to lease, or another
   * process holds too much of it): reserve in the database instead.
   */
  reserve(userId: string, amountNanoUsd: number, now: number): Promise<string | undefined>;
  /** A reservation from lease `leaseId` ended at `costNanoUsd`: its row is queued for the database. */
  settled(userId: string, leaseId: string, amountNanoUsd: number, costNanoUsd: number): void;
  /** Renews this process's leases, gives back idle ones, reclaims expired ones and those of processes on this machine that no longer run. */
  maintain(now?: number): Promise<void>;
  /** Gives every lease of this process back to the balance (shutdown, once the ledger is written). */
  releaseAll(): Promise<void>;
  /** What this process holds, per user (console, tests). */
  held(): Array<{ userId: string; leaseId: string; freeNanoUsd: number; holds: number }>;
}

export interface BalanceLeaseOptions {
  /** How long a lease lives without renewal (ms); the owner stops using it a third of that before. */
  ttlMs?: number;
  /** An unused lease with nothing in flight is given back after this long (ms). */
  idleMs?: number;
  /** A lease is taken or topped up by this many times the reservation that needed it. */
  chunkRequests?: number;
  /** A lease is at most 1/share of the balance when it is taken or topped up. */
  balanceShare?: number;
  /** After the balance could not give a lease, this user is not leased again for this long (ms). */
  backoffMs?: number;
  /** This process: its machine boot and PID namespace, and its PID (tests play other processes); `checkable: false` never checks PIDs. */
  owner?: { node: string; pid: number; checkable?: boolean };
}

interface Lease {
  id: string;
  userId: string;
  /** Not reserved by a request in flight, nor spent: what new reservations may take. */
  free: number;
  /** Requests in flight holding a reservation from it. */
  holds: number;
  lastUsedAt: number;
  expiresAt: number;
  /** Past this, the lease is not used again: it might be reclaimed before a late renewal. */
  usableUntil: number;
  /** Given back once its last request ends. */
  draining: boolean;
}

const TAKE_FROM_BALANCE_SQL = 'update users set balance_nano_usd = balance_nano_usd - @chunk where id = @userId and balance_nano_usd >= @least';
const TOP_UP_SQL = 'update balance_leases set amount_nano_usd = amount_nano_usd + @chunk, expires_at = @expiresAt where id = @id';
const INSERT_SQL =
  'insert into balance_leases (id, user_id, amount_nano_usd, expires_at, created_at, owner, owner_pid) values (@id, @userId, @chunk, @expiresAt, @now, @owner, @ownerPid)';
const GIVE_BACK_FROM_LEASE_SQL = 'update balance_leases set amount_nano_usd = amount_nano_usd - @free where id = @id';
const GIVE_BACK_TO_BALANCE_SQL = 'update users set balance_nano_usd = balance_nano_usd + @free where id = @userId';
const DELETE_SQL = 'delete from balance_leases where id = @id returning user_id, amount_nano_usd';
const DELETE_EXPIRED_SQL = 'delete from balance_leases where id = @id and expires_at < @now returning user_id, amount_nano_usd';
const RETURN_TO_BALANCE_SQL = 'update users set balance_nano_usd = case when balance_nano_usd + @amount < 0 then 0 else balance_nano_usd + @amount end where id = @userId';
const RENEW_SQL = 'update balance_leases set expires_at = @expiresAt where id = @id';
const EXPIRED_SQL = 'select id from balance_leases where expires_at < @now order by expires_at limit 100';
const NEIGHBOURS_SQL = 'select id, owner_pid from balance_leases where owner = @owner and owner_pid <> @ownerPid';

const DEFAULTS: Required<Omit<BalanceLeaseOptions, 'owner'>> = { ttlMs: 30_000, idleMs: 10_000, chunkRequests: 64, balanceShare: 8, backoffMs: 5_000 };

/**
 * This boot of this machine and this PID namespace: PIDs of lease owners with the same node can be
 * checked with `process.kill(pid, 0)`. The boot id tells apart machines that share a host name (cloned
 * images, a fixed container host name); the namespace, containers on one machine. Where either cannot
 * be read, a node of its own that no other process shares: PIDs are then never checked.
 */
function thisNode(): { node: string; checkable: boolean } {
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const namespace = readlinkSync('/proc/self/ns/pid');
    if (bootId !== '' && namespace !== '') return { node: `${hostname()}:${bootId}:${namespace}`, checkable: true };
  } catch {
    // Not Linux, or /proc hidden.
  }
  return { node: `unchecked:${randomBase62(20)}`, checkable: false };
}

function isRunning(pid: number): boolean {
  // 0 and negative PIDs name process groups: never reclaim on those.
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createBalanceLeaseRepository(database: Database, options: BalanceLeaseOptions = {}): BalanceLeaseRepository {
  const { ttlMs, idleMs, chunkRequests, balanceShare, backoffMs } = { ...DEFAULTS, ...options };
  const owner = options.owner ?? (() => {
    const { node, checkable } = thisNode();
    return { node, pid: process.pid, checkable };
  })();
  /** The lease each user's new reservations come from. */
  const current = new Map<string, Lease>();
  /** Every lease of this process still holding a reservation or in use, by id (a retired one until its last request ends). */
  const byId = new Map<string, Lease>();
  /** A take or top-up in progress per user: others wait for it instead of starting their own. */
  const pending = new Map<string, Promise<void>>();
  /** Users whose balance could not give a lease lately, until when. */
  const backoff = new Map<string, number>();
  /** Give-backs started when a retired lease's request ended, not awaited there: releaseAll waits for them. */
  const givingBack = new Set<Promise<void>>();

  const extend = (lease: Lease, expiresAt: number) => {
    lease.expiresAt = expiresAt;
    lease.usableUntil = expiresAt - Math.floor(ttlMs / 3);
  };

  /** Takes `chunk` from the balance into the user's lease: a new one, or `lease` topped up (and renewed). */
  const take = async (userId: string, lease: Lease | undefined, chunk: number, now: number): Promise<'taken' | 'refused' | 'lost'> => {
    const expiresAt = now + ttlMs;
    const id = lease?.id ?? `bl_${randomBase62(20)}`;
    // Every statement on leases takes the lease's row before the user's (here, in giving back, in
    // reclaiming and in the ledger's settlements), so PostgreSQL transactions never wait on each other in a cycle.
    const outcome = await runSqlOperation(database, function* (): SqlSteps<'taken'> {
      if (lease) {
        const topped = yield { text: TOP_UP_SQL, parameters: { id, chunk, expiresAt } };
        // Reclaimed meanwhile (this process stalled past its expiry).
        if (topped.changes !== 1) throw new TakeFailed('lost');
      } else {
        yield { text: INSERT_SQL, parameters: { id, userId, chunk, expiresAt, now, owner: owner.node, ownerPid: owner.pid } };
      }
      // At most 1/share of the balance: other processes (and this one, refused) keep the rest.
      const taken = yield { text: TAKE_FROM_BALANCE_SQL, parameters: { userId, chunk, least: chunk * balanceShare } };
      // Refused: the whole transaction, the lease's row included, rolls back.
      if (taken.changes !== 1) throw new TakeFailed('refused');
      return 'taken' as const;
    }).catch((error: unknown) => {
      if (error instanceof TakeFailed) return error.outcome;
      throw error;
    });
    if (outcome !== 'taken') return outcome;
    if (lease) {
      lease.free += chunk;
      extend(lease, expiresAt);
    } else {
      const fresh: Lease = { id, userId, free: chunk, holds: 0, lastUsedAt: now, expiresAt: 0, usableUntil: 0, draining: false };
      extend(fresh, expiresAt);
      current.set(userId, fresh);
      byId.set(id, fresh);
    }
    return 'taken';
  };

  /** Gives a retired lease's free part back to the balance (its row keeps what its requests in flight and queued rows will settle). */
  const giveBack = async (lease: Lease): Promise<void> => {
    const free = lease.free;
    lease.free = 0;
    if (free <= 0) return; // spent beyond its reservations: the row is charged to the balance when it is reclaimed
    await runSqlOperation(database, function* (): SqlSteps<void> {
      const moved = yield { text: GIVE_BACK_FROM_LEASE_SQL, parameters: { id: lease.id, free } };
      // Gone: it was reclaimed, and its whole amount went back to the balance then.
      if (moved.changes === 1) yield { text: GIVE_BACK_TO_BALANCE_SQL, parameters: { userId: lease.userId, free } };
    });
  };

  /**
   * No new reservation comes from this lease. Its free part goes back now (so a reservation in the
   * database never finds this process's own money missing), and what its requests in flight free
   * goes back as each one ends. It stays renewed until the last one has ended.
   */
  const retire = async (lease: Lease): Promise<void> => {
    if (current.get(lease.userId) === lease) current.delete(lease.userId);
    lease.draining = true;
    if (lease.holds === 0) byId.delete(lease.id);
    await giveBack(lease);
  };

  /** Deletes a lease's row and gives what it holds back to the balance (never below zero), in one transaction. */
  const reclaim = async (id: string, expiredBefore?: number): Promise<void> => {
    await runSqlOperation(database, function* (): SqlSteps<void> {
      // The expiry is re-checked under the row's lock: a renewal that came first keeps the lease alive.
      const deleted = yield expiredBefore === undefined ? { text: DELETE_SQL, parameters: { id } } : { text: DELETE_EXPIRED_SQL, parameters: { id, now: expiredBefore } };
      const row = deleted.rows[0];
      if (row === undefined) return;
      const amount = toSafeInteger(row.amount_nano_usd, 'balance_leases.amount_nano_usd');
      if (amount !== 0) yield { text: RETURN_TO_BALANCE_SQL, parameters: { userId: String(row.user_id), amount } };
    });
  };

  return {
    async reserve(userId, amountNanoUsd, now) {
      // Nothing to lease for, or a lease too large to count exactly: reserve in the database.
      if (!(amountNanoUsd > 0) || !Number.isSafeInteger(amountNanoUsd * chunkRequests * balanceShare)) return undefined;
      // A few turns at most: waiting for another request's take, then taking (or topping up) itself.
      for (let attempt = 0; attempt < 3; attempt++) {
        const lease = current.get(userId);
        if (lease !== undefined && now < lease.usableUntil && lease.free >= amountNanoUsd) {
          lease.free -= amountNanoUsd;
          lease.holds++;
          lease.lastUsedAt = now;
          return lease.id;
        }
        const inProgress = pending.get(userId);
        if (inProgress) {
          await inProgress;
          continue;
        }
        if ((backoff.get(userId) ?? 0) > now) return undefined;
        let outcome: Awaited<ReturnType<typeof take>> = 'refused';
        // Registered in `pending` before its first await: the user's other requests wait for it.
        const step = (async () => {
          let lease = current.get(userId);
          if (lease !== undefined && now >= lease.usableUntil) {
            // Not renewed in time: it may be reclaimed any moment; never reserve from it again.
            await retire(lease);
            lease = undefined;
          }
          outcome = await take(userId, lease, amountNanoUsd * chunkRequests, now);
          if (outcome === 'lost') {
            // Its amount went back to the balance when it was reclaimed; what is in flight settles against the balance.
            if (current.get(userId) === lease) current.delete(userId);
            byId.delete(lease!.id);
          } else if (outcome === 'refused') {
            backoff.set(userId, now + backoffMs);
            // This process's own free part must not be what makes the database refuse.
            if (lease) await retire(lease);
          }
        })();
        pending.set(userId, step);
        try {
          await step;
        } finally {
          pending.delete(userId);
        }
        if (outcome === 'refused') return undefined;
      }
      return undefined;
    },

    settled(_userId, leaseId, amountNanoUsd, costNanoUsd) {
      const lease = byId.get(leaseId);
      if (lease === undefined) return; // lost: its requests settle against the balance
      lease.holds--;
      lease.free += amountNanoUsd - costNanoUsd;
      if (!lease.draining) return;
      if (lease.holds === 0) byId.delete(lease.id);
      // Retired: what this request held goes back at once (a failure leaves it to the lease's reclaim).
      const given: Promise<void> = giveBack(lease)
        .catch(() => undefined)
        .finally(() => givingBack.delete(given));
      givingBack.add(given);
    },

    async maintain(now = Date.now()) {
      // Current leases, and retired ones whose requests are still in flight: their reservations must stay backed.
      for (const lease of [...byId.values()]) {
        // Being topped up: the take renews it, and it is not idle.
        if (current.get(lease.userId) === lease && pending.has(lease.userId)) continue;
        if (!lease.draining && lease.holds === 0 && now - lease.lastUsedAt >= idleMs) {
          await retire(lease);
          continue;
        }
        if (lease.expiresAt - now < (ttlMs * 2) / 3) {
          const expiresAt = now + ttlMs;
          const renewed = await runSqlStatement(database, { text: RENEW_SQL, parameters: { id: lease.id, expiresAt } });
          if (renewed.changes === 1) extend(lease, expiresAt);
          else {
            // Reclaimed: its amount is back in the balance; what is in flight settles against the balance.
            if (current.get(lease.userId) === lease) current.delete(lease.userId);
            byId.delete(lease.id);
          }
        }
      }
      for (const [userId, until] of backoff) if (until <= now) backoff.delete(userId);
      const expired = await runSqlStatement(database, { text: EXPIRED_SQL, parameters: { now } });
      for (const { id } of expired.rows) await reclaim(String(id), now);
      // Leases of processes on this machine that no longer run (killed, crashed): no need to wait for their expiry.
      if (owner.checkable === false) return;
      const neighbours = await runSqlStatement(database, { text: NEIGHBOURS_SQL, parameters: { owner: owner.node, ownerPid: owner.pid } });
      for (const { id, owner_pid: pid } of neighbours.rows) if (!isRunning(Number(pid))) await reclaim(String(id));
    },

    async releaseAll() {
      // A give-back still running would otherwise land after the caller (a stopping process) has gone.
      await Promise.all(givingBack);
      const all = [...byId.values()];
      current.clear();
      byId.clear();
      for (const lease of all) await reclaim(lease.id);
    },

    held() {
      return [...current.values()].map((lease) => ({ userId: lease.userId, leaseId: lease.id, freeNanoUsd: lease.free, holds: lease.holds }));
    },
  };
}

/** Thrown inside a take's transaction to roll it back: the balance refused, or the lease was reclaimed. */
class TakeFailed extends Error {
  constructor(readonly outcome: 'refused' | 'lost') {
    super(outcome);
  }
}
