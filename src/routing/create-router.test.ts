import { describe, expect, it } from 'vitest';
import { compileModelPattern } from './compile-model-pattern.js';
import { createRouter } from './create-router.js';
import type { RoutableChannel } from './routable-channel.js';
import type { Route } from './route.js';
import { createSeededRandom } from '../../test/support/create-seeded-random.js';

const JAN_15 = Date.UTC(2026, 0, 15);
const FEB_01 = Date.UTC(2026, 1, 1);

function channel(id: string, overrides: Partial<Omit<RoutableChannel, 'matchers'>> = {}): RoutableChannel {
  const models = overrides.models ?? ['claude-*'];
  return {
    id,
    name: id,
    type: 'anthropic',
    baseUrl: `https://${id}.example.com`,
    apiKeys: [`key-${id}`],
    authHeader: 'x-api-key',
    priority: 0,
    weight: 1,
    enabled: true,
    modelMap: {},
    timeouts: { connectMs: 1000, firstByteMs: 1000, idleMs: 1000 },
    reasoning: 'reasoning_effort',
    maxTokensField: 'max_tokens',
    capabilities: { thinking: true, tools: true, images: true, documents: true, serverTools: '*', betas: '*' },
    extraHeaders: {},
    createdAt: JAN_15,
    ...overrides,
    models,
    matchers: models.map(compileModelPattern),
  };
}

/** A `random` that returns the given values in turn, then 0. */
function sequence(...values: number[]): () => number {
  let index = 0;
  return () => values[index++] ?? 0;
}


function order(route: Route | undefined): string[] {
  return route!.targets.map((target) => target.channel.id);
}

describe('createRouter', () => {
  describe('resolve', () => {
    it('sends a pattern match upstream under the client name, with the channel credential', () => {
      const router = createRouter({ channels: [channel('a')] });
      const route = router.resolve('claude-opus-4-8')!;
      expect(route.clientModel).toBe('claude-opus-4-8');
      expect(route.addBetas).toEqual([]);
      expect(route.targets).toHaveLength(1);
      expect(route.targets[0]).toMatchObject({ upstreamModel: 'claude-opus-4-8', credential: 'key-a' });
      expect(route.targets[0]!.channel.id).toBe('a');
    });

    it('returns undefined when no channel serves the name', () => {
      const router = createRouter({ channels: [channel('a'), channel('b', { models: ['gpt-*'] })] });
      expect(router.resolve('llama-3')).toBeUndefined();
      expect(router.resolve('')).toBeUndefined();
    });

    it('tries higher priorities first, whatever the weights and the input order', () => {
      const router = createRouter({
        channels: [
          channel('low', { priority: -5, weight: 100 }),
          channel('mid-1', { priority: 0, weight: 1 }),
          channel('high', { priority: 10, weight: 1 }),
          channel('mid-3', { priority: 0, weight: 3 }),
        ],
        random: () => 0.9,
      });
      // Within priority 0 (weights 1 and 3, total 4): 0.9 × 4 = 3.6 ≥ 1 picks mid-3.
      expect(order(router.resolve('claude-x'))).toEqual(['high', 'mid-3', 'mid-1', 'low']);
    });

    it('orders one priority by weight: random() × total walks the channels in input order', () => {
      const channels = [channel('w1', { weight: 1 }), channel('w3', { weight: 3 })];
      // total 4: pick = r × 4; below 1 → w1, from 1 on → w3.
      expect(order(createRouter({ channels, random: sequence(0.2) }).resolve('claude-x'))).toEqual(['w1', 'w3']);
      expect(order(createRouter({ channels, random: sequence(0.2499) }).resolve('claude-x'))).toEqual(['w1', 'w3']);
      expect(order(createRouter({ channels, random: sequence(0.25) }).resolve('claude-x'))).toEqual(['w3', 'w1']);
      expect(order(createRouter({ channels, random: sequence(0.999999) }).resolve('claude-x'))).toEqual(['w3', 'w1']);
    });

    it('draws again among the channels left for each next place', () => {
      const channels = [channel('a', { weight: 1 }), channel('b', { weight: 2 }), channel('c', { weight: 3 })];
      // First draw, total 6: 0.5 × 6 = 3 → past a (1) and b (2) → c.
      // Second draw among a, b, total 3: 0.4 × 3 = 1.2 → past a → b. Then a.
      expect(order(createRouter({ channels, random: sequence(0.5, 0.4) }).resolve('claude-x'))).toEqual(['c', 'b', 'a']);
      // 0.1 × 6 = 0.6 → a; then among b, c (total 5): 0.3 × 5 = 1.5 → b; then c.
      expect(order(createRouter({ channels, random: sequence(0.1, 0.3) }).resolve('claude-x'))).toEqual(['a', 'b', 'c']);
    });

    it('spreads first choices by weight over 10,000 draws (seeded), and second choices as weighted sampling predicts', () => {
      const router = createRouter({
        channels: [channel('a', { weight: 1 }), channel('b', { weight: 3 }), channel('c', { weight: 6 })],
        random: createSeededRandom(20_260_115),
      });
      const first: Record<string, number> = { a: 0, b: 0, c: 0 };
      const second: Record<string, number> = { a: 0, b: 0, c: 0 };
      for (let draw = 0; draw < 10_000; draw++) {
        const ids = order(router.resolve('claude-x'));
        first[ids[0]!]!++;
        second[ids[1]!]!++;
      }
      // Expected first: 1000 / 3000 / 6000; sd ≈ 30 / 46 / 49, so ±200 is more than 4 sd.
      expect(Math.abs(first.a! - 1000)).toBeLessThan(200);
      expect(Math.abs(first.b! - 3000)).toBeLessThan(200);
      expect(Math.abs(first.c! - 6000)).toBeLessThan(200);
      // Second place is a when b came first (0.3 × 1/7) or c came first (0.6 × 1/4): 0.1929;
      // b: 0.1 × 3/9 + 0.6 × 3/4 = 0.4833; c: 0.1 × 6/9 + 0.3 × 6/7 = 0.3238.
      expect(Math.abs(second.a! - 1929)).toBeLessThan(200);
      expect(Math.abs(second.b! - 4833)).toBeLessThan(200);
      expect(Math.abs(second.c! - 3238)).toBeLessThan(200);
    });

    it('matches a name once per routing table, and names past the ones it remembers still route the same', () => {
      let calls = 0;
      const counted = channel('a', { models: ['claude-*'] });
      counted.matchers = [(model) => (calls++, model.startsWith('claude-'))];
      const router = createRouter({ channels: [counted, channel('b', { models: ['gpt-*'] })] });
      calls = 0; // the model listing, built with the table, matched the known models
      for (let index = 0; index < 3; index++) expect(order(router.resolve('claude-x'))).toEqual(['a']);
      expect(calls).toBe(1);
      // 5,000 distinct names (clients choose them): every one still resolves, and unknown ones do not.
      for (let index = 0; index < 5_000; index++) expect(order(router.resolve(`claude-${index}`))).toEqual(['a']);
      expect(router.resolve('gpt-x')!.targets.map((target) => target.channel.id)).toEqual(['b']);
      expect(router.resolve('nothing-serves-this')).toBeUndefined();
      const before = calls;
      expect(order(router.resolve('claude-4999'))).toEqual(['a']);
      expect(calls).toBe(before + 1); // past the remembered names: matched again
    });

    it('renames through model_map, which wins over a pattern of the same channel', () => {
      const router = createRouter({
        channels: [
          channel('renaming', { priority: 1, modelMap: { 'claude-opus-4-8': 'anthropic/claude-opus-4.8' } }),
          channel('plain'),
        ],
      });
      const route = router.resolve('claude-opus-4-8')!;
      expect(route.targets.map((target) => [target.channel.id, target.upstreamModel])).toEqual([
        ['renaming', 'anthropic/claude-opus-4.8'],
        ['plain', 'claude-opus-4-8'],
      ]);
      // The same channel's pattern still serves other names as they are.
      expect(router.resolve('claude-sonnet-5')!.targets[0]!.upstreamModel).toBe('claude-sonnet-5');
    });

    it('serves model_map keys outside the patterns, but not the upstream names they map to', () => {
      const router = createRouter({ channels: [channel('m', { models: [], modelMap: { fast: 'claude-haiku-4-5-20251001' } })] });
      expect(router.resolve('fast')!.targets[0]!.upstreamModel).toBe('claude-haiku-4-5-20251001');
      expect(router.resolve('claude-haiku-4-5-20251001')).toBeUndefined();
    });

    it('leaves disabled channels out', () => {
      const router = createRouter({ channels: [channel('off', { enabled: false, priority: 9 }), channel('on')] });
      expect(order(router.resolve('claude-x'))).toEqual(['on']);
      expect(createRouter({ channels: [channel('off', { enabled: false })] }).resolve('claude-x')).toBeUndefined();
    });

    it('lists every credential of a channel as a target, starting one further each time (one cursor per channel)', () => {
      const router = createRouter({
        channels: [channel('three', { apiKeys: ['k1', 'k2', 'k3'], priority: 1 }), channel('one')],
      });
      const credentials = () => router.resolve('claude-x')!.targets.map((target) => `${target.credential}#${target.credentialIndex}`);
      expect(credentials()).toEqual(['k1#0', 'k2#1', 'k3#2', 'key-one#0']);
      expect(credentials()).toEqual(['k2#1', 'k3#2', 'k1#0', 'key-one#0']);
      expect(credentials()).toEqual(['k3#2', 'k1#0', 'k2#1', 'key-one#0']);
      expect(credentials()).toEqual(['k1#0', 'k2#1', 'k3#2', 'key-one#0']);
      // Another model through the same channel continues the same rotation.
      expect(router.resolve('claude-y')!.targets[0]!.credential).toBe('k2');
    });

    describe('the [1m] rule', () => {
      it('routes a suffixed name under its base name and asks for the 1M beta, the client name kept', () => {
        const router = createRouter({ channels: [channel('a', { modelMap: { 'claude-opus-4-8': 'opus-upstream' } }), channel('b', { priority: -1 })] });
        const route = router.resolve('claude-opus-4-8[1m]')!;
        expect(route.clientModel).toBe('claude-opus-4-8[1m]');
        expect(route.addBetas).toEqual(['context-1m-2025-08-07']);
        expect(route.targets.map((target) => [target.channel.id, target.upstreamModel])).toEqual([
          ['a', 'opus-upstream'],
          ['b', 'claude-opus-4-8'],
        ]);
        expect(router.resolve('claude-opus-4-8[1M]')!.targets[1]!.upstreamModel).toBe('claude-opus-4-8');
      });

      it('gives the suffixed name as is, without a beta, only to channels that list it exactly', () => {
        const router = createRouter({
          channels: [
            channel('wildcard', { priority: 10 }),
            channel('listed', { priority: 0, models: ['claude-opus-4-8[1m]'] }),
          ],
        });
        const route = router.resolve('claude-opus-4-8[1m]')!;
        expect(route.addBetas).toEqual([]);
        expect(route.targets.map((target) => [target.channel.id, target.upstreamModel])).toEqual([
          ['listed', 'claude-opus-4-8[1m]'],
        ]);
        // The exact listing is case-sensitive: [1M] goes the base-name way.
        expect(router.resolve('claude-opus-4-8[1M]')!.addBetas).toEqual(['context-1m-2025-08-07']);
      });

      it('renames a suffixed name a channel maps explicitly', () => {
        const router = createRouter({
          channels: [channel('map', { models: [], modelMap: { 'claude-sonnet-5[1m]': 'sonnet-5-long' } }), channel('other')],
        });
        const route = router.resolve('claude-sonnet-5[1m]')!;
        expect(route.addBetas).toEqual([]);
        expect(route.targets.map((target) => [target.channel.id, target.upstreamModel])).toEqual([['map', 'sonnet-5-long']]);
      });

      it('ignores an exact listing on a disabled channel', () => {
        const router = createRouter({
          channels: [channel('listed', { enabled: false, models: ['claude-opus-4-8[1m]'] }), channel('wildcard')],
        });
        const route = router.resolve('claude-opus-4-8[1m]')!;
        expect(route.addBetas).toEqual(['context-1m-2025-08-07']);
        expect(route.targets.map((target) => target.upstreamModel)).toEqual(['claude-opus-4-8']);
      });

      it('returns undefined when nothing serves the base name either', () => {
        expect(createRouter({ channels: [channel('gpt', { models: ['gpt-*'] })] }).resolve('claude-opus-4-8[1m]')).toBeUndefined();
      });
    });
  });

  describe('isServedOnlyByDisabledChannels', () => {
    const router = createRouter({
      channels: [
        channel('off', { enabled: false, models: ['claude-opus-*'], modelMap: { legacy: 'claude-2' } }),
        channel('on', { models: ['claude-sonnet-*'] }),
      ],
    });

    it('is true for names only a disabled channel serves, by pattern, by model_map or by base name', () => {
      expect(router.resolve('claude-opus-4-8')).toBeUndefined();
      expect(router.isServedOnlyByDisabledChannels('claude-opus-4-8')).toBe(true);
      expect(router.isServedOnlyByDisabledChannels('legacy')).toBe(true);
      expect(router.isServedOnlyByDisabledChannels('claude-opus-4-8[1m]')).toBe(true);
    });

    it('is false for names no channel serves', () => {
      expect(router.isServedOnlyByDisabledChannels('gpt-5')).toBe(false);
      expect(router.isServedOnlyByDisabledChannels('gpt-5[1m]')).toBe(false);
      expect(router.isServedOnlyByDisabledChannels('claude-2')).toBe(false);
    });
  });

  describe('listModels', () => {
    it('lists exact names, model_map keys and the known models a wildcard matches, newest first, once each', () => {
      const router = createRouter({
        channels: [
          channel('later', { createdAt: FEB_01, models: ['claude-opus-4-6', 'my-model', 'claude-haiku-*', 'gpt-*'] }),
          channel('first', { priority: 1, createdAt: JAN_15, models: ['claude-opus-*'], modelMap: { fast: 'claude-haiku-4-5-20251001' } }),
          channel('off', { enabled: false, createdAt: FEB_01, models: ['secret-model', 'claude-sonnet-*'] }),
        ],
      });
      // Undated names carry the createdAt of the highest-priority channel listing them:
      // claude-opus-4-6 comes from `first` (Jan 15) although `later` lists it too.
      // Equal dates sort by id.
      expect(router.listModels()).toEqual([
        { id: 'my-model', displayName: 'my-model', createdAt: '2026-02-01T00:00:00Z' },
        { id: 'claude-opus-4-6', displayName: 'Claude Opus 4.6', createdAt: '2026-01-15T00:00:00Z' },
        { id: 'claude-opus-4-8', displayName: 'Claude Opus 4.8', createdAt: '2026-01-15T00:00:00Z' },
        { id: 'fast', displayName: 'fast', createdAt: '2026-01-15T00:00:00Z' },
        { id: 'claude-opus-4-5-20251101', displayName: 'Claude Opus 4.5', createdAt: '2025-11-01T00:00:00Z' },
        { id: 'claude-haiku-4-5-20251001', displayName: 'Claude Haiku 4.5', createdAt: '2025-10-01T00:00:00Z' },
        { id: 'claude-opus-4-1-20250805', displayName: 'Claude Opus 4.1', createdAt: '2025-08-05T00:00:00Z' },
        { id: 'claude-opus-4-20250514', displayName: 'Claude Opus 4', createdAt: '2025-05-14T00:00:00Z' },
      ]);
    });

    it('lists nothing when no channel is enabled', () => {
      expect(createRouter({ channels: [channel('off', { enabled: false })] }).listModels()).toEqual([]);
      expect(createRouter({ channels: [] }).listModels()).toEqual([]);
    });
  });

  describe('bad input', () => {
    // BUG: model_map is a plain object, so `channel.modelMap[model]` finds inherited
    // Object.prototype members. A request for `"model": "constructor"` (or `toString`,
    // `hasOwnProperty`, `__proto__`…) is routed to every enabled channel with a *function*
    // as upstreamModel; buildAnthropicUpstreamRequest then calls JSON.stringify(function)
    // → undefined → Buffer.from(undefined) throws, so the client gets a 500 instead of a
    // 404 (and isServedOnlyByDisabledChannels answers true → 503 when a channel is off).
    // Proposed fix: look names up with `Object.hasOwn(channel.modelMap, model)` (in
    // upstreamModelFor and in the [1m] branch), or build modelMap as a Map /
    // Object.create(null) in createRoutableChannel.
    it('does not route names inherited from Object.prototype', () => {
      const router = createRouter({ channels: [channel('a', { models: ['gpt-*'] }), channel('off', { enabled: false, models: ['gpt-*'] })] });
      expect(router.resolve('constructor')).toBeUndefined();
      expect(router.resolve('toString')).toBeUndefined();
      expect(router.isServedOnlyByDisabledChannels('hasOwnProperty')).toBe(false);
    });
  });
});
