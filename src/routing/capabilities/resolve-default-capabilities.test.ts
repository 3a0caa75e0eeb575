import { describe, expect, it } from 'vitest';
import { resolveDefaultCapabilities } from './resolve-default-capabilities.js';

describe('resolveDefaultCapabilities', () => {
  it("gives Anthropic's own API everything", () => {
    expect(resolveDefaultCapabilities({ type: 'anthropic', baseUrl: 'https://api.anthropic.com' })).toEqual({
      thinking: true,
      tools: true,
      images: true,
      documents: true,
      serverTools: '*',
      betas: '*',
    });
  });

  it('gives another Anthropic-protocol upstream everything too, for the operator to narrow', () => {
    expect(resolveDefaultCapabilities({ type: 'anthropic', baseUrl: 'https://api.deepseek.com/anthropic' })).toEqual({
      thinking: true,
      tools: true,
      images: true,
      documents: true,
      serverTools: '*',
      betas: '*',
    });
  });

  it('gives an OpenAI channel what the translator can express: no server tools', () => {
    expect(resolveDefaultCapabilities({ type: 'openai', baseUrl: 'https://api.openai.com' })).toEqual({
      thinking: true,
      tools: true,
      images: true,
      documents: true,
      serverTools: [],
      betas: '*',
    });
  });

  it('returns a fresh object each time, so an override of one channel cannot leak into another', () => {
    const first = resolveDefaultCapabilities({ type: 'openai', baseUrl: 'https://api.openai.com' });
    (first.serverTools as string[]).push('web_search');
    expect(resolveDefaultCapabilities({ type: 'openai', baseUrl: 'https://api.openai.com' }).serverTools).toEqual([]);
  });
});
