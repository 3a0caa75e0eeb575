import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicMessagesRequest } from '../../protocol/anthropic/anthropic-messages-request.js';
import type { ChannelCapabilities } from './channel-capabilities.js';
import { findMissingCapabilities } from './find-missing-capabilities.js';
import { resolveAnthropicRequestNeeds } from './resolve-anthropic-request-needs.js';
import { resolveDefaultCapabilities } from './resolve-default-capabilities.js';

const seedNeeds = (name: string) =>
  resolveAnthropicRequestNeeds({
    request: JSON.parse(readFileSync(new URL(`../../../test/fixtures/anthropic/request/${name}.json`, import.meta.url), 'utf8')),
    betaHeader: undefined,
  });
const [recorded] = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/claude-code/prompt.json', import.meta.url), 'utf8'),
) as Array<{ headers: Record<string, string>; body: AnthropicMessagesRequest }>;
const claudeCodeNeeds = resolveAnthropicRequestNeeds({ request: recorded!.body, betaHeader: recorded!.headers['anthropic-beta'] });

const anthropicApi = resolveDefaultCapabilities({ type: 'anthropic', baseUrl: 'https://api.anthropic.com' });
const openai = resolveDefaultCapabilities({ type: 'openai', baseUrl: 'https://api.openai.com' });
const nothingButText: ChannelCapabilities = {
  thinking: false,
  tools: false,
  images: false,
  documents: false,
  serverTools: [],
  betas: { allow: [] },
};

describe('findMissingCapabilities', () => {
  it("finds nothing missing on Anthropic's API for any recorded request", () => {
    for (const name of ['seed-basic', 'seed-web-search', 'seed-thinking', 'seed-image-png', 'tool-result-turn']) {
      expect(findMissingCapabilities({ needs: seedNeeds(name), capabilities: anthropicApi })).toEqual([]);
    }
    expect(findMissingCapabilities({ needs: claudeCodeNeeds, capabilities: anthropicApi })).toEqual([]);
  });

  it('finds the web_search server tool missing on an OpenAI channel', () => {
    expect(findMissingCapabilities({ needs: seedNeeds('seed-web-search'), capabilities: openai })).toEqual(['server tool web_search']);
  });

  it('lets an OpenAI channel serve Claude Code: its betas are not forwarded there', () => {
    expect(findMissingCapabilities({ needs: claudeCodeNeeds, capabilities: openai })).toEqual([]);
  });

  it('names each missing feature on a text-only channel', () => {
    expect(findMissingCapabilities({ needs: seedNeeds('seed-thinking'), capabilities: nothingButText })).toEqual(['thinking']);
    expect(findMissingCapabilities({ needs: seedNeeds('seed-image-png'), capabilities: nothingButText })).toEqual(['images']);
    expect(findMissingCapabilities({ needs: seedNeeds('tool-result-turn'), capabilities: nothingButText })).toEqual(['tools']);
    expect(findMissingCapabilities({ needs: seedNeeds('seed-basic'), capabilities: nothingButText })).toEqual([]);
  });

  it('lists everything missing in a fixed order', () => {
    const needs = {
      thinking: true,
      tools: true,
      images: true,
      documents: true,
      serverTools: ['web_search', 'code_execution'],
      betas: ['context-1m-2025-08-07'],
    };
    expect(findMissingCapabilities({ needs, capabilities: nothingButText })).toEqual([
      'thinking',
      'tools',
      'images',
      'documents',
      'server tool web_search',
      'server tool code_execution',
      'beta context-1m-2025-08-07',
    ]);
  });

  it('finds only the server tools a narrowed channel does not list', () => {
    const capabilities: ChannelCapabilities = { ...anthropicApi, serverTools: ['web_search', 'web_fetch'] };
    const needs = { ...seedNeeds('seed-basic'), serverTools: ['web_search', 'code_execution'] };
    expect(findMissingCapabilities({ needs, capabilities })).toEqual(['server tool code_execution']);
  });

  it('ignores stripped betas, except the 1M context one', () => {
    const stripsExperimental: ChannelCapabilities = {
      ...anthropicApi,
      betas: { deny: ['context-management-*', 'prompt-caching-scope-*', 'thinking-token-count-*'] },
    };
    expect(findMissingCapabilities({ needs: claudeCodeNeeds, capabilities: stripsExperimental })).toEqual([]);

    const allowsLittle: ChannelCapabilities = { ...anthropicApi, betas: { allow: ['claude-code-20250219', 'interleaved-thinking-*'] } };
    expect(findMissingCapabilities({ needs: claudeCodeNeeds, capabilities: allowsLittle })).toEqual(['beta context-1m-2025-08-07']);

    const deniesLongContext: ChannelCapabilities = { ...anthropicApi, betas: { deny: ['context-1m-*'] } };
    expect(findMissingCapabilities({ needs: claudeCodeNeeds, capabilities: deniesLongContext })).toEqual([
      'beta context-1m-2025-08-07',
    ]);
  });
});
