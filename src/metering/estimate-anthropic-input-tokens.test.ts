import { readFileSync } from 'node:fs';
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { estimateAnthropicInputTokens, IMAGE_TOKENS } from './estimate-anthropic-input-tokens.js';

const seed = (name: string) => JSON.parse(readFileSync(new URL(`../../test/fixtures/anthropic/request/${name}.json`, import.meta.url), 'utf8'));

describe('estimateAnthropicInputTokens', () => {
  it('counts text with the real tokenizer plus framing per message', async () => {
    const request = { model: 'm', max_tokens: 1, system: 'You are terse.', messages: [{ role: 'user' as const, content: 'Briefly explain artificial intelligence' }] };
    expect(await estimateAnthropicInputTokens(request)).toBe(3 + countTokens('You are terse.') + 3 + countTokens('Briefly explain artificial intelligence'));
  });

  it('counts tool definitions, tool calls and tool results', async () => {
    const request = seed('tool-result-turn');
    const withoutTools = await estimateAnthropicInputTokens({ ...request, tools: [] });
    const withTools = await estimateAnthropicInputTokens(request);
    expect(withTools - withoutTools).toBe(request.tools.reduce((sum: number, tool: unknown) => sum + countTokens(JSON.stringify(tool)), 0));
    expect(withoutTools).toBeGreaterThan(10);
  });

  it('counts an image at the documented ceiling and a PDF per page', async () => {
    const image = seed('seed-image-png');
    const text = await estimateAnthropicInputTokens({ ...image, messages: [{ role: 'user', content: [image.messages[0].content.find((block: { type: string }) => block.type === 'text')] }] });
    expect((await estimateAnthropicInputTokens(image)) - text).toBe(IMAGE_TOKENS);
    const twoPages = Buffer.from('%PDF-1.4 1 0 obj << /Type /Pages /Count 2 >> 2 0 obj << /Type /Page >> 3 0 obj << /Type/Page >>').toString('base64');
    const pdf = { model: 'm', max_tokens: 1, messages: [{ role: 'user' as const, content: [{ type: 'document' as const, source: { type: 'base64' as const, media_type: 'application/pdf' as const, data: twoPages } }] }] };
    expect(await estimateAnthropicInputTokens(pdf)).toBe(3 + 3 + 2 * IMAGE_TOKENS);
  });

  it('never counts zero for a real request', async () => {
    for (const name of ['seed-basic', 'seed-system-blocks', 'seed-thinking', 'seed-web-search', 'seed-cache-message']) {
      expect(await estimateAnthropicInputTokens(seed(name)), name).toBeGreaterThan(6);
    }
  });
});
