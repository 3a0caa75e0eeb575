import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicMessagesRequest } from '../../protocol/anthropic/anthropic-messages-request.js';
import { resolveAnthropicRequestNeeds } from './resolve-anthropic-request-needs.js';

const seed = (name: string): AnthropicMessagesRequest =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/anthropic/request/${name}.json`, import.meta.url), 'utf8'));

interface RecordedRequest {
  headers: Record<string, string>;
  body: AnthropicMessagesRequest;
}
const claudeCode = (name: string): RecordedRequest[] =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/claude-code/${name}.json`, import.meta.url), 'utf8'));

const nothing = { thinking: false, tools: false, images: false, documents: false, serverTools: [], betas: [] };

describe('resolveAnthropicRequestNeeds', () => {
  it('needs nothing for a plain text request', () => {
    expect(resolveAnthropicRequestNeeds({ request: seed('seed-basic'), betaHeader: undefined })).toEqual(nothing);
  });

  it('needs the web_search family, and not client tools, for the web search example', () => {
    expect(resolveAnthropicRequestNeeds({ request: seed('seed-web-search'), betaHeader: undefined })).toEqual({
      ...nothing,
      serverTools: ['web_search'],
    });
  });

  it('needs thinking for enabled thinking', () => {
    expect(resolveAnthropicRequestNeeds({ request: seed('seed-thinking'), betaHeader: undefined })).toEqual({
      ...nothing,
      thinking: true,
    });
  });

  it('needs images for an image block', () => {
    expect(resolveAnthropicRequestNeeds({ request: seed('seed-image-png'), betaHeader: undefined })).toEqual({
      ...nothing,
      images: true,
    });
  });

  it('needs tools for declared custom tools', () => {
    expect(resolveAnthropicRequestNeeds({ request: seed('seed-tools'), betaHeader: undefined })).toEqual({
      ...nothing,
      tools: true,
    });
  });

  it('needs tools for a tool_result turn', () => {
    expect(resolveAnthropicRequestNeeds({ request: seed('tool-result-turn'), betaHeader: undefined })).toEqual({
      ...nothing,
      tools: true,
    });
  });

  it('needs tools even when the history holds tool calls but no tools are declared', () => {
    const { tools: _declared, ...request } = seed('tool-result-turn');
    expect(resolveAnthropicRequestNeeds({ request, betaHeader: undefined }).tools).toBe(true);
  });

  it("reads Claude Code's first request: tools, adaptive thinking and its eight betas", () => {
    const [recorded] = claudeCode('prompt');
    expect(resolveAnthropicRequestNeeds({ request: recorded!.body, betaHeader: recorded!.headers['anthropic-beta'] })).toEqual({
      thinking: true,
      tools: true,
      images: false,
      documents: false,
      serverTools: [],
      betas: [
        'claude-code-20250219',
        'context-1m-2025-08-07',
        'interleaved-thinking-2025-05-14',
        'thinking-token-count-2026-05-13',
        'context-management-2025-06-27',
        'prompt-caching-scope-2026-01-05',
        'mid-conversation-system-2026-04-07',
        'effort-2025-11-24',
      ],
    });
  });

  it("reads Claude Code's tool_result turn the same way", () => {
    const recorded = claudeCode('tool-round-trip')[1]!;
    const needs = resolveAnthropicRequestNeeds({ request: recorded.body, betaHeader: recorded.headers['anthropic-beta'] });
    expect(needs).toMatchObject({ thinking: true, tools: true, images: false, documents: false, serverTools: [] });
    expect(needs.betas).toHaveLength(8);
  });

  it('does not need thinking when it is disabled, even with thinking blocks in the history', () => {
    const request: AnthropicMessagesRequest = {
      ...seed('seed-basic'),
      thinking: { type: 'disabled' },
      messages: [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'The user greets me.', signature: 'c2ln' },
            { type: 'redacted_thinking', data: 'ZW5j' },
            { type: 'text', text: 'Hello!' },
          ],
        },
        { role: 'user', content: 'Bye' },
      ],
    };
    expect(resolveAnthropicRequestNeeds({ request, betaHeader: undefined })).toEqual(nothing);
  });

  it('finds images and documents inside tool results and content documents', () => {
    const request = seed('tool-result-turn');
    request.messages[2] = {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01A09q90qw90lq917835lq9',
          content: [
            { type: 'text', text: 'Radar:' },
            { type: 'image', source: { type: 'url', url: 'https://example.com/radar.png' } },
          ],
        },
      ],
    };
    expect(resolveAnthropicRequestNeeds({ request, betaHeader: undefined })).toMatchObject({ images: true, documents: false });

    const withDocument = seed('seed-basic');
    withDocument.messages = [
      {
        role: 'user',
        content: [
          {
            type: 'document',
            source: { type: 'content', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/page.png' } }] },
          },
          { type: 'text', text: 'Summarize this.' },
        ],
      },
    ];
    expect(resolveAnthropicRequestNeeds({ request: withDocument, betaHeader: undefined })).toEqual({
      ...nothing,
      images: true,
      documents: true,
    });
  });

  it('finds a PDF document returned by a tool', () => {
    const request = seed('tool-result-turn');
    request.messages[2] = {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: 'toolu_01A09q90qw90lq917835lq9',
          content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } }],
        },
      ],
    };
    expect(resolveAnthropicRequestNeeds({ request, betaHeader: undefined })).toEqual({ ...nothing, tools: true, documents: true });
  });

  it('names every Anthropic-defined tool by family, once, and counts mcp_servers and container', () => {
    const request: AnthropicMessagesRequest = {
      ...seed('seed-web-search'),
      tools: [
        { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
        { type: 'web_search_20260318', name: 'web_search_new' },
        { type: 'web_fetch_20250910', name: 'web_fetch' },
        { type: 'bash_20250124', name: 'bash' },
        { type: 'text_editor_20250728', name: 'str_replace_based_edit_tool' },
        { type: 'computer_20251124', name: 'computer' },
        { type: 'memory_20250818', name: 'memory' },
        { type: 'tool_search_tool_regex_20251119', name: 'tool_search_tool_regex' },
        { type: 'custom', name: 'get_weather', input_schema: { type: 'object' } },
      ],
      mcp_servers: [{ type: 'url', url: 'https://mcp.example.com/sse', name: 'example' }],
      container: { skills: [{ skill_id: 'pptx', type: 'anthropic', version: 'latest' }] },
    };
    expect(resolveAnthropicRequestNeeds({ request, betaHeader: undefined })).toEqual({
      ...nothing,
      tools: true,
      serverTools: ['web_search', 'web_fetch', 'bash', 'text_editor', 'computer', 'memory', 'tool_search', 'mcp', 'code_execution'],
    });
  });

  it('needs a server tool that an earlier turn used, even when it is no longer declared', () => {
    const request: AnthropicMessagesRequest = {
      ...seed('seed-basic'),
      messages: [
        { role: 'user', content: 'What happened today?' },
        {
          role: 'assistant',
          content: [
            { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'news' } },
            { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01', content: [] },
            { type: 'server_tool_use', id: 'srvtoolu_02', name: 'bash_code_execution', input: { command: 'ls' } },
            { type: 'mcp_tool_use', id: 'mcptoolu_01', name: 'lookup', server_name: 'example', input: {} },
            { type: 'text', text: 'Nothing much.' },
          ],
        },
        { role: 'user', content: 'Thanks' },
      ],
    };
    expect(resolveAnthropicRequestNeeds({ request, betaHeader: undefined })).toEqual({
      ...nothing,
      serverTools: ['web_search', 'code_execution', 'mcp'],
    });
  });

  it('does not count an empty mcp_servers list or a null container', () => {
    const request: AnthropicMessagesRequest = { ...seed('seed-basic'), mcp_servers: [], container: null };
    expect(resolveAnthropicRequestNeeds({ request, betaHeader: undefined })).toEqual(nothing);
  });

  it('splits beta header lines on commas, trims them, and drops empty and repeated values', () => {
    const needs = resolveAnthropicRequestNeeds({
      request: seed('seed-basic'),
      betaHeader: [' context-1m-2025-08-07 ,, files-api-2025-04-14,', '', 'context-1m-2025-08-07,token-counting-2024-11-01'],
    });
    expect(needs.betas).toEqual(['context-1m-2025-08-07', 'files-api-2025-04-14', 'token-counting-2024-11-01']);
  });

  it('needs nothing, and does not throw, for a body that is malformed beyond the envelope', () => {
    const request = {
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 1024,
      thinking: 'on',
      tools: 'all',
      messages: [null, 7, { role: 'user', content: [null, 'text', { type: 'tool_result', content: 5 }, { type: 'document', source: null }] }],
    } as unknown as AnthropicMessagesRequest;
    expect(resolveAnthropicRequestNeeds({ request, betaHeader: undefined })).toEqual({ ...nothing, tools: true, documents: true });
    const noMessages = { model: 'claude-sonnet-4-5-20250929', max_tokens: 1024 } as unknown as AnthropicMessagesRequest;
    expect(resolveAnthropicRequestNeeds({ request: noMessages, betaHeader: undefined })).toEqual(nothing);
  });
});
