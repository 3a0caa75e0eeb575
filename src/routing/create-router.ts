import { describeModel, type ModelDescription } from './describe-model.js';
import { KNOWN_CLAUDE_MODELS } from './known-claude-models.js';
import { resolveContextWindowSuffix } from './resolve-context-window-suffix.js';
import type { RoutableChannel } from './routable-channel.js';
import type { Route } from './route.js';
import type { Target } from './target.js';

export interface Router {
  /** Targets (channel × credential) for a client model name, best first; undefined when no enabled channel serves it. */
  resolve(clientModel: string): Route | undefined;
  /** True when some channel serves the name but every such channel is disabled. */
  isServedOnlyByDisabledChannels(clientModel: string): boolean;
  /** Every model the enabled channels serve, newest first, for `GET /v1/models`. */
  listModels(): ModelDescription[];
  readonly channels: readonly RoutableChannel[];
}

/** How many client model names a routing table remembers the serving channels of. */
const MAX_REMEMBERED_MODELS = 4_096;

/**
 * Builds the routing table once per channel change. A channel serves a client
 * name when its `model_map` has the name (sent upstream renamed) or one of its
 * `models` patterns matches (sent as is). Channels are tried by priority,
 * higher first; within one priority, in weighted random order.
 */
export function createRouter(options: {
  channels: readonly RoutableChannel[];
  random?: () => number;
}): Router {
  const random = options.random ?? Math.random;
  const channels = [...options.channels].sort((a, b) => b.priority - a.priority);
  const enabled = channels.filter((channel) => channel.enabled);
  const credentialCursor = new Map<string, number>();

  function upstreamModelFor(channel: RoutableChannel, model: string): string | undefined {
    // Own properties only: a client model named `constructor` must not find Object.prototype's.
    if (Object.hasOwn(channel.modelMap, model)) return channel.modelMap[model];
    return channel.matchers.some((matches) => matches(model)) ? model : undefined;
  }

  /** Appends the channel's credentials as targets, starting one further each time, so load spreads and failover can try the others. */
  function pushTargets(targets: Target[], channel: RoutableChannel, upstreamModel: string): void {
    const cursor = credentialCursor.get(channel.id) ?? 0;
    credentialCursor.set(channel.id, cursor + 1);
    const count = channel.apiKeys.length;
    for (let offset = 0; offset < count; offset++) {
      const credentialIndex = (cursor + offset) % count;
      targets.push({ channel, upstreamModel, credential: channel.apiKeys[credentialIndex]!, credentialIndex });
    }
  }

  function orderByWeight(candidates: Array<{ channel: RoutableChannel; upstreamModel: string }>) {
    const ordered: typeof candidates = [];
    let start = 0;
    while (start < candidates.length) {
      let end = start;
      while (end < candidates.length && candidates[end]!.channel.priority === candidates[start]!.channel.priority) end++;
      const pool = candidates.slice(start, end);
      while (pool.length > 0) {
        const total = pool.reduce((sum, candidate) => sum + candidate.channel.weight, 0);
        let pick = random() * total;
        let index = 0;
        while (index < pool.length - 1 && pick >= pool[index]!.channel.weight) {
          pick -= pool[index]!.channel.weight;
          index++;
        }
        ordered.push(pool.splice(index, 1)[0]!);
      }
      start = end;
    }
    return ordered;
  }

  function candidatesFor(model: string, from: readonly RoutableChannel[]) {
    const candidates: Array<{ channel: RoutableChannel; upstreamModel: string }> = [];
    for (const channel of from) {
      const upstreamModel = upstreamModelFor(channel, model);
      if (upstreamModel !== undefined) candidates.push({ channel, upstreamModel });
    }
    return candidates;
  }

  /**
   * Channels serving each client model name seen, matched once per routing table (a table is built
   * again on every channel change). Names come from clients, so only the first few thousand are kept.
   */
  const served = new Map<string, Array<{ channel: RoutableChannel; upstreamModel: string }>>();

  function servedBy(model: string) {
    let candidates = served.get(model);
    if (candidates === undefined) {
      candidates = candidatesFor(model, enabled);
      if (served.size < MAX_REMEMBERED_MODELS) served.set(model, candidates);
    }
    return candidates;
  }

  function resolve(clientModel: string): Route | undefined {
    let addBetas: string[] = [];
    let candidates: Array<{ channel: RoutableChannel; upstreamModel: string }>;
    const suffixed = resolveContextWindowSuffix(clientModel);
    if (suffixed) {
      // `claude-*` would match `claude-opus-4-8[1m]` too, but no upstream knows that name:
      // only a channel that lists the suffixed name exactly gets it as is.
      candidates = enabled
        .filter((channel) => Object.hasOwn(channel.modelMap, clientModel) || channel.models.includes(clientModel))
        .map((channel) => ({ channel, upstreamModel: Object.hasOwn(channel.modelMap, clientModel) ? channel.modelMap[clientModel]! : clientModel }));
      if (candidates.length === 0) {
        candidates = candidatesFor(suffixed.baseModel, enabled);
        addBetas = suffixed.betas;
      }
    } else {
      candidates = servedBy(clientModel);
    }
    if (candidates.length === 0) return undefined;
    const targets: Target[] = [];
    for (const { channel, upstreamModel } of orderByWeight(candidates)) pushTargets(targets, channel, upstreamModel);
    return { clientModel, targets, addBetas };
  }

  function isServedOnlyByDisabledChannels(clientModel: string): boolean {
    const baseModel = resolveContextWindowSuffix(clientModel)?.baseModel;
    const disabled = channels.filter((channel) => !channel.enabled);
    return (
      candidatesFor(clientModel, disabled).length > 0 ||
      (baseModel !== undefined && candidatesFor(baseModel, disabled).length > 0)
    );
  }

  const listing = (() => {
    const byId = new Map<string, ModelDescription>();
    for (const channel of enabled) {
      const ids = [
        ...Object.keys(channel.modelMap),
        ...channel.models.filter((pattern) => !pattern.includes('*')),
        ...KNOWN_CLAUDE_MODELS.filter((id) => channel.matchers.some((matches) => matches(id))),
      ];
      for (const id of ids) {
        if (!byId.has(id)) byId.set(id, describeModel({ id, fallbackCreatedAt: channel.createdAt }));
      }
    }
    // Ids compared by code unit, not localeCompare: the same order on every machine, and no ICU
    // collation data paged in at start (about 3 MiB of resident memory).
    return [...byId.values()].sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.createdAt < b.createdAt ? 1 : -1,
    );
  })();

  return { resolve, isServedOnlyByDisabledChannels, listModels: () => listing, channels };
}
