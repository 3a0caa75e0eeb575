import type { Target } from './target.js';

export interface SessionAffinity {
  /** The targets with the session's last target first, when it is among them. */
  order(sessionId: string | undefined, targets: Target[]): Target[];
  /** Remembers the target that served the session's latest turn. */
  remember(sessionId: string | undefined, target: Target): void;
  readonly size: number;
}

export function targetKey(target: Target): string {
  return `${target.channel.id}:${target.credentialIndex}`;
}

/**
 * Keeps each session on the target that served its last turn: prompt caches
 * and thinking signatures live on one upstream account, so moving a
 * conversation costs cache writes and can invalidate its thinking. The target
 * is only preferred, never forced: when it is unhealthy, failover moves the
 * session and the next turn is remembered on the new target. In memory, with
 * a time to live and a size bound (oldest forgotten first).
 */
export function createSessionAffinity(options: { ttlMs?: number; maxSessions?: number; now?: () => number } = {}): SessionAffinity {
  const ttlMs = options.ttlMs ?? 60 * 60 * 1000;
  const maxSessions = options.maxSessions ?? 100_000;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, { key: string; expiresAt: number }>();
  return {
    order(sessionId, targets) {
      if (!sessionId) return targets;
      const entry = sessions.get(sessionId);
      if (!entry) return targets;
      if (entry.expiresAt <= now()) {
        sessions.delete(sessionId);
        return targets;
      }
      const index = targets.findIndex((target) => targetKey(target) === entry.key);
      if (index <= 0) return targets;
      return [targets[index]!, ...targets.slice(0, index), ...targets.slice(index + 1)];
    },
    remember(sessionId, target) {
      if (!sessionId) return;
      // Re-inserting moves the session to the newest end of the map's order.
      sessions.delete(sessionId);
      sessions.set(sessionId, { key: targetKey(target), expiresAt: now() + ttlMs });
      if (sessions.size > maxSessions) sessions.delete(sessions.keys().next().value!);
    },
    get size() {
      return sessions.size;
    },
  };
}
