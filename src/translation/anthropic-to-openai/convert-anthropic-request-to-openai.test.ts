import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicMessagesRequest } from '../../protocol/anthropic/anthropic-messages-request.js';
import { createToolNameMap } from '../tool-name/create-tool-name-map.js';
import { convertAnthropicRequestToOpenAI } from './convert-anthropic-request-to-openai.js';
import type { ReasoningDialect } from './reasoning-dialect.js';
import { UnsupportedFeatureError } from './unsupported-feature-error.js';

const requestDir = new URL('../../../test/fixtures/anthropic/request/', import.meta.url);
const readRequest = (name: string) => JSON.parse(readFileSync(new URL(name, requestDir), 'utf8')) as AnthropicMessagesRequest;
const claudeCode = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/claude-code/tool-round-trip.json', import.meta.url), 'utf8'),
) as Array<{ body: AnthropicMessagesRequest }>;

function convert(
  request: AnthropicMessagesRequest,
  options: { reasoning?: ReasoningDialect; maxTokensField?: 'max_tokens' | 'max_completion_tokens' } = {},
) {
  return convertAnthropicRequestToOpenAI({
    request,
    upstreamModel: 'upstream-model',
    toolNames: createToolNameMap((request.tools ?? []).map((tool) => tool.name)),
    reasoning: options.reasoning ?? 'reasoning_effort',
    maxTokensField: options.maxTokensField ?? 'max_completion_tokens',
  });
}

const base = (fields: Partial<AnthropicMessagesRequest>): AnthropicMessagesRequest => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 100,
  messages: [{ role: 'user', content: 'hi' }],
  ...fields,
});

function featureOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    const unsupported = error as UnsupportedFeatureError;
    expect(unsupported.status).toBe(400);
    expect(unsupported.type).toBe('invalid_request_error');
    expect(unsupported.message).toContain(unsupported.feature);
    return unsupported.feature;
  }
  throw new Error('expected an UnsupportedFeatureError');
}

describe('convertAnthropicRequestToOpenAI on the recorded requests', () => {
  it('translates the tool-result turn', () => {
    const { request, warnings, droppedThinking } = convert(readRequest('tool-result-turn.json'));
    expect(request).toEqual({
      model: 'upstream-model',
      max_completion_tokens: 1024,
      messages: [
        { role: 'user', content: 'What is the weather like in Tokyo?' },
        {
          role: 'assistant',
          content: 'Let me check.',
          tool_calls: [
            { id: 'toolu_01A09q90qw90lq917835lq9', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees, clear' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Get weather information for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
      ],
    });
    expect(warnings).toEqual([]);
    expect(droppedThinking).toBe(false);
  });

  it('translates a string system prompt, and blocks into the same string', () => {
    const fromString = convert(readRequest('seed-system-string.json')).request;
    const fromBlocks = convert(readRequest('seed-system-blocks.json')).request;
    expect(fromString.messages).toEqual([
      { role: 'system', content: 'You are a professional programming assistant skilled at explaining complex technical concepts.' },
      { role: 'user', content: 'What is recursion?' },
    ]);
    expect(fromBlocks).toEqual(fromString);
  });

  it('turns a base64 image into a data URI part', () => {
    const { request } = convert(readRequest('seed-image-png.json'));
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'image_url',
            image_url: {
              url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
            },
          },
          { type: 'text', text: 'Please describe this image' },
        ],
      },
    ]);
  });

  it('asks for usage on every stream', () => {
    const { request } = convert(readRequest('seed-stream.json'));
    expect(request.stream).toBe(true);
    expect(request.stream_options).toEqual({ include_usage: true });
    expect(convert(readRequest('seed-basic.json')).request).not.toHaveProperty('stream');
  });

  it.each([
    ['reasoning_effort', { reasoning_effort: 'high' }],
    ['deepseek', { thinking: { type: 'enabled' } }],
    ['openrouter', { reasoning: { max_tokens: 10000 } }],
    ['none', {}],
  ] as const)('translates a 10,000-token thinking budget for the %s dialect', (dialect, fields) => {
    const { request, droppedThinking } = convert(readRequest('seed-thinking.json'), { reasoning: dialect });
    const { model: _model, messages: _messages, max_completion_tokens: maxTokens, ...rest } = request;
    expect(maxTokens).toBe(16000);
    expect(rest).toEqual(fields);
    expect(droppedThinking).toBe(dialect === 'none');
  });

  it('refuses the web_search server tool', () => {
    expect(featureOf(() => convert(readRequest('seed-web-search.json')))).toBe('tool type "web_search_20250305"');
  });

  it('strips cache_control from every request it can translate', () => {
    for (const name of readdirSync(requestDir).filter((file) => file.endsWith('.json') && file !== 'seed-web-search.json')) {
      const request = readRequest(name);
      expect(JSON.stringify(convert(request).request), name).not.toContain('cache_control');
      expect(JSON.stringify(convert(request).request), name).not.toContain('ephemeral');
    }
  });

  describe('what Claude Code sends', () => {
    const second = claudeCode[1]!.body;

    it('translates the tool round trip in conversation order', () => {
      const { request, warnings } = convert(second);
      expect(request.messages.map((message) => message.role)).toEqual(['system', 'user', 'system', 'assistant', 'tool']);
      const [system, user, midSystem, assistant, tool] = request.messages;
      // The attribution block is gone; the other blocks are joined.
      const systemText = system!.content as string;
      expect(systemText.startsWith("You are a Claude agent, built on Anthropic's Claude Agent SDK.\n\n\nYou are an interactive agent")).toBe(true);
      expect(systemText).not.toContain('x-anthropic-billing-header');
      // Two text blocks stay two parts (the system-reminder and the prompt).
      expect(user!.content).toEqual([
        { type: 'text', text: expect.stringContaining('<system-reminder>') },
        { type: 'text', text: 'list the files in this directory' },
      ]);
      expect(midSystem!.content).toMatch(/^Available agent types for the Agent tool:/);
      expect(assistant).toEqual({
        role: 'assistant',
        content: "I'll list the files.",
        tool_calls: [
          {
            id: 'toolu_f41f643c7da6d852d5a129d5',
            type: 'function',
            function: { name: 'Bash', arguments: JSON.stringify((second.messages[2]!.content as Array<{ input?: unknown }>)[1]!.input) },
          },
        ],
      });
      expect(tool).toMatchObject({ role: 'tool', tool_call_id: 'toolu_f41f643c7da6d852d5a129d5' });
      expect((tool!.content as string).startsWith('total 16\n')).toBe(true);

      expect(request.tools?.map((entry) => entry.function.name)).toEqual(second.tools!.map((entry) => entry.name));
      // adaptive thinking + effort "high".
      expect(request.reasoning_effort).toBe('high');
      expect(request.max_completion_tokens).toBe(64000);
      expect(request.user).toBe(second.metadata!.user_id);
      expect(request.stream_options).toEqual({ include_usage: true });
      expect(warnings).toEqual(['context_management was dropped: the upstream receives the full history']);
    });

    it('sends DeepSeek the tool-call turn with reasoning_content', () => {
      const { request } = convert(second, { reasoning: 'deepseek', maxTokensField: 'max_tokens' });
      expect(request.messages[3]).toMatchObject({ role: 'assistant', reasoning_content: '' });
      expect(request.thinking).toEqual({ type: 'enabled' });
      expect(request.max_tokens).toBe(64000);
      expect(request).not.toHaveProperty('reasoning_effort');
    });
  });
});

describe('convertAnthropicRequestToOpenAI field by field', () => {
  it('maps the sampling, stop and user fields, and reports what it drops', () => {
    const { request, warnings } = convert(
      base({
        temperature: 0.3,
        top_p: 0.9,
        top_k: 5,
        stop_sequences: ['END', '###'],
        metadata: { user_id: 'user-1', team: 'x' },
        speed: 'fast',
        unknown_future_field: true,
      }),
    );
    expect(request).toMatchObject({ temperature: 0.3, top_p: 0.9, stop: ['END', '###'], user: 'user-1' });
    expect(request).not.toHaveProperty('top_k');
    expect(request).not.toHaveProperty('unknown_future_field');
    expect(warnings).toEqual([
      'top_k was dropped: Chat Completions has no such parameter',
      'metadata.team was dropped',
      'speed "fast" was dropped',
      'unknown field "unknown_future_field" was dropped',
    ]);
  });

  it('writes max_tokens into the configured field', () => {
    expect(convert(base({}), { maxTokensField: 'max_tokens' }).request).toMatchObject({ max_tokens: 100 });
    expect(convert(base({}), { maxTokensField: 'max_tokens' }).request).not.toHaveProperty('max_completion_tokens');
  });

  it.each([
    [{ type: 'auto' }, 'auto'],
    [{ type: 'any' }, 'required'],
    [{ type: 'none' }, 'none'],
    [{ type: 'tool', name: 'get_weather' }, { type: 'function', function: { name: 'get_weather' } }],
  ] as const)('maps tool_choice %j', (toolChoice, expected) => {
    const { request } = convert(
      base({ tools: [{ name: 'get_weather', input_schema: { type: 'object' } }], tool_choice: toolChoice }),
    );
    expect(request.tool_choice).toEqual(expected);
    expect(request).not.toHaveProperty('parallel_tool_calls');
  });

  it('turns disable_parallel_tool_use into parallel_tool_calls: false', () => {
    const { request } = convert(
      base({ tools: [{ name: 't', input_schema: { type: 'object' } }], tool_choice: { type: 'any', disable_parallel_tool_use: true } }),
    );
    expect(request).toMatchObject({ tool_choice: 'required', parallel_tool_calls: false });
  });

  it('sends no tool fields at all without tools (OpenAI rejects them alone)', () => {
    const { request } = convert(base({ tools: [], tool_choice: { type: 'auto', disable_parallel_tool_use: true } }));
    expect(request).not.toHaveProperty('tools');
    expect(request).not.toHaveProperty('tool_choice');
    expect(request).not.toHaveProperty('parallel_tool_calls');
  });

  it('maps tool names through the name map, in tools, tool_choice and history', () => {
    const long = 'mcp__some_server__' + 'a_really_long_tool_name_that_goes_past_the_openai_limit';
    const request = base({
      tools: [{ name: long, input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: long },
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: long, input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] },
      ],
    });
    const toolNames = createToolNameMap([long]);
    const { request: openai } = convertAnthropicRequestToOpenAI({
      request,
      upstreamModel: 'm',
      toolNames,
      reasoning: 'none',
      maxTokensField: 'max_tokens',
    });
    const upstreamName = toolNames.toUpstream(long);
    expect(upstreamName).toHaveLength(64);
    expect(openai.tools?.[0]?.function.name).toBe(upstreamName);
    expect(openai.tool_choice).toEqual({ type: 'function', function: { name: upstreamName } });
    expect(openai.messages[1]).toMatchObject({ tool_calls: [{ function: { name: upstreamName, arguments: '{}' } }] });
    expect(toolNames.toClient(upstreamName)).toBe(long);
  });

  it('translates output_config.format into a json_schema response_format', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    const { request } = convert(base({ output_config: { format: { type: 'json_schema', schema } } }));
    expect(request.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema, strict: true } });
  });

  describe('thinking', () => {
    it.each([
      [1024, 'low'],
      [2048, 'low'],
      [2049, 'medium'],
      [8192, 'medium'],
      [8193, 'high'],
      [32000, 'high'],
    ] as const)('buckets a budget of %i into %s', (budget, effort) => {
      const { request } = convert(base({ max_tokens: 64000, thinking: { type: 'enabled', budget_tokens: budget } }));
      expect(request.reasoning_effort).toBe(effort);
    });

    it.each([
      [undefined, 'medium'],
      ['low', 'low'],
      ['medium', 'medium'],
      ['high', 'high'],
      ['xhigh', 'high'],
      ['max', 'high'],
    ] as const)('maps adaptive thinking with effort %s to %s', (effort, expected) => {
      const request = base({ thinking: { type: 'adaptive' }, ...(effort === undefined ? {} : { output_config: { effort } }) });
      expect(convert(request).request.reasoning_effort).toBe(expected);
      expect(convert(request, { reasoning: 'openrouter' }).request.reasoning).toEqual({ effort: expected });
      expect(convert(request, { reasoning: 'deepseek' }).request.thinking).toEqual({ type: 'enabled' });
      const none = convert(request, { reasoning: 'none' });
      expect(none.droppedThinking).toBe(true);
      expect(none.warnings).toContain('thinking (adaptive) was dropped: the upstream has no reasoning control');
    });

    it('asks OpenRouter to exclude the reasoning text when display is omitted', () => {
      const { request } = convert(base({ thinking: { type: 'adaptive', display: 'omitted' } }), { reasoning: 'openrouter' });
      expect(request.reasoning).toEqual({ effort: 'medium', exclude: true });
    });

    it('passes an explicit "disabled" only to DeepSeek, and drops effort without thinking', () => {
      const request = base({ thinking: { type: 'disabled' }, output_config: { effort: 'low' } });
      expect(convert(request, { reasoning: 'deepseek' }).request.thinking).toEqual({ type: 'disabled' });
      const plain = convert(request);
      expect(plain.request).not.toHaveProperty('reasoning_effort');
      expect(plain.warnings).toEqual(['output_config.effort "low" was dropped: it is only translated together with thinking']);
      expect(plain.droppedThinking).toBe(false);
    });
  });

  describe('refuses what the upstream cannot do', () => {
    it.each([
      ['bash_20250124', 'tool type "bash_20250124"'],
      ['text_editor_20250728', 'tool type "text_editor_20250728"'],
      ['code_execution_20250825', 'tool type "code_execution_20250825"'],
      ['web_fetch_20250910', 'tool type "web_fetch_20250910"'],
      ['computer_20250124', 'tool type "computer_20250124"'],
      ['memory_20250818', 'tool type "memory_20250818"'],
      ['tool_search_tool_regex_20251119', 'tool type "tool_search_tool_regex_20251119"'],
      ['mcp_toolset', 'tool type "mcp_toolset"'],
    ])('the %s tool', (type, feature) => {
      const request = base({ tools: [{ type, name: 'x' } as never] });
      expect(featureOf(() => convert(request))).toBe(feature);
    });

    it('mcp_servers and container', () => {
      expect(featureOf(() => convert(base({ mcp_servers: [{ type: 'url', url: 'https://mcp.example', name: 'm' }] })))).toBe('mcp_servers');
      expect(featureOf(() => convert(base({ container: 'container_1' })))).toBe('container');
      // Empty or null is not a use of the feature.
      expect(() => convert(base({ mcp_servers: [], container: null }))).not.toThrow();
    });

    it('cache pre-warming (max_tokens 0)', () => {
      expect(featureOf(() => convert(base({ max_tokens: 0 })))).toBe('max_tokens: 0 (prompt-cache pre-warming)');
    });
  });
});
