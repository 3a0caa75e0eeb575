import { describe, expect, it } from 'vitest';
import type { AnthropicUsage } from '../protocol/anthropic/anthropic-usage.js';
import { applyAnthropicUsage } from './apply-anthropic-usage.js';
import { createEmptyUsage, type Usage } from './usage.js';

const usageWith = (fields: Partial<Usage>): Usage => ({ ...createEmptyUsage(), ...fields });
const apply = (usage: Usage, reported: AnthropicUsage): Usage => applyAnthropicUsage({ usage, reported });

describe('applyAnthropicUsage', () => {
  it('maps every reported field', () => {
    expect(
      apply(createEmptyUsage(), {
        input_tokens: 10,
        output_tokens: 20,
        cache_creation_input_tokens: 70,
        cache_read_input_tokens: 40,
        cache_creation: { ephemeral_5m_input_tokens: 30, ephemeral_1h_input_tokens: 40 },
        server_tool_use: { web_search_requests: 2, web_fetch_requests: 3 },
        service_tier: 'standard',
      }),
    ).toEqual({
      inputTokens: 10,
      outputTokens: 20,
      cacheWrite5mTokens: 30,
      cacheWrite1hTokens: 40,
      cacheReadTokens: 40,
      webSearchRequests: 2,
      webFetchRequests: 3,
    });
  });

  it('charges the sums over `iterations` (compaction: every sampling is billed, the top level is the last one)', () => {
    const reported = {
      input_tokens: 600,
      output_tokens: 2800,
      cache_read_input_tokens: 5,
      cache_creation_input_tokens: 0,
      iterations: [
        { type: 'compaction', input_tokens: 60_000, output_tokens: 500, cache_read_input_tokens: 100, cache_creation_input_tokens: 30, cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 20 } },
        { type: 'message', input_tokens: 600, output_tokens: 2800, cache_read_input_tokens: 5, cache_creation_input_tokens: 7 },
        'not an iteration',
        { type: 'message', input_tokens: -1, output_tokens: null },
      ],
    } as AnthropicUsage;
    expect(apply(usageWith({ inputTokens: 60_000, outputTokens: 1 }), reported)).toEqual(
      usageWith({ inputTokens: 60_600, outputTokens: 3300, cacheReadTokens: 105, cacheWrite5mTokens: 17, cacheWrite1hTokens: 20 }),
    );
  });

  it('never charges less than the top level when `iterations` falls short of it', () => {
    const reported = { input_tokens: 600, output_tokens: 2800, iterations: [{ type: 'compaction', input_tokens: 100, output_tokens: 5 }] } as AnthropicUsage;
    expect(apply(createEmptyUsage(), reported)).toEqual(usageWith({ inputTokens: 600, outputTokens: 2800 }));
  });

  it('replaces known counts instead of adding to them, since Anthropic reports cumulative counts', () => {
    const known = usageWith({ inputTokens: 43, outputTokens: 1, cacheReadTokens: 5, webSearchRequests: 1 });
    expect(
      apply(known, {
        input_tokens: 61,
        output_tokens: 2,
        cache_read_input_tokens: 5,
        server_tool_use: { web_search_requests: 1 },
      }),
    ).toEqual(usageWith({ inputTokens: 61, outputTokens: 2, cacheReadTokens: 5, webSearchRequests: 1 }));
  });

  it('keeps what a report leaves out', () => {
    const known = usageWith({ inputTokens: 17, outputTokens: 1, cacheWrite1hTokens: 9, webFetchRequests: 4 });
    expect(apply(known, { output_tokens: 227 })).toEqual({ ...known, outputTokens: 227 });
  });

  it('treats null, and values that are not counts, as not reported', () => {
    const known = usageWith({ inputTokens: 5, outputTokens: 6, cacheReadTokens: 7, cacheWrite5mTokens: 8 });
    expect(
      apply(known, {
        input_tokens: null,
        output_tokens: -1,
        cache_read_input_tokens: 1.5,
        cache_creation_input_tokens: '9' as unknown as number,
        cache_creation: null,
        server_tool_use: null,
      }),
    ).toEqual(known);
    expect(apply(known, { cache_creation: 'x', server_tool_use: [1] } as unknown as AnthropicUsage)).toEqual(known);
  });

  it('reports zero as zero', () => {
    expect(apply(usageWith({ inputTokens: 5 }), { input_tokens: 0 })).toEqual(createEmptyUsage());
  });

  it('does not modify the usage it is given', () => {
    const known = usageWith({ inputTokens: 1 });
    const copy = { ...known };
    const next = apply(known, { input_tokens: 2 });
    expect(known).toEqual(copy);
    expect(next).not.toBe(known);
  });

  describe('cache writes', () => {
    it('uses the TTL split when given, even if the total disagrees', () => {
      expect(
        apply(createEmptyUsage(), {
          cache_creation_input_tokens: 999,
          cache_creation: { ephemeral_5m_input_tokens: 3068, ephemeral_1h_input_tokens: 0 },
        }),
      ).toEqual(usageWith({ cacheWrite5mTokens: 3068 }));
    });

    it('attributes a total without split to 5m', () => {
      expect(apply(createEmptyUsage(), { cache_creation_input_tokens: 3068 })).toEqual(
        usageWith({ cacheWrite5mTokens: 3068 }),
      );
    });

    it('revises 5m when a delta reports only a new total (prompt-cache-write.sse)', () => {
      const afterStart = apply(createEmptyUsage(), {
        input_tokens: 2,
        cache_creation_input_tokens: 3068,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 3068, ephemeral_1h_input_tokens: 0 },
        output_tokens: 69,
      });
      const afterDelta = apply(afterStart, {
        input_tokens: 6,
        cache_creation_input_tokens: 3337,
        cache_read_input_tokens: 6289,
        output_tokens: 198,
        server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
      });
      expect(afterDelta).toEqual(
        usageWith({ inputTokens: 6, outputTokens: 198, cacheWrite5mTokens: 3337, cacheReadTokens: 6289 }),
      );
    });

    it('keeps a known 1h count when a later total comes without split, and puts the rest on 5m', () => {
      const known = usageWith({ cacheWrite5mTokens: 100, cacheWrite1hTokens: 50 });
      expect(apply(known, { cache_creation_input_tokens: 200 })).toEqual(
        usageWith({ cacheWrite5mTokens: 150, cacheWrite1hTokens: 50 }),
      );
    });

    it('caps a known 1h count at a smaller total without split', () => {
      const known = usageWith({ cacheWrite5mTokens: 100, cacheWrite1hTokens: 50 });
      expect(apply(known, { cache_creation_input_tokens: 30 })).toEqual(usageWith({ cacheWrite1hTokens: 30 }));
    });

    it('fills the side a partial split leaves open from the total', () => {
      expect(
        apply(createEmptyUsage(), {
          cache_creation_input_tokens: 100,
          cache_creation: { ephemeral_1h_input_tokens: 60 },
        }),
      ).toEqual(usageWith({ cacheWrite5mTokens: 40, cacheWrite1hTokens: 60 }));
      expect(
        apply(createEmptyUsage(), {
          cache_creation_input_tokens: 100,
          cache_creation: { ephemeral_5m_input_tokens: 70, ephemeral_1h_input_tokens: null },
        }),
      ).toEqual(usageWith({ cacheWrite5mTokens: 70, cacheWrite1hTokens: 30 }));
    });

    it('keeps the other side when a partial split comes without total', () => {
      const known = usageWith({ cacheWrite5mTokens: 10, cacheWrite1hTokens: 20 });
      expect(apply(known, { cache_creation: { ephemeral_1h_input_tokens: 25 } })).toEqual(
        usageWith({ cacheWrite5mTokens: 10, cacheWrite1hTokens: 25 }),
      );
    });

    it('leaves cache writes alone when neither total nor split is reported', () => {
      const known = usageWith({ cacheWrite5mTokens: 10, cacheWrite1hTokens: 20 });
      expect(apply(known, { output_tokens: 3, cache_creation: {} })).toEqual({ ...known, outputTokens: 3 });
    });
  });

  it('reads web searches and fetches independently', () => {
    const known = usageWith({ webSearchRequests: 1, webFetchRequests: 2 });
    expect(apply(known, { server_tool_use: { web_search_requests: 3 } })).toEqual(
      usageWith({ webSearchRequests: 3, webFetchRequests: 2 }),
    );
  });
});
