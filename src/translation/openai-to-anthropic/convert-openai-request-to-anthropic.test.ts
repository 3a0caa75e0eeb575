import { describe, expect, it } from 'vitest';
import type { OpenAIChatCompletionRequest } from '../../protocol/openai/openai-chat-completion-request.js';
import { convertOpenAIRequestToAnthropic, JSON_OBJECT_SYSTEM_HINT } from './convert-openai-request-to-anthropic.js';
import { convertToolCallIdToToolUseId } from './convert-tool-call-id-to-tool-use-id.js';
import { UnsupportedFeatureError } from './unsupported-feature-error.js';

const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function convert(fields: Partial<OpenAIChatCompletionRequest> & Record<string, unknown>) {
  return convertOpenAIRequestToAnthropic({
    request: { model: 'client-model', messages: [{ role: 'user', content: 'Hi' }], ...fields } as OpenAIChatCompletionRequest,
    upstreamModel: 'claude-sonnet-4-6',
    defaultMaxTokens: 4096,
  });
}

function expectUnsupported(run: () => unknown, feature: string | RegExp) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    const unsupported = error as UnsupportedFeatureError;
    if (typeof feature === 'string') expect(unsupported.feature).toBe(feature);
    else expect(unsupported.feature).toMatch(feature);
    expect(unsupported.status).toBe(400);
    expect(unsupported.type).toBe('invalid_request_error');
    return;
  }
  expect.fail('expected an UnsupportedFeatureError');
}

describe('convertOpenAIRequestToAnthropic: messages', () => {
  it('converts a minimal request', () => {
    expect(convert({})).toEqual({
      request: { model: 'claude-sonnet-4-6', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] },
      warnings: [],
    });
  });

  it('hoists system and developer messages from anywhere into system blocks, in order', () => {
    const { request } = convert({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Q1' },
        { role: 'developer', content: [{ type: 'text', text: 'Prefer metric units.' }, { type: 'text', text: '' }] },
        { role: 'assistant', content: 'A1' },
        { role: 'system', content: '   ' },
        { role: 'user', content: 'Q2' },
      ],
    });
    expect(request.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Prefer metric units.' },
    ]);
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Q1' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'A1' }] },
      { role: 'user', content: [{ type: 'text', text: 'Q2' }] },
    ]);
  });

  it('drops empty text and merges consecutive same-role messages', () => {
    const { request } = convert({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: '' }] },
        { role: 'user', content: '' },
        { role: 'user', content: 'b' },
        { role: 'assistant', content: '' },
        { role: 'assistant', content: 'c' },
        { role: 'assistant', content: [{ type: 'text', text: 'd' }] },
        { role: 'user', content: 'e' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }, { type: 'text', text: 'd' }] },
      { role: 'user', content: [{ type: 'text', text: 'e' }] },
    ]);
  });

  it('converts images: data URIs to base64 (image/jpg read as jpeg), http(s) URLs to url sources', () => {
    const { request } = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1X1}`, detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/jpg;base64,/9j/AAAA' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.webp' } },
          ],
        },
      ],
    });
    expect(request.messages[0]!.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1 } },
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/AAAA' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.webp' } },
    ]);
  });

  it('rejects image types Anthropic cannot read, and other URL schemes', () => {
    expectUnsupported(
      () => convert({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/bmp;base64,Qk0=' } }] }] }),
      'image media type "image/bmp"',
    );
    expectUnsupported(
      () => convert({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }),
      'image_url scheme',
    );
  });

  it('converts PDF and plain-text file parts to documents', () => {
    const pdf = Buffer.from('%PDF-1.4 test').toString('base64');
    const { request } = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', file: { file_data: `data:application/pdf;base64,${pdf}`, filename: 'paper.pdf' } },
            { type: 'file', file: { file_data: pdf } },
            { type: 'file', file: { file_data: `data:text/plain;base64,${Buffer.from('hello').toString('base64')}` } },
          ],
        },
      ],
    });
    expect(request.messages[0]!.content).toEqual([
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf }, title: 'paper.pdf' },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: pdf } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello' } },
    ]);
  });

  it('rejects audio, file ids and unknown part types, naming them', () => {
    expectUnsupported(
      () => convert({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] }),
      'input_audio',
    );
    expectUnsupported(() => convert({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }] }), 'file_id');
    expectUnsupported(
      () => convert({ messages: [{ role: 'user', content: [{ type: 'video_url', video_url: 'x' } as never] }] }),
      'content part type "video_url"',
    );
  });

  it('converts assistant tool calls and tool results, sanitizing ids the same way on both sides', () => {
    const { request, warnings } = convert({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: 'Checking.',
          reasoning_content: 'The user wants two cities.',
          tool_calls: [
            { id: 'functions.weather:0', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":' } },
          ],
        },
        { role: 'tool', tool_call_id: 'functions.weather:0', content: '18°C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '24°C' }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    const sanitized = convertToolCallIdToToolUseId('functions.weather:0');
    expect(sanitized).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: sanitized, name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: sanitized, content: '18°C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '24°C' }] },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
    expect(warnings).toEqual([
      'Arguments of a "weather" tool call are not valid JSON; sent as {}.',
      'reasoning_content on assistant messages was dropped: unsigned thinking cannot be replayed to Anthropic.',
    ]);
  });

  it('puts tool results first even when user text came before them', () => {
    const { request } = convert({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 't', arguments: '{}' } }] },
        { role: 'user', content: 'also this' },
        { role: 'tool', tool_call_id: 'c1', content: '' },
      ],
    });
    expect(request.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'c1' },
        { type: 'text', text: 'also this' },
      ],
    });
  });

  it('converts legacy function_call / function messages and functions / function_call options', () => {
    const { request } = convert({
      functions: [{ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
      function_call: { name: 'lookup' },
      messages: [
        { role: 'user', content: 'find x' },
        { role: 'assistant', content: null, function_call: { name: 'lookup', arguments: '{"q":"x"}' } },
        { role: 'function', name: 'lookup', content: 'found' },
      ],
    });
    expect(request.tools).toEqual([{ name: 'lookup', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }]);
    expect(request.tool_choice).toEqual({ type: 'tool', name: 'lookup' });
    expect(request.messages.slice(1)).toEqual([
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_legacy_0', name: 'lookup', input: { q: 'x' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_legacy_0', content: 'found' }] },
    ]);
  });

  it('keeps assistant refusals as text and trims trailing whitespace off a final assistant prefill', () => {
    const { request } = convert({
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, refusal: 'I cannot do that.' },
        { role: 'user', content: 'ok, then start a JSON object' },
        { role: 'assistant', content: '{\n  ' },
      ],
    });
    expect(request.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'I cannot do that.' }] });
    expect(request.messages[3]).toEqual({ role: 'assistant', content: [{ type: 'text', text: '{' }] });
  });

  it('keeps Anthropic-style cache_control on parts and messages', () => {
    const { request } = convert({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'long prompt', cache_control: { type: 'ephemeral' } } as never] },
        { role: 'user', content: 'question', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
    });
    expect(request.system).toEqual([{ type: 'text', text: 'long prompt', cache_control: { type: 'ephemeral' } }]);
    expect(request.messages[0]!.content).toEqual([{ type: 'text', text: 'question', cache_control: { type: 'ephemeral', ttl: '1h' } }]);
  });

  it('rejects a request whose messages are not a list', () => {
    expect(() => convert({ messages: 'hi' as never })).toThrow('messages: Input should be a valid list');
  });

  it('rejects unknown roles', () => {
    expectUnsupported(() => convert({ messages: [{ role: 'narrator', content: 'x' } as never] }), 'message role "narrator"');
  });
});

describe('convertOpenAIRequestToAnthropic: parameters', () => {
  it('converts tools, defaulting the schema, and tool_choice values', () => {
    const tools = [
      { type: 'function' as const, function: { name: 'a', description: 'does a', parameters: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } } },
      { type: 'function' as const, function: { name: 'b' } },
      { type: 'function' as const, function: { name: 'c', parameters: { properties: {} }, strict: true } },
    ];
    const { request } = convert({ tools });
    expect(request.tools).toEqual([
      { name: 'a', description: 'does a', input_schema: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
      { name: 'b', input_schema: { type: 'object', properties: {} } },
      { name: 'c', input_schema: { type: 'object', properties: {} }, strict: true },
    ]);
    expect(convert({ tools, tool_choice: 'auto' }).request.tool_choice).toEqual({ type: 'auto' });
    expect(convert({ tools, tool_choice: 'required' }).request.tool_choice).toEqual({ type: 'any' });
    expect(convert({ tools, tool_choice: 'none' }).request.tool_choice).toEqual({ type: 'none' });
    expect(convert({ tools, tool_choice: { type: 'function', function: { name: 'a' } } }).request.tool_choice).toEqual({ type: 'tool', name: 'a' });
  });

  it('turns parallel_tool_calls:false into disable_parallel_tool_use', () => {
    const tools = [{ type: 'function' as const, function: { name: 'a' } }];
    expect(convert({ tools, parallel_tool_calls: false }).request.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(convert({ tools, tool_choice: 'required', parallel_tool_calls: false }).request.tool_choice).toEqual({
      type: 'any',
      disable_parallel_tool_use: true,
    });
    expect(convert({ tools, tool_choice: 'none', parallel_tool_calls: false }).request.tool_choice).toEqual({ type: 'none' });
  });

  it('drops tool_choice without tools (Anthropic rejects it), warning when it forced a tool', () => {
    const { request, warnings } = convert({ tool_choice: 'required' });
    expect(request.tool_choice).toBeUndefined();
    expect(warnings).toEqual(['tool_choice was dropped because the request has no tools.']);
  });

  it('rejects non-function tools', () => {
    expectUnsupported(() => convert({ tools: [{ type: 'custom', custom: { name: 'x' } } as never] }), 'tool type "custom"');
  });

  it('takes max_completion_tokens, then max_tokens, then the default', () => {
    expect(convert({ max_completion_tokens: 100, max_tokens: 200 }).request.max_tokens).toBe(100);
    expect(convert({ max_tokens: 200 }).request.max_tokens).toBe(200);
    expect(convert({ max_tokens: null }).request.max_tokens).toBe(4096);
  });

  it('maps stop to stop_sequences without whitespace-only entries', () => {
    expect(convert({ stop: 'END' }).request.stop_sequences).toEqual(['END']);
    const { request, warnings } = convert({ stop: ['\n', 'END', ' '] });
    expect(request.stop_sequences).toEqual(['END']);
    expect(warnings).toHaveLength(1);
    expect(convert({ stop: ['\n'] }).request.stop_sequences).toBeUndefined();
  });

  it('clamps temperature to [0, 1] and passes top_p', () => {
    const { request, warnings } = convert({ temperature: 1.7, top_p: 0.9 });
    expect(request.temperature).toBe(1);
    expect(request.top_p).toBe(0.9);
    expect(warnings).toEqual(['temperature 1.7 was clamped to 1 (Anthropic accepts 0 to 1).']);
    expect(convert({ temperature: 0.2 }).request.temperature).toBe(0.2);
  });

  it('rejects n > 1 and accepts n = 1', () => {
    expectUnsupported(() => convert({ n: 2 }), 'n');
    expect(convert({ n: 1 }).warnings).toEqual([]);
  });

  it('forwards user (or safety_identifier) as metadata.user_id, unless it is an email or phone number', () => {
    expect(convert({ user: 'user-123' }).request.metadata).toEqual({ user_id: 'user-123' });
    expect(convert({ user: 'u', safety_identifier: 'hashed-42' }).request.metadata).toEqual({ user_id: 'hashed-42' });
    const email = convert({ user: 'jane@example.com' });
    expect(email.request.metadata).toBeUndefined();
    expect(email.warnings).toHaveLength(1);
    expect(convert({ user: '+1 (555) 010-9999' }).request.metadata).toBeUndefined();
  });

  it('sets stream only when asked', () => {
    expect(convert({ stream: true, stream_options: { include_usage: true } }).request.stream).toBe(true);
    expect(convert({ stream: false }).request).not.toHaveProperty('stream');
  });

  it('warns about fields with no Anthropic equivalent', () => {
    expect(convert({ seed: 1, logprobs: true, presence_penalty: 0, frequency_penalty: 0.5 }).warnings).toEqual([
      'Ignored (no Anthropic equivalent): logprobs, seed, frequency_penalty.',
    ]);
  });
});

describe('convertOpenAIRequestToAnthropic: reasoning', () => {
  it.each([
    ['low', 1024],
    ['medium', 4096],
    ['high', 16384],
    ['xhigh', 32768],
  ] as const)('reasoning_effort %s is a thinking budget of %i', (effort, budget) => {
    const { request } = convert({ reasoning_effort: effort, max_completion_tokens: 64000 });
    expect(request.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
    expect(request.max_tokens).toBe(64000);
  });

  it.each(['none', 'minimal'] as const)('reasoning_effort %s means no thinking', (effort) => {
    expect(convert({ reasoning_effort: effort }).request.thinking).toBeUndefined();
  });

  it('raises max_tokens above the budget when it would not fit, and says so', () => {
    const { request, warnings } = convert({ reasoning_effort: 'high', max_tokens: 1000 });
    expect(request.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 });
    expect(request.max_tokens).toBe(17384);
    expect(warnings).toEqual(['max_tokens was raised from 1000 to 17384 to make room for a thinking budget of 16384.']);
  });

  it('drops sampling parameters Anthropic forbids with thinking', () => {
    const { request, warnings } = convert({ reasoning_effort: 'low', temperature: 0.3, top_p: 0.5, top_k: 5, max_tokens: 8000 });
    expect(request).not.toHaveProperty('temperature');
    expect(request).not.toHaveProperty('top_p');
    expect(request).not.toHaveProperty('top_k');
    expect(warnings).toHaveLength(3);
    expect(convert({ reasoning_effort: 'low', temperature: 1, top_p: 0.97, max_tokens: 8000 }).request).toMatchObject({ temperature: 1, top_p: 0.97 });
  });

  it('does not enable thinking with a forced tool choice or an assistant prefill', () => {
    const tools = [{ type: 'function' as const, function: { name: 'a' } }];
    const forced = convert({ tools, tool_choice: 'required', reasoning_effort: 'medium' });
    expect(forced.request.thinking).toBeUndefined();
    expect(forced.warnings[0]).toMatch(/forced tool_choice/);
    const prefill = convert({ reasoning_effort: 'medium', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'A:' }] });
    expect(prefill.request.thinking).toBeUndefined();
  });

  it('honours an Anthropic-shaped thinking field (extra_body) and OpenRouter\'s reasoning object', () => {
    expect(convert({ thinking: { type: 'enabled', budget_tokens: 2000 } as never, max_tokens: 8000 }).request.thinking).toEqual({
      type: 'enabled',
      budget_tokens: 2000,
    });
    expect(convert({ thinking: { type: 'enabled' }, max_tokens: 8000 }).request.thinking).toEqual({ type: 'enabled', budget_tokens: 4096 });
    const adaptive = convert({ thinking: { type: 'adaptive' } as never, reasoning_effort: 'high' });
    expect(adaptive.request.thinking).toEqual({ type: 'adaptive' });
    expect(adaptive.request.output_config).toEqual({ effort: 'high' });
    expect(convert({ reasoning: { max_tokens: 3000 }, max_tokens: 8000 }).request.thinking).toEqual({ type: 'enabled', budget_tokens: 3000 });
    expect(convert({ reasoning: { effort: 'low' }, max_tokens: 8000 }).request.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
    expect(convert({ reasoning: { enabled: false }, reasoning_effort: 'high' }).request.thinking).toBeUndefined();
  });
});

describe('convertOpenAIRequestToAnthropic: response_format', () => {
  it('maps json_schema to output_config.format', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    const { request, warnings } = convert({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } } });
    expect(request.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(warnings).toEqual([]);
  });

  it('asks for json_object through a system instruction, with a warning', () => {
    const { request, warnings } = convert({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'JSON please' }], response_format: { type: 'json_object' } });
    expect(request.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: JSON_OBJECT_SYSTEM_HINT },
    ]);
    expect(request).not.toHaveProperty('output_config');
    expect(warnings).toHaveLength(1);
  });

  it('ignores text', () => {
    expect(convert({ response_format: { type: 'text' } })).toEqual(convert({}));
  });
});
